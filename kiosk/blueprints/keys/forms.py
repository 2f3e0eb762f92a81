from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from kiosk.keys.labels import BORROWERS, EMERGENCIES, KINDS
from kiosk.keys.loans import EMERGENCY_REASONS
from kiosk.models.keys import BorrowerKind, KeyKind

LONG = _l("At most %(max)d characters.")
RANGE = _l("Between %(min)s and %(max)s.")


class KeySetForm(FlaskForm):
    kind = SelectField(
        _l("Kind"), choices=[(k.value, label) for k, label in KINDS.items()], default=KeyKind.HOUSEHOLD.value
    )
    room = StringField(
        _l("Room (building-unit-room)"),
        description=_l("For example 1-1-0101"),
        validators=[Optional(), Length(max=30, message=LONG)],
    )
    building = SelectField(_l("Building"), coerce=int, validators=[Optional()])
    floor = IntegerField(_l("Floor"), validators=[Optional(), NumberRange(min=-5, max=200, message=RANGE)])
    place = StringField(_l("Equipment room or area"), validators=[Optional(), Length(max=100, message=LONG)])
    contents = StringField(
        _l("Keys on the ring"),
        description=_l("For example security door, unit door, mailbox"),
        validators=[DataRequired(_l("Please list the keys.")), Length(max=200, message=LONG)],
    )
    pieces = IntegerField(
        _l("Number of keys"),
        default=1,
        validators=[InputRequired(_l("Please enter a number.")), NumberRange(min=1, max=50, message=RANGE)],
    )
    hook = StringField(
        _l("Cabinet hook"), validators=[DataRequired(_l("Please enter the hook.")), Length(max=20, message=LONG)]
    )
    seal_number = StringField(
        _l("Seal number"),
        description=_l("Needed for the keys of a vacant unit."),
        validators=[Optional(), Length(max=30, message=LONG)],
    )
    engineering_held = BooleanField(_l("Held by engineering"))


class _Borrower(FlaskForm):
    borrower_kind = RadioField(
        _l("Borrower"), choices=[(k.value, label) for k, label in BORROWERS.items()], default=BorrowerKind.STAFF.value
    )
    borrower_user = SelectField(_l("Staff member"), coerce=int, validators=[Optional()])
    borrower_name = StringField(_l("Contractor's name"), validators=[Optional(), Length(max=50, message=LONG)])


class LoanForm(_Borrower):
    company = StringField(_l("Company"), validators=[Optional(), Length(max=100, message=LONG)])
    purpose = StringField(
        _l("Purpose"), validators=[DataRequired(_l("Please enter the purpose.")), Length(max=200, message=LONG)]
    )
    expected_back = TimeField(_l("Back by (today)"), validators=[InputRequired(_l("Please enter a time."))])


class EmergencyForm(_Borrower):
    reason = SelectField(_l("Emergency"), choices=[(r, EMERGENCIES[r]) for r in EMERGENCY_REASONS])
    approved_by = SelectField(
        _l("Approved by (manager)"),
        coerce=int,
        validators=[InputRequired(_l("Please choose the manager who approved."))],
    )
    purpose = StringField(_l("What is happening"), validators=[Optional(), Length(max=200, message=LONG)])


class PaperworkForm(FlaskForm):
    purpose = StringField(
        _l("Purpose"), validators=[DataRequired(_l("Please enter the purpose.")), Length(max=200, message=LONG)]
    )


class ReturnForm(FlaskForm):
    pieces_back = IntegerField(
        _l("Keys returned"),
        validators=[InputRequired(_l("Please enter a number.")), NumberRange(min=0, max=50, message=RANGE)],
    )
    damaged = BooleanField(_l("A key is damaged"))
    note = TextAreaField(_l("What is missing or damaged"), validators=[Optional(), Length(max=300, message=LONG)])
    seal_number = StringField(_l("New seal number"), validators=[Optional(), Length(max=30, message=LONG)])


class SealForm(FlaskForm):
    seal_number = StringField(
        _l("Seal number"), validators=[DataRequired(_l("Please enter the seal number.")), Length(max=30, message=LONG)]
    )


class ResolveForm(FlaskForm):
    resolution = TextAreaField(
        _l("How was it resolved?"),
        validators=[DataRequired(_l("Please say how it was resolved.")), Length(max=300, message=LONG)],
    )


class RequestForm(FlaskForm):
    kind = RadioField(
        _l("Request"), choices=[("copy", _l("Copy a key")), ("replace", _l("Replace keys"))], default="copy"
    )
    pieces = IntegerField(
        _l("Number of keys"),
        default=1,
        validators=[InputRequired(_l("Please enter a number.")), NumberRange(min=1, max=20, message=RANGE)],
    )
    reason = TextAreaField(
        _l("Why is it needed?"), validators=[DataRequired(_l("Please give the reason.")), Length(max=300, message=LONG)]
    )


class DecisionForm(FlaskForm):
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=300, message=LONG)])


class AuditForm(FlaskForm):
    note = TextAreaField(_l("Note for the supervisor"), validators=[Optional(), Length(max=300, message=LONG)])


class OwnerForm(FlaskForm):
    household = SelectField(_l("Owner"), coerce=int, validators=[InputRequired(_l("Please choose the owner."))])
    identity_checked = BooleanField(
        _l("Identity checked against the ID card"), validators=[DataRequired(_l("Check the owner's identity first."))]
    )
    id_number = StringField(
        _l("ID number"),
        description=_l("Only the masked number is kept."),
        validators=[Optional(), Length(max=30, message=LONG)],
    )
