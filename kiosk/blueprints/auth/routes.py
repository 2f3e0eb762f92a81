"""Sign in and sign out."""
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from kiosk import accounts, audit
from kiosk.access import home_url_for, public
from kiosk.blueprints.auth import bp
from kiosk.blueprints.auth.forms import LoginForm
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


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(home_url_for(current_user.role))
    form = LoginForm()
    if not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render_template("auth/login.html", form=form), status
    config = current_app.config
    result = accounts.sign_in(
        form.username.data,
        form.password.data,
        now=utcnow(),
        remote_addr=request.remote_addr,
        max_failures=config["LOGIN_MAX_FAILURES"],
        window=timedelta(minutes=config["LOGIN_FAILURE_WINDOW_MINUTES"]),
    )
    if result.locked_minutes:
        form.username.errors.append(
            _("Too many failed sign-ins for this account. Try again in %(minutes)s minutes, or ask a supervisor.",
              minutes=result.locked_minutes)
        )
        return render_template("auth/login.html", form=form), 422
    if not result.ok:
        form.password.errors.append(_("Incorrect username or password."))
        return render_template("auth/login.html", form=form), 422
    session.clear()  # a fresh session: nothing of a kiosk or another user carries over
    login_user(result.user)
    session["seen"] = utcnow().timestamp()
    return redirect(safe_next(request.args.get("next")) or home_url_for(result.user.role), 303)


@bp.post("/logout")
@public
def logout():
    if current_user.is_authenticated:
        audit.record(current_user._get_current_object(), "auth.sign_out")
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"), 303)
