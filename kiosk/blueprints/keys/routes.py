"""The key register (K1, K2, K5): list, new set, one set, printable QR tags, seals, anomalies."""

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from kiosk import audit, photos, qr
from kiosk.access import FRONT_DESK, SUPERVISORS, current_site_id, get_in_site_or_404, staff
from kiosk.blueprints.keys import bp
from kiosk.blueprints.keys.forms import KeySetForm, ResolveForm, SealForm
from kiosk.extensions import db
from kiosk.htmx import render
from kiosk.keys import KeyRefused, loans
from kiosk.keys import register as key_register
from kiosk.keys.labels import REFUSALS
from kiosk.models import Building, Room
from kiosk.models.keys import KeyAnomaly, KeyKind, KeyLoan, KeySet, KeyState, OwnerHandover
from kiosk.timeutil import utcnow

KEY_USERS = FRONT_DESK
TAGS_PER_SHEET = 60


def me():
    return current_user._get_current_object()


def refused(reason: str) -> None:
    db.session.rollback()
    flash(str(REFUSALS.get(reason, reason)), "error")


@bp.get("/")
@staff(*KEY_USERS)
def register():
    kind = request.args.get("kind") if request.args.get("kind") in set(KeyKind) else None
    state = request.args.get("state") if request.args.get("state") in set(KeyState) else None
    held = request.args.get("state") == "engineering"
    size = current_app.config["PAGE_SIZE"]
    query = (
        sa.select(KeySet)
        .where(KeySet.site_id == current_site_id(), KeySet.retired.is_(False))
        .options(
            selectinload(KeySet.room).selectinload(Room.building),
            selectinload(KeySet.room).selectinload(Room.unit),
            selectinload(KeySet.building),
        )
        .order_by(KeySet.id.desc())
        .limit(size + 1)
    )
    if kind:
        query = query.where(KeySet.kind == kind)
    if state:
        query = query.where(KeySet.state == state, KeySet.engineering_held.is_(False))
    if held:
        query = query.where(KeySet.engineering_held.is_(True))
    q = (request.args.get("q") or "").strip()[:200]
    if "/tag/" in q:  # a scanned tag's QR code holds the tag's URL
        q = q.rsplit("/tag/", 1)[1].split("?")[0]
    q = q[:30]
    scanned = key_register.find_by_tag(current_site_id(), q) if q else None
    if scanned is not None:  # a tag scanned or typed: open its set
        return redirect(url_for("keys.key_set", set_id=scanned.id))
    if q:
        query = query.where(sa.or_(KeySet.tag_code == q.upper(), KeySet.hook == q))
    before = request.args.get("before", type=int)
    if before:
        query = query.where(KeySet.id < before)
    rows = list(db.session.scalars(query))
    more = len(rows) > size
    rows = rows[:size]
    return render(
        "keys/register.html",
        block="set_rows",
        sets=rows,
        kind=kind,
        state=request.args.get("state"),
        q=q,
        counts=key_register.state_counts(current_site_id()),
        next_before=rows[-1].id if more else None,
    )


def _building_choices(form: KeySetForm) -> None:
    buildings = db.session.scalars(
        sa.select(Building).where(Building.site_id == current_site_id()).order_by(Building.sort_order)
    ).all()
    form.building.choices = [(0, "—")] + [(b.id, b.name) for b in buildings]


def find_room(site_id: int, text: str) -> Room | None:
    """A room by its label "building-unit-room" (or "building-room")."""
    parts = [p for p in (text or "").strip().replace("—", "-").split("-") if p]
    if not parts:
        return None
    rooms = db.session.scalars(
        sa.select(Room)
        .where(Room.site_id == site_id, Room.number == parts[-1])
        .options(selectinload(Room.building), selectinload(Room.unit))
        .limit(50)
    ).all()
    return next((r for r in rooms if r.label == "-".join(parts)), None)


@bp.route("/new", methods=["GET", "POST"])
@staff(*SUPERVISORS)
def new_set():
    form = KeySetForm()
    _building_choices(form)
    if request.method == "GET":
        return render("keys/set_form.html", form=form)
    if not form.validate_on_submit():
        return render("keys/set_form.html", form=form, status=422)
    site_id = current_site_id()
    room = find_room(site_id, form.room.data) if form.kind.data == KeyKind.HOUSEHOLD else None
    if form.kind.data == KeyKind.HOUSEHOLD and room is None:
        form.room.errors = [_("No such room. Write it as building-unit-room, for example 1-1-0101.")]
        return render("keys/set_form.html", form=form, status=422)
    building = db.session.get(Building, form.building.data) if form.building.data else None
    try:
        key_set = key_register.create_set(
            site_id,
            me(),
            utcnow(),
            kind=KeyKind(form.kind.data),
            hook=form.hook.data,
            contents=form.contents.data,
            pieces=form.pieces.data,
            room=room,
            building=building,
            floor=form.floor.data,
            place=form.place.data,
            engineering_held=form.engineering_held.data,
            seal_number=form.seal_number.data,
        )
    except KeyRefused as refusal:
        refused(refusal.reason)
        return render("keys/set_form.html", form=form, status=422)
    db.session.commit()
    flash(_("Key set %(tag)s added to the register.", tag=key_set.tag_code), "info")
    return redirect(url_for("keys.key_set", set_id=key_set.id), 303)


def load_set(set_id: int) -> KeySet:
    return get_in_site_or_404(KeySet, set_id)


def set_page(key_set: KeySet, status: int = 200, **forms):
    history = db.session.scalars(
        sa.select(KeyLoan)
        .where(KeyLoan.key_set_id == key_set.id)
        .options(selectinload(KeyLoan.lent_by), selectinload(KeyLoan.received_by), selectinload(KeyLoan.approved_by))
        .order_by(KeyLoan.id.desc())
        .limit(20)
    ).all()
    anomalies = db.session.scalars(
        sa.select(KeyAnomaly).where(KeyAnomaly.key_set_id == key_set.id).order_by(KeyAnomaly.id.desc()).limit(10)
    ).all()
    handed = db.session.scalars(
        sa.select(OwnerHandover)
        .where(OwnerHandover.key_set_id == key_set.id)
        .options(selectinload(OwnerHandover.handed_by))
        .order_by(OwnerHandover.id.desc())
        .limit(5)
    ).all()
    return render(
        "keys/set.html",
        status=status,
        key_set=key_set,
        history=history,
        anomalies=anomalies,
        handed=handed,
        now=utcnow(),
        seal_form=forms.get("seal_form") or SealForm(),
        needs_seal=key_register.needs_seal(key_set),
    )


@bp.get("/sets/<int:set_id>")
@staff(*KEY_USERS)
def key_set(set_id: int):
    return set_page(load_set(set_id))


@bp.get("/tag/<code>")
@staff(*KEY_USERS)
def by_tag(code: str):
    """Scanning a printed tag opens its key set."""
    found = key_register.find_by_tag(current_site_id(), code)
    if found is None:
        abort(404)
    return redirect(url_for("keys.key_set", set_id=found.id))


@bp.post("/sets/<int:set_id>/seal")
@staff(*KEY_USERS)
def seal(set_id: int):
    key_set = load_set(set_id)
    form = SealForm()
    if not form.validate_on_submit():
        return set_page(key_set, 422, seal_form=form)
    try:
        key_register.seal(key_set, form.seal_number.data, me(), utcnow())
    except KeyRefused as refusal:
        refused(refusal.reason)
        return set_page(key_set, 422, seal_form=form)
    db.session.commit()
    return redirect(url_for("keys.key_set", set_id=key_set.id), 303)


def tag_svg(key_set: KeySet, scale: int = 4) -> str:
    url = url_for("keys.by_tag", code=key_set.tag_code, _external=True)
    return qr.svg(url, scale=scale, omitsize=False)


@bp.get("/tags")
@staff(*KEY_USERS)
def tags():
    """A sheet of printable tags with QR codes (one set, or a page of the register)."""
    query = (
        sa.select(KeySet)
        .where(KeySet.site_id == current_site_id(), KeySet.retired.is_(False))
        .options(
            selectinload(KeySet.room).selectinload(Room.building),
            selectinload(KeySet.room).selectinload(Room.unit),
            selectinload(KeySet.building),
        )
        .order_by(KeySet.id)
        .limit(TAGS_PER_SHEET)
    )
    one = request.args.get("set", type=int)
    if one:
        query = query.where(KeySet.id == one)
    after = request.args.get("after", type=int)
    if after:
        query = query.where(KeySet.id > after)
    if request.args.get("kind") in set(KeyKind):
        query = query.where(KeySet.kind == request.args["kind"])
    rows = db.session.scalars(query).all()
    return render(
        "keys/tags.html",
        labels=[(s, tag_svg(s)) for s in rows],
        next_after=rows[-1].id if len(rows) == TAGS_PER_SHEET else None,
    )


@bp.get("/anomalies")
@staff(*KEY_USERS)
def anomalies():
    show_all = request.args.get("show") == "all"
    query = (
        sa.select(KeyAnomaly)
        .where(KeyAnomaly.site_id == current_site_id())
        .options(
            selectinload(KeyAnomaly.key_set).selectinload(KeySet.room).selectinload(Room.building),
            selectinload(KeyAnomaly.key_set).selectinload(KeySet.room).selectinload(Room.unit),
            selectinload(KeyAnomaly.key_set).selectinload(KeySet.building),
            selectinload(KeyAnomaly.found_by),
            selectinload(KeyAnomaly.resolved_by),
        )
        .order_by(KeyAnomaly.id.desc())
        .limit(100)
    )
    if not show_all:
        query = query.where(KeyAnomaly.resolved_at.is_(None))
    return render("keys/anomalies.html", rows=db.session.scalars(query).all(), show_all=show_all, form=ResolveForm())


@bp.post("/anomalies/<int:anomaly_id>/resolve")
@staff(*SUPERVISORS)
def resolve(anomaly_id: int):
    anomaly = get_in_site_or_404(KeyAnomaly, anomaly_id)
    form = ResolveForm()
    if form.validate_on_submit():
        try:
            loans.resolve(anomaly, me(), utcnow(), form.resolution.data)
        except KeyRefused as refusal:
            refused(refusal.reason)
        else:
            db.session.commit()
            return redirect(url_for("keys.anomalies"), 303)
    else:
        flash(_("Please say how it was resolved."), "error")
    return redirect(url_for("keys.anomalies"), 303)


@bp.get("/loans/<int:loan_id>/signature.png")
@staff(*KEY_USERS)
def signature(loan_id: int):
    loan = get_in_site_or_404(KeyLoan, loan_id)
    if not loan.signature_path:
        abort(404)
    root = photos.root(current_app.config, current_app.instance_path)
    try:
        path = photos.open_path(root, loan.signature_path)
    except FileNotFoundError:
        abort(404)
    if not path.exists():
        abort(404)
    audit.record(me(), "keys.signature_viewed", loan)
    db.session.commit()
    response = send_file(path, mimetype="image/png", max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
