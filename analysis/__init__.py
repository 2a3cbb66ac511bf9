"""Pure analysis for Tandem: text scoring, team-week panels, signal detection, interventions.

This package never imports Flask, SQLAlchemy, `surveys` or `app` (DESIGN §2): thresholds and
word lists are arguments with defaults, so everything here is testable on plain data.
"""
