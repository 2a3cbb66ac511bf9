"""Invitations and their links: who is asked, and the single-use tokens they answer with."""
import hashlib
import secrets

from sqlalchemy import bindparam, select

from surveys.driver_statements import DriverStatement
from surveys.errors import LinkExpired, LinkUnknown, LinkUsed
from surveys.models import (
    Department, Invitation, InvitationToken, Member, RoundState, SurveyRound, Team)
from surveys.outgoing import keys_to_send

#: 32 random bytes = 256 bits, well above the 128-bit floor of DESIGN §4.
TOKEN_BYTES = 32
#: Longest token we bother hashing; anything longer is not ours.
MAX_TOKEN_LENGTH = 100


def hash_token(token):
    """SHA-256 hex digest of a token; only this is stored."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def issue_invitations(session, survey_round):
    """Invite every active member of the round's team not yet invited; return the new invitations."""
    invited = set(session.scalars(
        select(Invitation.member_id).where(Invitation.round_id == survey_round.id)))
    members = session.scalars(select(Member).where(
        Member.team_id == survey_round.team_id, Member.active).order_by(Member.id))
    new = [Invitation(round_id=survey_round.id, member_id=m.id) for m in members
           if m.id not in invited]
    session.add_all(new)
    session.flush()
    return new


def mint_token(session, invitation):
    """Create a fresh link token for an invitation, store its hash, and return the token."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(InvitationToken(invitation_id=invitation.id, token_hash=hash_token(token)))
    session.flush()
    return token


def _survey_context_statement(by_token=False):
    # Built once, on the tables rather than the mapped classes: a Core statement skips the ORM's
    # compile and row processing, and a prebuilt one is not rebuilt on every request.
    invitations, rounds, teams = Invitation.__table__, SurveyRound.__table__, Team.__table__
    departments, members = Department.__table__, Member.__table__
    joined = (invitations.join(rounds, rounds.c.id == invitations.c.round_id)
              .join(teams, teams.c.id == rounds.c.team_id)
              .join(departments, departments.c.id == teams.c.department_id)
              .join(members, members.c.id == invitations.c.member_id))
    if by_token:
        tokens = InvitationToken.__table__
        joined = joined.join(tokens, tokens.c.invitation_id == invitations.c.id)
        chosen = tokens.c.token_hash == bindparam("token_hash")
    else:
        chosen = invitations.c.id == bindparam("invitation_id")
    return (select(invitations.c.id.label("invitation_id"), invitations.c.used,
                   members.c.active.label("member_active"), rounds.c.id.label("round_id"),
                   rounds.c.state, rounds.c.closes_at, rounds.c.bank_version, rounds.c.item_ids,
                   rounds.c.team_id, teams.c.name.label("team_name"), teams.c.timezone,
                   departments.c.slug.label("department"))
            .select_from(joined).where(chosen))


#: Run on the driver (surveys.driver_statements): every survey request reads one of them.
SURVEY_CONTEXT = DriverStatement(_survey_context_statement())
SURVEY_CONTEXT_BY_TOKEN = DriverStatement(_survey_context_statement(by_token=True))


def survey_context_on(connection, invitation_id):
    """What a survey request needs about an invitation, as one plain row; None if absent.

    Read on a Core connection: an `autocommit_connection` on the survey pages, the write
    transaction's own when storing. Columns: invitation_id, used, member_active, round_id,
    state, closes_at, bank_version, item_ids, team_id, team_name, timezone, department (the
    team's department slug). Read without a lock: whoever writes re-checks what matters in its
    own statement.
    """
    if not isinstance(invitation_id, int) or isinstance(invitation_id, bool):
        return None
    return SURVEY_CONTEXT.one_or_none(connection, {"invitation_id": invitation_id})


def usable_context_for_token(connection, token, now):
    """The `survey_context_on` row of a link's token if it can be used at `now`, else a LinkError.

    Read on a Core connection (an `autocommit_connection` on the survey pages).
    """
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        raise LinkUnknown()
    context = SURVEY_CONTEXT_BY_TOKEN.one_or_none(connection, {"token_hash": hash_token(token)})
    if context is None:
        raise LinkUnknown()
    check_usable_context(context, now)
    return context


def check_usable_context(context, now):
    """Raise LinkUsed or LinkExpired unless a `survey_context_on` row can be answered at `now`."""
    if context.used:
        raise LinkUsed()
    if context.state != RoundState.OPEN or now >= context.closes_at or not context.member_active:
        raise LinkExpired()


def pending_invitations(session, survey_round):
    """Invitations of a round that have not been answered yet."""
    return list(session.scalars(select(Invitation).where(
        Invitation.round_id == survey_round.id, Invitation.used.is_(False))))


def invitation_key(invitation_id):
    """The mail-ledger key of an invitation e-mail."""
    return f"invitation:{invitation_id}"


def invitations_to_mail(session, survey_round, now):
    """Unanswered invitations of active members whose e-mail is unclaimed or due for a retry."""
    by_key = {invitation_key(inv.id): inv for inv in pending_invitations(session, survey_round)
              if inv.member.active}
    return [by_key[key] for key in keys_to_send(session, by_key, now)]
