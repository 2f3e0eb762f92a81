from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    FieldList,
    FloatField,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from kiosk.models import DepartmentKind
from kiosk.models.patrols import AnswerKind
from kiosk.patrols.labels import ANSWER_KINDS, CHECKPOINT_KINDS
from kiosk.templating import DEPARTMENT_LABELS

LONG = _l("At most %(max)d characters.")


class NoteForm(FlaskForm):
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=500, message=LONG)])


class ReasonForm(FlaskForm):
    note = TextAreaField(
        _l("Why is it sent back?"),
        validators=[DataRequired(_l("Please say why it is sent back.")), Length(max=500, message=LONG)],
    )


class FixForm(FlaskForm):
    note = TextAreaField(_l("What was done?"), validators=[Optional(), Length(max=500, message=LONG)])


class PhotoForm(FlaskForm):
    photo = FileField(_l("After-photo"), render_kw={"accept": "image/*", "capture": "environment"})


class DepartmentForm(FlaskForm):
    department = SelectField(_l("Responsible department"), coerce=int)


class ItemForm(Form):
    key = HiddenField()
    section_zh = StringField(_l("Section (Chinese)"), validators=[Optional(), Length(max=100, message=LONG)])
    section_en = StringField(_l("Section (English)"), validators=[Optional(), Length(max=100, message=LONG)])
    section_kind = SelectField(
        _l("Only at"),
        choices=[("", _l("Every checkpoint"))] + [(k.value, label) for k, label in CHECKPOINT_KINDS.items()],
    )
    standard = StringField(_l("Standard"), validators=[Optional(), Length(max=4, message=LONG)])
    text_zh = StringField(_l("Item (Chinese)"), validators=[Optional(), Length(max=200, message=LONG)])
    text_en = StringField(_l("Item (English)"), validators=[Optional(), Length(max=200, message=LONG)])
    kind = SelectField(
        _l("Answer"), choices=[(k.value, label) for k, label in ANSWER_KINDS.items()], default=AnswerKind.CHECK.value
    )
    min_value = FloatField(_l("Lowest"), validators=[Optional()])
    max_value = FloatField(_l("Highest"), validators=[Optional()])
    unit = StringField(_l("Unit of measure"), validators=[Optional(), Length(max=20, message=LONG)])
    requires_note = BooleanField(_l("Fail needs a note"), default=True)
    requires_photo = BooleanField(_l("Fail needs a photo"), default=True)
    department = SelectField(
        _l("Department"),
        choices=[(k.value, label) for k, label in DEPARTMENT_LABELS.items()],
        default=DepartmentKind.ENGINEERING.value,
    )
    deadline_days = IntegerField(
        _l("Working days to fix"),
        default=3,
        validators=[
            InputRequired(_l("Please enter a number of working days.")),
            NumberRange(min=0, max=60, message=_l("Between %(min)s and %(max)s.")),
        ],
    )


class TemplateForm(FlaskForm):
    name_zh = StringField(
        _l("Name (Chinese)"), validators=[DataRequired(_l("Please enter the name.")), Length(max=100, message=LONG)]
    )
    name_en = StringField(
        _l("Name (English)"), validators=[DataRequired(_l("Please enter the name.")), Length(max=100, message=LONG)]
    )
    items = FieldList(FormField(ItemForm), min_entries=1)


class ScheduleForm(FlaskForm):
    windows = StringField(
        _l("Windows (daily schedules)"),
        description=_l("For example 08:00-11:00, 14:00-17:00"),
        validators=[Optional(), Length(max=200, message=LONG)],
    )
    grace_minutes = IntegerField(
        _l("Late for (minutes) before missed"),
        validators=[
            InputRequired(_l("Please enter minutes.")),
            NumberRange(min=0, max=7 * 24 * 60, message=_l("Between %(min)s and %(max)s.")),
        ],
    )
    active = BooleanField(_l("Active"))
