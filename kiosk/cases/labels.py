"""Translated labels of the cases vocabulary, and the refusals' messages."""

from flask_babel import lazy_gettext as _l

from kiosk.models.case_complaints import ComplaintCategory, ComplaintStatus, Grade
from kiosk.models.case_orders import OrderStatus, ProgressKind, RepairCategory
from kiosk.models.case_services import OpinionStatus, ServiceStatus
from kiosk.models.cases import Channel, Confirmation, Importance, IntakeClass, IntakeStatus, Satisfaction

CHANNELS = {
    Channel.PHONE: _l("Phone"),
    Channel.VISIT: _l("Visit"),
    Channel.LETTER: _l("Letter"),
    Channel.KIOSK: _l("Kiosk"),
    Channel.OTHER: _l("Other channel"),
}
CLASSES = {
    IntakeClass.INQUIRY: _l("Inquiry"),
    IntakeClass.COMPLAINT: _l("Complaint"),
    IntakeClass.REPAIR: _l("Repair"),
    IntakeClass.ISSUE: _l("Issue report"),
    IntakeClass.SUGGESTION: _l("Suggestion"),
    IntakeClass.PRAISE: _l("Praise"),
    IntakeClass.OTHER: _l("Other matter"),
}
INTAKE_STATUSES = {
    IntakeStatus.OPEN: _l("Not yet closed"),
    IntakeStatus.ROUTED: _l("Handed on"),
    IntakeStatus.CLOSED: _l("Closed"),
}
IMPORTANCE = {Importance.NORMAL: _l("Normal"), Importance.HIGH: _l("Important"), Importance.URGENT: _l("Urgent")}
CATEGORIES = {
    RepairCategory.PLUMBING: _l("Plumbing"),
    RepairCategory.ELECTRICAL: _l("Electrical"),
    RepairCategory.DOOR_WINDOW: _l("Doors and windows"),
    RepairCategory.APPLIANCE: _l("Fixtures and appliances"),
    RepairCategory.PUBLIC_AREA: _l("Public area"),
    RepairCategory.OTHER: _l("Other repair"),
}
ORDER_STATUSES = {
    OrderStatus.LOGGED: _l("Waiting for dispatch"),
    OrderStatus.DISPATCHED: _l("Dispatched"),
    OrderStatus.DONE: _l("Done, callback owed"),
    OrderStatus.CLOSED: _l("Closed"),
    OrderStatus.VOIDED: _l("Voided"),
}
COMPLAINT_STATUSES = {
    ComplaintStatus.RECEIVED: _l("Validity to check"),
    ComplaintStatus.TO_GRADE: _l("Waiting for grading"),
    ComplaintStatus.OUT_OF_SCOPE: _l("Out of scope, closed"),
    ComplaintStatus.HANDLING: _l("With the department"),
    ComplaintStatus.RECTIFIED: _l("Rectified, callback owed"),
    ComplaintStatus.CONFIRMED: _l("Confirmed and locked"),
}
SERVICE_STATUSES = {
    ServiceStatus.BOOKED: _l("Booked"),
    ServiceStatus.DONE: _l("Done, payment notice owed"),
    ServiceStatus.NOTIFIED: _l("Payment notice given, callback owed"),
    ServiceStatus.CLOSED: _l("Called back, closed"),
}
OPINION_STATUSES = {
    OpinionStatus.RECEIVED: _l("To send to the department"),
    OpinionStatus.SENT: _l("With the department, measures owed"),
    OpinionStatus.ANSWERED: _l("Measures written, callback owed"),
    OpinionStatus.CLOSED: _l("Called back, closed"),
}
COMPLAINT_CATEGORIES = {
    ComplaintCategory.SERVICE_ATTITUDE: _l("Service attitude"),
    ComplaintCategory.REPAIR_QUALITY: _l("Repair quality"),
    ComplaintCategory.CLEANING: _l("Cleaning and environment"),
    ComplaintCategory.SECURITY: _l("Security and order"),
    ComplaintCategory.FACILITIES: _l("Facilities and equipment"),
    ComplaintCategory.CHARGES: _l("Charges"),
    ComplaintCategory.NEIGHBOURS: _l("Neighbour disputes"),
    ComplaintCategory.OTHER: _l("Other complaint"),
}
UNCATEGORISED = _l("Not yet categorised")
GRADES = {Grade.MAJOR: _l("Major"), Grade.GENERAL: _l("General")}
SATISFACTION = {
    Satisfaction.SATISFIED: _l("Satisfied"),
    Satisfaction.BASICALLY: _l("Basically satisfied"),
    Satisfaction.UNSATISFIED: _l("Not satisfied"),
}
CONFIRMATIONS = {Confirmation.SIGNATURE: _l("Signed"), Confirmation.PHONE: _l("Confirmed by phone")}
EVENTS = {
    "logged": _l("Logged"),
    "dispatched": _l("Dispatched"),
    "completed": _l("Completed"),
    "called_back": _l("Called back"),
    "reopened": _l("Reopened"),
    "voided": _l("Voided"),
    "received": _l("Complaint received"),
    "valid": _l("Valid, sent to the supervisors"),
    "out_of_scope": _l("Out of scope"),
    "graded": _l("Graded, form sent to the department"),
    "answered": _l("First answer given"),
    "rectified": _l("Rectified"),
    "paused": _l("Clock paused"),
    "deadline_recounted": _l("Deadline counted again with the holiday schedule"),
    "resumed": _l("Clock resumed"),
    "confirmed": _l("Callback confirmed"),
    "form_received": _l("Complaint form signed for by the department"),
    "terms": _l("Appointment or fee changed"),
    "progress": _l("Progress noted"),
    # the audit trail's actions, for the records whose history is their audit trail (C6, C7)
    "special_service.booked": _l("Special service booked"),
    "special_service.contact_revealed": _l("Full phone shown"),
    "special_service.done": _l("Service done"),
    "special_service.payment_notice": _l("Payment notice given"),
    "special_service.called_back": _l("Called back"),
    "special_service.reopened": _l("Reopened"),
    "survey_opinion.received": _l("Survey opinion recorded"),
    "survey_opinion.contact_revealed": _l("Full phone shown"),
    "survey_opinion.sent": _l("Sent to the department"),
    "survey_opinion.measures": _l("Measures written by the department"),
    "survey_opinion.called_back": _l("Called back"),
    "survey_opinion.reopened": _l("Reopened"),
}
OVERDUE = {
    "to_grade": _l("Complaints waiting for grading"),
    "notify": _l("Department not notified in 4 hours"),
    "answer": _l("First answer overdue"),
    "rectify": _l("Rectification overdue"),
    "complaint_callback": _l("Complaint callbacks overdue"),
    "dispatch": _l("Repairs not dispatched in 5 minutes"),
    "follow_up": _l("Repairs not finished the same day"),
    "repair_callback": _l("Repair callbacks overdue"),
    "reply": _l("Replies owed, overdue"),
    "coordination": _l("Coordination answers overdue"),
    "survey_send": _l("Survey opinions not sent to the department in 2 days"),
    "survey_measures": _l("Survey opinions without written measures in 3 days"),
    "survey_callback": _l("Survey opinion callbacks overdue"),
    "service_notice": _l("Special services without a payment notice"),
    "service_callback": _l("Special service callbacks overdue"),
}
CALLBACK_KINDS = {
    "complaint": _l("Complaint"),
    "repair": _l("Repair"),
    "service": _l("Special service"),
    "survey": _l("Survey opinion"),
}
REFUSALS = {
    "illegal_step": _l("That step is not possible in the record's present state."),
    "not_yours": _l("This record belongs to another department."),
    "engineer_department": _l("That engineer is not in the department chosen."),
    "supervisors_only": _l("Only a supervisor or manager may do this."),
    "reason_required": _l("Please write what was done or why."),
    "explanation_required": _l("Please record the explanation given to the customer."),
    "locked": _l("This record was confirmed by the customer and can no longer be changed."),
    "read_back_required": _l("Please read the record back to the caller and tick the box."),
    "caller_required": _l("Please choose a household or enter the caller's name."),
    "answer_or_due": _l("Please enter the answer given, or when the reply is owed."),
    "department_required": _l("Please choose the department that verifies it."),
    "signature_required": _l("Please have the customer sign."),
    "confirmed_by_required": _l("Please write who confirmed by phone."),
    "confirmation_required": _l("Please record how the customer confirmed."),
    "receipt_required": _l("The department must first sign for the complaint form."),
    "managers_only": _l("Only a manager may change the price list."),
    "item_name_required": _l("Please name the item."),
    "fee_out_of_range": _l("The fee must be between 0 and 100,000 yuan."),
    "duplicate_item": _l("An item of that name is already on the price list."),
    "price_item_unknown": _l("That item is not on this site's price list (any more). Please choose again."),
    "survey_required": _l("Please name the survey the opinion comes from."),
    "measures_required": _l("Please write the measures the department takes."),
    "conflict": _l("Someone else changed this record meanwhile. Here is its new state; nothing of yours was saved."),
    # the department's tablet (kiosk/cases/order_work.py)
    "worker": _l("Please sign in again on this tablet."),
    "photos_max": _l("At most 3 photos per order."),
    "photo": _l("Please attach a photo (JPEG, PNG or WebP, at most 8 MB)."),
    "site_fee_required": _l("This order was priced on site: please enter the fee the customer confirmed."),
    "tablet_conflict": _l(
        "Someone else changed this record before this entry arrived; it was not saved. Please open the record again."
    ),
    "key": _l("This form is out of date; please reload the page."),
}
PROGRESS = {
    ProgressKind.ARRIVED: _l("Arrived"),
    ProgressKind.PARTS_NEEDED: _l("Parts needed"),
    ProgressKind.CUSTOMER_ABSENT: _l("Customer not at home"),
    ProgressKind.NOTE: _l("Note"),
}


def register_filters(state) -> None:
    """Blueprint record hook: label lookups for the cases templates."""
    state.app.jinja_env.globals.update(
        channel_label=lambda v: CHANNELS.get(v, v),
        class_label=lambda v: CLASSES.get(v, v),
        intake_status_label=lambda v: INTAKE_STATUSES.get(v, v),
        importance_label=lambda v: IMPORTANCE.get(v, v),
        category_label=lambda v: CATEGORIES.get(v, v),
        order_status_label=lambda v: ORDER_STATUSES.get(v, v),
        complaint_status_label=lambda v: COMPLAINT_STATUSES.get(v, v),
        grade_label=lambda v: GRADES.get(v, v),
        complaint_category_label=lambda v: COMPLAINT_CATEGORIES.get(v, v) if v else UNCATEGORISED,
        service_status_label=lambda v: SERVICE_STATUSES.get(v, v),
        opinion_status_label=lambda v: OPINION_STATUSES.get(v, v),
        satisfaction_label=lambda v: SATISFACTION.get(v, v),
        confirmation_label=lambda v: CONFIRMATIONS.get(v, v),
        case_event_label=lambda v: EVENTS.get(v, v),
        overdue_label=lambda v: OVERDUE.get(v, v),
        callback_kind_label=lambda v: CALLBACK_KINDS.get(v, v),
        progress_label=lambda v: PROGRESS.get(v, v),
    )
