"""The department's tablet pages (/patrol/work/): department staff signed in on an
enrolled tablet see their department's open work orders and the complaints handed to it,
and open one to note progress, complete it on site, sign for a complaint form or mark it
rectified (writes: work_writes.py; rules: kiosk/cases/order_work.py, C5, C10)."""

import sqlalchemy as sa
from flask import abort, current_app, g, redirect, request, url_for

from kiosk import audit, paging
from kiosk.access import device, get_in_site_or_404
from kiosk.blueprints.offline.http import PRECACHE_HEADER
from kiosk.blueprints.patrol import bp
from kiosk.blueprints.patrol.routes import tablet_user
from kiosk.cases import order_work
from kiosk.extensions import db
from kiosk.htmx import render
from kiosk.models import DeviceKind
from kiosk.models.case_complaints import Complaint
from kiosk.models.case_orders import ProgressKind, WorkOrder
from kiosk.models.cases import CaseEvent
from kiosk.names import mask_phone
from kiosk.paging import BadCursor
from kiosk.timeutil import utcnow

SHOWS = ("orders", "complaints")
PAGE_SIZE = 20  # finger-sized rows: a page fits a tablet screen or two
KEPT_RECORDS = 20  # record pages of each list kept for use without a connection


def worker():
    """The department staff signed in on this tablet, or None (the view sends them to sign in)."""
    user = tablet_user()
    return user if order_work.is_worker(user) else None


def _keep(user) -> dict:
    """The pages kept on the tablet for offline use (sw-keep.js, as the patrol list does):
    both lists and the record pages of each list's first page, in every language."""
    languages = current_app.config["LANGUAGES"]
    order_ids = db.session.scalars(
        order_work.open_orders(user)
        .with_only_columns(WorkOrder.id)
        .order_by(WorkOrder.created_at.desc(), WorkOrder.id.desc())
        .limit(KEPT_RECORDS)
    ).all()
    case_ids = db.session.scalars(
        order_work.open_complaints(user)
        .with_only_columns(Complaint.id)
        .order_by(Complaint.received_at.desc(), Complaint.id.desc())
        .limit(KEPT_RECORDS)
    ).all()
    endpoints = [("patrol.work", {}), ("patrol.work", {"show": "complaints"})]
    endpoints += [("patrol.work_order", {"order_id": i}) for i in order_ids]
    endpoints += [("patrol.work_complaint", {"case_id": i}) for i in case_ids]
    pages = [url_for(e, lang=lang, **args) for e, args in endpoints for lang in languages]
    return {"owner": f"{g.device.id}:{user.id}", "pages": pages}


def _token(user) -> str:
    return order_work.worker_token(current_app.config["SECRET_KEY"], user, g.device)


@bp.get("/work/")
@device(DeviceKind.TABLET)
def work():
    user = worker()
    if user is None:
        return redirect(url_for("patrol.index"), 303)
    show = request.args.get("show") if request.args.get("show") in SHOWS else "orders"
    if show == "orders":
        query, at, ident = order_work.open_orders(user), WorkOrder.created_at, WorkOrder.id
    else:
        query, at, ident = order_work.open_complaints(user), Complaint.received_at, Complaint.id
    try:
        page = paging.keyset(query, at, ident, cursor=request.args.get("cursor"), size=PAGE_SIZE)
    except BadCursor:
        return redirect(url_for("patrol.work", show=show), 303)
    now = utcnow()
    return render(
        "patrol/work/index.html",
        block="rows",
        officer=user,
        show=show,
        page=page,
        now=now,
        flags=order_work.order_flags,
        complaint_late=order_work.complaint_late,
        mask_phone=mask_phone,
        keep=_keep(user),
    )


def _own(record):
    """A record of the worker's department on this site (404 otherwise, as on the console)."""
    user = worker()
    if user is None:
        return None
    if record.department_id != user.department_id:
        abort(404)
    return user


def _viewed(user, action: str, record) -> None:
    # The service worker keeping the page for offline use is not a person looking at it.
    if request.headers.get(PRECACHE_HEADER) != "1":
        audit.record(user, action, record)
        db.session.commit()


def _events(column, ident: int) -> list[CaseEvent]:
    return list(db.session.scalars(sa.select(CaseEvent).where(column == ident).order_by(CaseEvent.id.desc()).limit(20)))


def _opened(model, ident: int, action: str):
    """The record of this site and the department staff signed in here who may work it (its
    look audited), or None for the user: the view sends them to sign in."""
    record = get_in_site_or_404(model, ident)
    user = _own(record)
    if user is not None:
        _viewed(user, action, record)
    return record, user


@bp.get("/work/orders/<int:order_id>")
@device(DeviceKind.TABLET)
def work_order(order_id: int):
    order, user = _opened(WorkOrder, order_id, "work_order.viewed")
    if user is None:
        return redirect(url_for("patrol.index"), 303)
    now = utcnow()
    return render(
        "patrol/work/order.html",
        officer=user,
        order=order,
        now=now,
        flags=order_work.order_flags(order, now),
        progress=order_work.progress_of([order.id])[order.id],
        photo_count=len(order_work.photos_of(order)),
        kinds=list(ProgressKind),
        max_photos=order_work.MAX_PHOTOS,
        mask_phone=mask_phone,
        worker_token=_token(user),
    )


@bp.get("/work/complaints/<int:case_id>")
@device(DeviceKind.TABLET)
def work_complaint(case_id: int):
    case, user = _opened(Complaint, case_id, "complaint.viewed")
    if user is None:
        return redirect(url_for("patrol.index"), 303)
    now = utcnow()
    return render(
        "patrol/work/complaint.html",
        officer=user,
        case=case,
        now=now,
        late=order_work.complaint_late(case, now),
        events=_events(CaseEvent.complaint_id, case.id),
        mask_phone=mask_phone,
        worker_token=_token(user),
    )
