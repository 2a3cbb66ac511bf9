"""Every route × every role, aimed at someone else's ids: zero unauthorised successes."""
import pytest
from sqlalchemy import select

from surveys.accounts import create_account, set_password
from surveys.history import import_history
from surveys.models import InterventionPlan, Manager, Member, StoredSignal
from surveys.signals import detect_and_store
from tests.conftest import NOW
from tests.factories import PASSWORD, csrf_from, history_csv, sign_in

CALM, TENSE = [4, 4, 5, 3, 4, 4, 5, 4, 3, 4], [2, 3, 2, 2, 3, 2, 1, 2, 2, 3]
#: Endpoints anyone may reach: the front page, health check, sign-in, survey links, unsubscribe,
#: static files.
PUBLIC = {"main.index", "main.health", "auth.login", "static", "survey.exchange", "survey.answer", "survey.thanks",
          "preferences.unsubscribe", "preferences.unsubscribe_page", "auth.set_password_page",
          "messages.consent", "messages.grant", "messages.withdraw"}
#: API endpoints authenticate by bearer token, tested in test_api.py; here they must refuse cookies.
TOKEN_ONLY_PREFIX = "api."


@pytest.fixture
def world(session, factory):
    """Manager of `mine` (marketing) and of `theirs` (sales, with a signal and a plan); an admin."""
    factory.people({"mine": ("marketing", 10), "theirs": ("sales", 10), "third": ("sales", 10)})
    import_history(session, history_csv({"mine": [CALM] * 16, "third": [CALM] * 16,
                                         "theirs": [TENSE if w >= 13 else CALM for w in range(1, 17)]}))
    detect_and_store(session, NOW, 5)
    signal = next(s for s in session.scalars(select(StoredSignal)) if s.teams == ["theirs"])
    session.add(InterventionPlan(intervention_id="ownership-map", teams=["theirs"],
                                 metric=signal.metric, owner="T", signal_id=signal.id))
    create_account(session, "root@example.com", "Root", "admin", password=PASSWORD)
    for manager in session.scalars(select(Manager)):
        set_password(session, manager, PASSWORD)
    session.commit()
    their_manager = session.scalar(select(Manager).where(Manager.email == "boss.theirs@example.com"))
    return {"slug": "theirs", "marketing": "mine", "sales": "third", "signal_id": signal.id,
            "plan_id": session.scalar(select(InterventionPlan.id)), "manager_id": their_manager.id,
            "member_id": session.scalar(select(Member.id)), "token_id": 1, "step": None,
            "token": "not-a-real-token", "filename": "tandem.css"}


def urls(app, ids):
    """(endpoint, method, url) for every rule, filled with someone else's ids."""
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for values in _value_sets(rule, ids):
                yield rule.endpoint, method, app.url_map.bind("localhost").build(
                    rule.endpoint, values, method=method)


def _value_sets(rule, ids):
    """Argument values for a rule; a route with a choice of steps is tried with each."""
    values = {name: ids[name] for name in rule.arguments if name != "step"}
    if "step" not in rule.arguments:
        return [values]
    return [{**values, "step": step} for step in sorted(rule._converters["step"].items)]


def attempt(client, method, url, token):
    data = {"csrf_token": token, "owner": "x", "intervention": "ownership-map", "name": "x",
            "email": "x@example.com", "role": "admin", "scope": "read"}
    return client.get(url) if method == "GET" else client.post(url, data=data)


def refused(response):
    """404, 401, 403, 405, or a redirect to the sign-in page."""
    if response.status_code in (401, 403, 404, 405):
        return True
    return response.status_code in (302, 303) and "/login" in response.location


@pytest.mark.parametrize("role", ["anonymous", "other-manager"])
def test_no_route_lets_a_role_reach_what_is_not_theirs(app, client, world, role):
    if role == "other-manager":
        sign_in(client, "boss.mine@example.com")
    token = csrf_from(client.get("/login").get_data(as_text=True))
    allowed_for_manager = {"manager.overview", "manager.boundaries", "auth.logout",
                           "preferences.preferences"}
    leaks = []
    for endpoint, method, url in urls(app, world):
        if endpoint in PUBLIC or (role == "other-manager" and endpoint in allowed_for_manager):
            continue
        if role == "other-manager" and endpoint == "manager.boundary":
            url = "/boundary/third/theirs"  # a pair with none of their teams (a real pair is allowed)
        response = attempt(client, method, url, token)
        if not refused(response):
            leaks.append((role, method, url, response.status_code))
    assert leaks == []


def test_admin_pages_refuse_managers_but_serve_admins(app, client, world):
    sign_in(client, "boss.mine@example.com")
    admin_urls = [u for e, m, u in urls(app, world) if e.startswith("admin.") and m == "GET"]
    assert admin_urls and all(client.get(u).status_code == 404 for u in admin_urls)
    sign_in(client, "root@example.com")
    assert all(client.get(u).status_code == 200 for u in admin_urls)


def test_ten_thousand_guessed_or_tampered_tokens_are_all_refused(session, factory):
    from surveys.errors import LinkError
    from surveys.invitations import usable_context_for_token
    import secrets

    teams = factory.people({"growth": ("marketing", 5)})
    [survey_round] = factory.open_round(teams.values(), NOW)
    real, _ = factory.link(survey_round)
    accepted = 0
    for index in range(10_000):
        guess = secrets.token_urlsafe(32) if index % 2 else _tamper(real, index)
        try:
            usable_context_for_token(session.connection(), guess, NOW)
            accepted += 1
        except LinkError:
            pass
    assert accepted == 0


def _tamper(token, index):
    position = index % len(token)
    replacement = "A" if token[position] != "A" else "B"
    return token[:position] + replacement + token[position + 1:]
