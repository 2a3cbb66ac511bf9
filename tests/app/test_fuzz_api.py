"""Fuzzing the JSON API: bodies, content types, tokens and ids (see test_fuzz_endpoints.py).

Refusals are a 4xx with a JSON body naming the reason; nothing is written for them. A message
batch is stored once: sending the same ids again stores nothing more.
"""
import json
from urllib.parse import quote

from hypothesis import example, given
from hypothesis import strategies as st

from tests.app.fuzz_support import (
    FUZZ, any_text, assert_refused, changes, fuzzes, junk_id, junk_segment, junk_text, new_client,
    no_server_error, snapshot, world)  # noqa: F401  (world is a fixture)

AUTHOR = "mine.0@example.com"  # opted in for every source by the world
json_scalar = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70),
                        st.floats(allow_nan=True, allow_infinity=True), junk_text)
json_value = st.recursive(json_scalar, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(
        ["message_id", "author_email", "sent_at", "text", "channel", ""]), inner, max_size=5)),
    max_leaves=10)
sent_at = st.one_of(st.datetimes().map(lambda moment: moment.isoformat()), junk_text, st.sampled_from(
    ["2026-03-02T10:00:00Z", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00",
     "2026-02-30T00:00:00", "2026-03-02T10:00:00+25:00"]))
message = st.fixed_dictionaries(
    {"message_id": st.one_of(any_text, st.integers(-2**70, 2**70), json_scalar),
     "author_email": st.one_of(st.just(AUTHOR), junk_text), "sent_at": sent_at,
     "text": st.one_of(junk_text, json_scalar)},
    optional={"channel": junk_text, "extra": json_value})
body = st.one_of(
    st.binary(max_size=200), junk_text, json_value.map(json.dumps),
    st.lists(message, max_size=3).map(json.dumps),
    st.lists(message, min_size=1, max_size=3).map(lambda items: "\n".join(map(json.dumps, items))),
    st.lists(message, max_size=2).map(lambda items: json.dumps(items)[:-1]),  # cut short
    st.just('[{"message_id": "1", "message_id": "2", "author_email": "' + AUTHOR + '", '
            '"sent_at": "2026-03-02T10:00:00Z", "text": "hi"}]'),  # a duplicate key
    st.integers(1, 300).map(lambda depth: "[" * depth + "]" * depth))
content_type = st.sampled_from(["application/json", "application/x-ndjson", "text/plain",
                                "multipart/form-data; boundary=x", "application/json; charset=latin-1",
                                ""])
authorization = st.one_of(st.just("INGEST"), st.just("READ"), st.none(), junk_text.map(
    lambda text: "Bearer " + text), st.sampled_from(["Bearer", "Basic abc", "bearer  "]))


def headers(world, auth):
    """The Authorization header for `auth`: the world's ingest or read token, junk, or none."""
    value = {"INGEST": f"Bearer {world['ingest']}", "READ": f"Bearer {world['read']}"}.get(auth, auth)
    return {} if value is None else {"Authorization": value.replace("\n", " ").replace("\r", " ")}


def valid_batch(ids, text="Morning, the leads look good."):
    return json.dumps([{"message_id": str(i), "author_email": AUTHOR,
                        "sent_at": "2026-03-02T10:00:00Z", "text": text} for i in ids])


@fuzzes("api.post_messages")
@FUZZ
@given(data=st.one_of(body, st.lists(st.integers(0, 5), min_size=1, max_size=3).map(valid_batch)),
       kind=content_type, auth=st.one_of(st.just("INGEST"), authorization))
@example(data=valid_batch([1]).replace("2026-03-02T10:00:00Z", "0001-01-01T00:00:00+01:00"),
         kind="application/json", auth="INGEST")
def test_message_ingest(app, session, world, data, kind, auth):
    client = new_client(app)
    before = snapshot(session)
    response = client.post("/api/v1/messages", data=data, content_type=kind or None,
                           headers=headers(world, auth))
    no_server_error(response)
    if response.status_code != 200:
        assert_refused(response, before, session, api=True)
        return
    received = response.get_json()["received"]
    assert auth == "INGEST" and isinstance(received, int) and received >= 0
    delta = changes(before, snapshot(session))
    assert set(delta) <= {"message_samples", "message_tallies"}
    assert delta.get("message_samples", (0, 0))[1] == 0
    after = snapshot(session)  # the same batch again: every message is already stored
    again = client.post("/api/v1/messages", data=data, content_type=kind or None,
                        headers=headers(world, auth))
    assert again.status_code == 200 and again.get_json() == {"received": received}
    assert changes(after, snapshot(session)).get("message_samples") is None


@fuzzes("api.teams", "api.signals", "api.interventions", "api.panel", "api.signal")
@FUZZ
@given(template=st.sampled_from(["/api/v1/teams", "/api/v1/signals", "/api/v1/interventions",
                                 "/api/v1/teams/{}/panel", "/api/v1/signals/{}"]),
       value=st.one_of(junk_segment, junk_id, st.sampled_from(["theirs", "mine", "1", "SIGNAL"])),
       auth=st.one_of(st.just("READ"), authorization),
       query=st.dictionaries(st.sampled_from(["page", "per_page", "limit", "offset", "team"]),
                             st.one_of(junk_text, junk_id), max_size=3),
       method=st.sampled_from(["GET", "GET", "POST", "PUT", "DELETE"]))
@example(template="/api/v1/signals/{}", value="abc", auth="READ", query={}, method="GET")
@example(template="/api/v1/signals/{}", value=str(2**64), auth="READ", query={}, method="GET")
def test_read_endpoints(app, session, world, template, value, auth, query, method):
    value = str(world["signal_id"]) if value == "SIGNAL" else value
    url = template.format(quote(value, safe=""))
    before = snapshot(session)
    response = new_client(app).open(url, method=method, query_string=query or None,
                                    headers=headers(world, auth))
    no_server_error(response)
    if response.status_code == 200:
        assert method == "GET" and auth == "READ" and isinstance(response.get_json(), (list, dict))
        assert changes(before, snapshot(session)) == {}
    else:  # a 405 for a wrong method is JSON with a reason too
        assert_refused(response, before, session, api=True)
