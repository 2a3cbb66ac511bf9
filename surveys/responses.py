"""Storing anonymous answers, and counting them (counts only, never who)."""
import secrets
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select, update

from surveys.db import immediate_transaction
from surveys.errors import InvalidAnswers, LinkUnknown, LinkUsed
from surveys.invitations import check_usable_state
from surveys.models import Answer, Invitation, Member, Response, SurveyRound, Team

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
    """Raise InvalidAnswers unless the submission answers exactly the round's items, in range."""
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


def submit_response(session, invitation_id, submission, now, score_comment=None):
    """Store an anonymous response and mark the invitation used, in one transaction.

    `score_comment(text)` (optional) returns a dict with "sentiment", "tension" and "friction"
    as the text scorer does; it runs before the write lock is taken. Returns the response id.
    """
    comment = (submission.comment or "").strip() or None
    scores = score_comment(comment) if comment and score_comment else None
    with immediate_transaction(session):
        state = _submission_state(session, invitation_id)
        if state is None:
            raise LinkUnknown()
        check_usable_state(state.used, state.state, state.closes_at, state.member_active, now)
        validate_submission(state, submission)
        _mark_used(session, invitation_id)
        response_id = _insert_response(session, state, submission, comment, scores, now)
    return response_id


def _submission_state(session, invitation_id):
    # What the write must re-check under the lock, read as one Core row: a joined ORM load with
    # populate_existing cost a third of the request for the same four values.
    return session.execute(
        select(Invitation.used, Member.active.label("member_active"), SurveyRound.id,
               SurveyRound.state, SurveyRound.closes_at, SurveyRound.item_ids,
               SurveyRound.team_id, Team.timezone)
        .join(SurveyRound, SurveyRound.id == Invitation.round_id)
        .join(Team, Team.id == SurveyRound.team_id)
        .join(Member, Member.id == Invitation.member_id)
        .where(Invitation.id == invitation_id)).one_or_none()


def _mark_used(session, invitation_id):
    # The conditional update is the single-use guarantee: only one transaction can flip the flag.
    result = session.execute(update(Invitation)
                             .where(Invitation.id == invitation_id, Invitation.used.is_(False))
                             .values(used=True))
    if result.rowcount != 1:
        raise LinkUsed()


def _insert_response(session, survey_round, submission, comment, scores, now):
    # Core inserts: the response row, then its ~10 answers in one executemany. The ORM's unit of
    # work (identity map, cascades, per-object flush) cost more than the rows themselves.
    response_id = secrets.token_hex(16)
    local_day = now.astimezone(ZoneInfo(survey_round.timezone)).date()
    row = {"id": response_id, "round_id": survey_round.id, "team_id": survey_round.team_id,
           "submitted_on": local_day, "enps": submission.enps, "comment": comment,
           "comment_sentiment": None, "comment_tension": None, "comment_friction": None}
    if scores:
        row.update(comment_scores(scores))
    session.execute(insert(Response.__table__), [row])
    session.execute(insert(Answer.__table__), [
        {"response_id": response_id, "item_id": item, "value": value, "round_id": survey_round.id}
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
