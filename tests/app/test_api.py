"""The JSON API: bearer tokens, scopes, revocation, and the same access rules as the pages."""
import pytest
from sqlalchemy import select

from surveys.api_tokens import create_api_token, revoke_api_token
from surveys.history import import_history
from surveys.models import ApiToken, Manager, StoredSignal
from surveys.signals import detect_and_store
from tests.conftest import NOW
from tests.factories import history_csv
from tests.log_capture import remember

CALM, TENSE = [4, 4, 5, 3, 4, 4, 5, 4, 3, 4], [2, 3, 2, 2, 3, 2, 1, 2, 2, 3]


@pytest.fixture
def tokens(session, factory):
    factory.people({"growth": ("marketing", 10), "field": ("sales", 10)})
    import_history(session, history_csv({"growth": [TENSE if w >= 13 else CALM for w in range(1, 17)],
                                         "field": [CALM] * 16}))
    detect_and_store(session, NOW, min_group=5)
    managers = {m.email.split("@")[0].split(".")[1]: m for m in session.scalars(select(Manager))}
    return {team: remember(create_api_token(session, manager, f"{team} reports")[1])
            for team, manager in managers.items()}


def get(client, path, token):
    return client.get(path, headers={"Authorization": f"Bearer {token}"})


def test_a_token_lists_only_its_managers_teams_and_signals(client, tokens):
    assert [t["slug"] for t in get(client, "/api/v1/teams", tokens["growth"]).get_json()] == ["growth"]
    signals = get(client, "/api/v1/signals", tokens["growth"]).get_json()
    assert signals and all("growth" in s["teams"] for s in signals)
    assert get(client, "/api/v1/signals", tokens["field"]).get_json() == []


def test_another_teams_panel_and_signal_are_404(client, session, tokens):
    assert get(client, "/api/v1/teams/growth/panel", tokens["field"]).status_code == 404
    rows = get(client, "/api/v1/teams/growth/panel", tokens["growth"]).get_json()
    assert rows and all(r["n"] >= 5 for r in rows)
    signal = session.scalars(select(StoredSignal)).first()
    assert get(client, f"/api/v1/signals/{signal.id}", tokens["field"]).status_code == 404
    detail = get(client, f"/api/v1/signals/{signal.id}", tokens["growth"]).get_json()
    assert detail["ranked_interventions"][0]["reason"]


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer nope", "Basic abc", "Bearer " + "x" * 500])
def test_missing_or_bad_tokens_get_401_with_a_reason(client, tokens, header):
    response = client.get("/api/v1/teams", headers={"Authorization": header} if header else {})
    assert response.status_code == 401 and "API token" in response.get_json()["error"]


def test_a_revoked_or_ingest_only_token_cannot_read(client, session, tokens):
    revoke_api_token(session, session.scalars(select(ApiToken)).first())
    revoked = next(t for t in tokens.values() if get(client, "/api/v1/teams", t).status_code == 401)
    assert revoked
    manager = session.scalars(select(Manager)).first()
    _, ingest = create_api_token(session, manager, "importer", scope="ingest")
    assert get(client, "/api/v1/teams", ingest).status_code == 401


def test_the_catalogue_is_served(client, tokens):
    catalogue = get(client, "/api/v1/interventions", tokens["growth"]).get_json()
    assert len(catalogue) >= 12 and {"id", "title", "why", "steps"} <= set(catalogue[0])
