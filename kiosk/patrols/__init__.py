"""Patrols (P1-P8): the walk on a tablet, schedules, checklist templates, rectification
tasks, reports and the demo patrols."""
