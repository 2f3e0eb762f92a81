"""Loans and returns (K4): lend with the borrower's drawn signature, emergencies with the
manager's approval and paperwork after, returns checked for missing or damaged keys, the board."""

from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from kiosk import photos, signatures
from kiosk.access import current_site_id, get_in_site_or_404, staff
from kiosk.blueprints.keys import bp
from kiosk.blueprints.keys.forms import EmergencyForm, LoanForm, PaperworkForm, ReturnForm
from kiosk.blueprints.keys.routes import KEY_USERS, load_set, me, refused
from kiosk.extensions import db
from kiosk.htmx import render
from kiosk.keys import KeyRefused, loans
from kiosk.keys.register import needs_seal
from kiosk.models import Role, User
from kiosk.models.keys import BorrowerKind, KeyLoan
from kiosk.timeutil import utcnow

BOARD_LIMIT = 100


def _tz() -> str:
    return current_user.site.timezone


def _borrower_choices(form) -> None:
    people = db.session.scalars(
        sa.select(User)
        .where(User.site_id == current_site_id(), User.active.is_(True), User.role != Role.ADMIN)
        .order_by(User.display_name)
        .limit(300)
    ).all()
    form.borrower_user.choices = [(0, "—")] + [(u.id, u.display_name) for u in people]


def _borrower(form):
    kind = BorrowerKind(form.borrower_kind.data)
    user = None
    if kind == BorrowerKind.STAFF and form.borrower_user.data:
        user = db.session.get(User, form.borrower_user.data)
    return dict(borrower_kind=kind, borrower_user=user, borrower_name=form.borrower_name.data)


def _signature():
    """The drawn signature, stored; or the refusal message."""
    root = photos.root(current_app.config, current_app.instance_path)
    try:
        return signatures.store(root, current_site_id(), request.form.get("signature")), None
    except signatures.SignatureRejected as rejected:
        return None, signatures.refusal(rejected.reason)


@bp.route("/sets/<int:set_id>/lend", methods=["GET", "POST"])
@staff(*KEY_USERS)
def lend(set_id: int):
    key_set = load_set(set_id)
    form = LoanForm()
    _borrower_choices(form)
    now = utcnow()
    if request.method == "GET":
        default = loans.default_expected_back(now, _tz(), current_user.site.desk_closes)
        form.expected_back.data = default.astimezone(ZoneInfo(_tz())).time().replace(second=0, microsecond=0)
        return render("keys/lend.html", key_set=key_set, form=form, signature_errors=[])
    if not form.validate_on_submit():
        return render("keys/lend.html", key_set=key_set, form=form, signature_errors=[], status=422)
    signature, problem = _signature()
    if problem:
        return render("keys/lend.html", key_set=key_set, form=form, signature_errors=[problem], status=422)
    expected = loans.expected_back_today(now, _tz(), form.expected_back.data)
    try:
        loan = loans.lend(
            key_set,
            me(),
            now,
            _tz(),
            purpose=form.purpose.data,
            company=form.company.data,
            expected_back_at=expected,
            signature=signature,
            **_borrower(form),
        )
        db.session.commit()
    except KeyRefused as refusal:
        refused(refusal.reason)
        return render("keys/lend.html", key_set=load_set(set_id), form=form, signature_errors=[], status=422)
    except StaleDataError:
        refused("stale")
        return redirect(url_for("keys.key_set", set_id=set_id), 303)
    flash(
        _(
            "Lent to %(name)s; due back by %(time)s.",
            name=loan.borrower_name,
            time=loan.expected_back_at.astimezone(ZoneInfo(_tz())).strftime("%H:%M"),
        ),
        "info",
    )
    return redirect(url_for("keys.key_set", set_id=key_set.id), 303)


def _managers(form) -> None:
    managers = db.session.scalars(
        sa.select(User)
        .where(User.site_id == current_site_id(), User.active.is_(True), User.role == Role.MANAGER)
        .order_by(User.display_name)
    ).all()
    form.approved_by.choices = [(u.id, u.display_name) for u in managers]


@bp.route("/sets/<int:set_id>/emergency", methods=["GET", "POST"])
@staff(*KEY_USERS)
def emergency(set_id: int):
    """K4: in an emergency the key goes out at once on the manager's word; paperwork after."""
    key_set = load_set(set_id)
    form = EmergencyForm()
    _borrower_choices(form)
    _managers(form)
    if request.method == "GET":
        return render("keys/emergency.html", key_set=key_set, form=form)
    if not form.validate_on_submit():
        return render("keys/emergency.html", key_set=key_set, form=form, status=422)
    try:
        loans.lend_emergency(
            key_set,
            me(),
            utcnow(),
            _tz(),
            reason=form.reason.data,
            approved_by=db.session.get(User, form.approved_by.data),
            purpose=form.purpose.data,
            **_borrower(form),
        )
        db.session.commit()
    except KeyRefused as refusal:
        refused(refusal.reason)
        return render("keys/emergency.html", key_set=load_set(set_id), form=form, status=422)
    except StaleDataError:
        refused("stale")
        return redirect(url_for("keys.key_set", set_id=set_id), 303)
    flash(_("Emergency loan recorded. The borrower's signature and the purpose are still owed."), "info")
    return redirect(url_for("keys.board"), 303)


@bp.route("/loans/<int:loan_id>/paperwork", methods=["GET", "POST"])
@staff(*KEY_USERS)
def paperwork(loan_id: int):
    loan = get_in_site_or_404(KeyLoan, loan_id)
    form = PaperworkForm(obj=loan) if request.method == "GET" else PaperworkForm()
    if request.method == "GET":
        return render("keys/paperwork.html", loan=loan, form=form, signature_errors=[])
    if not form.validate_on_submit():
        return render("keys/paperwork.html", loan=loan, form=form, signature_errors=[], status=422)
    signature, problem = _signature()
    if problem:
        return render("keys/paperwork.html", loan=loan, form=form, signature_errors=[problem], status=422)
    try:
        loans.complete_paperwork(loan, me(), utcnow(), purpose=form.purpose.data, signature=signature)
        db.session.commit()
    except KeyRefused as refusal:
        refused(refusal.reason)
        return redirect(url_for("keys.key_set", set_id=loan.key_set_id), 303)
    flash(_("The paperwork of the emergency loan is complete."), "info")
    return redirect(url_for("keys.key_set", set_id=loan.key_set_id), 303)


@bp.route("/loans/<int:loan_id>/return", methods=["GET", "POST"])
@staff(*KEY_USERS)
def receive(loan_id: int):
    loan = get_in_site_or_404(KeyLoan, loan_id)
    form = ReturnForm() if request.method == "POST" else ReturnForm(pieces_back=loan.pieces_out)
    context = dict(loan=loan, form=form, needs_seal=needs_seal(loan.key_set))
    if request.method == "GET" or loan.returned_at is not None:
        if loan.returned_at is not None and request.method == "POST":
            flash(str(_("These keys were already returned.")), "error")
            return redirect(url_for("keys.key_set", set_id=loan.key_set_id), 303)
        return render("keys/return.html", **context)
    if not form.validate_on_submit():
        return render("keys/return.html", status=422, **context)
    try:
        found = loans.receive(
            loan,
            me(),
            utcnow(),
            pieces_back=form.pieces_back.data,
            damaged=form.damaged.data,
            note=form.note.data,
            seal_number=form.seal_number.data,
        )
        db.session.commit()
    except KeyRefused as refusal:
        refused(refusal.reason)
        return render("keys/return.html", status=422, **context)
    except StaleDataError:
        refused("stale")
        return redirect(url_for("keys.key_set", set_id=loan.key_set_id), 303)
    if found:
        flash(_("Returned. The supervisor was told what is missing or damaged."), "error")
    else:
        flash(_("Returned complete and undamaged."), "info")
    return redirect(url_for("keys.key_set", set_id=loan.key_set_id), 303)


@bp.get("/board")
@staff(*KEY_USERS)
def board():
    """What is out of the cabinet now, overdue first (bounded)."""
    return _board()


@bp.get("/board/live")
@staff(*KEY_USERS, passive=True)
def board_live():
    """The board's polled part (every minute): a poll does not keep an idle session alive (S1)."""
    return _board()


def _board():
    now = utcnow()
    rows = loans.on_loan(current_site_id(), BOARD_LIMIT)
    rows.sort(key=lambda loan: (not loans.is_overdue(loan, now), loan.lent_at))
    return render(
        "keys/board.html",
        block="board",
        loans=rows,
        now=now,
        limit=BOARD_LIMIT,
        overdue=sum(1 for loan in rows if loans.is_overdue(loan, now)),
    )


@bp.route("/sets/<int:set_id>/owner", methods=["GET", "POST"])
@staff(*KEY_USERS)
def to_owner(set_id: int):
    """K6: the household's keys handed to the owner at move-in, identity checked, signed for."""
    from kiosk.blueprints.keys.forms import OwnerForm
    from kiosk.keys import owners
    from kiosk.models import Household, HouseholdKind

    key_set = load_set(set_id)
    form = OwnerForm()
    households = (
        db.session.scalars(
            sa.select(Household)
            .where(
                Household.site_id == current_site_id(),
                Household.room_id == key_set.room_id,
                Household.active.is_(True),
                Household.kind == HouseholdKind.OWNER,
            )
            .order_by(Household.id)
            .limit(10)
        ).all()
        if key_set.room_id
        else []
    )
    from kiosk.names import mask_phone

    form.household.choices = [(h.id, f"{h.name} · {mask_phone(h.phone)}") for h in households]
    context = dict(key_set=key_set, form=form, signature_errors=[])
    if request.method == "GET":
        return render("keys/owner.html", **context)
    if not form.validate_on_submit():
        return render("keys/owner.html", status=422, **context)
    signature, problem = _signature()
    if problem:
        return render("keys/owner.html", status=422, **{**context, "signature_errors": [problem]})
    household = next((h for h in households if h.id == form.household.data), None)
    try:
        if household is None:
            raise KeyRefused("not_this_room")
        owners.hand_to_owner(
            key_set,
            me(),
            utcnow(),
            household=household,
            identity_checked=form.identity_checked.data,
            id_number=form.id_number.data,
            signature=signature,
        )
        db.session.commit()
    except KeyRefused as refusal:
        refused(refusal.reason)
        return render("keys/owner.html", status=422, **context)
    except StaleDataError:
        refused("stale")
        return redirect(url_for("keys.key_set", set_id=set_id), 303)
    flash(_("The keys were handed to the owner and signed for."), "info")
    return redirect(url_for("keys.key_set", set_id=set_id), 303)
