"""The manager view: each account sees its own teams only, and acts on signals."""
import re

import pytest
from sqlalchemy import select

from surveys.accounts import create_account, set_password, visible_team_slugs, visible_teams
from surveys.history import import_history
from surveys.models import InterventionPlan, Manager, StoredSignal
from surveys.signals import detect_and_store
from tests.conftest import NOW
from tests.factories import PASSWORD, csrf_from, history_csv, sign_in

CALM = [4, 4, 5, 3, 4, 4, 5, 4, 3, 4]
TENSE = [2, 3, 2, 2, 3, 2, 1, 2, 2, 3]


@pytest.fixture
def org(session, factory):
    """growth (marketing) slides from week 13; field (sales) stays calm; tiny never has 5 answers."""
    factory.people({"growth": ("marketing", 10), "field": ("sales", 10), "tiny": ("sales", 4)})
    weeks = {"growth": [TENSE if w >= 13 else CALM for w in range(1, 17)],
             "field": [CALM[::-1]] * 16, "tiny": [[1, 1, 1, 1]] * 16}
    import_history(session, history_csv(weeks))
    detect_and_store(session, NOW, min_group=5)
    for manager in session.scalars(select(Manager)):
        set_password(session, manager, PASSWORD)
    return session.scalars(select(StoredSignal)).all()


def growth_signal(session):
    return next(s for s in session.scalars(select(StoredSignal)) if s.teams == ["growth"])


def test_overview_shows_own_teams_signals_and_health(client, org):
    sign_in(client, "boss.growth@example.com")
    html = client.get("/overview").get_data(as_text=True)
    assert "growth" in html and "Sustained decline" in html or "Persistently low" in html
    assert "<svg" in html and "field" not in html.split("Marketing–sales boundary")[0]


def test_a_manager_cannot_reach_another_managers_team_or_signal(client, session, org):
    sign_in(client, "boss.field@example.com")
    assert client.get("/teams/field").status_code == 200
    assert client.get("/teams/growth").status_code == 404
    assert client.get(f"/signals/{growth_signal(session).id}").status_code == 404
    assert client.get("/boundary/growth/field").status_code == 200   # a pair with their team
    assert client.get("/admin/").status_code == 404


def test_small_team_figures_are_absent_not_hidden(client, org):
    sign_in(client, "boss.tiny@example.com")
    html = client.get("/teams/tiny").get_data(as_text=True)
    assert "Not enough answers yet" in html
    assert not re.search(r">\s*1\.00\s*<", html)  # their unanimous 1s appear nowhere


def test_plan_start_and_complete_an_intervention(client, session, org):
    signal = growth_signal(session)
    sign_in(client, "boss.growth@example.com")
    page = client.get(f"/signals/{signal.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "What to do about it" in html and "Why this one" in html
    choice = re.search(r'<option[^>]*value="([^"]+)"', html).group(1)
    planned = client.post(f"/signals/{signal.id}/plan", data={
        "intervention": choice, "owner": "Priya", "note": "start Monday", "csrf_token": csrf_from(html)})
    assert planned.status_code == 303
    session.commit()
    plan = session.scalar(select(InterventionPlan))
    assert (plan.intervention_id, plan.owner, plan.teams) == (choice, "Priya", ["growth"])
    token = csrf_from(client.get(f"/signals/{signal.id}").get_data(as_text=True))
    client.post(f"/plans/{plan.id}/start", data={"csrf_token": token})
    client.post(f"/plans/{plan.id}/complete", data={"csrf_token": token})
    session.commit()
    assert session.get(InterventionPlan, plan.id, populate_existing=True).state.value == "completed"


def test_planning_without_an_owner_re_renders_with_the_message(client, session, org):
    signal = growth_signal(session)
    sign_in(client, "boss.growth@example.com")
    html = client.get(f"/signals/{signal.id}").get_data(as_text=True)
    choice = re.search(r'<option[^>]*value="([^"]+)"', html).group(1)
    response = client.post(f"/signals/{signal.id}/plan", data={
        "intervention": choice, "owner": "", "csrf_token": csrf_from(html)})
    assert response.status_code == 400 and "Name who owns this." in response.get_data(as_text=True)


def test_another_manager_cannot_move_a_plan(client, session, org):
    signal = growth_signal(session)
    session.add(InterventionPlan(intervention_id="ownership-map", teams=["growth"], metric="lead_quality",
                                 owner="P", signal_id=signal.id))
    session.commit()
    sign_in(client, "boss.field@example.com")
    token = csrf_from(client.get("/overview").get_data(as_text=True))
    assert client.post("/plans/1/start", data={"csrf_token": token}).status_code == 404


def test_an_admin_sees_every_team_and_the_admin_pages(client, session, org):
    create_account(session, "root@example.com", "Root", "admin", password=PASSWORD)
    sign_in(client, "root@example.com")
    html = client.get("/overview").get_data(as_text=True)
    assert "All teams" in html and "growth" in html and "field" in html
    for page in ("/admin/", "/admin/people", "/admin/teams", "/admin/rounds", "/admin/accounts",
                 "/admin/tokens", "/admin/mail", "/teams/growth", "/boundary"):
        assert client.get(page).status_code == 200, page


def test_signed_in_pages_are_not_cached(client, org):
    sign_in(client, "boss.growth@example.com")
    assert client.get("/overview").headers["Cache-Control"] == "no-store"


def test_an_admin_pages_through_many_teams(client, session, factory):
    factory.people({f"team-{i:02d}": ("marketing" if i % 2 else "sales", 5) for i in range(30)})
    create_account(session, "root@example.com", "Root", "admin", password=PASSWORD)
    sign_in(client, "root@example.com")
    first = client.get("/overview").get_data(as_text=True)
    second = client.get("/overview?page=2").get_data(as_text=True)
    assert "Page 1 of 2" in first and "team-00" in first and "team-29" not in first
    assert "team-29" in second and "team-00" not in second
    assert client.get("/overview?page=99").status_code == 200
    assert client.get("/overview?page=abc").status_code == 200


def test_team_slugs_come_in_the_order_of_the_teams_themselves(session, factory):
    # The overview pages through slugs and loads only the page's teams: same teams, same order.
    factory.people({f"t{i}": ("marketing" if i % 2 else "sales", 5) for i in (3, 1, 2, 0)})
    admin = create_account(session, "root@example.com", "Root", "admin")
    managers = session.scalars(select(Manager).where(Manager.role == "manager")).all()
    for account in (admin, *managers):
        assert visible_team_slugs(session, account) == [
            team.slug for team in visible_teams(session, account)]
    assert len(visible_team_slugs(session, admin)) == 4
