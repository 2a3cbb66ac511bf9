"""Factory helpers: build what a test needs through the real services."""
import datetime as dt
import re

from sqlalchemy import select

from surveys.db import immediate_transaction
from surveys.invitations import issue_invitations, mint_token
from surveys.models import Invitation, Team
from surveys.people import import_people
from surveys.question_bank import load_bank
from surveys.responses import Submission
from surveys.rounds import create_schedule, open_due_rounds
from tests.log_capture import remember

#: A Monday, so weekly rounds open on Mondays.
START = dt.date(2026, 3, 30)


class Factory:
    """Creates people, teams, schedules, rounds and links for tests."""

    def __init__(self, session):
        self.session = session

    def people(self, teams):
        """Import `teams` = {team slug: (department, size)}; returns the Team objects by slug."""
        lines = ["email,name,team,department,manager_email"]
        for slug, (department, size) in teams.items():
            lines += [f"{slug}.{i}@example.com,Person {i} {slug},{slug},{department},"
                      f"boss.{slug}@example.com" for i in range(size)]
        import_people(self.session, "\n".join(lines) + "\n")
        return {t.slug: t for t in self.session.scalars(select(Team))}

    def schedule(self, teams, cadence="weekly", starts=START, timezone="UTC", open_hour=9):
        """Give each team a schedule from `starts`."""
        with immediate_transaction(self.session):
            for team in teams:
                team.timezone = timezone
                create_schedule(self.session, team, cadence, starts, open_hour=open_hour)

    def open_round(self, teams, now):
        """Schedule `teams` weekly, open the round due at `now`, invite everyone; return rounds."""
        self.schedule(teams)
        with immediate_transaction(self.session):
            rounds = open_due_rounds(self.session, now)
            for survey_round in rounds:
                issue_invitations(self.session, survey_round)
        return rounds

    def link(self, survey_round, index=0):
        """A fresh token for the `index`-th invitation of a round, and that invitation."""
        invitation = self.session.scalars(select(Invitation).where(
            Invitation.round_id == survey_round.id).order_by(Invitation.id)).all()[index]
        token = remember(mint_token(self.session, invitation))
        self.session.commit()
        return token, invitation


def full_submission(survey_round, value=4, enps=8, comment=None):
    """A valid submission answering every item of `survey_round` with `value`."""
    return Submission({item: value for item in survey_round.item_ids}, enps, comment)


def bank():
    """The current question bank."""
    return load_bank()


PASSWORD = remember("correct horse battery staple")


def csrf_from(html):
    """The CSRF token embedded in a rendered form."""
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
    return match.group(1)


def sign_in(client, email, password=PASSWORD):
    """Sign in through the real login form; returns the response."""
    page = client.get("/login")
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": csrf_from(page.get_data(as_text=True))})


def history_csv(team_values, item="lq1_lead_criteria_agreed"):
    """A history CSV: {team: [[values of week 1], [values of week 2], …]} from 2026-W01."""
    lines = ["team,week,item_id,value"]
    for team, weeks in team_values.items():
        for index, values in enumerate(weeks, start=1):
            lines += [f"{team},2026-W{index:02d},{item},{v}" for v in values]
    return "\n".join(lines) + "\n"
