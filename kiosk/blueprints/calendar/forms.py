from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange

from kiosk.calendar.schedule import MAX_NAME, MAX_TEXT
from kiosk.models.calendar import DayKind


def kind_choices():
    return [(DayKind.HOLIDAY.value, _l("Holiday")), (DayKind.WORKDAY.value, _l("Make-up workday"))]


class ImportForm(FlaskForm):
    year = IntegerField(
        _l("Year"),
        validators=[
            DataRequired(_l("Please give the year.")),
            NumberRange(min=2000, max=2100, message=_l("A year between %(min)s and %(max)s.")),
        ],
    )
    text = TextAreaField(
        _l("The year's schedule"),
        render_kw={"rows": 12},
        description=_l(
            "One line per date or range: date, holiday or workday, name. "
            "For example: 2027-02-06~2027-02-12, holiday, Spring Festival"
        ),
        validators=[
            DataRequired(_l("Please paste the year's schedule.")),
            Length(max=MAX_TEXT, message=_l("At most %(max)d characters.")),
        ],
    )


class DayForm(FlaskForm):
    day = DateField(_l("Date"), validators=[DataRequired(_l("Please give a valid date."))])
    kind = SelectField(_l("Kind"), choices=kind_choices())
    name = StringField(
        _l("Name"),
        validators=[
            DataRequired(_l('Please name the holiday, e.g. "Spring Festival".')),
            Length(max=MAX_NAME, message=_l("At most %(max)d characters.")),
        ],
    )


class ConfirmForm(FlaskForm):
    """A one-button form: the CSRF token is its only field."""
