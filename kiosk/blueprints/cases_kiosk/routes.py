"""The kiosk's report form and its exactly-once acceptance (idempotency key, OFFLINE.md 4)."""

from flask import abort, g, request, url_for
from flask_babel import lazy_gettext as _l

from kiosk.access import device
from kiosk.blueprints.cases_kiosk import bp
from kiosk.blueprints.cases_kiosk.forms import ReportForm
from kiosk.cases import intake
from kiosk.htmx import render
from kiosk.models import DeviceKind
from kiosk.models.cases import IntakeClass
from kiosk.offline.idempotency import BadKey, KeyReused, accept_once
from kiosk.timeutil import device_time, utcnow
from kiosk.visits import lobby
from kiosk.visits.corrections import find_room

NOT_PAYLOAD = ("action_at", "idempotency_key")
MSG_ROOM = _l("We could not find that room. Please enter it as building-unit-room, for example 1-1-0201.")
MSG_REUSED = _l("This report was already sent with other details. Please start again.")


def _home() -> str:
    return url_for("kiosk.welcome", lang="en" if g.device.site.default_locale == "en" else "zh_Hans_CN")


def _page(form, status=200, error=None):
    return render(
        "cases/kiosk_report.html",
        form=form,
        error=error,
        status=status,
        settings=lobby.settings_for(g.device.site_id),
        kiosk_home=_home(),
    )


@bp.get("/")
@device(DeviceKind.KIOSK)
def report_form():
    return _page(ReportForm(formdata=None))


@bp.post("/")
@device(DeviceKind.KIOSK)
def report():
    form = ReportForm()
    if not form.validate():
        return _page(form, 422)
    room = find_room(g.device.site_id, form.room.data)
    if room is None:
        form.room.errors = [MSG_ROOM]
        return _page(form, 422)
    now = utcnow()
    payload = {k: v for k, v in request.form.to_dict(flat=True).items() if k not in NOT_PAYLOAD}
    try:
        accept_once(
            "kiosk.repair_report",
            form.idempotency_key.data,
            payload,
            lambda: intake.from_kiosk(
                g.device.site,
                g.device,
                room=room,
                phone=form.phone.data,
                content=form.content.data,
                kind=IntakeClass(form.kind.data),
                action_at=device_time(request.form.get("action_at"), now),
                received_at=now,
            ),
            site_id=g.device.site_id,
            device_id=g.device.id,
        )
    except BadKey:
        abort(400)
    except KeyReused:
        return _page(form, 422, error=MSG_REUSED)
    return render("cases/kiosk_reported.html", settings=lobby.settings_for(g.device.site_id), kiosk_home=_home())
