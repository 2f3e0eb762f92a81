"""The service centre's day (rules C1-C12): intake log, repair work orders, complaints,
special services, survey opinions, callbacks and the supervisor's dashboard. Plain Python:
no request, no blueprint.

    intake.py      C1   log a call, visit or letter and route it by its class
    orders.py      C10, C11  work orders: numbering, dispatch, completion, callback, void
    deadlines.py   C3   complaint deadlines in Chinese working days
    complaints.py  C2-C4  validity, grading, handling, pause, callback, lock (S2)
    services.py    C7   paid special services: done, payment notice, phone callback
    surveys.py     C6   survey opinions: to the department, written measures, callback
    callbacks.py   C4, C6, C7, C10  one keyset-paged list of the callbacks due, four kinds
    board.py       C8   dashboard counts, home-page counters
"""


class Refused(Exception):
    """The step is not allowed now; `reason` names why (the face shows it translated)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Conflict(Exception):
    """Someone else changed the record since the form was shown (optimistic version check)."""
