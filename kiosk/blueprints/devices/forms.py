from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from kiosk.models import DeviceKind


class DeviceForm(FlaskForm):
    name = StringField(
        _l("Device name"),
        validators=[
            DataRequired(_l('Please name the device, e.g. "Lobby kiosk 1".')),
            Length(max=60, message=_l("At most %(max)d characters.")),
        ],
    )
    kind = SelectField(
        _l("Kind"),
        choices=[(DeviceKind.KIOSK.value, _l("Lobby kiosk")), (DeviceKind.TABLET.value, _l("Patrol tablet"))],
    )


class ConfirmForm(FlaskForm):
    """A one-button form: the CSRF token is its only field."""
