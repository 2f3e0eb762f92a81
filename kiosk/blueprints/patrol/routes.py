"""The tablet's pages: officer sign-in, today's list, and the patrol page."""

import sqlalchemy as sa
from flask import current_app, g, redirect, request, session, url_for
from flask_babel import gettext as _

from kiosk import accounts, audit
from kiosk.access import DEVICE_COOKIE, device, get_in_site_or_404, public
from kiosk.blueprints.auth.forms import LoginForm
from kiosk.blueprints.auth.routes import lockout_message
from kiosk.blueprints.offline.http import PRECACHE_HEADER
from kiosk.blueprints.patrol import bp
from kiosk.cases import order_work
from kiosk.extensions import db
from kiosk.htmx import render
from kiosk.models import Department, DeviceKind, User
from kiosk.models.patrols import Answer, ChecklistTemplate, Occurrence, Patrol, PatrolReason, Photo
from kiosk.offline import devices
from kiosk.patrols import schedule as patrol_schedule
from kiosk.patrols import templates as patrol_templates
from kiosk.patrols import walk
from kiosk.timeutil import utcnow

OFFICER_SESSION = "patrol_officer"
OFFICER_SESSION_HOURS = 12  # a shift; the officer signs in again after it


def may_use_tablet(user: User) -> bool:
    """Officers run patrols; department staff work their orders and complaints (order_work)."""
    return user.role in walk.PATROL_ROLES or order_work.is_worker(user)


def tablet_user() -> User | None:
    """The person signed in on this tablet (not a staff-console login): an officer or department staff."""
    data = session.get(OFFICER_SESSION)
    dev = g.get("device")
    if not data or dev is None or data.get("device") != dev.id:
        return None
    if utcnow().timestamp() - data.get("at", 0) > OFFICER_SESSION_HOURS * 3600:
        return None
    user = db.session.get(User, data.get("id"))
    if user is None or not user.active or user.site_id != dev.site_id or not may_use_tablet(user):
        return None
    if data.get("epoch") != user.session_epoch:  # signed out, password changed, deactivated
        return None
    return user


def current_officer() -> User | None:
    """The officer signed in on this tablet; department staff are not officers."""
    user = tablet_user()
    return user if user is not None and user.role in walk.PATROL_ROLES else None


def _keep_offline(endpoints: list[tuple[str, dict]], officer: User | None) -> dict:
    """What the tablet keeps for use without a connection (the page hands it to the
    service worker: patrol/_keep.html, static/js/sw-keep.js): today's list and the run
    page of each patrol the officer may start today, in every language. Keeping the
    list alone (signed out) drops the run pages, which carry the officer's token."""
    languages = current_app.config["LANGUAGES"]
    pages = [url_for(endpoint, lang=lang, **args) for endpoint, args in endpoints for lang in languages]
    return {"owner": f"{g.device.id}:{officer.id}" if officer else "", "pages": pages}


def _signin_page(form, status=200, error=None):
    return render(
        "patrol/signin.html", form=form, error=error, status=status, keep=_keep_offline([("patrol.index", {})], None)
    )


@bp.get("/")
@device(DeviceKind.TABLET)
def index():
    officer = current_officer()
    if officer is None:
        if tablet_user() is not None:  # department staff: their work list
            return redirect(url_for("patrol.work"), 303)
        return _signin_page(LoginForm())
    now = utcnow()
    site = g.device.site
    patrol_schedule.ensure_occurrences(site, now)
    occurrences = patrol_schedule.for_today(site, now)
    running = set(
        db.session.scalars(
            sa.select(Patrol.occurrence_id).where(
                Patrol.device_id == g.device.id, Patrol.finished_at.is_(None), Patrol.occurrence_id.is_not(None)
            )
        )
    )
    templates = patrol_templates.active_templates(site.id)
    runs = [
        ("patrol.run", {"occurrence_id": o.id})
        for o in occurrences
        if patrol_schedule.state(o, now) not in patrol_schedule.FINISHED
    ]
    runs += [("patrol.adhoc", {"template_id": t.id}) for t in templates]
    return render(
        "patrol/index.html",
        officer=officer,
        occurrences=occurrences,
        now=now,
        state=patrol_schedule.state,
        running=running,
        templates=templates,
        keep=_keep_offline([("patrol.index", {}), *runs], officer),
    )


@bp.post("/signin")
@public
def signin():
    """The officer signs in on the tablet (online only: a password is never queued).
    CSRF-protected like any staff form; the device cookie says which tablet."""
    dev = devices.authenticate(request.cookies.get(DEVICE_COOKIE))
    if dev is None or dev.kind != DeviceKind.TABLET:
        return redirect(url_for("patrol.index"), 303)
    g.device = dev
    form = LoginForm()
    if not form.validate_on_submit():
        return _signin_page(form, 422)
    result = accounts.sign_in(
        form.username.data,
        form.password.data,
        now=utcnow(),
        remote_addr=request.remote_addr,
        throttle=accounts.Throttle.from_config(current_app.config),
    )
    if result.locked_minutes:
        return _signin_page(form, 422, lockout_message(result))
    if not result.ok:
        return _signin_page(form, 422, _("Incorrect username or password."))
    user = result.user
    if not may_use_tablet(user) or user.site_id != dev.site_id:
        return _signin_page(form, 422, _("This account cannot run patrols on this tablet."))
    session[OFFICER_SESSION] = {
        "id": user.id,
        "device": dev.id,
        "at": utcnow().timestamp(),
        "epoch": user.session_epoch,
    }
    audit.record(user, "patrol.tablet_sign_in", dev)
    db.session.commit()
    return redirect(url_for("patrol.work" if order_work.is_worker(user) else "patrol.index"), 303)


@bp.post("/signout")
@public
def signout():
    form = LoginForm()
    form.validate()  # only the CSRF token matters here (checked by CSRFProtect already)
    dev = devices.authenticate(request.cookies.get(DEVICE_COOKIE))
    if dev is not None:
        g.device = dev
        officer = tablet_user()
        if officer is not None:  # like a console sign-out: every session of the account ends
            accounts.sign_out(officer)
    session.pop(OFFICER_SESSION, None)
    return redirect(url_for("patrol.index"), 303)


def _run_page(run_key, *, occurrence=None, template=None):
    officer = current_officer()
    if officer is None:
        return redirect(url_for("patrol.index"), 303)
    dev = g.device
    # The copy the tablet keeps for offline use is the blank route: what was done on it
    # comes from the tablet's own record (patrol.js), never from a stale server copy.
    kept_copy = request.headers.get(PRECACHE_HEADER) == "1"
    query = sa.select(Patrol).where(Patrol.device_id == dev.id, Patrol.finished_at.is_(None))
    if occurrence is not None:
        query = query.where(Patrol.occurrence_id == occurrence.id)
        template = occurrence.schedule.template
    else:
        query = query.where(Patrol.occurrence_id.is_(None), Patrol.version_id.in_([v.id for v in template.versions]))
    patrol = None if kept_copy else db.session.scalar(query.order_by(Patrol.id.desc()).limit(1))
    if patrol is not None:
        version = patrol_templates.load_version(patrol.version_id)
        checkpoints = [stop.checkpoint for stop in walk.load_stops(patrol)]
    else:
        version = patrol_templates.load_version(template.current.id)
        schedule = occurrence.schedule if occurrence is not None else None
        checkpoints = walk.route(dev.site_id, schedule=schedule, template=template)
    sections = {kind: patrol_templates.sections_at(version, kind) for kind in {c.kind for c in checkpoints}}
    answers, photo_counts, scanned = {}, {}, set()
    if patrol is not None:
        scanned = {stop.checkpoint_id for stop in patrol.stops if stop.scanned_at}
        for row in db.session.scalars(sa.select(Answer).where(Answer.patrol_id == patrol.id)):
            answers[(row.checkpoint_id, row.item_id)] = row
        for answer_id, count in db.session.execute(
            sa.select(Photo.answer_id, sa.func.count())
            .join(Answer, Answer.id == Photo.answer_id)
            .where(Answer.patrol_id == patrol.id)
            .group_by(Photo.answer_id)
        ):
            photo_counts[answer_id] = count
    departments = db.session.scalars(
        sa.select(Department).where(Department.site_id == dev.site_id).order_by(Department.id)
    ).all()
    token = walk.officer_token(current_app.config["SECRET_KEY"], officer, dev)
    # What the server holds, for the page to fill in when a stop's checklist is opened.
    answers_json = {
        f"{cp_id}-{item_id}": {
            "result": row.result or "",
            "note": row.note or "",
            "department": str(row.department_id or ""),
            "value": row.text if row.text is not None else ("" if row.number is None else f"{row.number:g}"),
            "photos": photo_counts.get(row.id, 0),
        }
        for (cp_id, item_id), row in answers.items()
    }
    item_counts = {
        kind: sum(len(section.items) for section in kind_sections) for kind, kind_sections in sections.items()
    }
    return render(
        "patrol/run.html",
        run_key=run_key,
        occurrence=occurrence,
        checklist=template,
        version=version,
        checkpoints=checkpoints,
        sections=sections,
        patrol=patrol,
        answers_json=answers_json,
        item_counts=item_counts,
        scanned=scanned,
        departments=departments,
        department_by_kind={d.kind: d.id for d in departments},
        officer=officer,
        officer_token=token,
        reasons=[r for r in PatrolReason if r != PatrolReason.SCHEDULED],
        min_scan_seconds=walk.MIN_SECONDS_BETWEEN_SCANS,
    )


@bp.get("/run/<int:occurrence_id>")
@device(DeviceKind.TABLET)
def run(occurrence_id: int):
    occurrence = get_in_site_or_404(Occurrence, occurrence_id)
    return _run_page(f"occurrence-{occurrence.id}", occurrence=occurrence)


@bp.get("/adhoc/<int:template_id>")
@device(DeviceKind.TABLET)
def adhoc(template_id: int):
    template = get_in_site_or_404(ChecklistTemplate, template_id)
    return _run_page(f"adhoc-{template.id}", template=template)


@bp.get("/patrols/<uuid>")
@device(DeviceKind.TABLET)
def summary(uuid: str):
    """What the server holds of a patrol made on this tablet."""
    patrol = db.session.scalar(sa.select(Patrol).where(Patrol.uuid == uuid, Patrol.device_id == g.device.id))
    if patrol is None:
        from flask import abort

        abort(404)
    return render("patrol/summary.html", patrol=patrol, summary=walk.summary(patrol), officer=current_officer())
