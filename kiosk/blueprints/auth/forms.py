from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from kiosk.blueprints.accounts.forms import PASSWORD_RULE


class LoginForm(FlaskForm):
    username = StringField(
        _l("Username"),
        validators=[
            DataRequired(_l("Please enter your username.")),
            Length(max=40, message=_l("At most %(max)d characters.")),
        ],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "autofocus": True},
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(_l("Please enter your password.")),
            Length(max=200, message=_l("At most %(max)d characters.")),
        ],
        render_kw={"autocomplete": "current-password"},
    )


class SetPasswordForm(FlaskForm):
    """The owner of a new account (or of a forgotten password) sets it through a one-time link."""

    new = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Please enter a new password.")), PASSWORD_RULE],
        render_kw={"autocomplete": "new-password", "autofocus": True},
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[EqualTo("new", message=_l("The two new passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )
