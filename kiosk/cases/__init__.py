"""The service centre's day (rules C1-C11): intake log, repair work orders, complaints,
callbacks and the supervisor's dashboard. Plain Python: no request, no blueprint.

    intake.py      C1   log a call, visit or letter and route it by its class
    orders.py      C10, C11  work orders: numbering, dispatch, completion, callback, void
    deadlines.py   C3   complaint deadlines in Chinese working days
    complaints.py  C2-C4  validity, grading, handling, pause, callback, lock (S2)
    board.py       C8   callbacks due, dashboard counts, home-page counters
"""


class Refused(Exception):
    """The step is not allowed now; `reason` names why (the face shows it translated)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Conflict(Exception):
    """Someone else changed the record since the form was shown (optimistic version check)."""
