"""How the registers' kinds, states and refusals read, in the reader's language."""

from flask_babel import lazy_gettext as _l

from kiosk.models.registers import (
    CollectionMethod,
    Consent,
    Direction,
    FoundStatus,
    Hazard,
    MailKind,
    MailStatus,
    PassStatus,
    RequesterKind,
)

MAIL_KIND = {
    MailKind.LETTER: _l("Ordinary letter"),
    MailKind.NEWSPAPER: _l("Newspaper"),
    MailKind.PARCEL: _l("Parcel"),
    MailKind.REGISTERED: _l("Registered mail"),
}
MAIL_STATUS = {MailStatus.WAITING: _l("Waiting at the desk"), MailStatus.COLLECTED: _l("Collected")}
METHOD = {CollectionMethod.SIGNATURE: _l("Signature"), CollectionMethod.CODE: _l("Pickup code")}
DIRECTION = {Direction.IN: _l("Goods in"), Direction.OUT: _l("Goods out")}
REQUESTER = {RequesterKind.HOUSEHOLD: _l("Household"), RequesterKind.COMPANY: _l("Company")}
CONSENT = {
    Consent.OWNER: _l("Owner's consent"),
    Consent.SIGNATORY: _l("Authorised signatory"),
    Consent.SEAL: _l("Company seal"),
}
HAZARD = {
    Hazard.NONE: _l("Ordinary goods"),
    Hazard.FLAMMABLE: _l("Flammable"),
    Hazard.EXPLOSIVE: _l("Explosive"),
    Hazard.TOXIC: _l("Toxic"),
    Hazard.CORROSIVE: _l("Corrosive"),
}
PASS_STATUS = {
    PassStatus.REQUESTED: _l("Awaiting approval"),
    PassStatus.APPROVED: _l("Approved"),
    PassStatus.REFUSED: _l("Refused"),
    PassStatus.USED: _l("Used"),
    PassStatus.CANCELLED: _l("Cancelled"),
}
FOUND_STATUS = {
    FoundStatus.STORED: _l("At the desk"),
    FoundStatus.CLAIMED: _l("Claimed by the owner"),
    FoundStatus.POLICE: _l("Handed to the police"),
    FoundStatus.DISPOSED: _l("Disposed of"),
}

# What the guard reads at the gate (V6).
VERDICT = {
    "valid": _l("Valid: the goods listed may pass."),
    "used": _l("Already used: this pass was used at the gate before."),
    "expired": _l("Expired: the time window of this pass is over."),
    "not_yet": _l("Not yet valid: the time window has not begun."),
    "requested": _l("Not approved yet: the goods may not pass."),
    "refused": _l("Refused: the goods may not pass."),
    "cancelled": _l("Cancelled: the goods may not pass."),
}

REFUSALS = {
    "room": _l("Please choose a room of this site."),
    "count": _l("Between 1 and 99 items."),
    "already_collected": _l("This item was already collected."),
    "not_authorised": _l(
        "Only the household or a person it has authorised in writing may collect. Record the household's authorisation first."
    ),
    "collector_name": _l("Please enter the name of the person collecting."),
    "wrong_code": _l("The pickup code does not match."),
    "no_mail_chosen": _l("Please choose at least one item waiting for this room."),
    "collected_meanwhile": _l(
        "Some of these items were handed out meanwhile, at another desk. Nothing was recorded: "
        "check the list and confirm again."
    ),
    "company": _l("Please enter the company's name."),
    "no_items": _l("Please list the goods (at most 30 lines)."),
    "window": _l("The end must be after the start, at most 7 days later."),
    "window_past": _l("The time window is already over."),
    "consent_missing": _l("Goods going out need the consent of the owner or of an authorised signatory."),
    "owner_consent": _l("For a household, goods going out need the owner's consent."),
    "tenant_self_consent": _l("A departing tenant cannot consent for themselves: the owner must agree."),
    "company_consent": _l("For a company, goods going out need its seal or an authorised signatory."),
    "self_consent": _l("The carrier cannot give the consent for their own goods."),
    "signatory_not_on_file": _l(
        "This person is not on file as a signatory of this company. Ask for the company's seal, "
        "or a supervisor adds the signatory from the company's letter."
    ),
    "signatory_name": _l("Please enter the signatory's name."),
    "signatory_duplicate": _l("This person is already on file for this company."),
    "not_requested": _l("This pass is no longer awaiting a decision."),
    "expired": _l("Expired: the time window of this pass is over."),
    "lift": _l("Please choose a lift."),
    "slot_hour": _l("Moving slots start on the hour."),
    "slot_window": _l("The moving slot must lie within the pass's time window."),
    "slot_taken": _l("This lift is already booked for another move in that hour."),
    "reason": _l("Please give the reason."),
    "used": VERDICT["used"],
    "not_yet": VERDICT["not_yet"],
    "requested": VERDICT["requested"],
    "refused": VERDICT["refused"],
    "cancelled": VERDICT["cancelled"],
    "found_future": _l("The time found cannot be in the future."),
    "closed": _l("This item has already left the desk."),
    "id_unchecked": _l("Please check the claimant's identity document first."),
    "claimant_name": _l("Please enter the claimant's name."),
    "id_number": _l("Please enter the identity document number."),
    "note": _l("Please note where it went (police station, receipt number) or how it was disposed of."),
    "too_early": _l("An item may be disposed of only after the keeping period."),
}


def label(mapping: dict, key):
    if key is None:
        return ""
    return mapping.get(key, key)


def refusal(reason: str):
    """The message for a Refused reason; signature and photo refusals use their ground's words."""
    if reason.startswith("signature:"):
        from kiosk import signatures

        return signatures.refusal(reason.split(":", 1)[1])
    if reason.startswith("photo:"):
        return _l("The photo could not be used. Please take a JPEG or PNG photo under 8 MB.")
    return REFUSALS.get(reason, reason)


def hazard_reason(reason: str | None):
    """A recorded refusal: "hazardous:flammable,toxic" reads as the hazards' names."""
    if reason and reason.startswith("hazardous:"):
        names = ", ".join(str(HAZARD.get(h, h)) for h in reason.split(":", 1)[1].split(","))
        return _l("Hazardous goods refused: %(hazards)s", hazards=names)
    return reason or ""


# Decoration-worker passes (V7): what the worker reads at the kiosk, and the desk.
REFUSALS.update(
    {
        "worker_unknown": _l("We found no worker pass with this code. Please check it, or register as a visitor."),
        "worker_expired": _l(
            "Sorry, this worker pass has expired. Please ask the front desk, or register as a visitor."
        ),
        "worker_revoked": _l(
            "Sorry, this worker pass is no longer valid. Please ask the front desk, or register as a visitor."
        ),
        "worker_not_yet": _l(
            "Sorry, this worker pass is not valid yet. Please ask the front desk, or register as a visitor."
        ),
        "worker_window": _l("The last day must not be before the first, at most 180 days later."),
    }
)
WORKER_STATE = {
    "valid": _l("Valid"),
    "expired": _l("Expired"),
    "revoked": _l("Revoked"),
    "not_yet": _l("Not yet valid"),
}


# Notices (V9)
from kiosk.models.registers import Channel, NoticeStatus  # noqa: E402

CHANNEL = {
    Channel.POSTING: _l("Posted on notice boards"),
    Channel.DELIVERY: _l("Delivered to households"),
    Channel.PHONE: _l("By phone"),
    Channel.FAX: _l("By fax"),
    Channel.KIOSK: _l("Kiosk screen"),
}
NOTICE_STATUS = {
    NoticeStatus.DRAFT: _l("Draft"),
    NoticeStatus.SUBMITTED: _l("Awaiting approval"),
    NoticeStatus.APPROVED: _l("Approved"),
    NoticeStatus.PUBLISHED: _l("Published"),
    NoticeStatus.WITHDRAWN: _l("Withdrawn"),
}
REFUSALS.update(
    {
        "notice_window": _l("The end must be after the start, at most 90 days later."),
        "notice_state": _l("This notice is not at that step any more."),
        "notice_leaders": _l("An outage notice is approved by the centre's manager."),
        "notice_supervisor": _l("A notice is approved by a supervisor."),
        "notice_poster": _l("Whoever posted the notice takes it down."),
        "notice_signed": _l("This household has already signed for the notice."),
        "notice_not_approved": _l(
            "Only an approved notice can be printed. Submit it for approval; print it once a supervisor approved it."
        ),
        "notice_not_posting": _l("Only a notice for posting on notice boards is printed."),
        "notice_language": _l("This notice has no text in that language."),
    }
)
