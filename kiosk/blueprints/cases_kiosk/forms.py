from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Regexp

LONG = _l("At most %(max)d characters.")
# The phone number's rule, also the input's `pattern` so that the step catches it before
# the report is sent (offline too); written for both Python and the browser's `v` flag.
PHONE_PATTERN = r"\+?[0-9 \-]{7,20}"


class ReportForm(FlaskForm):
    """Device writes are authenticated by the device credential, not the session (access.device)."""

    class Meta:
        csrf = False

    idempotency_key = HiddenField()
    kind = RadioField(
        _l("What would you like to report?"),
        default="repair",
        choices=[("repair", _l("A repair in my home")), ("issue", _l("A problem in the estate"))],
    )
    room = StringField(
        _l("Room number"),
        description=_l("For example 1-1-0201 (building-unit-room)"),
        validators=[DataRequired(_l("Please enter the room number.")), Length(max=20, message=LONG)],
    )
    phone = StringField(
        _l("Your phone number"),
        validators=[
            DataRequired(_l("Please enter a phone number we can call back.")),
            Regexp(rf"^(?:{PHONE_PATTERN})$", message=_l("Please enter a phone number we can call back.")),
        ],
    )
    content = TextAreaField(
        _l("What is wrong?"),
        validators=[DataRequired(_l("Please describe the repair or the problem.")), Length(max=1000, message=LONG)],
    )
    photo = FileField(
        _l("A photo (optional)"),
        description=_l("It helps the technician see what is wrong. It is made smaller on the kiosk before it is sent."),
    )
