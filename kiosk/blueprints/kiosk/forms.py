"""The kiosk's forms. Device forms carry no CSRF token: the device credential, the
X-Device-Request header and the Origin check stand in for it (OFFLINE.md 6). The
fields are plain strings; the rules that check them live in kiosk.visits/visit_rules."""

from wtforms import Form, HiddenField, StringField

FIELDS = (
    "room",
    "room_number",
    "building",
    "name",
    "phone_country",
    "phone",
    "party_size",
    "purpose",
    "plate",
    "id_number",
    "privacy",
)


class VisitForm(Form):
    """The whole registration: whom (room), about you, the privacy notice."""

    room = HiddenField()
    room_number = StringField()
    building = HiddenField()
    name = StringField()
    phone_country = StringField(default="+86")
    phone = StringField()
    party_size = StringField(default="1")
    purpose = StringField()
    plate = StringField()
    id_number = StringField()
    privacy = HiddenField()
    step = HiddenField(default="whom")
    idempotency_key = HiddenField()


class CheckOutForm(Form):
    code = StringField()
    phone_country = StringField(default="+86")
    phone = StringField()
    room_number = StringField()
    room = HiddenField()
    idempotency_key = HiddenField()


class ExpectedForm(Form):
    code = StringField()
    idempotency_key = HiddenField()
