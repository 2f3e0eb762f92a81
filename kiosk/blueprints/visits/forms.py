from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)

from kiosk.models import Purpose, VisitStatus
from kiosk.timeutil import plausible_day
from kiosk.visits.labels import PURPOSE_LABELS, STATUS_LABELS
from kiosk.visits.log import LogQuery, phone_digits

LENGTH = _l("At most %(max)d characters.")


class _ParseMessage:
    """A field whose unreadable input gets our own message in the user's language."""

    parse_message = None

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(str(self.parse_message)) from exc


class DayField(_ParseMessage, DateField):
    """A day; a year such as 1 or 9999 is not one (it has no instant in every zone)."""

    parse_message = _l("Please enter a date such as 2026-03-01.")

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if not plausible_day(self.data):
            self.data = None
            raise ValueError(str(self.parse_message))


class ClockField(_ParseMessage, TimeField):
    parse_message = _l("Please enter a time such as 23:00.")


class WholeNumberField(_ParseMessage, IntegerField):
    parse_message = _l("Please enter a whole number.")


def _readable(form, field):
    """Stop at the field's own "cannot read this" message instead of piling on others."""
    if field.process_errors:
        raise StopValidation()


def _to_after_from(form, field):
    if field.data and form.date_from.data and field.data < form.date_from.data:
        raise ValidationError(_l("The end date is before the start date."))


class SearchForm(FlaskForm):
    """The log's search (GET; no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    date_from = DayField(_l("From"), validators=[Optional()])
    date_to = DayField(_l("To"), validators=[Optional(), _to_after_from])
    name = StringField(
        _l("Name or pinyin"),
        validators=[Optional(), Length(max=50, message=LENGTH)],
        render_kw={"placeholder": _l("e.g. 张三, zs or zhang"), "autocomplete": "off"},
    )
    phone = StringField(
        _l("Phone"),
        validators=[Optional(), Length(max=32, message=LENGTH)],
        render_kw={"placeholder": _l("full number or last 4 digits"), "inputmode": "tel", "autocomplete": "off"},
    )
    plate = StringField(
        _l("Vehicle plate"), validators=[Optional(), Length(max=12, message=LENGTH)], render_kw={"autocomplete": "off"}
    )
    room = StringField(
        _l("Room"),
        validators=[Optional(), Length(max=30, message=LENGTH)],
        render_kw={"placeholder": _l("e.g. 1-1-0101 or 0101"), "autocomplete": "off"},
    )
    purpose = SelectField(
        _l("Purpose"),
        choices=[("", _l("Any purpose"))] + [(p.value, PURPOSE_LABELS[p]) for p in Purpose],
        validate_choice=False,
    )
    status = SelectField(
        _l("Status"),
        choices=[("", _l("Any status"))] + [(s.value, STATUS_LABELS[s]) for s in VisitStatus],
        validate_choice=False,
    )

    def validate_phone(self, field):
        digits = phone_digits(field.data or "")
        if field.data and field.data.strip() and len(digits) != 4 and len(digits) < 7:
            raise ValidationError(_l("Enter the full number or its last 4 digits."))

    def query(self) -> LogQuery:
        return LogQuery(
            date_from=self.date_from.data,
            date_to=self.date_to.data,
            name=(self.name.data or "").strip(),
            phone=(self.phone.data or "").strip(),
            plate=(self.plate.data or "").strip(),
            room=(self.room.data or "").strip(),
            purpose=Purpose(self.purpose.data) if self.purpose.data in set(Purpose) else None,
            status=VisitStatus(self.status.data) if self.status.data in set(VisitStatus) else None,
        )


class CorrectionForm(FlaskForm):
    """V1: one field's corrected value and the reason; a new row, never an edit."""

    field = HiddenField()
    value = StringField(_l("Corrected value"), validators=[Length(max=200, message=LENGTH)])
    reason = StringField(
        _l("Reason for the correction"),
        validators=[DataRequired(_l("Please give the reason for the correction.")), Length(max=200, message=LENGTH)],
        description=_l('Why the record was wrong, e.g. "visitor spelled the name at the desk".'),
    )


class ExportForm(FlaskForm):
    date_from = DayField(_l("From"), validators=[InputRequired(_l("Please choose the first day.")), _readable])
    date_to = DayField(
        _l("To"), validators=[InputRequired(_l("Please choose the last day.")), _readable, _to_after_from]
    )
    format = SelectField(_l("Format"), choices=[("xlsx", "Excel (XLSX)"), ("csv", "CSV")])


class SettingsForm(FlaskForm):
    ask_id_number = BooleanField(
        _l("Ask visitors for their ID card number"), description=_l("Stored masked only (110105********1234).")
    )
    idle_seconds = WholeNumberField(
        _l("Kiosk idle reset (seconds)"),
        validators=[
            InputRequired(_l("Please enter a number of seconds.")),
            _readable,
            NumberRange(min=15, max=600, message=_l("Between %(min)s and %(max)s seconds.")),
        ],
    )
    retention_days = WholeNumberField(
        _l("Keep visitors' personal data (days)"),
        validators=[
            InputRequired(_l("Please enter a number of days.")),
            _readable,
            NumberRange(min=1, max=1095, message=_l("Between %(min)s and %(max)s days.")),
        ],
        description=_l("Afterwards names, phones, plates and ID numbers are removed; counts stay."),
    )
    closing_time = ClockField(
        _l("Closing time"),
        validators=[InputRequired(_l("Please enter the closing time.")), _readable],
        description=_l("Visitors still on site then are checked out automatically."),
    )
    notice_zh = TextAreaField(_l("Lobby notice (Chinese)"), validators=[Optional(), Length(max=500, message=LENGTH)])
    notice_en = TextAreaField(_l("Lobby notice (English)"), validators=[Optional(), Length(max=500, message=LENGTH)])
