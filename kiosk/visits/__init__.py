"""Visits and the lobby (V1-V4): registration at the kiosk and the desk, corrections,
the visitor log, exports, upkeep, expected visitors, the watch list and the lobby board."""
