"""The demo organisation: six teams, a quarter of weekly rounds, and friction that builds up.

Everything is created through the real services (people import, schedules, rounds, invitations,
anonymous submissions), so the demo exercises the same code paths as a real organisation. The
story: from week 6, growth-marketing and enterprise-sales drift apart over lead quality and
follow-up, in their answers and in the work messages most people chose to share; every other
team stays healthy.
"""
import datetime as dt
import random

from sqlalchemy import func, select

from app.demo_story import (
    CALM_COMMENTS, FIRST_NAMES, LAST_NAMES, TEAMS, TENSE_COMMENTS, TENSE_PAIR, TENSION_ONSET_WEEK)
from app.demo_messages import load_demo_messages
from app.jobs import run_due_surveys, send_due_digests
from app.scoring import score_comment
from surveys.accounts import create_account, set_password
from surveys.db import immediate_transaction
from surveys.invitations import issue_invitations, mint_token
from surveys.models import Invitation, Manager, Member, Schedule, SurveyRound, Team
from surveys.people import import_people
from surveys.question_bank import load_bank
from surveys.responses import Submission, submit_response
from surveys.rounds import close_finished_rounds, create_schedule, open_due_rounds, round_window
from surveys.signals import detect_and_store

#: Weeks of history before the current round.
HISTORY_WEEKS = 12
#: The demo's admin account and the password every demo account gets.
DEMO_ADMIN = "admin@example.com"
DEMO_PASSWORD = "tandem-demo-password"
#: The demo uses the default group minimum.
DEMO_MIN_GROUP = 5
DEMO_TIMEZONE = "Europe/London"


class DemoError(Exception):
    """The demo cannot be loaded (for example, the database already has people)."""


def load_demo(session, now, transport, base_url, password=DEMO_PASSWORD, seed=7):
    """Load the demo into an empty database, detect its signals, open this week's round, and
    e-mail the survey links and every manager's digest (to the outbox unless SMTP is set)."""
    if session.scalar(select(func.count()).select_from(Member)):
        raise DemoError("the database already has people; the demo loads only into an empty one")
    rng = random.Random(seed)
    import_people(session, people_csv(rng))
    _prepare_accounts(session, now, password)
    _schedule_teams(session, now)
    bank = load_bank()
    for week in range(HISTORY_WEEKS):
        _answer_week(session, week, now, bank, rng)
    load_demo_messages(session, [_round_start(session, w) for w in range(HISTORY_WEEKS)], now, rng)
    report = run_due_surveys(session, now, transport)
    signals = detect_and_store(session, now, DEMO_MIN_GROUP, DEMO_MIN_GROUP)
    digests = send_due_digests(session, now, transport)
    return _summary(session, now, base_url, report, signals, digests, password)


def _prepare_accounts(session, now, password):
    """Demo managers get a password, an admin joins them, and digests are due today."""
    for manager in session.scalars(select(Manager)):
        set_password(session, manager, password)
    create_account(session, DEMO_ADMIN, "Ada Admin", "admin", password=password)
    with immediate_transaction(session):
        for manager in session.scalars(select(Manager)):
            manager.digest_weekday, manager.digest_hour = now.weekday(), 0


def people_csv(rng):
    """The demo people directory as the CSV an admin would import."""
    lines = ["email,name,team,department,manager_email"]
    names = iter(rng.sample([(f, l) for f in FIRST_NAMES for l in LAST_NAMES], 80))
    for team, department, size, manager in TEAMS:
        for _ in range(size):
            first, last = next(names)
            lines.append(f"{first.lower()}.{last.lower()}@example.com,{first} {last},"
                         f"{team.replace('-', ' ').title()},{department},{manager}")
    return "\n".join(lines) + "\n"


def _schedule_teams(session, now):
    # Rounds open at midnight on today's weekday, so the current round is open whenever the demo runs.
    starts = now.date() - dt.timedelta(weeks=HISTORY_WEEKS)
    with immediate_transaction(session):
        for team in session.scalars(select(Team)):
            team.timezone = DEMO_TIMEZONE
            create_schedule(session, team, "weekly", starts, open_hour=0)


def _answer_week(session, week, now, bank, rng):
    """Open the week's rounds, let people answer through the real service, then close them."""
    opened_at = _round_start(session, week) + dt.timedelta(hours=1)
    with immediate_transaction(session):
        rounds = open_due_rounds(session, opened_at, bank)
        invitations = [inv for r in rounds for inv in issue_invitations(session, r)]
    for invitation in invitations:
        team = invitation.survey_round.team
        if rng.random() < _participation(team.slug, week):
            answered_at = opened_at + dt.timedelta(hours=rng.uniform(1, 90))
            submit_response(session, invitation.id, _submission(team, invitation.survey_round,
                                                                  week, bank, rng),
                            answered_at, score_comment)
    with immediate_transaction(session):
        close_finished_rounds(session, max(r.closes_at for r in rounds))


def _round_start(session, week):
    # Every demo team shares one calendar, so any schedule tells when the week's rounds open.
    schedule = session.scalars(select(Schedule)).first()
    return round_window(schedule, week)[0]


def _participation(team, week):
    tense = team in TENSE_PAIR and week >= TENSION_ONSET_WEEK
    return 0.9 - (0.02 * (week - TENSION_ONSET_WEEK) if tense else 0.0)


def _tension(team, week):
    """How far (in scale points) a team's answers have slid by `week`."""
    if team not in TENSE_PAIR or week < TENSION_ONSET_WEEK:
        return 0.0
    return min(0.3 * (week - TENSION_ONSET_WEEK + 1), 1.6)


#: Drivers that suffer most when marketing and sales fall out over leads.
STRAINED_DRIVERS = {"lead_quality": 1.0, "feedback_loop": 1.0, "respect_trust": 0.8,
                    "communication": 0.7, "shared_goals": 0.6, "conflict_handling": 0.5}


def _submission(team, survey_round, week, bank, rng):
    slide = _tension(team.slug, week)
    answers = {}
    for item_id in survey_round.item_ids:
        driver = bank.by_id(item_id).driver
        mean = 4.0 - slide * STRAINED_DRIVERS.get(driver, 0.15)
        if item_id.startswith("pair_"):
            # Marketing feels its leads vanish into sales; sales thinks the handover is fine but
            # the leads are poor: the two sides drift apart on the paired statements.
            mean = 4.0 - slide * (1.2 if team.department.slug == "marketing" else 0.3)
        answers[item_id] = min(5, max(1, round(rng.gauss(mean, 0.8))))
    enps = min(10, max(0, round(rng.gauss(8.3 - 1.3 * slide, 1.3))))
    return Submission(answers, enps, _comment(team, slide, rng))


def _comment(team, slide, rng):
    if slide > 0 and rng.random() < 0.35 + 0.2 * slide:
        return rng.choice(TENSE_COMMENTS[team.department.slug])
    return rng.choice(CALM_COMMENTS) if rng.random() < 0.3 else None


def _summary(session, now, base_url, report, signals, digests, password):
    current = session.scalars(select(SurveyRound).where(SurveyRound.opens_at <= now)
                              .order_by(SurveyRound.opens_at.desc())).first()
    member = session.scalars(select(Member).where(Member.team_id == current.team_id)).first()
    invitation = session.scalar(select(Invitation).where(Invitation.round_id == current.id,
                                                         Invitation.member_id == member.id))
    token = mint_token(session, invitation)
    session.commit()
    return (f"Demo organisation loaded: {len(TEAMS)} teams, {HISTORY_WEEKS} weeks of answers.\n"
            f"Signals: {signals}. Digests sent: {digests}.\n"
            f"This week's round: {report}.\n"
            f"E-mails (invitations, digests) are in the outbox folder.\n\n"
            f"Manager view: {base_url}/login\n"
            f"  the tense pair's managers: {TEAMS[0][3]} and {TEAMS[3][3]}\n"
            f"  an admin: {DEMO_ADMIN}\n"
            f"  password for every demo account: {password}\n\n"
            f"Answer this week's pulse as {member.name} ({current.team.name}):\n"
            f"  {base_url}/s/{token}")
