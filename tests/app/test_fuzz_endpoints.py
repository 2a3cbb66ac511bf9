"""Fuzzing the public and account forms; the guard that every write endpoint has a strategy.

Every endpoint: never a 5xx. Junk: a 4xx or the form again with its errors, and no row written.
Valid input: stored exactly once, and sending it again adds nothing.
Admin and manager forms are in test_fuzz_admin.py, the JSON API in test_fuzz_api.py.
"""
import inspect
from urllib.parse import quote, urlsplit

from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import select

import tests.app.test_fuzz_admin
import tests.app.test_fuzz_api
from app.auth.tokens import set_password_token
from app.mail.unsubscribe import _serializer as unsubscribe_serializer
from app.messages.links import consent_token
from surveys.db import immediate_transaction
from surveys.models import Invitation, Manager, Member
from tests.app.fuzz_support import (
    COVERED, FUZZ, any_text, assert_outcome, carries_nul, assert_refused, changes, csrf, fuzzes, junk_form,
    junk_segment, junk_text, junk_value, mutated, new_client, no_server_error, signed_in, snapshot,
    world)  # noqa: F401  (world is a fixture)
from tests.factories import PASSWORD

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
FUZZ_MODULES = (tests.app.test_fuzz_admin, tests.app.test_fuzz_api)


def endpoints_needing_a_strategy(app):
    """Endpoints that write, take path values or read query parameters, and all API endpoints."""
    needed = set()
    for rule in app.url_map.iter_rules():
        source = inspect.getsource(app.view_functions[rule.endpoint])
        if (rule.methods & WRITE_METHODS or rule.arguments or "request.args" in source
                or rule.endpoint.startswith("api.")):
            needed.add(rule.endpoint)
    return needed


def test_every_write_endpoint_has_a_fuzz_strategy(app):
    missing = endpoints_needing_a_strategy(app) - COVERED.keys()
    assert missing == set(), f"add a fuzz strategy (@fuzzes) for: {sorted(missing)}"


def test_every_strategy_names_a_real_endpoint_and_a_collected_test(app):
    assert COVERED.keys() <= set(app.view_functions)
    tests = {name for module in (*FUZZ_MODULES, inspect.getmodule(test_login_form))
             for name in dir(module) if name.startswith("test_")}
    assert {name for names in COVERED.values() for name in names} <= tests


# --- Sign-in, sign-out, set password -----------------------------------------------------------

LOGIN_FIELDS = {"email", "password", "csrf_token"}


@fuzzes("auth.login")
@FUZZ
@given(data=st.one_of(junk_form(LOGIN_FIELDS),
                      junk_form({"email", "password"}).map(lambda d: {**d, "csrf_token": "VALID"})),
       valid=st.booleans(), next_url=st.one_of(st.none(), junk_text, st.sampled_from(
           ["//evil.example", "https://evil.example/", "/teams/theirs", "\\\\evil", "/\\evil"])))
@example(data={"email": "a\x00b@example.com", "password": "x", "csrf_token": "VALID"},
         valid=False, next_url=None)
def test_login_form(app, session, world, data, valid, next_url):
    client = new_client(app)
    if valid:
        data = {"email": "boss.mine@example.com", "password": PASSWORD, "csrf_token": "VALID"}
    if data.get("csrf_token") == "VALID":
        data["csrf_token"] = csrf(client)
    before = snapshot(session)
    query = "" if next_url is None else "?next=" + quote(next_url, safe="")
    response = client.post("/login" + query, data=data)
    if valid and not carries_nul(next_url):  # a NUL anywhere in the request is refused
        assert response.status_code == 302 and urlsplit(response.location).netloc in ("", "localhost")
        assert changes(before, snapshot(session)) == {}
    else:
        assert_refused(response, before, session)


@fuzzes("auth.logout")
@FUZZ
@given(token=st.one_of(st.none(), junk_value, st.just("VALID")), signed=st.booleans())
def test_logout(app, session, world, token, signed):
    mine = session.scalar(select(Manager).where(Manager.email == "boss.mine@example.com"))
    client = signed_in(app, mine) if signed else new_client(app)
    data = {} if token is None else {"csrf_token": csrf(client) if token == "VALID" else token}
    before = snapshot(session)
    response = client.post("/logout", data=data)
    no_server_error(response)
    if signed and token == "VALID":
        assert response.status_code == 302
        assert changes(before, snapshot(session)) == {"managers": (1, 1)}  # sessions ended once
        again = client.post("/logout", data=data)  # the old session's token died with it
        assert again.status_code == 400 or "/login" in again.location
        assert changes(before, snapshot(session)) == {"managers": (1, 1)}
    elif response.status_code == 302:  # not signed in: off to the sign-in page, nothing done
        assert not signed and "/login" in response.location
        assert changes(before, snapshot(session)) == {}
    else:
        assert_refused(response, before, session)


PASSWORD_FIELDS = {"password", "confirm", "csrf_token"}


@fuzzes("auth.set_password_page")
@FUZZ
@given(path_token=st.one_of(st.just("VALID"), junk_segment),
       data=st.one_of(junk_form(PASSWORD_FIELDS), mutated(
           {"password": "a long enough password", "confirm": "a long enough password"},
           {"password", "confirm"})),
       method=st.sampled_from(["GET", "POST"]))
def test_set_password_form(app, session, world, path_token, data, method):
    manager = session.scalar(select(Manager).where(Manager.email == "boss.mine@example.com"))
    client = new_client(app)
    valid_token = set_password_token(manager)
    token = valid_token if path_token == "VALID" else path_token
    url = f"/account/set-password/{quote(token, safe='')}"
    before = snapshot(session)
    if method == "GET":
        response = client.get(url)
        no_server_error(response)
        assert response.status_code == (200 if path_token == "VALID" else 404)
        assert changes(before, snapshot(session)) == {}
        return
    form_token = csrf(client, url) if path_token == "VALID" else "x"
    response = client.post(url, data={"csrf_token": form_token, **data})
    delta = assert_outcome(response, before, session,
                           lambda r, d: d == {"managers": (1, 1)} and "/login" in r.location)
    if delta:  # the link is spent: the same form again is refused
        assert_refused(client.post(url, data={"csrf_token": form_token, **data}),
                       snapshot(session), session)


# --- Survey pages ------------------------------------------------------------------------------

@fuzzes("survey.exchange")
@FUZZ
@given(token=junk_segment)
@example(token="A" * 43)
@example(token="a\x00b")
def test_survey_link_exchange_refuses_junk_tokens(app, session, world, token):
    before = snapshot(session)
    response = new_client(app).get(f"/s/{quote(token, safe='')}")
    assert response.status_code in (404, 410)
    assert_refused(response, before, session)


#: Survey form fields by position: item0… stand for the round's items in the order asked.
SURVEY_SLOTS = {f"item{index}": "4" for index in range(12)} | {"enps": "7", "comment": ""}


def survey_form(survey_round, slots):
    """Real field names for `slots`; slots past the round's items become stray fields."""
    items = survey_round.item_ids
    def name(slot):
        index = int(slot[4:]) if slot.startswith("item") and slot[4:].isdigit() else None
        return slot if index is None else (f"item_{items[index]}" if index < len(items) else slot)
    return {name(slot): value for slot, value in slots.items()}


@fuzzes("survey.answer", "survey.thanks")
@FUZZ
@given(slots=st.one_of(st.just(SURVEY_SLOTS), mutated(SURVEY_SLOTS, set(SURVEY_SLOTS)),
                       junk_form(set(SURVEY_SLOTS))), with_csrf=st.booleans())
@example(slots={**SURVEY_SLOTS, "comment": "a\x00b"}, with_csrf=True)
@example(slots={**SURVEY_SLOTS, "enps": "11"}, with_csrf=True)
def test_survey_answers_are_stored_once_or_refused(app, session, factory, world, slots, with_csrf):
    survey_round = world["round"]
    token, invitation = factory.link(survey_round)
    client = new_client(app)
    assert client.get(f"/s/{token}").status_code == 303
    page = client.get("/s/")
    data = survey_form(survey_round, slots)
    if with_csrf:
        data = {**data, "csrf_token": csrf(client, "/s/")}
    before = snapshot(session)
    response = client.post("/s/", data=data)
    delta = assert_outcome(response, before, session, lambda r, d: (
        r.location.endswith("/s/thanks") and d.get("responses") == (1, 0)
        and d.get("invitations") == (1, 1)))
    assert page.status_code == 200
    if delta:  # single use: neither the cookie nor the link works again
        after = snapshot(session)
        assert client.post("/s/", data=data).status_code == 404
        assert client.get(f"/s/{token}").status_code == 410
        assert client.get("/s/thanks").status_code == 200
        assert changes(after, snapshot(session)) == {}
        with immediate_transaction(session):  # a fresh invitation for the next example
            session.get(Invitation, invitation.id).used = False


# --- Unsubscribe, consent, preferences ---------------------------------------------------------

def unsubscribe_token(kind, person_id):
    return unsubscribe_serializer().dumps({"k": kind, "id": person_id})


@fuzzes("preferences.unsubscribe", "preferences.unsubscribe_page")
@FUZZ
@given(token=st.one_of(junk_segment, st.tuples(st.sampled_from(["digest", "reminders", "other"]),
                                               st.integers(0, 50)).map(lambda pair: pair)),
       method=st.sampled_from(["GET", "POST"]), form=junk_form({"List-Unsubscribe"}))
def test_unsubscribe_links(app, session, world, token, method, form):
    signed = isinstance(token, tuple)
    path = unsubscribe_token(*token) if signed else quote(token, safe="")
    model = Manager if signed and token[0] == "digest" else Member
    well_formed = signed and token[0] != "other"
    exists = well_formed and session.get(model, token[1]) is not None
    client = new_client(app)
    before = snapshot(session)
    response = client.get(f"/unsubscribe/{path}") if method == "GET" else client.post(
        f"/unsubscribe/{path}", data=form)
    no_server_error(response)
    if method == "POST" and carries_nul(form):
        assert_refused(response, before, session)
        return
    if method == "GET" or not exists:  # the confirmation page changes nothing
        assert response.status_code == (200 if well_formed and method == "GET" else 404)
        assert changes(before, snapshot(session)) == {}
        return
    assert response.status_code == 200
    delta = changes(before, snapshot(session))
    assert delta in ({}, {model.__tablename__: (1, 1)})
    again = client.post(f"/unsubscribe/{path}", data=form)  # one-click twice: nothing more changes
    assert again.status_code == 200
    assert changes(before, snapshot(session)) in ({}, {model.__tablename__: (1, 1)})


GRANT_FIELDS = {"slack", "csv", "api", "submit", "csrf_token"}


@fuzzes("messages.consent", "messages.grant", "messages.withdraw")
@FUZZ
@given(token=st.one_of(junk_segment, st.integers(-3, 40)),
       action=st.sampled_from(["", "/grant", "/withdraw"]),
       data=st.one_of(junk_form(GRANT_FIELDS), st.fixed_dictionaries(
           {"slack": st.sampled_from(["y", ""]), "csv": st.sampled_from(["y", "n"]),
            "api": st.just("y")}, optional={"submit": junk_text})),
       with_csrf=st.booleans())
@example(token=1, action="/grant", data={}, with_csrf=True)  # no source ticked
def test_consent_pages(app, session, world, token, action, data, with_csrf):
    known = isinstance(token, int) and session.get(Member, token) is not None
    path = consent_token(token) if isinstance(token, int) else quote(token, safe="")
    client = new_client(app)
    if with_csrf:
        data = {**data, "csrf_token": csrf(client)}
    before = snapshot(session)
    url = f"/consent/{path}{action}"
    response = client.get(url) if action == "" else client.post(url, data=data)
    no_server_error(response)
    if not known:
        assert_refused(response, before, session)
    elif action == "":
        assert response.status_code == 200 and changes(before, snapshot(session)) == {}
    else:
        delta = assert_outcome(response, before, session, lambda r, d: set(d) <= {
            "message_consents", "message_samples"} and d["message_consents"] == (1, 0))
        assert bool(delta) == (response.status_code == 303)


PREFERENCES = {"digest_enabled": "y", "digest_weekday": "2", "digest_hour": "7",
               "timezone": "Europe/Paris", "quiet_week_emails": "", "same_day_alerts": "y"}


@fuzzes("preferences.preferences")
@FUZZ
@given(data=st.one_of(junk_form(set(PREFERENCES)), mutated(PREFERENCES, set(PREFERENCES)),
                      st.just(PREFERENCES)), with_csrf=st.booleans())
@example(data={**PREFERENCES, "digest_weekday": "7"}, with_csrf=True)
@example(data={**PREFERENCES, "timezone": "Mars/Olympus"}, with_csrf=True)
def test_preferences_form(app, session, world, data, with_csrf):
    client = world["manager_client"]
    if with_csrf:
        data = {**data, "csrf_token": csrf(client, "/account/preferences")}
    before = snapshot(session)
    response = client.post("/account/preferences", data=data)
    delta = assert_outcome(response, before, session,
                           lambda r, d: d in ({}, {"managers": (1, 1)}))
    if response.status_code == 303:
        assert client.post("/account/preferences", data=data).status_code == 303
        assert changes(before, snapshot(session)) == delta  # the same choice twice: no change
