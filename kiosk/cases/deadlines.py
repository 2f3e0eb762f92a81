"""Complaint deadlines (C3), computed from the site's local dates with the Chinese
working-day calendar (kiosk.workdays). Plain functions of dates: tested directly.

- the responsible department is notified within 4 hours of receipt;
- the customer gets a first answer within 2 days and never later than 7 working days;
- rectified within 1 working day (major) or 3 working days (general) of receipt;
- callback within 1 week (major) or 2 weeks (general) after rectification.
"""

from datetime import date, datetime, timedelta

from kiosk import workdays
from kiosk.models.case_complaints import Grade

NOTIFY_WITHIN = timedelta(hours=4)
ANSWER_DAYS = 2
ANSWER_CAP_WORKDAYS = 7
RECTIFY_WORKDAYS = {Grade.MAJOR: 1, Grade.GENERAL: 3}
CALLBACK_DAYS = {Grade.MAJOR: 7, Grade.GENERAL: 14}
# repairs (C10)
DISPATCH_WITHIN = timedelta(minutes=5)
REPAIR_CALLBACK_DAYS = 2
REPAIR_REFIX_WORKDAYS = 1
REPEAT_WINDOW = timedelta(days=90)


def notify_due(received_at: datetime) -> datetime:
    return received_at + NOTIFY_WITHIN


def answer_due(received_on: date) -> date:
    return min(received_on + timedelta(days=ANSWER_DAYS), answer_cap(received_on))


def answer_cap(received_on: date) -> date:
    return workdays.add_workdays(received_on, ANSWER_CAP_WORKDAYS)


def rectify_due(received_on: date, grade: Grade) -> date:
    return workdays.add_workdays(received_on, RECTIFY_WORKDAYS[grade])


def callback_due(rectified_on: date, grade: Grade) -> date:
    return rectified_on + timedelta(days=CALLBACK_DAYS[grade])


def repair_callback_due(completed_on: date) -> date:
    return completed_on + timedelta(days=REPAIR_CALLBACK_DAYS)


def repair_refix_due(found_on: date) -> date:
    """A problem found on callback is fixed within 1 working day (C10)."""
    return workdays.add_workdays(found_on, REPAIR_REFIX_WORKDAYS)


def shift_workdays(due: date, paused_on: date, resumed_on: date) -> date:
    """A working-day deadline moved on by the working days a pause lasted."""
    return workdays.add_workdays(due, max(workdays.workdays_between(paused_on, resumed_on), 0))


# paid special services (C7): the rule names no figures; these follow the repairs' (C10)
SERVICE_NOTICE_WORKDAYS = 1  # the payment notice by the working day after the service
SERVICE_CALLBACK_DAYS = 2  # the phone callback within 2 days of the service


def service_notice_due(done_on: date) -> date:
    return workdays.add_workdays(done_on, SERVICE_NOTICE_WORKDAYS)


def service_callback_due(done_on: date) -> date:
    return done_on + timedelta(days=SERVICE_CALLBACK_DAYS)


# survey opinions (C6): calendar days, as the rule says them ("within 2 days", "3 days", "2 weeks")
SURVEY_SEND_DAYS = 2  # to the department within 2 days of receipt
SURVEY_MEASURES_DAYS = 3  # written measures within 3 days of reaching the department
SURVEY_CALLBACK_DAYS = 14  # callback within 2 weeks after the measures


def survey_send_due(received_on: date) -> date:
    return received_on + timedelta(days=SURVEY_SEND_DAYS)


def survey_measures_due(sent_on: date) -> date:
    return sent_on + timedelta(days=SURVEY_MEASURES_DAYS)


def survey_callback_due(measures_on: date) -> date:
    return measures_on + timedelta(days=SURVEY_CALLBACK_DAYS)
