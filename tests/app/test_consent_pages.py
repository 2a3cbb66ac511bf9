"""The consent journey: an e-mailed personal link, the notice, opt in, import, opt out."""
import re

import pytest
from sqlalchemy import select

from app.mail.transport import SmtpTransport
from app.messages.links import consent_url
from app.messages.mail import send_consent_invitations
from surveys.messages.ingest import import_messages
from surveys.models import MessageConsent
from tests.conftest import NOW
from tests.factories import csrf_from
from tests.message_factories import members, raw, sample_count, switch_on


@pytest.fixture
def people(session, factory):
    factory.people({"growth": ("marketing", 3)})
    switch_on(session, NOW)
    return members(session)


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


def test_invitations_carry_a_working_personal_link_and_go_once(session, people, smtp_server, client):
    transport = SmtpTransport("127.0.0.1", smtp_server.port)
    assert send_consent_invitations(session, NOW, transport, 5) == 3
    assert send_consent_invitations(session, NOW, transport, 5) == 0  # once per notice version
    message = smtp_server.messages[0]
    text = message.get_body(("plain",)).get_content()
    link = re.search(r"http://\S+/consent/\S+", text).group(0)
    assert message.get_body(("html",)) is not None and "at least 5 people" in text
    page = client.get(path_of(link)).get_data(as_text=True)
    assert "You are not sharing" in page and "at least 5 people" in page
    assert "How to stop" in page and "Only team figures are shown" in page


def test_opt_in_import_and_opt_out_through_the_page(app, session, people, client):
    link = path_of(consent_url(people[0].id))
    page = client.get(link).get_data(as_text=True)
    response = client.post(f"{link}/grant", data={"csrf_token": csrf_from(page), "slack": "y"})
    assert response.status_code == 303
    assert "You are sharing" in client.get(link).get_data(as_text=True)
    import_messages(session, "slack", [raw(people[0], "Hello team", 1)], NOW)
    assert import_messages(session, "csv", [raw(people[0], "Not from csv", 2)], NOW).no_consent == 1
    assert sample_count(session, member_id=people[0].id) == 1
    page = client.get(link).get_data(as_text=True)
    response = client.post(f"{link}/withdraw", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 303 and sample_count(session, member_id=people[0].id) == 0
    assert "1 stored sample(s) were deleted" in client.get(link).get_data(as_text=True)
    session.commit()
    assert [c.action for c in session.scalars(select(MessageConsent))] == ["grant", "withdraw"]


def test_posts_without_a_csrf_token_change_nothing(session, people, client):
    link = path_of(consent_url(people[0].id))
    assert client.post(f"{link}/grant", data={"slack": "y"}).status_code == 400
    session.commit()
    assert session.scalars(select(MessageConsent)).all() == []


def test_a_tampered_link_is_404(client, people):
    link = path_of(consent_url(people[0].id))
    assert client.get(link[:-2] + "xx").status_code == 404
    assert client.get("/consent/not-a-token").status_code == 404
