from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from kiosk.models.handover import EntryKind

LONG = _l("At most %(max)d characters.")


class EntryForm(FlaskForm):
    kind = SelectField(
        _l("Kind"),
        choices=[(EntryKind.EVENT.value, _l("Event")), (EntryKind.NOTE.value, _l("Note"))],
        default=EntryKind.EVENT.value,
    )
    text = TextAreaField(
        _l("What happened"), validators=[DataRequired(_l("Please write something.")), Length(max=1000, message=LONG)]
    )


class TextForm(FlaskForm):
    text = TextAreaField(
        _l("Text"), validators=[DataRequired(_l("Please write something.")), Length(max=1000, message=LONG)]
    )


class SignForm(FlaskForm):
    pass


class AcceptForm(FlaskForm):
    equipment_checked = BooleanField(
        _l("Equipment checked together"),
        validators=[DataRequired(_l("Check the equipment together with the outgoing first."))],
    )
    keys_counted = IntegerField(
        _l("Key sets counted in the cabinet"),
        validators=[
            InputRequired(_l("Please count the key sets in the cabinet.")),
            NumberRange(min=0, max=100000, message=_l("Between %(min)s and %(max)s.")),
        ],
    )
    mismatch_note = TextAreaField(
        _l("Why does the count differ?"), validators=[Optional(), Length(max=300, message=LONG)]
    )


class RefuseForm(FlaskForm):
    questions = TextAreaField(
        _l("Your questions"),
        validators=[DataRequired(_l("Please write your questions.")), Length(max=1000, message=LONG)],
    )


class DayForm(FlaskForm):
    note = TextAreaField(_l("Review note"), validators=[Optional(), Length(max=500, message=LONG)])
