"""Storing anonymous answers, and counting them (counts only, never who)."""
import functools
import secrets
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ScalarSelect

from surveys.db import ROW_LOCKS, core_connection, immediate_transaction_on
from surveys.driver_statements import DriverStatement
from surveys.errors import InvalidAnswers, LinkUnknown, LinkUsed
from surveys.invitations import check_usable_context, survey_context_on
from surveys.models import (
    Answer, Invitation, Member, Response, RoundState, SurveyRound, Team)

#: Longest comment kept; longer text is refused with a message, not cut silently.
MAX_COMMENT_LENGTH = 2000


@dataclass(frozen=True)
class Submission:
    """What a person answered: item id → 1..5, the 0–10 recommend score, an optional comment."""

    answers: dict
    enps: int | None = None
    comment: str | None = None


@dataclass(frozen=True)
class RoundRate:
    """How many were invited to a round and how many answered."""

    round_id: int
    team_id: int
    week: str
    invited: int
    responded: int


def validate_submission(survey_round, submission):
    """Raise InvalidAnswers unless the submission answers exactly the round's items, in range.

    `survey_round` is anything with `item_ids`: a round, or a `survey_context_on` row.
    """
    asked = set(survey_round.item_ids)
    if set(submission.answers) != asked:
        raise InvalidAnswers("answers must cover exactly the items of this round")
    if any(not isinstance(v, int) or isinstance(v, bool) or not 1 <= v <= 5
           for v in submission.answers.values()):
        raise InvalidAnswers("each answer must be a whole number from 1 to 5")
    if submission.enps is not None and not 0 <= submission.enps <= 10:
        raise InvalidAnswers("the recommend score must be from 0 to 10")
    if submission.comment and len(submission.comment) > MAX_COMMENT_LENGTH:
        raise InvalidAnswers(f"the comment must be at most {MAX_COMMENT_LENGTH} characters")


def submit_response(session, invitation_id, submission, now, score_comment=None, context=None):
    """Store an anonymous response and mark the invitation used, in one transaction.

    `context` is the invitation's `survey_context_on` row when the caller has read it already (a
    page that laid out its form from it): the link and the answers are then checked before the
    write transaction. Either way the write checks the link in one conditional UPDATE (unused,
    round open and before its close, member active), whatever changed meanwhile, so a second
    use of a link stores nothing whatever the interleaving; the answers are checked against the
    round's items that UPDATE returns, and refusing them rolls the whole write back.
    `score_comment(text)` (optional) returns a dict with "sentiment", "tension" and "friction"
    as the text scorer does; it runs before the write lock is taken. Returns the response id.
    """
    comment = (submission.comment or "").strip() or None
    if context is not None:
        _check(context, submission, now)
    scores = score_comment(comment) if comment and score_comment else None
    # Every statement is Core, so the write runs on a connection of its own, without the ORM.
    with core_connection(session) as connection:
        # Row locks suffice on PostgreSQL: the conditional UPDATE locks the invitation's row,
        # and a second use waits for it and then finds the flag set. SQLite takes BEGIN
        # IMMEDIATE. Marking the link used also returns what the response row needs (its
        # round, team, items and time zone), so the write reads nothing of its own: one
        # statement and one round trip fewer than a read before the UPDATE.
        with immediate_transaction_on(connection, scope=ROW_LOCKS):
            marked = _mark_used(connection, invitation_id, now)
            # A round's items and team are fixed when it is created; refusing the answers here
            # rolls the mark back with everything else.
            validate_submission(marked, submission)
            response_id = _insert_response(connection, marked, submission, comment, scores, now)
    return response_id


def _check(context, submission, now):
    """Raise a LinkError or InvalidAnswers unless `submission` may be stored for `context`."""
    if context is None:
        raise LinkUnknown()
    check_usable_context(context, now)
    validate_submission(context, submission)


class _QualifiedSubquery(ScalarSelect):
    """A scalar subquery whose columns keep their table names on every database.

    SQLAlchemy's SQLite compiler writes RETURNING columns without their table's name, and that
    reaches into a subquery in the clause: `rounds.id = invitations.round_id` would come out as
    `id = round_id`, which a join inside the subquery makes ambiguous. SQLite itself accepts
    the qualified names, so this subquery writes them.
    """

    inherit_cache = True


@compiles(_QualifiedSubquery)
def _compile_qualified_subquery(element, compiler, **kw):
    kw["include_table"] = True
    return compiler.visit_grouping(element, **kw)


def _mark_used_statement():
    invitations, rounds = Invitation.__table__, SurveyRound.__table__
    members, teams = Member.__table__, Team.__table__
    its_round = rounds.c.id == invitations.c.round_id
    round_open = (select(rounds.c.id).where(
        its_round, rounds.c.state == RoundState.OPEN,
        rounds.c.closes_at > bindparam("now", type_=rounds.c.closes_at.type)).exists())
    member_active = select(members.c.id).where(
        members.c.id == invitations.c.member_id, members.c.active.is_(True)).exists()

    def of_its_round(column, joined=rounds):
        return _QualifiedSubquery(select(column).select_from(joined).where(its_round)).label(
            column.name)

    return (update(invitations)
            .where(invitations.c.id == bindparam("invitation_id"),
                   invitations.c.used.is_(False), round_open, member_active)
            .values(used=True)
            .returning(invitations.c.round_id, of_its_round(rounds.c.team_id),
                       of_its_round(rounds.c.item_ids),
                       of_its_round(teams.c.timezone,
                                    rounds.join(teams, teams.c.id == rounds.c.team_id))))


#: The single-use guarantee, as one statement built once: only one transaction can flip the
#: flag, and only while the round is open and the person active. It returns the round_id,
#: team_id, item_ids and timezone the response is stored with.
MARK_USED = DriverStatement(_mark_used_statement())


def _mark_used(connection, invitation_id, now):
    """Flip the invitation's flag; returns its MARK_USED row, or raises the LinkError why not."""
    marked = MARK_USED.one_or_none(connection, {"invitation_id": invitation_id, "now": now})
    if marked is None:
        # Rare: say why, from what is committed now (the transaction is rolled back anyway).
        context = survey_context_on(connection, invitation_id)
        if context is None:
            raise LinkUnknown()
        check_usable_context(context, now)
        raise LinkUsed()
    return marked


#: Built once, and run on the driver (surveys.driver_statements): the survey's hot path.
INSERT_RESPONSE = DriverStatement(insert(Response.__table__))
ANSWER_COLUMNS = ("response_id", "item_id", "value", "round_id")


def _insert_answers(connection, rows):
    """Insert answer rows (dicts of ANSWER_COLUMNS) in one statement."""
    values = {f"{column}_{number}": row[column]
              for number, row in enumerate(rows) for column in ANSWER_COLUMNS}
    _answers_insert(len(rows)).execute(connection, values)


@functools.lru_cache(maxsize=64)
def _answers_insert(count):
    """One INSERT of `count` answer rows (bind names `<column>_<row>`), built once per count.

    One statement with many rows instead of an executemany: on PostgreSQL, psycopg sends an
    executemany as one statement per row, and each costs the server its own execution.
    A round asks a fixed set of items, so a process builds a handful of these at most.
    """
    rows = [{column: bindparam(f"{column}_{row}") for column in ANSWER_COLUMNS}
            for row in range(count)]
    return DriverStatement(insert(Answer.__table__).values(rows))


def _insert_response(connection, context, submission, comment, scores, now):
    # Core inserts: the response row, then its ~10 answers in one statement. The ORM's unit of
    # work (identity map, cascades, per-object flush) cost more than the rows themselves.
    response_id = secrets.token_hex(16)
    local_day = now.astimezone(ZoneInfo(context.timezone)).date()
    row = {"id": response_id, "round_id": context.round_id, "team_id": context.team_id,
           "submitted_on": local_day, "enps": submission.enps, "comment": comment,
           "comment_sentiment": None, "comment_tension": None, "comment_friction": None}
    if scores:
        row.update(comment_scores(scores))
    INSERT_RESPONSE.execute(connection, row)
    _insert_answers(connection, [
        {"response_id": response_id, "item_id": item, "value": value, "round_id": context.round_id}
        for item, value in sorted(submission.answers.items())])
    return response_id


def comment_scores(scores):
    """The response columns a scorer result (DESIGN §5) fills."""
    return {"comment_sentiment": scores["sentiment"]["compound"],
            "comment_tension": scores["tension"],
            "comment_friction": sorted({f["category"] for f in scores["friction"]})}


def apply_comment_scores(response, scores):
    """Copy a scorer result (DESIGN §5) onto a response; nothing when there are no scores."""
    if scores:
        for column, value in comment_scores(scores).items():
            setattr(response, column, value)


def response_rates(session, round_ids=None):
    """Invited and responded counts per round (counts only; who answered is never recorded)."""
    invited = (select(Invitation.round_id, func.count().label("invited"))
               .group_by(Invitation.round_id).subquery())
    responded = (select(Response.round_id, func.count().label("responded"))
                 .group_by(Response.round_id).subquery())
    query = (select(SurveyRound.id, SurveyRound.team_id, SurveyRound.week,
                    func.coalesce(invited.c.invited, 0), func.coalesce(responded.c.responded, 0))
             .outerjoin(invited, invited.c.round_id == SurveyRound.id)
             .outerjoin(responded, responded.c.round_id == SurveyRound.id)
             .order_by(SurveyRound.opens_at, SurveyRound.team_id))
    if round_ids is not None:
        query = query.where(SurveyRound.id.in_(list(round_ids)))
    return [RoundRate(*row) for row in session.execute(query)]
