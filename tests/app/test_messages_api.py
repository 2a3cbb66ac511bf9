"""POST /api/v1/messages: ingest-scoped tokens, JSON errors with locations, 413, and fuzzing."""
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from surveys.api_tokens import create_api_token, revoke_api_token
from surveys.models import ApiToken, Manager
from tests.conftest import NOW
from tests.message_factories import members, opt_in, sample_count, switch_on


@pytest.fixture
def ingest(session, factory):
    factory.people({"growth": ("marketing", 3)})
    switch_on(session, NOW)
    opt_in(session, members(session)[:2], NOW)
    manager = session.scalars(select(Manager)).first()
    return create_api_token(session, manager, "slack bot", scope="ingest")[1]


def item(person, message_id, text="Morning, the leads look good."):
    return {"message_id": message_id, "author_email": person.email,
            "sent_at": "2026-03-02T10:00:00Z", "channel": "general", "text": text}


def post(client, token, body, content_type="application/json"):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post("/api/v1/messages", data=data, headers=headers, content_type=content_type)


def test_an_array_and_json_lines_are_accepted_and_only_consented_ones_kept(client, session, ingest):
    people = members(session)
    response = post(client, ingest, [item(people[0], "1"), item(people[2], "2")])
    assert response.status_code == 200 and response.get_json() == {"received": 2}
    lines = "\n".join(json.dumps(item(p, f"l{i}")) for i, p in enumerate(people))
    assert post(client, ingest, lines, "application/x-ndjson").get_json() == {"received": 3}
    assert sample_count(session) == 3 and sample_count(session, member_id=people[2].id) == 0


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer nope", "Basic abc"])
def test_missing_or_bad_tokens_get_401(client, session, ingest, header):
    response = client.post("/api/v1/messages", data="[]",
                           headers={"Authorization": header} if header else {})
    assert response.status_code == 401 and "ingest" in response.get_json()["error"]


def test_read_scoped_and_revoked_tokens_get_401(client, session, ingest):
    manager = session.scalars(select(Manager)).first()
    _, reader = create_api_token(session, manager, "reports", scope="read")
    body = [item(members(session)[0], "1")]
    assert post(client, reader, body).status_code == 401
    assert post(client, ingest, body).status_code == 200
    revoke_api_token(session, session.scalars(select(ApiToken).where(ApiToken.scope == "ingest")).one())
    assert post(client, ingest, [item(members(session)[0], "2")]).status_code == 401
    assert sample_count(session) == 1


@pytest.mark.parametrize("body, location, reason", [
    ("[1, 2", "body", "not valid JSON"),
    ('{"message_id": 1, "author_email": "a@example.com", "sent_at": "2026-03-02", "text": ""}\n'
     'not json', "line 2", "not valid JSON"),
    ([{"message_id": "1"}], "item 1", "missing field(s): author_email, sent_at, text"),
    ([{"message_id": "1", "author_email": "x@example.com", "sent_at": "soon", "text": "hi"}], "item 1", "sent_at"),
    ("", "body", "no messages sent"),
    ('"just a string"', "line 1", "expected an object"),
])
def test_bad_input_gets_400_with_a_location_and_nothing_is_stored(client, session, ingest, body,
                                                                  location, reason):
    if isinstance(body, list):
        body = [item(members(session)[0], "ok")] + body
        location = "item 2"
    response = post(client, ingest, body)
    assert response.status_code == 400
    assert response.get_json()["location"] == location and reason in response.get_json()["error"]
    assert sample_count(session) == 0


def test_an_oversized_body_gets_a_json_413(app, client, ingest):
    body = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = post(client, ingest, body)
    assert response.status_code == 413 and "larger than" in response.get_json()["error"]


def test_a_switched_off_feature_gets_409(client, session, ingest):
    from surveys.messages.switch import disable_sampling
    disable_sampling(session, "admin", NOW)
    assert post(client, ingest, [item(members(session)[0], "1")]).status_code == 409


JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                       lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
                           st.sampled_from(["message_id", "author_email", "sent_at", "text", "x"]),
                           inner, max_size=5), max_leaves=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(st.binary(max_size=200), st.text(max_size=200),
                      JSONISH.map(json.dumps),
                      st.lists(st.fixed_dictionaries({
                          "message_id": st.one_of(st.text(max_size=5), st.integers()),
                          "author_email": st.sampled_from(["growth.0@example.com", "a@b", "x"]),
                          "sent_at": st.sampled_from(["2026-03-02T10:00:00", "2026-13-01", "", "Z"]),
                          "text": st.text(max_size=40)}), max_size=3).map(json.dumps)))
def test_fuzzed_bodies_never_cause_a_server_error(client, ingest, body):
    response = post(client, ingest, body)
    assert response.status_code in (200, 400) and response.is_json
