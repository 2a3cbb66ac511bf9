"""Consent: append-only records, the notice version, and withdrawal that deletes at once."""
import pytest
from sqlalchemy import func, select

from surveys.errors import MessagesDisabled, TandemError
from surveys.messages.consent import (
    consent_status, consenting_authors, opted_in_members, shown_count, withdraw_consent)
from surveys.messages.ingest import import_messages
from surveys.messages.switch import current_switch, disable_sampling
from surveys.models import MessageConsent
from tests.conftest import NOW
from tests.message_factories import members, opt_in, raw, sample_count, switch_on


@pytest.fixture
def team(session, factory):
    factory.people({"growth": ("marketing", 6)})
    switch_on(session, NOW)
    return members(session)


def test_sampling_is_off_until_an_admin_switches_it_on(session, factory):
    factory.people({"growth": ("marketing", 2)})
    with pytest.raises(MessagesDisabled):
        import_messages(session, "csv", [], NOW)
    with pytest.raises(MessagesDisabled):
        opt_in(session, members(session), NOW)


def test_the_consent_lifecycle_opt_in_import_withdraw_deletes_the_rows(session, team):
    alice, bob = team[0], team[1]
    opt_in(session, [alice, bob], NOW)
    report = import_messages(session, "slack", [raw(alice, "Thanks for the leads!", 1),
                                                raw(bob, "Great call today.", 2),
                                                raw(alice, "Where is the deck?", 3)], NOW)
    assert report.stored == 3 and sample_count(session, member_id=alice.id) == 2
    assert withdraw_consent(session, alice, NOW) == 2
    assert sample_count(session, member_id=alice.id) == 0 and sample_count(session) == 1
    again = import_messages(session, "slack", [raw(alice, "One more thing.", 4)], NOW)
    assert again.no_consent == 1 and sample_count(session, member_id=alice.id) == 0
    actions = session.scalars(select(MessageConsent.action).where(
        MessageConsent.member_id == alice.id).order_by(MessageConsent.id)).all()
    assert actions == ["grant", "withdraw"]  # both kept: the record is append-only


def test_consent_is_per_source(session, team):
    opt_in(session, [team[0]], NOW, scope=["csv"])
    version = consent_status(session, team[0]).notice_version
    assert team[0].email in consenting_authors(session, "csv", version)
    assert team[0].email not in consenting_authors(session, "slack", version)
    with pytest.raises(TandemError):
        opt_in(session, [team[1]], NOW, scope=["email"])


def test_a_new_notice_needs_a_fresh_opt_in(session, team):
    opt_in(session, team[:2], NOW)
    assert consent_status(session, team[0]).sharing
    switch_on(session, NOW, notice="A different notice text.")
    assert not consent_status(session, team[0]).sharing
    report = import_messages(session, "api", [raw(team[0], "hello", 1)], NOW)
    assert report.no_consent == 1 and sample_count(session) == 0


def test_switching_off_stops_imports_but_withdrawal_still_works(session, team):
    opt_in(session, team[:1], NOW)
    import_messages(session, "api", [raw(team[0], "hello there", 1)], NOW)
    disable_sampling(session, "admin@example.com", NOW)
    with pytest.raises(MessagesDisabled):
        import_messages(session, "api", [raw(team[0], "more", 2)], NOW)
    assert not consent_status(session, team[0]).sharing
    assert withdraw_consent(session, team[0], NOW) == 1 and sample_count(session) == 0


def test_opted_in_counts_are_shown_only_at_the_minimum(session, team):
    version = current_switch(session).notice_version
    opt_in(session, team[:4], NOW)
    assert shown_count(opted_in_members(session, version), 5) is None
    opt_in(session, team[4:5], NOW)
    assert shown_count(opted_in_members(session, version), 5) == 5
    withdraw_consent(session, team[0], NOW)
    assert shown_count(opted_in_members(session, version), 5) is None
    assert session.scalar(select(func.count()).select_from(MessageConsent)) == 6
