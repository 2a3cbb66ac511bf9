"""Fuzzing the admin and manager forms, buttons and id-taking pages (see test_fuzz_endpoints.py)."""
import io
from urllib.parse import quote

from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import select

from surveys.models import ApiToken, InterventionPlan, Manager, Member, PlanState
from tests.app.fuzz_support import (
    FUZZ, any_text, assert_outcome, assert_refused, carries_nul, changes, csrf, fuzzes, junk_form,
    junk_id,
    junk_segment, junk_text, mutated, no_server_error, snapshot,
    world)  # noqa: F401  (world is a fixture)


def with_csrf(client, data, flag, page="/admin/"):
    """`data` plus the client's CSRF token when `flag` is set."""
    return {**data, "csrf_token": csrf(client, page)} if flag else data


# --- People import -----------------------------------------------------------------------------

HEADER = "email,name,team,department,manager_email"
csv_cell = st.one_of(st.sampled_from(["", "mine", "theirs", "marketing", "sales", "x@example.com",
                                      "boss.mine@example.com", "not an email"]), junk_text)
csv_text = st.lists(st.lists(csv_cell, min_size=0, max_size=6).map(",".join), max_size=5).map(
    lambda rows: "\n".join([HEADER, *rows]))
upload = st.one_of(st.binary(max_size=300), csv_text.map(str.encode), st.just(b"\xff\xfe\x00bad"),
                   csv_text.map(lambda text: text.encode("utf-16")))
NEW_PERSON = (f"{HEADER}\nnew.person@example.com,New Person,mine,marketing,boss.mine@example.com\n"
              .encode())


@fuzzes("admin.people")
@FUZZ
@given(content=st.one_of(upload, st.just(NEW_PERSON), st.none()), flag=st.booleans(),
       filename=st.one_of(st.just("people.csv"), any_text),
       extra=st.dictionaries(st.sampled_from(["file", "submit", "other"]), junk_text, max_size=2))
@example(content=b"", flag=True, filename="people.csv", extra={})
def test_people_import(app, session, world, content, flag, filename, extra):
    client = world["admin_client"]
    data = with_csrf(client, extra, flag)
    if content is not None:
        data["file"] = (io.BytesIO(content), filename or "x")
    before = snapshot(session)
    response = client.post("/admin/people", data=data, content_type="multipart/form-data")
    delta = assert_outcome(response, before, session, lambda r, d: set(d) <= {
        "members", "teams", "departments", "managers", "manager_teams"})
    if content == NEW_PERSON and flag:
        assert delta == {"members": (1, 0)}
    if delta:  # the same file again adds nobody
        again = with_csrf(client, {"file": (io.BytesIO(content), "people.csv")}, True)
        after = snapshot(session)
        assert client.post("/admin/people", data=again).status_code == 303
        assert changes(after, snapshot(session)) == {}


@fuzzes("admin.deactivate")
@FUZZ
@given(member=st.one_of(junk_id, st.just("REAL")), flag=st.booleans())
@example(member=str(2**64), flag=True)  # past a 64-bit integer: was a database overflow, a 500
@example(member="٣", flag=True)  # an Arabic-Indic 3: was read as member 3
def test_deactivate_member(app, session, world, member, flag):
    client = world["admin_client"]
    real = session.scalars(select(Member).where(Member.active.is_(True))).first()
    member_id = str(real.id) if member == "REAL" else member
    before = snapshot(session)
    response = client.post(f"/admin/people/{quote(member_id, safe='')}/deactivate",
                           data=with_csrf(client, {}, flag))
    if member != "REAL":
        assert_refused(response, before, session)
        return
    assert_outcome(response, before, session, lambda r, d: d == {"members": (1, 1)})
    after = snapshot(session)
    client.post(f"/admin/people/{member_id}/deactivate", data=with_csrf(client, {}, True))
    assert changes(after, snapshot(session)) in ({}, {"members": (1, 1)})  # once only
    assert changes(before, snapshot(session)) in ({}, {"members": (1, 1)})


# --- Teams and schedules -----------------------------------------------------------------------

TEAM_FIELDS = {"dept-name", "dept-submit", "sched-team", "sched-cadence", "sched-starts",
               "sched-submit"}


@fuzzes("admin.teams")
@FUZZ
@given(data=st.one_of(
    junk_form(TEAM_FIELDS),
    st.fixed_dictionaries({"dept-name": junk_text, "dept-submit": st.just("y")}),
    st.fixed_dictionaries({"sched-team": st.sampled_from(["1", "2", "0", "x"]),
                           "sched-cadence": st.sampled_from(["weekly", "monthly", "hourly"]),
                           "sched-starts": st.one_of(st.dates().map(str), junk_text),
                           "sched-submit": st.just("y")})), flag=st.booleans())
@example(data={"dept-name": "!!!", "dept-submit": "y"}, flag=True)
@example(data={"dept-name": "   ", "dept-submit": "y"}, flag=True)
def test_teams_and_schedules(app, session, world, data, flag):
    client = world["admin_client"]
    data = with_csrf(client, data, flag)
    before = snapshot(session)
    response = client.post("/admin/teams", data=data)
    if not {"dept-submit", "sched-submit"} & data.keys() and response.status_code == 200:
        assert changes(before, snapshot(session)) == {}  # neither button: the page, unchanged
        return
    delta = assert_outcome(response, before, session, lambda r, d: set(d) <= {
        "departments", "schedules", "rounds", "invitations"})
    if delta:  # the same form twice stores nothing more
        after = snapshot(session)
        assert client.post("/admin/teams", data=data).status_code == 303
        assert changes(after, snapshot(session)) in ({}, {"schedules": (1, 1)})


# --- Accounts and tokens -----------------------------------------------------------------------

ACCOUNT = {"email": "new.manager@example.com", "name": "New Manager", "role": "manager"}


@fuzzes("admin.accounts")
@FUZZ
@given(data=st.one_of(junk_form(set(ACCOUNT)), mutated(ACCOUNT, set(ACCOUNT)), st.just(ACCOUNT)),
       flag=st.booleans())
@example(data={**ACCOUNT, "name": "   "}, flag=True)
def test_invite_account(app, session, world, data, flag):
    client = world["admin_client"]
    data = with_csrf(client, data, flag)
    before = snapshot(session)
    response = client.post("/admin/accounts", data=data)
    delta = assert_outcome(response, before, session, lambda r, d: set(d) <= {
        "managers", "outgoing_mail"} and d.get("managers", (1, 0))[0] == 1)
    if delta:  # inviting the same person again: no second account, no second e-mail
        after = snapshot(session)
        assert client.post("/admin/accounts", data=data).status_code == 303
        assert changes(after, snapshot(session)) == {}


@fuzzes("admin.account_action")
@FUZZ
@given(manager=st.one_of(junk_id, st.just("REAL")),
       step=st.one_of(st.sampled_from(["reset", "deactivate"]), junk_segment), flag=st.booleans())
def test_account_actions(app, session, world, manager, step, flag):
    client = world["admin_client"]
    target = session.scalar(select(Manager).where(Manager.email == "boss.mine@example.com"))
    manager_id = str(target.id) if manager == "REAL" else manager
    url = f"/admin/accounts/{quote(manager_id, safe='')}/{quote(step, safe='')}"
    before = snapshot(session)
    response = client.post(url, data=with_csrf(client, {}, flag))
    if manager != "REAL" or step not in ("reset", "deactivate"):
        assert_refused(response, before, session)
        return
    expected = {"outgoing_mail": (1, 0)} if step == "reset" else {"managers": (1, 1)}
    delta = assert_outcome(response, before, session, lambda r, d: d in (expected, {}))
    after = snapshot(session)
    client.post(url, data=with_csrf(client, {}, True))  # twice: no second e-mail
    assert step == "deactivate" or not delta or changes(after, snapshot(session)) == {}


TOKEN = {"name": "reporting bot", "scope": "read"}


@fuzzes("admin.tokens")
@FUZZ
@given(data=st.one_of(junk_form(set(TOKEN)), mutated(TOKEN, set(TOKEN)), st.just(TOKEN)),
       flag=st.booleans())
@example(data={"name": "   ", "scope": "read"}, flag=True)
def test_create_api_token(app, session, world, data, flag):
    client = world["admin_client"]
    data = with_csrf(client, data, flag)
    before = snapshot(session)
    response = client.post("/admin/tokens", data=data)
    no_server_error(response)
    delta = changes(before, snapshot(session))
    if response.status_code == 200 and "tdm_" in response.get_data(as_text=True):
        assert delta == {"api_tokens": (1, 0)}  # one token per submit, shown this once
    else:
        assert_refused(response, before, session)


@fuzzes("admin.revoke")
@FUZZ
@given(token=st.one_of(junk_id, st.just("REAL")), flag=st.booleans())
def test_revoke_api_token(app, session, world, token, flag):
    client = world["admin_client"]
    token_id = str(session.scalar(select(ApiToken.id))) if token == "REAL" else token
    url = f"/admin/tokens/{quote(token_id, safe='')}/revoke"
    before = snapshot(session)
    response = client.post(url, data=with_csrf(client, {}, flag))
    if token != "REAL":
        assert_refused(response, before, session)
        return
    assert_outcome(response, before, session, lambda r, d: d in ({}, {"api_tokens": (1, 1)}))
    client.post(url, data=with_csrf(client, {}, True))
    assert changes(before, snapshot(session)) in ({}, {"api_tokens": (1, 1)})


# --- Message sampling switch -------------------------------------------------------------------

SWITCH = {"dpia_ref": "DPIA-2026-02", "notice": "We score shared work messages for tone."}


@fuzzes("admin.messages")
@FUZZ
@given(data=st.one_of(junk_form(set(SWITCH)), mutated(SWITCH, set(SWITCH)), st.just(SWITCH)),
       flag=st.booleans())
def test_message_switch_form(app, session, world, data, flag):
    client = world["admin_client"]
    data = with_csrf(client, data, flag)
    before = snapshot(session)
    response = client.post("/admin/messages", data=data)
    assert_outcome(response, before, session, lambda r, d: d == {"message_switches": (1, 0)})


@fuzzes("admin.messages_action")
@FUZZ
@given(step=st.one_of(st.sampled_from(["disable", "invite"]), junk_segment), flag=st.booleans())
def test_message_switch_actions(app, session, world, step, flag):
    client = world["admin_client"]
    url = f"/admin/messages/{quote(step, safe='')}"
    before = snapshot(session)
    response = client.post(url, data=with_csrf(client, {}, flag))
    if step not in ("disable", "invite"):
        assert_refused(response, before, session)
        return
    delta = assert_outcome(response, before, session, lambda r, d: set(d) <= {
        "message_switches", "outgoing_mail"})
    after = snapshot(session)
    client.post(url, data=with_csrf(client, {}, True))  # twice: nothing more
    assert not delta or changes(after, snapshot(session)) == {}


# --- Manager pages: signals and plans ----------------------------------------------------------

PLAN = {"intervention": "marketing-sales-sla", "owner": "Dana", "note": ""}


@fuzzes("manager.plan")
@FUZZ
@given(data=st.one_of(junk_form(set(PLAN)), mutated(PLAN, set(PLAN)), st.just(PLAN)),
       signal=st.one_of(junk_id, st.just("REAL")), flag=st.booleans())
@example(data={**PLAN, "owner": "   "}, signal="REAL", flag=True)
@example(data=PLAN, signal="REAL", flag=True)  # sent twice: was stored twice
def test_plan_an_intervention(app, session, world, data, signal, flag):
    client = world["manager_client"]
    signal_id = str(world["signal_id"]) if signal == "REAL" else signal
    url = f"/signals/{quote(signal_id, safe='')}/plan"
    data = with_csrf(client, data, flag, "/account/preferences")
    before = snapshot(session)
    response = client.post(url, data=data)
    if signal != "REAL":
        assert_refused(response, before, session)
        return
    delta = assert_outcome(response, before, session,  # {}: that plan was already open
                           lambda r, d: d in ({}, {"intervention_plans": (1, 0)}))
    if delta:  # the same plan sent twice (a double click) is stored once
        after = snapshot(session)
        assert client.post(url, data=data).status_code in (303, 400)
        assert changes(after, snapshot(session)) == {}


@fuzzes("manager.acknowledge")
@FUZZ
@given(signal=st.one_of(junk_id, st.just("REAL")), flag=st.booleans())
def test_acknowledge_a_signal(app, session, world, signal, flag):
    client = world["manager_client"]
    signal_id = str(world["signal_id"]) if signal == "REAL" else signal
    url = f"/signals/{quote(signal_id, safe='')}/acknowledge"
    before = snapshot(session)
    response = client.post(url, data=with_csrf(client, {}, flag, "/account/preferences"))
    if signal != "REAL":
        assert_refused(response, before, session)
        return
    assert_outcome(response, before, session, lambda r, d: d in ({}, {"signals": (1, 1)}))
    client.post(url, data=with_csrf(client, {}, True, "/account/preferences"))
    assert changes(before, snapshot(session)) in ({}, {"signals": (1, 1)})


@fuzzes("manager.move_plan")
@FUZZ
@given(plan=st.one_of(junk_id, st.just("REAL")),
       step=st.one_of(st.sampled_from(["start", "complete"]), junk_segment), flag=st.booleans())
def test_start_and_complete_a_plan(app, session, world, plan, step, flag):
    client = world["manager_client"]
    plan_id = str(world["plan_id"]) if plan == "REAL" else plan
    url = f"/plans/{quote(plan_id, safe='')}/{quote(step, safe='')}"
    before = snapshot(session)
    response = client.post(url, data=with_csrf(client, {}, flag, "/account/preferences"))
    if plan != "REAL" or step not in ("start", "complete"):
        assert_refused(response, before, session)
        return
    assert_outcome(response, before, session,
                   lambda r, d: d in ({}, {"intervention_plans": (1, 1)}))
    after = snapshot(session)
    client.post(url, data=with_csrf(client, {}, True, "/account/preferences"))
    assert changes(after, snapshot(session)) == {}  # the same step twice moves nothing
    row = session.get(InterventionPlan, world["plan_id"])
    assert row.state in (PlanState.PLANNED, PlanState.STARTED, PlanState.COMPLETED)


# --- Pages that take ids, slugs, file names or query parameters --------------------------------

@fuzzes("manager.team", "manager.boundary", "manager.signal", "manager.overview", "static")
@FUZZ
@given(template=st.sampled_from(["/teams/{}", "/boundary/{}/theirs", "/boundary/mine/{}",
                                 "/signals/{}", "/overview", "/static/{}"]),
       value=st.one_of(junk_segment, junk_id, st.sampled_from(
           ["theirs", "mine", "1", "../config.py", "..%2fconfig.py", "tandem.css"])),
       signed=st.booleans(), extra=st.dictionaries(any_text, junk_text, max_size=3))
def test_pages_taking_ids_and_parameters(app, session, world, template, value, signed, extra):
    client = world["manager_client"] if signed else world["anonymous"]
    url = template.format(quote(value, safe=""))
    query = {**extra, "page": value} if template == "/overview" else extra
    before = snapshot(session)
    response = client.get(url, query_string=query or None)
    no_server_error(response)
    if carries_nul(query):
        assert response.status_code == 400, response.status_code
    else:
        assert response.status_code in (200, 302, 404), response.status_code
    if response.status_code == 302:
        assert "/login" in response.location and not signed
    assert changes(before, snapshot(session)) == {}
    if template.startswith("/static/") and response.status_code == 200:
        assert ".." not in value and "config" not in response.get_data(as_text=True)[:200]
        response.close()

