"""Sign in and sign out."""

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from kiosk import accounts, onboarding
from kiosk.access import home_url_for, public, start_session
from kiosk.blueprints.auth import bp
from kiosk.blueprints.auth.forms import LoginForm, SetPasswordForm
from kiosk.extensions import db
from kiosk.timeutil import utcnow


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: no scheme, no host, no protocol-relative '//'."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


def lockout_message(result: accounts.SignIn) -> str:
    if result.locked_scope == "address":
        return _(
            "Too many failed sign-ins from this device. Try again in %(minutes)s minutes, or ask a supervisor.",
            minutes=result.locked_minutes,
        )
    return _(
        "Too many failed sign-ins for this account. Try again in %(minutes)s minutes, or ask a supervisor.",
        minutes=result.locked_minutes,
    )


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(home_url_for(current_user))
    form = LoginForm()
    if not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render_template("auth/login.html", form=form), status
    result = accounts.sign_in(
        form.username.data,
        form.password.data,
        now=utcnow(),
        remote_addr=request.remote_addr,
        throttle=accounts.Throttle.from_config(current_app.config),
    )
    if result.locked_minutes:
        form.username.errors.append(lockout_message(result))
        return render_template("auth/login.html", form=form), 422
    if not result.ok:
        form.password.errors.append(_("Incorrect username or password."))
        return render_template("auth/login.html", form=form), 422
    session.clear()  # a fresh session: nothing of a kiosk or another user carries over
    login_user(result.user)
    start_session(result.user)
    return redirect(safe_next(request.args.get("next")) or home_url_for(result.user), 303)


@bp.post("/logout")
@public
def logout():
    if current_user.is_authenticated:
        accounts.sign_out(current_user._get_current_object())
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"), 303)


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@public
def set_password(token: str):
    """The one-time link: the owner of the account sets its password (kiosk/onboarding.py)."""
    now = utcnow()
    user = onboarding.holder_of(token, now)
    if user is None:
        return render_template("auth/link_invalid.html"), 404
    form = SetPasswordForm()
    if not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render_template("auth/set_password.html", form=form, user=user), status
    onboarding.set_password_by_link(token, form.new.data, now=now)
    db.session.commit()
    logout_user()
    session.clear()  # whoever was signed in in this browser: the owner signs in afresh
    flash(_("Your password is set. Please sign in with it."), "info")
    return redirect(url_for("auth.login"), 303)
