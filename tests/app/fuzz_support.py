"""Shared pieces of the endpoint fuzz tests: settings, strategies, a world, and the checks.

Every fuzz test builds its world once (the `app` fixture is function-scoped) and lets Hypothesis
send many requests at it. Each example therefore checks *deltas*: it snapshots every table before
the request and compares after, and it puts back anything a successful example consumed (a used
survey link, a spent password link) so the next example meets the same world.
"""
import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.auth.users import SignedInManager
from flask_login.utils import _create_identifier
from surveys.accounts import create_account, hash_password
from surveys.api_tokens import create_api_token
from surveys.db import Base, immediate_transaction, utcnow
from surveys.history import import_history
from surveys.invitations import issue_invitations
from surveys.models import InterventionPlan, Manager, StoredSignal
from surveys.rounds import open_due_rounds
from surveys.signals import detect_and_store
from tests.conftest import NOW, IsolatedClient
from tests.factories import PASSWORD, csrf_from, history_csv
from tests.message_factories import members, opt_in, switch_on

#: Examples per endpoint. The world is shared by the examples of one test, so they run against
#: a function-scoped fixture on purpose: each example asserts deltas and restores what it used.
EXAMPLES = 25
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])

#: Endpoint → the test functions that fuzz it; the coverage guard reads this.
COVERED = {}


def fuzzes(*endpoints):
    """Register the decorated test as the fuzz strategy of `endpoints`."""
    def register(test):
        for endpoint in endpoints:
            COVERED.setdefault(endpoint, []).append(test.__name__)
        return test
    return register


# --- Strategies --------------------------------------------------------------------------------

#: Text a browser can send (no lone surrogates), from every plane.
any_text = st.text(st.characters(codec="utf-8"), max_size=40)
#: Inputs that break naive code: huge, NULs, control characters, markup, numbers out of range.
nasty_text = st.one_of(
    st.sampled_from(["", " ", "\x00", "a\x00b", "\t\r\n", "null", "None", "[]", "{}", "-1", "0",
                     "1e309", "NaN", "99999999999999999999999", "9223372036854775808",
                     "' OR 1=1 --", "<script>alert(1)</script>", "../../etc/passwd", "%00",
                     "\u202e\u200b\ufeff", "😀" * 50, "é" * 300]),
    st.integers(1_000, 200_000).map(lambda n: "x" * n),
    any_text.map(lambda text: text + "\x00"),
)
junk_text = st.one_of(any_text, nasty_text)
#: A form value: one string, or the same key several times.
junk_value = st.one_of(junk_text, st.lists(junk_text, min_size=2, max_size=3))


def junk_form(fields):
    """Form data with any of `fields` (and stray keys) set to junk, some left out."""
    keys = st.one_of(st.sampled_from(sorted(fields)), any_text.filter(bool))
    return st.dictionaries(keys, junk_value, max_size=len(fields) + 2)


def mutated(valid, fields):
    """`valid` form data with some of `fields` dropped and some replaced by junk."""
    return st.tuples(st.sets(st.sampled_from(sorted(fields))),
                     st.dictionaries(st.sampled_from(sorted(fields)), junk_value)).map(
        lambda drop_change: {**{k: v for k, v in valid.items() if k not in drop_change[0]},
                             **drop_change[1]})


#: Path segments for `<int:…>` ids that name no row: out of range, negative, not numbers.
junk_id = st.one_of(
    st.one_of(st.integers(-2**70, -1), st.integers(10**6, 2**70)).map(str),
    st.sampled_from(["0", "1.5", "1e3", "0x10", "٣", "NaN", "", "%00", "-0", "99999999999999999999",
                     "2147483648", "9223372036854775808", "18446744073709551616"]),
    any_text.filter(lambda text: not text.isdigit() and "/" not in text and text not in (".", "..")))
#: Path segments for tokens and slugs.
junk_segment = st.one_of(any_text, nasty_text).filter(
    lambda text: text.strip("/") and text not in (".", "..") and len(text) < 5000)


# --- The world ---------------------------------------------------------------------------------

CALM, TENSE = [4, 4, 5, 3, 4], [2, 3, 2, 1, 2]
#: Hashed once: Argon2 is slow on purpose, and sign-in itself is tested in test_auth.py.
PASSWORD_HASH = hash_password(PASSWORD)


def build_world(app, session, factory):
    """Two teams, a signal and a plan on one, an admin, managers with passwords, sampling switched
    on, API tokens, and an open survey round on today's date; returns ids, tokens and clients."""
    teams = factory.people({"mine": ("marketing", 6), "theirs": ("sales", 6)})
    import_history(session, history_csv({"theirs": [TENSE if w > 5 else CALM for w in range(1, 9)]}))
    detect_and_store(session, NOW, 5)
    signal = next(s for s in session.scalars(select(StoredSignal)) if s.teams == ["theirs"])
    session.add(InterventionPlan(intervention_id="ownership-map", teams=["theirs"],
                                 metric=signal.metric, owner="T", signal_id=signal.id))
    admin = create_account(session, "root@example.com", "Root", "admin")
    for manager in session.scalars(select(Manager)):
        manager.password_hash = PASSWORD_HASH
    session.commit()
    switch_on(session, NOW)
    opt_in(session, members(session)[:2], NOW)
    factory.schedule([teams["mine"]], starts=utcnow().date(), open_hour=0)
    with immediate_transaction(session):
        [survey_round] = open_due_rounds(session, utcnow())
        issue_invitations(session, survey_round)
    boss = session.scalar(select(Manager).where(Manager.email == "boss.theirs@example.com"))
    return {"signal_id": signal.id, "plan_id": session.scalar(select(InterventionPlan.id)),
            "round": survey_round, "admin": admin, "boss": boss,
            "ingest": create_api_token(session, admin, "bot", scope="ingest")[1],
            "read": create_api_token(session, boss, "reports", scope="read")[1],
            "anonymous": new_client(app), "admin_client": signed_in(app, admin),
            "manager_client": signed_in(app, boss)}


@pytest.fixture
def world(app, session, factory):
    """The fuzz world (see `build_world`)."""
    return build_world(app, session, factory)


def new_client(app):
    """A client whose every request runs in a fresh context, as on a real server."""
    app.test_client_class = IsolatedClient
    return app.test_client()


def signed_in(app, manager):
    """A new client with the session Flask-Login gives `manager` at sign-in (no Argon2 wait)."""
    client = new_client(app)
    with app.test_request_context(environ_base=client.environ_base):
        identifier = _create_identifier()  # what "strong" session protection compares
    with client.session_transaction() as cookie_session:
        cookie_session["_user_id"] = SignedInManager(manager).get_id()
        cookie_session["_fresh"] = True
        cookie_session["_id"] = identifier
    assert client.get("/account/preferences").status_code == 200
    return client


def csrf(client, path="/login"):
    """A CSRF token valid for `client`'s session."""
    return csrf_from(client.get(path).get_data(as_text=True))


# --- Checks ------------------------------------------------------------------------------------

#: Written on purpose by refused requests: failed sign-ins are counted to throttle guessing.
WRITTEN_BY_REFUSALS = {"login_attempts"}


def snapshot(session, ignore=WRITTEN_BY_REFUSALS):
    """Every row of every table (as sortable text), read afresh after the requests' own commits."""
    session.commit()
    session.expire_all()
    return {table.name: sorted(repr(tuple(row)) for row in session.execute(select(table)))
            for table in Base.metadata.sorted_tables if table.name not in ignore}


def changes(before, after):
    """{table: (rows added, rows removed)} for the tables that differ."""
    found = {}
    for name in before:
        old, new = set(before[name]), set(after[name])
        if old != new:
            found[name] = (len(new - old), len(old - new))
    return found


def carries_nul(*values):
    """Whether any string in `values` (dicts and lists searched too) holds a NUL character: the
    app refuses such a request whole with a 400 (app/security.py), on every endpoint."""
    for value in values:
        if isinstance(value, str) and "\x00" in value:
            return True
        if isinstance(value, dict) and carries_nul(*value.keys(), *value.values()):
            return True
        if isinstance(value, (list, tuple)) and carries_nul(*value):
            return True
    return False


def is_refusal_page(response):
    """A 4xx, or a page re-rendered with its error summary."""
    html = response.get_data(as_text=True)
    if 400 <= response.status_code < 500:
        return True
    return response.status_code == 200 and 'role="alert"' in html


def no_server_error(response):
    """The one property every request must have."""
    assert response.status_code < 500, (response.status_code, response.get_data(as_text=True)[:300])


def assert_refused(response, before, session, api=False):
    """Refused: a 4xx (JSON with a reason from the API) or the form with errors; nothing written."""
    no_server_error(response)
    if api:
        assert 400 <= response.status_code < 500 and response.is_json
        assert isinstance(response.get_json().get("error"), str) and response.get_json()["error"]
    else:
        assert is_refusal_page(response), (response.status_code, response.get_data(as_text=True)[:300])
    assert changes(before, snapshot(session)) == {}


def assert_outcome(response, before, session, accepted):
    """Either refused with nothing written, or accepted with exactly the `accepted` changes.

    `accepted(response, changes)` judges a success; returns the changes so a test can look closer.
    """
    no_server_error(response)
    delta = changes(before, snapshot(session))
    if response.status_code in (302, 303) and "/login" not in (response.location or ""):
        assert accepted(response, delta), delta
    else:
        assert is_refusal_page(response), (response.status_code, response.get_data(as_text=True)[:300])
        assert delta == {}
    return delta


def has_nul(value):
    """Whether a form value (or any of several values) holds a NUL character."""
    values = value if isinstance(value, list) else [value]
    return any("\x00" in v for v in values if isinstance(v, str))


def html_errors(response):
    """The error summary's messages of a re-rendered form."""
    return re.findall(r"<li>(.*?)</li>", response.get_data(as_text=True).split('role="alert"')[-1])
