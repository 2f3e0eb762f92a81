"""How a registration's fields are checked and normalised (V1), and when the desk is
the duty manager's (V2). Plain Python: no request; messages are lazy so that they are
shown in the visitor's language where they are rendered."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import phonenumbers
from flask_babel import lazy_gettext as _l
from stdnum.cn import ric

from kiosk.models import Desk, Purpose, Site
from kiosk.timeutil import device_time

NAME_MAX = 50
PARTY_MAX = 20
# Country codes offered beside the phone field (the visitor may also type "+..." directly).
PHONE_COUNTRIES = (
    "+86",
    "+852",
    "+853",
    "+886",
    "+1",
    "+44",
    "+61",
    "+65",
    "+60",
    "+81",
    "+82",
    "+49",
    "+33",
    "+7",
    "+91",
)
# A submission whose device time is this much older than its receipt was queued offline.
OFFLINE_AFTER = timedelta(minutes=2)

_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_LETTER = "A-HJ-NP-Z"  # I and O are never used on plates
# Ordinary plates: province, issuing letter, five letters or digits (the last may be a
# special mark: trailer, coach, police, Hong Kong, Macau).
_PLATE = re.compile(rf"^[{_PROVINCES}][{_LETTER}][{_LETTER}0-9]{{4}}[{_LETTER}0-9挂学警港澳]$")
# New-energy plates (8 characters): small cars D/F (and the newer letters) then five;
# large vehicles five digits then D/F.
_PLATE_NEW_ENERGY = re.compile(rf"^[{_PROVINCES}][{_LETTER}](?:[DFABCEGHJK][{_LETTER}0-9][0-9]{{4}}|[0-9]{{5}}[DF])$")
_PLATE_NOISE = re.compile(r"[\s·•.\-_]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")

MSG_NAME_REQUIRED = _l("Please enter your name.")
MSG_NAME_LONG = _l("Your name can have at most %(max)d characters.", max=NAME_MAX)
MSG_PHONE_REQUIRED = _l("Please enter your mobile number.")
MSG_PHONE_MAINLAND = _l("Please enter an 11-digit mainland mobile number, or choose your country code.")
MSG_PHONE_INVALID = _l("This phone number is not valid for the country code chosen.")
MSG_PARTY = _l("Party size is from 1 to %(max)d people.", max=PARTY_MAX)
MSG_PURPOSE = _l("Please choose the purpose of your visit.")
MSG_PLATE = _l("This is not a Chinese licence plate, e.g. 粤B12345 or 粤BD12345.")
MSG_ID_REQUIRED = _l("Please enter your ID card number.")
MSG_ID_INVALID = _l("This ID card number is not valid; please check it.")


@dataclass(frozen=True)
class Checked:
    """A field's normalised value, or the message saying what is wrong with it."""

    value: object = None
    error: object = None


def check_name(raw: str | None) -> Checked:
    """1 to 50 characters of any script, rare characters outside the BMP included."""
    name = unicodedata.normalize("NFC", _CONTROL.sub("", raw or "")).strip()
    name = re.sub(r"\s+", " ", name)
    if not name:
        return Checked(error=MSG_NAME_REQUIRED)
    if len(name) > NAME_MAX:
        return Checked(error=MSG_NAME_LONG)
    return Checked(name)


def check_phone(raw: str | None, country: str | None = "+86") -> Checked:
    """E.164. Without a country code (or with +86) a mainland mobile number; with
    another code any number valid in that country."""
    number = re.sub(r"[\s\-()（）]", "", unicodedata.normalize("NFKC", raw or ""))
    if not number:
        return Checked(error=MSG_PHONE_REQUIRED)
    if number.startswith("00"):
        number = "+" + number[2:]
    if not number.startswith("+"):
        country = (country or "+86").strip()
        if not re.fullmatch(r"\+\d{1,4}", country):
            country = "+86"
        number = country + number.lstrip("0") if country != "+86" else "+86" + number
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return Checked(error=MSG_PHONE_MAINLAND if number.startswith("+86") else MSG_PHONE_INVALID)
    if parsed.country_code == 86:
        kind = phonenumbers.number_type(parsed)
        mobile = kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
        if not (phonenumbers.is_valid_number(parsed) and mobile):
            return Checked(error=MSG_PHONE_MAINLAND)
    elif not phonenumbers.is_valid_number(parsed):
        return Checked(error=MSG_PHONE_INVALID)
    return Checked(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))


def check_party_size(raw) -> Checked:
    try:
        size = int(str(raw).strip()) if raw not in (None, "") else 1
    except ValueError:
        return Checked(error=MSG_PARTY)
    if not 1 <= size <= PARTY_MAX:
        return Checked(error=MSG_PARTY)
    return Checked(size)


def check_purpose(raw: str | None) -> Checked:
    try:
        return Checked(Purpose(raw))
    except ValueError:
        return Checked(error=MSG_PURPOSE)


def normalise_plate(raw: str | None) -> str:
    return _PLATE_NOISE.sub("", unicodedata.normalize("NFKC", raw or "")).upper()


def check_plate(raw: str | None) -> Checked:
    """Optional. A Chinese plate, ordinary (7 characters) or new-energy (8)."""
    plate = normalise_plate(raw)
    if not plate:
        return Checked(None)
    if _PLATE.match(plate) or _PLATE_NEW_ENERGY.match(plate):
        return Checked(plate)
    return Checked(error=MSG_PLATE)


def normalise_id_number(raw: str | None) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", raw or "")).upper()


def check_id_number(raw: str | None, *, asked: bool) -> Checked:
    """Only when the site asks for it: a resident identity card number (check digit
    verified by python-stdnum). The caller stores it masked only."""
    if not asked:
        return Checked(None)
    number = normalise_id_number(raw)
    if not number:
        return Checked(error=MSG_ID_REQUIRED)
    if not ric.is_valid(number):
        return Checked(error=MSG_ID_INVALID)
    return Checked(ric.compact(number))


def desk_for(site: Site, moment: datetime) -> Desk:
    """V2: within the site's desk hours (local time) the receptionist, otherwise the
    duty manager (default 08:00-20:00 reception, 20:00-08:00 duty)."""
    local = moment.astimezone(ZoneInfo(site.timezone)).time()
    opens = site.desk_opens or time(8, 0)
    closes = site.desk_closes or time(20, 0)
    if opens <= closes:
        day = opens <= local < closes
    else:  # desk hours across midnight
        day = local >= opens or local < closes
    return Desk.RECEPTION if day else Desk.DUTY


def parse_action_at(raw: str | None, received_at: datetime) -> datetime:
    """The device's time of the action (OFFLINE.md 5); see kiosk.timeutil.device_time."""
    return device_time(raw, received_at)


def was_offline(action_at: datetime, received_at: datetime) -> bool:
    return received_at - action_at > OFFLINE_AFTER
