"""A case's customer on its page (A5): the phone masked; shown in full only once the
caller's identity is verified (for a household's case, a check of that household by this
person within the last 30 minutes, kiosk.households.identity), every look audited."""

from dataclasses import dataclass

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from kiosk import audit
from kiosk.access import staff
from kiosk.blueprints.cases import bp
from kiosk.blueprints.cases.common import me
from kiosk.blueprints.cases.kinds import VIEWERS, opened
from kiosk.blueprints.households.forms import IdentityForm
from kiosk.extensions import db
from kiosk.households import identity
from kiosk.models.case_complaints import Complaint
from kiosk.models.case_orders import WorkOrder
from kiosk.models.case_services import SpecialService, SurveyOpinion

# kind (as in the audit trail) -> the model, its page and the page's id argument
KINDS = {
    "complaint": (Complaint, "cases.complaint_detail", "case_id"),
    "work_order": (WorkOrder, "cases.order_detail", "order_id"),
    "special_service": (SpecialService, "cases.service_detail", "service_id"),
    "survey_opinion": (SurveyOpinion, "cases.survey_detail", "opinion_id"),
}


@dataclass
class Reveal:
    """Whether the page shows the full phone; when it was asked for and the caller is not
    yet verified, the identity step to show instead (its form and where it posts)."""

    shown: bool = False
    form: IdentityForm | None = None
    action: str | None = None

    def __bool__(self) -> bool:
        return self.shown


def looked_at(record, kind: str) -> Reveal:
    """Audit the look (`<kind>.viewed`, or `<kind>.contact_revealed` when the full phone is
    shown) and say whether it is: asked for with ?reveal=1, and the caller verified (A5).
    A caller with no household on file gave the phone themselves: nothing to verify."""
    asked = request.args.get("reveal") == "1"
    household = record.household
    shown = asked and (household is None or identity.recent(household, me()) is not None)
    audit.record(me(), f"{kind}.contact_revealed" if shown else f"{kind}.viewed", record)
    db.session.commit()
    if asked and not shown:
        return Reveal(form=IdentityForm(), action=url_for("cases.verify_caller", kind=kind, record_id=record.id))
    return Reveal(shown)


@bp.post("/<kind>/<int:record_id>/identity")
@staff(*VIEWERS)
def verify_caller(kind: str, record_id: int):
    """A5: how the caller's identity was verified, recorded against the case's household;
    then the case again with the full phone."""
    if kind not in KINDS:
        abort(404)
    model, endpoint, id_arg = KINDS[kind]
    record = opened(model, record_id)
    back = url_for(endpoint, **{id_arg: record.id}, reveal=1)
    form = IdentityForm()
    if record.household is not None:
        if not form.validate_on_submit():
            db.session.rollback()
            flash(_("Please choose how the identity was verified."), "error")
            return redirect(back, 303)
        identity.verify(record.household, me(), form.method.data, form.note.data)
        db.session.commit()
        flash(_("The identity verification was recorded."), "info")
    return redirect(back, 303)
