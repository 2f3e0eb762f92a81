"""The holiday schedule a manager keeps (放假调休安排): import of a whole year, single
edits, and the coverage warning the consoles show. Working days themselves are counted
by the ground module kiosk.workdays."""
