"""New accounts: a manager's approval, one-time set-password links (kiosk/onboarding.py)."""

from flask import abort, current_app, flash, redirect, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kiosk import onboarding
from kiosk.access import current_site_id, get_in_site_or_404, staff
from kiosk.blueprints.accounts import bp
from kiosk.blueprints.accounts.forms import ConfirmForm
from kiosk.extensions import db
from kiosk.htmx import render
from kiosk.models import Role, User
from kiosk.timeutil import utcnow

MANAGE = (Role.ADMIN, Role.MANAGER)
LINK_SESSION = "password_link"  # the link waits here for the one page that shows it


def show_link_once(user: User, token: str):
    """After the write: the link is shown on the next page only, then forgotten."""
    session[LINK_SESSION] = {"user": user.id, "token": token}
    return redirect(url_for("accounts.link", user_id=user.id), 303)


def _hours() -> int:
    return current_app.config["PASSWORD_LINK_HOURS"]


def _me() -> User:
    return current_user._get_current_object()


@bp.get("/<int:user_id>/link")
@staff(*MANAGE)
def link(user_id: int):
    user = get_in_site_or_404(User, user_id)
    held = session.pop(LINK_SESSION, None)
    url = None
    if held and held.get("user") == user.id:
        url = url_for("auth.set_password", token=held["token"], _external=True)
    return render(
        "accounts/link.html",
        user=user,
        url=url,
        hours=_hours(),
        confirm=ConfirmForm(),
        may_issue=onboarding.may_issue_link(_me(), user),
    )


@bp.post("/<int:user_id>/link")
@staff(*MANAGE)
def issue_link(user_id: int):
    user = get_in_site_or_404(User, user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        token = onboarding.issue_link(user, actor=_me(), now=utcnow(), hours=_hours())
    except onboarding.NotAllowed:
        # A manager hands over links for business accounts, the administrator for
        # administrator accounts only (kiosk/onboarding.py): said, nothing changed.
        flash(_("You may not issue a set-password link for this account. A manager of the site can."), "error")
        return redirect(url_for("accounts.index"), 303)
    db.session.commit()
    return show_link_once(user, token)


@bp.get("/approvals")
@staff(Role.MANAGER)
def approvals():
    return render("accounts/approvals.html", users=onboarding.awaiting(current_site_id()), confirm=ConfirmForm())


def _decide(user_id: int):
    user = get_in_site_or_404(User, user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not user.awaiting_approval:  # decided already (a double submit, another manager)
        flash(_("This account was decided already."), "info")
        return user, redirect(url_for("accounts.approvals"), 303)
    return user, None


@bp.post("/<int:user_id>/approve")
@staff(Role.MANAGER)
def approve(user_id: int):
    user, done = _decide(user_id)
    if done:
        return done
    token = onboarding.approve(user, actor=_me(), now=utcnow(), hours=_hours())
    db.session.commit()
    flash(_("Account %(username)s was approved.", username=user.username), "info")
    return show_link_once(user, token)


@bp.post("/<int:user_id>/refuse")
@staff(Role.MANAGER)
def refuse(user_id: int):
    user, done = _decide(user_id)
    if done:
        return done
    onboarding.refuse(user, actor=_me())
    db.session.commit()
    flash(_("Account %(username)s was refused; it stays closed.", username=user.username), "info")
    return redirect(url_for("accounts.approvals"), 303)
