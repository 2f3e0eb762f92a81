"""Shift handover (rule H1): shift logs, the pending items gathered from every register,
handing over and accepting, the daily review. Plain Python, no request.

Other areas add what their register has pending for the next shift with
`kiosk.handover.pending.add_provider(...)` (see pending.py)."""


class HandoverRefused(Exception):
    """A rule refused the action; `reason` names it (handover.labels.REFUSALS has the message)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
