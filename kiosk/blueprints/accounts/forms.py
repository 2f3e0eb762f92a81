from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp

from kiosk.models import Role
from kiosk.templating import ROLE_LABELS

LENGTH = _l("At most %(max)d characters.")
PASSWORD_RULE = Length(min=10, max=200, message=_l("A password needs at least %(min)d characters."))


class PreferencesForm(FlaskForm):
    locale = SelectField(_l("Language"), choices=[("zh_Hans_CN", "中文"), ("en", "English")])


class PasswordForm(FlaskForm):
    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Please enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )
    new = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Please enter a new password.")), PASSWORD_RULE],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[EqualTo("new", message=_l("The two new passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


class UserForm(FlaskForm):
    username = StringField(
        _l("Username"),
        validators=[
            DataRequired(_l("Please enter a username.")),
            Length(max=40, message=LENGTH),
            Regexp(r"^[A-Za-z0-9._-]+$", message=_l("Use letters, digits, dots, dashes or underscores.")),
        ],
    )
    display_name = StringField(
        _l("Display name"), validators=[DataRequired(_l("Please enter a name.")), Length(max=50, message=LENGTH)]
    )
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=32, message=LENGTH)])
    role = SelectField(_l("Role"), choices=[(role.value, ROLE_LABELS[role]) for role in Role])
    department_id = SelectField(_l("Department"), coerce=int, choices=[])


class ConfirmForm(FlaskForm):
    """A one-button form: the CSRF token is its only field."""
