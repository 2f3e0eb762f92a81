"""Enrolling, listing and revoking kiosks and tablets."""

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from kiosk import paging, qr
from kiosk.access import DEVICE_COOKIE, SUPERVISORS, current_site_id, get_in_site_or_404, public, staff
from kiosk.blueprints.devices import bp
from kiosk.blueprints.devices.forms import ConfirmForm, DeviceForm
from kiosk.extensions import db
from kiosk.htmx import render
from kiosk.models import Device, DeviceKind, Role
from kiosk.offline import devices, outbox
from kiosk.timeutil import utcnow

MANAGE = (*SUPERVISORS, Role.ADMIN)
PAGE_SIZE = 50
CREDENTIAL_MAX_AGE = 5 * 365 * 24 * 3600
# Where an enrolled device goes next, by kind; the kiosk and patrol faces set these.
START_ENDPOINTS: dict[DeviceKind, str] = {}


@bp.get("/")
@staff(*MANAGE)
def index():
    return _index()


@bp.get("/live")
@staff(*MANAGE, passive=True)
def index_live():
    """The list's polled refresh (every 30 s): a poll does not keep an idle session alive (S1)."""
    return _index()


def _index(form: DeviceForm | None = None, status: int = 200):
    """A page of the site's devices, newest first (keyset); the poll refreshes the page shown."""
    cursor = request.args.get("cursor") or None
    try:
        page = paging.keyset(
            sa.select(Device).where(Device.site_id == current_site_id()),
            Device.created_at,
            Device.id,
            cursor=cursor,
            size=PAGE_SIZE,
        )
    except paging.BadCursor:
        abort(404)
    now = utcnow()
    return render(
        "devices/index.html",
        block="device_list",
        devices=page.items,
        page=page,
        cursor=cursor,
        form=form or DeviceForm(),
        confirm=ConfirmForm(),
        now=now,
        states=outbox.device_states(page.items, now=now),
        status=status,
    )


@bp.post("/")
@staff(*MANAGE)
def create():
    form = DeviceForm()
    if not form.validate_on_submit():
        return _index(form, 422)
    device, token = devices.create_enrollment(
        current_user.site,
        DeviceKind(form.kind.data),
        form.name.data.strip(),
        now=utcnow(),
        actor=current_user._get_current_object(),
    )
    db.session.commit()
    session["enrollment_token"] = {"device": device.id, "token": token}
    return redirect(url_for("devices.enrollment", device_id=device.id), 303)


@bp.get("/<int:device_id>/enrollment")
@staff(*MANAGE)
def enrollment(device_id: int):
    """The one-time link, shown once right after it is made."""
    device = get_in_site_or_404(Device, device_id)
    held = session.pop("enrollment_token", None)
    token = held["token"] if held and held.get("device") == device.id else None
    path = url_for("devices.enroll", token=token) if token else None
    qr_svg = None
    if path:
        url = url_for("devices.enroll", token=token, _external=True)
        qr_svg = qr.svg(url, scale=5, omitsize=False)
    return render_template("devices/enrollment.html", device=device, path=path, qr_svg=qr_svg)


@bp.post("/<int:device_id>/revoke")
@staff(*MANAGE)
def revoke(device_id: int):
    device = get_in_site_or_404(Device, device_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if device.revoked_at is None:
        devices.revoke(device, now=utcnow(), actor=current_user._get_current_object())
        db.session.commit()
        flash(_('Device "%(name)s" was revoked; it can no longer submit anything.', name=device.name), "info")
    return redirect(url_for("devices.index"), 303)


@bp.get("/enroll/<token>")
@public
def enroll(token: str):
    return render_template("devices/enroll.html", form=ConfirmForm(), token=token)


@bp.post("/enroll/<token>")
@public
def enroll_confirm(token: str):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    result = devices.enroll(token, now=utcnow())
    if result is None:
        db.session.rollback()
        return render_template("devices/enroll.html", form=ConfirmForm(), token=token, invalid=True), 410
    device, credential = result
    db.session.commit()
    # A console left signed in on this browser must never face the public.
    logout_user()
    session.clear()
    endpoint = START_ENDPOINTS.get(device.kind, "devices.enrolled")
    response = redirect(url_for(endpoint), 303)
    response.set_cookie(
        DEVICE_COOKIE,
        credential,
        max_age=CREDENTIAL_MAX_AGE,
        httponly=True,
        samesite="Strict",
        secure=current_app.config["HTTPS"],
        path="/",
    )
    return response


@bp.get("/enrolled")
@public
def enrolled():
    device = devices.authenticate(_cookie())
    return render_template("devices/enrolled.html", device=device)


def _cookie():
    from flask import request

    return request.cookies.get(DEVICE_COOKIE)
