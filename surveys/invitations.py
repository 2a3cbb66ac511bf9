"""Invitations and their links: who is asked, and the single-use tokens they answer with."""
import hashlib
import secrets

from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

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


def _with_context():
    # Every survey request needs the round, its team and department, and the member (to check
    # the link, lay out the form, date the response): one joined query instead of four lazy ones.
    return (joinedload(Invitation.survey_round).joinedload(SurveyRound.team)
            .joinedload(Team.department), joinedload(Invitation.member))


def _survey_context_statement():
    # Built once, on the tables rather than the mapped classes: a Core statement skips the ORM's
    # compile and row processing, and a prebuilt one is not rebuilt on every request.
    invitations, rounds, teams = Invitation.__table__, SurveyRound.__table__, Team.__table__
    departments, members = Department.__table__, Member.__table__
    return (select(invitations.c.id.label("invitation_id"), invitations.c.used,
                   members.c.active.label("member_active"), rounds.c.id.label("round_id"),
                   rounds.c.state, rounds.c.closes_at, rounds.c.bank_version, rounds.c.item_ids,
                   rounds.c.team_id, teams.c.name.label("team_name"), teams.c.timezone,
                   departments.c.slug.label("department"))
            .select_from(invitations.join(rounds, rounds.c.id == invitations.c.round_id)
                         .join(teams, teams.c.id == rounds.c.team_id)
                         .join(departments, departments.c.id == teams.c.department_id)
                         .join(members, members.c.id == invitations.c.member_id))
            .where(invitations.c.id == bindparam("invitation_id")))


#: Run on the driver (surveys.driver_statements): every survey request reads it.
SURVEY_CONTEXT = DriverStatement(_survey_context_statement())


def survey_context(session, invitation_id):
    """What a survey request needs about an invitation, as one plain row; None if absent.

    Columns: invitation_id, used, member_active, round_id, state, closes_at, bank_version,
    item_ids, team_id, team_name, timezone, department (the team's department slug). Read
    without a lock: whoever writes re-checks what matters in its own statement.
    """
    return survey_context_on(session.connection(), invitation_id)


def survey_context_on(connection, invitation_id):
    """`survey_context` read on a Core connection (one a write transaction holds, say)."""
    if not isinstance(invitation_id, int) or isinstance(invitation_id, bool):
        return None
    return SURVEY_CONTEXT.one_or_none(connection, {"invitation_id": invitation_id})


def check_usable_context(context, now):
    """`check_usable` on a `survey_context` row."""
    check_usable_state(context.used, context.state, context.closes_at, context.member_active, now)


def invitation_for_token(session, token, now):
    """The usable invitation behind a token, or a LinkError saying why it cannot be used."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise LinkUnknown()
    invitation = session.scalar(
        select(Invitation).join(InvitationToken).options(*_with_context())
        .where(InvitationToken.token_hash == hash_token(token)))
    if invitation is None:
        raise LinkUnknown()
    check_usable(invitation, now)
    return invitation


def check_usable(invitation, now):
    """Raise LinkUsed or LinkExpired unless the invitation can still be answered at `now`."""
    survey_round = invitation.survey_round
    check_usable_state(invitation.used, survey_round.state, survey_round.closes_at,
                       invitation.member.active, now)


def check_usable_state(used, round_state, closes_at, member_active, now):
    """`check_usable` on plain values (as one Core row gives them, without ORM objects)."""
    if used:
        raise LinkUsed()
    if round_state != RoundState.OPEN or now >= closes_at:
        raise LinkExpired()
    if not member_active:
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
