"""Household files (一户一档): rules A1-A5, K6, S1-S3 as plain Python (no request).

checklist   the document items of an owner's or a tenant's file (A1)
files       opening files, ticking items, the inventory (A1, A3), the list (masked, S3)
storage     encrypted attachments outside the web root; uploads checked by content
looks       who may look, permission requests, the access log (A2, S1)
identity    caller identity verification before data is given out (A5)
move_in     the move-in checklist (K6, A1), pausable; hook for the key register
inventory   the monthly inventory report of missing documents (A1)
"""
