"""Importing anonymous answers from another survey tool, so history and backtests can start early.

Columns: `team, week, item_id, value` and an optional `comment`. Each line is one person's answer
to one item (the files of other tools carry no respondent ids, and we would not want them). Every
team-week becomes a closed round of its own; a week a team already has answers for is refused, so
importing a file twice cannot double it.
"""
import csv
import datetime as dt
import io
import secrets
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from surveys.db import immediate_transaction
from surveys.errors import ImportRowError
from surveys.models import Answer, Response, RoundState, SurveyRound, Team
from surveys.question_bank import load_bank
from surveys.responses import MAX_COMMENT_LENGTH, apply_comment_scores

HISTORY_COLUMNS = ("team", "week", "item_id", "value")


@dataclass(frozen=True)
class HistoryRow:
    """One validated line: an answer of one person to one item, in one team-week."""

    line: int
    team: str
    week: str
    item_id: str
    value: int
    comment: str | None


def parse_week(text):
    """The Monday of an ISO week label such as "2026-W14"; ValueError if there is no such week."""
    year, _, week = text.partition("-W")
    try:
        return dt.date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        raise ValueError(f"week {text!r} is not an ISO week like 2026-W14") from None


def parse_history_csv(text, team_slugs, bank):
    """Validate every line; return rows, or raise ImportRowError listing each bad line."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in HISTORY_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ImportRowError([(1, f"missing column(s): {', '.join(missing)}")])
    rows, problems = [], []
    for number, record in enumerate(reader, start=2):
        try:
            rows.append(_history_row(number, record, team_slugs, bank))
        except ValueError as error:
            problems.append((number, str(error)))
    if problems or not rows:
        raise ImportRowError(problems or [(1, "the file has no answers in it")])
    return rows


def _history_row(number, record, team_slugs, bank):
    if None in record:
        raise ValueError("more fields than the header has columns")
    if any("\x00" in (v or "") for v in record.values()):
        raise ValueError("contains a NUL character, which cannot be stored")
    team, week, item_id, value = (str(record.get(c) or "").strip() for c in HISTORY_COLUMNS)
    if team not in team_slugs:
        raise ValueError(f"unknown team {team!r}")
    parse_week(week)
    low, high = _scale_of(item_id, bank)
    if not value.isdigit() or not low <= int(value) <= high:
        raise ValueError(f"value {value!r} must be a whole number from {low} to {high}")
    comment = (record.get("comment") or "").strip() or None
    if comment and len(comment) > MAX_COMMENT_LENGTH:
        raise ValueError(f"comment is longer than {MAX_COMMENT_LENGTH} characters")
    return HistoryRow(number, team, week, item_id, int(value), comment)


def _scale_of(item_id, bank):
    if item_id == bank.recommend.id:
        return 0, 10
    try:
        bank.by_id(item_id)
    except LookupError:
        raise ValueError(f"unknown item_id {item_id!r}") from None
    return 1, 5


def import_history(session, text, score_comment=None):
    """Store the answers of a history file as closed rounds, all or nothing; returns the count."""
    bank = load_bank()
    teams = {t.slug: t for t in session.scalars(select(Team))}
    rows = parse_history_csv(text, teams, bank)
    scores = {r.line: score_comment(r.comment) for r in rows if r.comment and score_comment}
    groups = defaultdict(list)
    for row in rows:
        groups[(row.team, row.week)].append(row)
    with immediate_transaction(session):
        _refuse_weeks_with_answers(session, groups, teams)
        for (team, week), group in groups.items():
            _store_team_week(session, teams[team], week, group, scores, bank)
    return len(rows)


def _refuse_weeks_with_answers(session, groups, teams):
    existing = set(session.execute(select(SurveyRound.team_id, SurveyRound.week)))
    problems = [(group[0].line, f"team {team} already has answers for {week}")
                for (team, week), group in groups.items() if (teams[team].id, week) in existing]
    if problems:
        raise ImportRowError(sorted(problems))


def _store_team_week(session, team, week, rows, scores, bank):
    monday = dt.datetime.combine(parse_week(week), dt.time(), tzinfo=dt.timezone.utc)
    survey_round = SurveyRound(team_id=team.id, number=None, state=RoundState.CLOSED, week=week,
                               opens_at=monday, closes_at=monday + dt.timedelta(days=7),
                               bank_version=bank.version,
                               item_ids=sorted({r.item_id for r in rows} - {bank.recommend.id}))
    session.add(survey_round)
    session.flush()
    for row in rows:
        session.add(_response(survey_round, row, scores.get(row.line), bank))


def _response(survey_round, row, score, bank):
    response = Response(id=secrets.token_hex(16), round_id=survey_round.id,
                        team_id=survey_round.team_id, submitted_on=survey_round.opens_at.date(),
                        comment=row.comment)
    if row.item_id == bank.recommend.id:
        response.enps = row.value
    else:
        response.answers = [Answer(item_id=row.item_id, value=row.value,
                                   round_id=survey_round.id)]
    apply_comment_scores(response, score)
    return response
