"""Staff accounts (administrator, manager) and one's own preferences (everyone)."""

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kiosk import accounts, onboarding
from kiosk.access import current_site_id, get_in_site_or_404, staff, start_session
from kiosk.blueprints.accounts import bp
from kiosk.blueprints.accounts.forms import ConfirmForm, PasswordForm, PreferencesForm, UserForm
from kiosk.blueprints.accounts.onboarding_routes import show_link_once
from kiosk.extensions import db
from kiosk.htmx import render
from kiosk.models import Department, Role, User
from kiosk.templating import DEPARTMENT_LABELS
from kiosk.timeutil import utcnow

MANAGE = (Role.ADMIN, Role.MANAGER)


def _user_form(form=None) -> UserForm:
    form = form or UserForm()
    departments = db.session.scalars(
        sa.select(Department).where(Department.site_id == current_site_id()).order_by(Department.id)
    )
    form.department_id.choices = [(0, "—")] + [(d.id, DEPARTMENT_LABELS[d.kind]) for d in departments]
    return form


def _index(form, status=200):
    me = current_user._get_current_object()
    return render(
        "accounts/index.html",
        users=accounts.site_staff(current_site_id()),
        form=form,
        confirm=ConfirmForm(),
        status=status,
        may_issue_link=lambda user: onboarding.may_issue_link(me, user),
    )


@bp.get("/")
@staff(*MANAGE)
def index():
    return _index(_user_form())


@bp.post("/")
@staff(*MANAGE)
def create():
    form = _user_form()
    if form.validate_on_submit():
        username = form.username.data.strip().lower()
        if db.session.scalar(sa.select(User.id).where(User.username == username)):
            form.username.errors.append(_("This username is taken."))
        else:
            department = form.department_id.data or None
            if department is not None:
                get_in_site_or_404(Department, department)
            opened = onboarding.open_account(
                current_user.site,
                username,
                form.display_name.data.strip(),
                Role(form.role.data),
                actor=current_user._get_current_object(),
                now=utcnow(),
                hours=current_app.config["PASSWORD_LINK_HOURS"],
                phone=form.phone.data or None,
                department_id=department,
            )
            db.session.commit()
            if opened.link_token is None:
                flash(
                    _(
                        "Account %(username)s was created. It can be used once a manager approves it.",
                        username=username,
                    ),
                    "info",
                )
                return redirect(url_for("accounts.index"), 303)
            flash(_("Account %(username)s was created.", username=username), "info")
            return show_link_once(opened.user, opened.link_token)
    return _index(form, status=422)


@bp.post("/<int:user_id>/active")
@staff(*MANAGE)
def toggle_active(user_id: int):
    user = get_in_site_or_404(User, user_id)
    if not ConfirmForm().validate_on_submit() or user.id == current_user.id:
        abort(400)
    accounts.set_active(user, not user.active, actor=current_user._get_current_object())
    return redirect(url_for("accounts.index"), 303)


@bp.get("/me")
@staff()
def me():
    return render(
        "accounts/me.html",
        preferences=PreferencesForm(locale=current_user.locale or "zh_Hans_CN"),
        password=PasswordForm(),
    )


@bp.post("/me/preferences")
@staff()
def save_preferences():
    form = PreferencesForm()
    if not form.validate_on_submit():
        return render("accounts/me.html", preferences=form, password=PasswordForm(), status=422)
    current_user.locale = form.locale.data
    db.session.commit()
    response = redirect(url_for("accounts.me"), 303)
    response.delete_cookie("lang")  # the saved preference applies from now on
    return response


@bp.post("/me/password")
@staff()
def change_password():
    form = PasswordForm()
    if form.validate_on_submit():
        me = current_user._get_current_object()
        if accounts.change_password(me, form.current.data, form.new.data):
            start_session(me)  # this session goes on; every other one has ended
            flash(_("Your password was changed."), "info")
            return redirect(url_for("accounts.me"), 303)
        form.current.errors.append(_("The current password is not right."))
    return render(
        "accounts/me.html",
        preferences=PreferencesForm(locale=current_user.locale or "zh_Hans_CN"),
        password=form,
        status=422,
    )
