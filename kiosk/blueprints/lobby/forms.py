"""Staff forms of the lobby. Field rules live in kiosk.visits / kiosk.visits.rules; these
classes carry the CSRF token and keep what was typed on a 422."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, StopValidation

from kiosk.timeutil import plausible_day
from kiosk.visits.labels import PURPOSE_LABELS
from kiosk.visits.rules import PHONE_COUNTRIES

LENGTH = _l("At most %(max)d characters.")


def _plausible_day(form, field):
    if not plausible_day(field.data):
        raise StopValidation(_l("Please enter a date such as 2026-03-01."))


def _purpose_choices():
    return [(purpose.value, label) for purpose, label in PURPOSE_LABELS.items()]


class _VisitorFields(FlaskForm):
    room_number = StringField(
        _l("Room"), render_kw={"list": "room-labels", "autocomplete": "off", "placeholder": _l("e.g. 1-1-1203")}
    )
    centre = BooleanField(_l("Visiting the property service centre"))
    name = StringField(_l("Visitor's name"), render_kw={"autocomplete": "off"})
    phone_country = SelectField(_l("Country code"), choices=[(c, c) for c in PHONE_COUNTRIES], default="+86")
    phone = StringField(_l("Mobile number"), render_kw={"inputmode": "tel", "autocomplete": "off"})
    party_size = StringField(_l("Party size"), default="1", render_kw={"inputmode": "numeric"})
    purpose = SelectField(_l("Purpose"), choices=_purpose_choices, default="visit")
    plate = StringField(_l("Vehicle plate"), render_kw={"autocomplete": "off"})

    def registration_data(self) -> dict:
        """The mapping kiosk.visits.check reads (the kiosk form's field names)."""
        return {
            "room": "centre" if self.centre.data else "",
            "room_number": self.room_number.data,
            "name": self.name.data,
            "phone_country": self.phone_country.data,
            "phone": self.phone.data,
            "party_size": self.party_size.data,
            "purpose": self.purpose.data,
            "plate": self.plate.data,
            "id_number": getattr(self, "id_number", None) and self.id_number.data,
        }


class DeskVisitForm(_VisitorFields):
    """A visitor registered by staff at the desk: the kiosk's rules, CSRF, one key."""

    id_number = StringField(_l("ID card number"), render_kw={"autocomplete": "off"})
    idempotency_key = HiddenField()


class ExpectedForm(_VisitorFields):
    day = DateField(_l("Day"), validators=[DataRequired(_l("Please give the day.")), _plausible_day])
    note = StringField(_l("Note for the desk"), validators=[Optional(), Length(max=200, message=LENGTH)])


class WatchForm(FlaskForm):
    name = StringField(_l("Name"), validators=[Optional(), Length(max=50, message=LENGTH)])
    aliases = TextAreaField(
        _l("Other names (comma or one per line)"), validators=[Optional(), Length(max=300, message=LENGTH)]
    )
    phone_country = SelectField(_l("Country code"), choices=[(c, c) for c in PHONE_COUNTRIES], default="+86")
    phone = StringField(_l("Phone"), validators=[Optional()])
    id_number = StringField(
        _l("ID card number"),
        validators=[Optional()],
        description=_l("Only a keyed fingerprint and a masked form are kept."),
    )
    reason = StringField(
        _l("Reason"), validators=[DataRequired(_l("Please give a reason.")), Length(max=200, message=LENGTH)]
    )


class ReasonForm(FlaskForm):
    reason = StringField(
        _l("Reason"), validators=[DataRequired(_l("Please give a reason.")), Length(max=200, message=LENGTH)]
    )
