from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from kiosk.households import identity, looks

LENGTH = _l("At most %(max)d characters.")


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    room = StringField(
        _l("Room"),
        validators=[Optional(), Length(max=30, message=LENGTH)],
        render_kw={"placeholder": _l("e.g. 1-1-0101 or 0101"), "autocomplete": "off"},
    )
    missing = BooleanField(_l("Only files with missing documents"))


class ItemForm(FlaskForm):
    """Tick one checklist item present or missing (A1, A3); `version` guards concurrent edits."""

    present = HiddenField()
    version = IntegerField(validators=[InputRequired()])


class UploadForm(FlaskForm):
    item = HiddenField()
    upload = FileField(_l("Scanned document (PDF or photo, at most 8 MB)"))


class IdNumberForm(FlaskForm):
    id_number = StringField(
        _l("ID number"),
        validators=[DataRequired(_l("Please enter the ID number.")), Length(max=30, message=LENGTH)],
        render_kw={"autocomplete": "off"},
        description=_l("Resident ID card (18 characters, checked), or a passport or licence number."),
    )

    def validate_id_number(self, field):
        from stdnum.cn import ric

        value = (field.data or "").strip().upper()
        if not value.isalnum() or len(value) < 5:
            raise ValidationError(_l("Letters and digits only, at least 5."))
        if len(value) == 18 and value[:17].isdigit() and not ric.is_valid(value):
            raise ValidationError(_l("This resident ID number is not valid; please check it against the card."))


class RequestForm(FlaskForm):
    reason = StringField(
        _l("Why do you need to look at this file?"),
        validators=[DataRequired(_l("Please give the reason.")), Length(max=200, message=LENGTH)],
        render_kw={
            "autocomplete": "off",
            "placeholder": _l("e.g. water leak repair in this room, need the owner's contact"),
        },
    )


class AnswerForm(FlaskForm):
    decision = HiddenField()
    hours = SelectField(
        _l("Access for"), coerce=int, default=2, choices=[(h, _l("%(n)s hours", n=h)) for h in looks.GRANT_HOURS]
    )


class IdentityForm(FlaskForm):
    """A5: how was the caller's identity verified."""

    method = RadioField(
        _l("How was the caller's identity verified?"),
        choices=identity.choices(),
        validators=[InputRequired(_l("Please choose how the identity was verified."))],
    )
    note = StringField(
        _l("Note (optional)"),
        validators=[Optional(), Length(max=200, message=LENGTH)],
        render_kw={"autocomplete": "off"},
    )
    next = HiddenField()


class LogFilterForm(FlaskForm):
    class Meta:
        csrf = False

    user = SelectField(_l("Person"), coerce=str, validate_choice=False)
    household = HiddenField()
    room = StringField(
        _l("Room"),
        validators=[Optional(), Length(max=30, message=LENGTH)],
        render_kw={"placeholder": _l("e.g. 1-1-0101 or 0101"), "autocomplete": "off"},
    )
    day_from = DateField(_l("From"), validators=[Optional()], render_kw={"type": "date"})
    day_to = DateField(_l("To"), validators=[Optional()], render_kw={"type": "date"})

    def validate_day_to(self, field):
        if field.data and self.day_from.data and field.data < self.day_from.data:
            raise ValidationError(_l("The last day comes before the first day."))


class StepForm(FlaskForm):
    """A move-in step; `version` guards against a second desk changing it meanwhile."""

    version = IntegerField(validators=[InputRequired()])


class FeesForm(StepForm):
    fees = RadioField(
        _l("Fees"),
        choices=[("paid", _l("Paid")), ("owed", _l("Owed"))],
        validators=[InputRequired(_l("Please choose paid or owed."))],
    )
    note = StringField(
        _l("Note (optional)"),
        validators=[Optional(), Length(max=200, message=LENGTH)],
        render_kw={"autocomplete": "off", "placeholder": _l("e.g. property fee to June paid, receipt 0815")},
    )


class LoanForm(FlaskForm):
    """A2: lend or copy chosen documents of a file (personal ones never)."""

    kind = RadioField(
        _l("Lend or copy"),
        choices=[("lend", _l("Lend the file")), ("copy", _l("Copy"))],
        validators=[InputRequired(_l("Please choose lend or copy."))],
    )
    items = SelectMultipleField(_l("Documents"), choices=[], validate_choice=False)
    borrower = StringField(
        _l("Borrower of the file"),
        validators=[DataRequired(_l("Please name who borrows the file.")), Length(max=60, message=LENGTH)],
        render_kw={"autocomplete": "off"},
    )
    purpose = StringField(
        _l("Purpose"),
        validators=[DataRequired(_l("Please give the purpose.")), Length(max=200, message=LENGTH)],
        render_kw={"autocomplete": "off"},
    )


class DestructionForm(FlaskForm):
    reason = StringField(
        _l("Reason for destruction"),
        validators=[DataRequired(_l("Please give the reason.")), Length(max=200, message=LENGTH)],
        render_kw={"autocomplete": "off"},
    )
