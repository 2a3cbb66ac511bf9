"""Links: strong random tokens, stored only as hashes, refused when used, closed or deactivated."""
import pytest
from sqlalchemy import select

from surveys.errors import LinkExpired, LinkUnknown, LinkUsed
from surveys.invitations import (
    hash_token, issue_invitations, survey_context_on, usable_context_for_token)
from surveys.models import Invitation, InvitationToken, Member
from surveys.responses import submit_response
from surveys.rounds import close_finished_rounds
from tests.conftest import NOW
from tests.factories import full_submission


def invitation_id_for_token(session, token, now):
    """The id of the invitation a usable token opens (a LinkError otherwise)."""
    return usable_context_for_token(session.connection(), token, now).invitation_id


def test_tokens_are_long_random_and_only_their_hash_is_stored(session, factory, open_round):
    token, invitation = factory.link(open_round)
    assert len(token) >= 43  # 32 bytes of base64: 256 bits
    stored = session.scalar(select(InvitationToken))
    assert stored.token_hash == hash_token(token) and token not in stored.token_hash
    assert invitation_id_for_token(session, token, NOW) == invitation.id


def test_a_token_opens_the_same_context_as_its_invitation(session, factory, open_round):
    token, invitation = factory.link(open_round)
    by_token = usable_context_for_token(session.connection(), token, NOW)
    by_id = survey_context_on(session.connection(), invitation.id)
    assert by_token == by_id and by_token.invitation_id == invitation.id


def test_issue_invitations_is_idempotent_and_skips_inactive_members(session, open_round):
    member = session.scalars(select(Member)).first()
    member.active = False
    session.commit()
    assert issue_invitations(session, open_round) == []
    assert len(session.scalars(select(Invitation)).all()) == 6


@pytest.mark.parametrize(
    "token", ["", "x", "A" * 43, "A" * 5000, "../../etc/passwd", "\x00", "\udcff"])
def test_unknown_or_tampered_tokens_are_refused(session, factory, open_round, token):
    with pytest.raises(LinkUnknown):
        invitation_id_for_token(session, token, NOW)


def test_a_tampered_real_token_is_refused(session, factory, open_round):
    token, _ = factory.link(open_round)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    with pytest.raises(LinkUnknown):
        invitation_id_for_token(session, tampered, NOW)


def test_a_used_link_is_refused(session, factory, open_round):
    token, invitation = factory.link(open_round)
    submit_response(session, invitation.id, full_submission(open_round), NOW)
    with pytest.raises(LinkUsed):
        invitation_id_for_token(session, token, NOW)


def test_a_link_dies_when_the_round_closes(session, factory, open_round):
    token, _ = factory.link(open_round)
    with pytest.raises(LinkExpired):
        invitation_id_for_token(session, token, open_round.closes_at)
    close_finished_rounds(session, open_round.closes_at)
    session.commit()
    with pytest.raises(LinkExpired):
        invitation_id_for_token(session, token, NOW)


def test_a_link_dies_when_the_person_is_deactivated(session, factory, open_round):
    token, invitation = factory.link(open_round)
    invitation.member.active = False
    session.commit()
    with pytest.raises(LinkExpired):
        invitation_id_for_token(session, token, NOW)


def test_every_minted_link_of_an_invitation_works_until_it_is_used(session, factory, open_round):
    first, invitation = factory.link(open_round)
    second, _ = factory.link(open_round)
    assert invitation_id_for_token(session, first, NOW) == invitation_id_for_token(session, second, NOW)
