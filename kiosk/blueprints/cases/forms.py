from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    DecimalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from kiosk.cases.labels import (
    CATEGORIES,
    CHANNELS,
    CLASSES,
    COMPLAINT_CATEGORIES,
    CONFIRMATIONS,
    GRADES,
    IMPORTANCE,
    SATISFACTION,
)

LONG = _l("At most %(max)d characters.")


def _choices(labels):
    return [(key.value, label) for key, label in labels.items()]


class IntakeForm(FlaskForm):
    """C1: the receptionist's form, in the order a call goes."""

    channel = RadioField(_l("Channel"), choices=_choices(CHANNELS), default="phone")
    q = StringField(_l("Find the caller: room, name, initials or phone"), validators=[Optional(), Length(max=50)])
    household = IntegerField(validators=[Optional()])
    caller_name = StringField(
        _l("Caller's name (if not a registered household)"), validators=[Optional(), Length(max=50, message=LONG)]
    )
    caller_phone = StringField(_l("Caller's phone"), validators=[Optional(), Length(max=32, message=LONG)])
    content = TextAreaField(
        _l("What the caller says"),
        validators=[DataRequired(_l("Please write what the caller says.")), Length(max=2000, message=LONG)],
    )
    kind = RadioField(_l("Class"), choices=_choices(CLASSES), default="inquiry")
    category = SelectField(_l("Repair category"), choices=_choices(CATEGORIES), default="other")
    price_item = SelectField(_l("Paid-repair price list"), coerce=int, default=0, validators=[Optional()])
    appointment_at = DateTimeLocalField(_l("Appointment time"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    department = SelectField(_l("Department to verify"), coerce=int, validators=[Optional()])
    answer = TextAreaField(_l("Answer given"), validators=[Optional(), Length(max=2000, message=LONG)])
    reply_due_at = DateTimeLocalField(_l("Reply owed by"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    importance = SelectField(_l("Importance"), choices=_choices(IMPORTANCE), default="normal")
    read_back = BooleanField(_l("Read back to the caller and confirmed"))


class NoteForm(FlaskForm):
    version = HiddenField()
    note = TextAreaField(
        _l("Note"), validators=[DataRequired(_l("Please write what was done or why.")), Length(max=2000, message=LONG)]
    )


class DispatchForm(FlaskForm):
    version = HiddenField()
    department = SelectField(_l("Department"), coerce=int)


class OrderDispatchForm(DispatchForm):
    """A work order goes to a department and, if chosen, to one of its engineers (C10)."""

    engineer = SelectField(_l("Engineer (optional)"), coerce=int, default=0, validators=[Optional()])


class TermsForm(FlaskForm):
    """The work order's appointment and its item of the price list, or priced on site (C10)."""

    version = HiddenField()
    price_item = SelectField(_l("Paid-repair price list"), coerce=int, default=0, validators=[Optional()])
    appointment_at = DateTimeLocalField(_l("Appointment time"), format="%Y-%m-%dT%H:%M", validators=[Optional()])


class PriceItemForm(FlaskForm):
    """A line of the paid-repair price list (C10), kept by managers."""

    version = HiddenField()
    name = StringField(
        _l("Item"), validators=[DataRequired(_l("Please name the item.")), Length(max=100, message=LONG)]
    )
    category = SelectField(_l("Repair category"), choices=_choices(CATEGORIES), default="other")
    fee = DecimalField(
        _l("Fee (yuan)"),
        places=2,
        validators=[
            InputRequired(_l("Please give the fee in yuan, such as 35 or 12.50.")),
            NumberRange(min=0, max=100000, message=_l("The fee must be between 0 and 100,000 yuan.")),
        ],
    )
    unit = StringField(_l("Per (unit)"), validators=[Optional(), Length(max=20, message=LONG)])
    active = BooleanField(_l("On the list (untick to retire the item)"), default=True)


def _fee_field(label):
    return DecimalField(
        label,
        places=2,
        validators=[
            InputRequired(_l("Please give the fee in yuan, such as 35 or 12.50.")),
            NumberRange(min=0, max=100000, message=_l("The fee must be between 0 and 100,000 yuan.")),
        ],
    )


class ServiceForm(FlaskForm):
    """A paid special service agreed with the customer (C7)."""

    room = StringField(
        _l("Room"),
        description=_l("Room number such as 1-1-0201."),
        validators=[DataRequired(_l("Please give the room.")), Length(max=30, message=LONG)],
    )
    contact_name = StringField(
        _l("Contact (if not the household on file)"), validators=[Optional(), Length(max=50, message=LONG)]
    )
    contact_phone = StringField(_l("Contact phone"), validators=[Optional(), Length(max=32, message=LONG)])
    content = TextAreaField(
        _l("The service"),
        validators=[DataRequired(_l("Please describe the service.")), Length(max=2000, message=LONG)],
    )
    fee = _fee_field(_l("Agreed fee (yuan)"))
    appointment_at = DateTimeLocalField(_l("Appointment time"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    department = SelectField(_l("Department"), coerce=int, validators=[Optional()])


class NoticeForm(FlaskForm):
    version = HiddenField()
    fee = _fee_field(_l("Fee charged (yuan)"))


class PhoneCallbackForm(FlaskForm):
    """A callback by phone (C6, C7): satisfaction and who confirmed on the phone."""

    version = HiddenField()
    satisfaction = RadioField(_l("Satisfaction"), choices=_choices(SATISFACTION), default="satisfied")
    confirmed_by = StringField(
        _l("Confirmed by (name) on the phone"),
        validators=[DataRequired(_l("Please write who confirmed by phone.")), Length(max=50, message=LONG)],
    )
    note = TextAreaField(_l("Callback note"), validators=[Optional(), Length(max=2000, message=LONG)])


class SurveyOpinionForm(FlaskForm):
    """An opinion from a satisfaction survey, for a room (C6)."""

    survey = StringField(
        _l("Survey"),
        description=_l("Which survey, such as the 2026 fourth-quarter satisfaction survey."),
        validators=[DataRequired(_l("Please name the survey the opinion comes from.")), Length(max=100, message=LONG)],
    )
    room = StringField(
        _l("Room"),
        description=_l("Room number such as 1-1-0201."),
        validators=[DataRequired(_l("Please give the room.")), Length(max=30, message=LONG)],
    )
    contact_name = StringField(
        _l("Contact (if not the household on file)"), validators=[Optional(), Length(max=50, message=LONG)]
    )
    contact_phone = StringField(_l("Contact phone"), validators=[Optional(), Length(max=32, message=LONG)])
    content = TextAreaField(
        _l("The opinion"),
        validators=[DataRequired(_l("Please write the opinion.")), Length(max=2000, message=LONG)],
    )
    department = SelectField(_l("Department"), coerce=int, validators=[Optional()])


class MeasuresForm(FlaskForm):
    version = HiddenField()
    measures = TextAreaField(
        _l("Measures (in writing)"),
        validators=[
            DataRequired(_l("Please write the measures the department takes.")),
            Length(max=4000, message=LONG),
        ],
    )


class OrderCallbackForm(FlaskForm):
    version = HiddenField()
    satisfied = BooleanField(_l("The customer is satisfied"))
    fee_confirmed = BooleanField(_l("The fee is confirmed"))
    note = TextAreaField(_l("Callback note"), validators=[Optional(), Length(max=2000, message=LONG)])


class ValidityForm(FlaskForm):
    version = HiddenField()
    valid = RadioField(
        _l("Is the complaint valid?"), choices=[("yes", _l("Valid")), ("no", _l("Out of scope"))], default="yes"
    )
    explanation = TextAreaField(
        _l("Explanation given to the customer"), validators=[Optional(), Length(max=2000, message=LONG)]
    )


class GradeForm(FlaskForm):
    version = HiddenField()
    grade = RadioField(_l("Grade"), choices=_choices(GRADES), default="general")
    category = SelectField(
        _l("What the complaint is about"),
        choices=[("", _l("Please choose")), *_choices(COMPLAINT_CATEGORIES)],
        default="",
        validators=[DataRequired(_l("Please choose what the complaint is about."))],
    )
    reason = TextAreaField(
        _l("Reason for the grade"),
        validators=[DataRequired(_l("Please give the reason for the grade.")), Length(max=2000, message=LONG)],
    )
    department = SelectField(_l("Responsible department"), coerce=int)


class ComplaintCallbackForm(FlaskForm):
    version = HiddenField()
    satisfaction = RadioField(_l("Satisfaction"), choices=_choices(SATISFACTION), default="satisfied")
    note = TextAreaField(_l("Callback note"), validators=[Optional(), Length(max=2000, message=LONG)])
    confirmation = RadioField(_l("Customer's confirmation"), choices=_choices(CONFIRMATIONS), default="signature")
    confirmed_by = StringField(
        _l("Confirmed by (name) on the phone"), validators=[Optional(), Length(max=50, message=LONG)]
    )


class VersionForm(FlaskForm):
    version = HiddenField()


class CoordinationForm(FlaskForm):
    matter = TextAreaField(
        _l("The matter"), validators=[DataRequired(_l("Please describe the matter.")), Length(max=4000, message=LONG)]
    )
    departments = SelectMultipleField(
        _l("Departments asked"),
        coerce=int,
        validators=[DataRequired(_l("Please choose at least one department."))],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    due = DateField(_l("Answer due by"), validators=[DataRequired(_l("Please give the due date."))])


class AnswerForm(FlaskForm):
    department = HiddenField()
    answer = TextAreaField(
        _l("The department's answer"),
        validators=[DataRequired(_l("Please write the department's answer.")), Length(max=4000, message=LONG)],
    )


class VisitPlanForm(FlaskForm):
    officer = SelectField(_l("Officer"), coerce=int)
    rooms = TextAreaField(
        _l("Rooms to visit"),
        description=_l("Room numbers such as 1-1-0201, separated by commas or lines."),
        validators=[DataRequired(_l("Please list the rooms.")), Length(max=4000, message=LONG)],
    )


class VisitRecordForm(FlaskForm):
    met = StringField(
        _l("Who was met"), validators=[DataRequired(_l("Please write who was met.")), Length(max=100, message=LONG)]
    )
    findings = TextAreaField(_l("Findings"), validators=[Optional(), Length(max=4000, message=LONG)])
    opinion = TextAreaField(_l("The household's opinions"), validators=[Optional(), Length(max=4000, message=LONG)])
    opinion_class = SelectField(
        _l("Log the opinion as"),
        default="suggestion",
        choices=[(k.value, label) for k, label in CLASSES.items() if k.value != "issue"],
    )


class RouteForm(FlaskForm):
    category = SelectField(_l("Repair category"), choices=_choices(CATEGORIES), default="other")
