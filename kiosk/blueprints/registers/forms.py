from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from kiosk.models.registers import CollectionMethod, Consent, Direction, Hazard, MailKind, RequesterKind
from kiosk.registers import goods_passes, mail
from kiosk.registers.labels import CONSENT, DIRECTION, HAZARD, MAIL_KIND, METHOD, REQUESTER

LENGTH = _l("At most %(max)d characters.")
NUMBER = _l("Please enter a whole number.")


class _Parse:
    parse_message = None

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(str(self.parse_message)) from exc


class WholeNumberField(_Parse, IntegerField):
    parse_message = NUMBER


class WhenField(_Parse, DateTimeLocalField):
    parse_message = _l("Please enter a date and time such as 2026-03-01 14:00.")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("format", ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
        super().__init__(*args, **kwargs)


def _text(label, max_length, required=None, **kwargs):
    validators = [DataRequired(required)] if required else [Optional()]
    render_kw = {"autocomplete": "off", **kwargs.pop("render_kw", {})}
    return StringField(
        label, validators=[*validators, Length(max=max_length, message=LENGTH)], render_kw=render_kw, **kwargs
    )


# --- mail --------------------------------------------------------------------------------


class ReceiveForm(FlaskForm):
    room = _text(
        _l("Room"),
        30,
        _l("Please enter the room, e.g. 1-1-0101."),
        description=_l("Building-unit-room, e.g. 1-1-0101."),
    )
    kind = SelectField(_l("Kind"), choices=[(k.value, MAIL_KIND[k]) for k in MailKind], default=MailKind.PARCEL.value)
    count = WholeNumberField(
        _l("Count"),
        default=1,
        validators=[InputRequired(NUMBER), NumberRange(min=1, max=99, message=_l("Between 1 and 99 items."))],
    )
    courier = _text(
        _l("Courier"),
        40,
        _l("Please enter the courier or postman."),
        description=_l("e.g. 顺丰, 中通, EMS, the postman"),
    )
    tracking_no = _text(_l("Tracking number"), 40)


class CollectForm(FlaskForm):
    collector = RadioField(
        _l("Who collects"),
        default="household",
        choices=[
            ("household", _l("The household (resident in person)")),
            ("authorised", _l("A person the household authorised")),
            ("other", _l("Someone else")),
        ],
    )
    collector_name = _text(_l("Name of the person collecting"), 50)
    authorisation = SelectField(_l("Authorised person"), coerce=int, validate_choice=False, choices=[])
    method = RadioField(
        _l("Confirmed by"),
        default=CollectionMethod.SIGNATURE.value,
        choices=[(m.value, METHOD[m]) for m in CollectionMethod],
    )
    code = _text(_l("Pickup code"), 8, render_kw={"inputmode": "numeric", "autocomplete": "off"})

    def collector_chosen(self) -> mail.Collector:
        return mail.Collector(self.collector.data, self.collector_name.data or "", self.authorisation.data or None)

    def method_chosen(self) -> CollectionMethod:
        """The confirmation asked for; a drawn signature unless another known method was chosen."""
        value = self.method.data
        return CollectionMethod(value) if value in set(CollectionMethod) else CollectionMethod.SIGNATURE


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class HandOutForm(CollectForm):
    """V8: the items of one room handed out together, confirmed by one signature or code."""

    items = MultiCheckboxField(_l("Items to hand out"), coerce=int, validate_choice=False, choices=[])


class AuthorisationForm(FlaskForm):
    person_name = _text(_l("Authorised person's name"), 50, _l("Please enter the person's name."))
    phone = _text(_l("Phone"), 32)
    valid_until = WhenField(
        _l("Valid until"), validators=[Optional()], description=_l("Leave empty for an authorisation until revoked.")
    )


class SignatoryForm(FlaskForm):
    company_name = _text(_l("Company"), 80, _l("Please enter the company's name."))
    person_name = _text(_l("Signatory's name"), 50, _l("Please enter the signatory's name."))
    phone = _text(_l("Phone"), 32)


class RevokeForm(FlaskForm):
    pass


# --- goods passes -------------------------------------------------------------------------


class LineForm(Form):
    name = StringField(_l("Article"), validators=[Optional(), Length(max=60, message=LENGTH)])
    quantity = WholeNumberField(
        _l("Quantity"), validators=[Optional(), NumberRange(min=1, max=9999, message=_l("Between 1 and 9999."))]
    )
    hazard = SelectField(_l("Kind of goods"), choices=[(h.value, HAZARD[h]) for h in Hazard], default=Hazard.NONE.value)


class GoodsPassForm(FlaskForm):
    requester_kind = RadioField(
        _l("Requested by"),
        default=RequesterKind.HOUSEHOLD.value,
        choices=[(k.value, REQUESTER[k]) for k in RequesterKind],
    )
    room = _text(_l("Room"), 30, description=_l("Building-unit-room, e.g. 1-1-0101."))
    company_name = _text(_l("Company"), 80)
    carrier_name = _text(_l("Carrier"), 50, _l("Please enter who carries the goods."))
    carrier_phone = _text(_l("Carrier's phone"), 32)
    direction = RadioField(
        _l("Direction"), default=Direction.OUT.value, choices=[(d.value, DIRECTION[d]) for d in Direction]
    )
    valid_from = WhenField(_l("Valid from"), validators=[InputRequired(_l("Please enter the start."))])
    valid_until = WhenField(_l("Valid until"), validators=[InputRequired(_l("Please enter the end."))])
    consent = SelectField(
        _l("Consent"), choices=[("", _l("None"))] + [(c.value, CONSENT[c]) for c in Consent], validate_choice=False
    )
    consent_by = _text(
        _l("Consent given by"), 50, description=_l("The owner or the signatory who agreed (on the signed request).")
    )
    items = FieldList(FormField(LineForm), min_entries=5, max_entries=goods_passes.MAX_ITEMS)


class ApproveForm(FlaskForm):
    lift = SelectField(
        _l("Lift"), choices=[("", _l("No moving slot"))] + [(x, x) for x in goods_passes.LIFTS], validate_choice=False
    )
    slot = WhenField(_l("Moving slot (on the hour)"), validators=[Optional()])


class RefuseForm(FlaskForm):
    reason = _text(_l("Reason"), 200, _l("Please give the reason."))


class GateForm(FlaskForm):
    class Meta:
        csrf = False

    code = _text(_l("Pass code"), 200, render_kw={"autocomplete": "off", "autocapitalize": "characters"})


class UseForm(FlaskForm):
    pass


# --- lost and found -----------------------------------------------------------------------


class FoundForm(FlaskForm):
    description = _text(
        _l("Description of the item"),
        200,
        _l("Please describe the item."),
        description=_l("What it is, colour, brand; no contents of wallets or phones."),
    )
    found_place = _text(_l("Where found"), 80, _l("Please enter where it was found."))
    found_at = WhenField(_l("When found"), validators=[InputRequired(_l("Please enter when it was found."))])
    found_by = _text(_l("Found by"), 50, _l("Please enter who found it."))
    storage_place = _text(
        _l("Kept at"), 80, _l("Please enter where it is kept."), description=_l("e.g. front desk drawer 2, safe")
    )
    photo = FileField(_l("Photo"))


class ClaimForm(FlaskForm):
    claimant_name = _text(_l("Claimant's name"), 50, _l("Please enter the claimant's name."))
    id_number = _text(
        _l("Identity document number"),
        32,
        _l("Please enter the identity document number."),
        description=_l("Kept masked only."),
    )
    id_checked = BooleanField(_l("I checked the identity document and the claimant described the item"))


class CloseForm(FlaskForm):
    status = RadioField(
        _l("How it ended"),
        choices=[("police", _l("Handed to the police")), ("disposed", _l("Disposed of"))],
        default="police",
    )
    note = _text(
        _l("Note"),
        200,
        _l("Please note where it went or how it was disposed of."),
        description=_l("Police station and receipt number, or how it was disposed of."),
    )


class SettingsForm(FlaskForm):
    mail_overdue_days = WholeNumberField(
        _l("Mail waiting too long after (days)"),
        validators=[InputRequired(NUMBER), NumberRange(min=1, max=60, message=_l("Between %(min)s and %(max)s days."))],
    )
    found_keep_days = WholeNumberField(
        _l("Keep found items at least (days)"),
        validators=[
            InputRequired(NUMBER),
            NumberRange(min=7, max=365, message=_l("Between %(min)s and %(max)s days.")),
        ],
    )


# --- decoration-worker passes -------------------------------------------------------------


class DayField(_Parse, DateField):
    parse_message = _l("Please enter a date such as 2026-03-01.")


class WorkerPassForm(FlaskForm):
    room = _text(
        _l("Room"),
        30,
        _l("Please enter the room, e.g. 1-1-0101."),
        description=_l("The room whose decoration permit the worker works under."),
    )
    worker_name = _text(_l("Worker's name"), 50, _l("Please enter the worker's name."))
    phone = _text(_l("Phone"), 32, _l("Please enter the worker's phone."), render_kw={"inputmode": "tel"})
    company = _text(_l("Company"), 80)
    valid_from = DayField(_l("First day"), validators=[InputRequired(_l("Please enter the first day."))])
    valid_until = DayField(_l("Last day"), validators=[InputRequired(_l("Please enter the last day."))])
    photo = FileField(_l("Photo"))


class RevokeReasonForm(FlaskForm):
    reason = _text(_l("Reason"), 200, _l("Please give the reason."))


# --- notices -------------------------------------------------------------------------------


class NoticeForm(FlaskForm):
    channel = SelectField(_l("Publishing channel"), choices=[])
    outage = BooleanField(_l("Water or power outage (停水停电): the centre's manager approves it first"))
    title_zh = _text(_l("Title (Chinese)"), 80, _l("Please enter the title."))
    body_zh = TextAreaField(
        _l("Text (Chinese)"), validators=[DataRequired(_l("Please enter the text.")), Length(max=1000, message=LENGTH)]
    )
    title_en = _text(_l("Title (English)"), 120)
    body_en = TextAreaField(
        _l("Text (English)"),
        validators=[Optional(), Length(max=1500, message=LENGTH)],
        description=_l("Shown on the kiosk to visitors who chose English."),
    )
    show_from = WhenField(_l("Valid from"), validators=[InputRequired(_l("Please enter the start."))])
    show_until = WhenField(
        _l("Valid until"),
        validators=[InputRequired(_l("Please enter the end."))],
        description=_l("A posted notice is due to be taken down then; a kiosk notice disappears."),
    )


class SignOffForm(FlaskForm):
    room = _text(_l("Room"), 30, _l("Please enter the room, e.g. 1-1-0101."))
    signed_by = _text(_l("Signed by"), 50, _l("Please enter the name of the person signing."))


class StepForm(FlaskForm):
    pass
