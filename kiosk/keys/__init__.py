"""The key cabinet (rules K1-K6): register, loans and returns, emergencies, anomalies.

Plain Python, no request. Public functions other areas may call:
`register.cabinet_count(site_id)` (handover H1), `loans.on_loan(site_id, limit)`,
`owners.hand_to_owner(...)` (move-in K6, for the household files' checklist).
"""


class KeyRefused(Exception):
    """A rule refused the action; `reason` names it (keys.labels.REFUSALS has the message)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
