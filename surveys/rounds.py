"""Round timing and lifecycle: open what is due, close what is over, with guarded transitions."""
import calendar
import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from surveys.errors import InvalidTransition
from surveys.models import Cadence, RoundState, Schedule, SurveyRound
from surveys.question_bank import load_bank, plan_round_items

#: Days a round stays open by default for each cadence.
DEFAULT_OPEN_DAYS = {Cadence.WEEKLY: 5, Cadence.FORTNIGHTLY: 7, Cadence.MONTHLY: 10}


def iso_week(day):
    """The ISO week label of a date, e.g. "2026-W14"."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _add_months(day, months):
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def round_open_date(schedule, number):
    """Local calendar date on which round `number` of a schedule opens."""
    if schedule.cadence == Cadence.MONTHLY:
        return _add_months(schedule.starts_on, number)
    step = 7 if schedule.cadence == Cadence.WEEKLY else 14
    return schedule.starts_on + dt.timedelta(days=step * number)


def round_window(schedule, number):
    """(opens_at, closes_at) of round `number`, as aware UTC datetimes."""
    zone = ZoneInfo(schedule.team.timezone)
    local_open = dt.datetime.combine(round_open_date(schedule, number),
                                     dt.time(schedule.open_hour), tzinfo=zone)
    local_close = local_open + dt.timedelta(days=schedule.open_days)
    return local_open.astimezone(dt.timezone.utc), local_close.astimezone(dt.timezone.utc)


def current_round_number(schedule, now):
    """The round of `schedule` that should be open at `now`, or None between rounds."""
    local_today = now.astimezone(ZoneInfo(schedule.team.timezone)).date()
    if local_today < schedule.starts_on:
        return None
    number = _rounds_elapsed(schedule, local_today)
    for candidate in (number, number - 1):
        if candidate >= 0:
            opens_at, closes_at = round_window(schedule, candidate)
            if opens_at <= now < closes_at:
                return candidate
    return None


def _rounds_elapsed(schedule, local_today):
    if schedule.cadence == Cadence.MONTHLY:
        months = (local_today.year - schedule.starts_on.year) * 12
        return months + local_today.month - schedule.starts_on.month
    step = 7 if schedule.cadence == Cadence.WEEKLY else 14
    return (local_today - schedule.starts_on).days // step


def plan_round(schedule, number, bank):
    """A draft round for `schedule` with its window and items chosen from the bank."""
    opens_at, closes_at = round_window(schedule, number)
    local_open = opens_at.astimezone(ZoneInfo(schedule.team.timezone)).date()
    items = plan_round_items(bank, schedule.cadence.value, number, schedule.team.department.slug)
    return SurveyRound(team_id=schedule.team_id, number=number, state=RoundState.DRAFT,
                       opens_at=opens_at, closes_at=closes_at, week=iso_week(local_open),
                       bank_version=bank.version, item_ids=list(items))


def open_round(survey_round, now):
    """Move a draft round to open; only allowed inside its window."""
    if survey_round.state != RoundState.DRAFT:
        raise InvalidTransition(f"round {survey_round.id} is {survey_round.state.value}, not draft")
    if not survey_round.opens_at <= now < survey_round.closes_at:
        raise InvalidTransition(f"round {survey_round.id} cannot open outside its window")
    survey_round.state = RoundState.OPEN


def close_round(survey_round, now):
    """Move an open round to closed once its window is over."""
    if survey_round.state != RoundState.OPEN:
        raise InvalidTransition(f"round {survey_round.id} is {survey_round.state.value}, not open")
    if now < survey_round.closes_at:
        raise InvalidTransition(f"round {survey_round.id} is still within its window")
    survey_round.state = RoundState.CLOSED


def open_due_rounds(session, now, bank=None):
    """Create and open every round that should be open at `now`; return the rounds opened."""
    bank = bank or load_bank()
    opened = []
    for schedule in session.scalars(select(Schedule).where(Schedule.active)):
        number = current_round_number(schedule, now)
        if number is None or _round_exists(session, schedule.team_id, number):
            continue
        survey_round = plan_round(schedule, number, bank)
        open_round(survey_round, now)
        if _insert_round(session, survey_round):
            opened.append(survey_round)
    return opened


def _round_exists(session, team_id, number):
    query = select(SurveyRound.id).where(SurveyRound.team_id == team_id,
                                         SurveyRound.number == number)
    return session.scalar(query) is not None


def _insert_round(session, survey_round):
    # Another runner may have opened the same round a moment ago: the unique key decides.
    try:
        with session.begin_nested():
            session.add(survey_round)
        return True
    except IntegrityError:
        return False


def close_finished_rounds(session, now):
    """Close every open round whose window is over; return the rounds closed."""
    query = select(SurveyRound).where(SurveyRound.state == RoundState.OPEN,
                                      SurveyRound.closes_at <= now)
    closed = list(session.scalars(query))
    for survey_round in closed:
        close_round(survey_round, now)
    return closed


def open_rounds(session):
    """Every round currently open, oldest first."""
    query = select(SurveyRound).where(SurveyRound.state == RoundState.OPEN)
    return list(session.scalars(query.order_by(SurveyRound.opens_at)))


def create_schedule(session, team, cadence, starts_on, open_days=None, open_hour=9):
    """Give a team a survey schedule (or replace its cadence); returns the schedule."""
    cadence = Cadence(cadence)
    schedule = session.scalar(select(Schedule).where(Schedule.team_id == team.id))
    if schedule is None:
        schedule = Schedule(team=team)
        session.add(schedule)
    schedule.cadence, schedule.starts_on, schedule.open_hour = cadence, starts_on, open_hour
    schedule.open_days = open_days or DEFAULT_OPEN_DAYS[cadence]
    schedule.active = True
    return schedule
