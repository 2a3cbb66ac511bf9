"""The Tandem domain: people and teams, survey rounds, invitations, anonymous responses, mail ledger.

Service functions take a SQLAlchemy session and an explicit `now`; nothing here imports Flask.
"""
