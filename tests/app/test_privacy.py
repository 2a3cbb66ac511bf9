"""Privacy rules (DESIGN §3) under attack: small groups, subtraction, and who-answered leaks."""
import re

import pytest
from sqlalchemy import select

from surveys.accounts import create_account, set_password
from surveys.api_tokens import create_api_token
from surveys.history import import_history
from surveys.models import Manager
from surveys.rollup import refresh_panel, stored_panel_rows
from surveys.signals import detect_and_store
from tests.conftest import NOW
from tests.factories import PASSWORD, sign_in

PAIR = "pair_acts_on_handover"
MARKER = "zebra-quartz"  # a word only the small team's comments contain


def history(team, values, weeks=8, comment=""):
    return "".join(f"{team},2026-W{w:02d},{PAIR},{v},{comment}\n" for w in range(1, weeks + 1) for v in values)


@pytest.fixture
def org(session, factory):
    """Marketing: big (8 answer) and small (4 answer, all 1s); sales: field (6) and desk (7)."""
    factory.people({"big": ("marketing", 8), "small": ("marketing", 4),
                    "field": ("sales", 6), "desk": ("sales", 7)})
    text = "team,week,item_id,value,comment\n"
    text += history("big", [4, 4, 3, 5, 4, 4, 3, 4])
    text += history("small", [1, 1, 1, 1], comment=f"{MARKER} says the handover is broken")
    text += history("field", [3, 3, 4, 3, 3, 4]) + history("desk", [2, 3, 2, 3, 2, 3, 2])
    import_history(session, text)
    refresh_panel(session, 5)
    detect_and_store(session, NOW, 5)
    create_account(session, "root@example.com", "Root", "admin", password=PASSWORD)
    for manager in session.scalars(select(Manager)):
        set_password(session, manager, PASSWORD)
    return session


def all_pages(client):
    pages = ["/overview", "/boundary", "/teams/big", "/teams/small", "/teams/field", "/teams/desk",
             "/boundary/big/field", "/boundary/small/field", "/boundary/small/desk",
             "/admin/rounds", "/admin/mail", "/admin/people"]
    return {page: client.get(page).get_data(as_text=True) for page in pages}


def test_small_team_values_are_absent_everywhere_for_an_admin(client, org):
    sign_in(client, "root@example.com")
    for page, html in all_pages(client).items():
        assert MARKER not in html, page
        assert not re.search(r">\s*1\.00\s*<", html), page  # the small team's unanimous 1s
    assert "Not enough answers yet" in client.get("/teams/small").get_data(as_text=True)


def test_department_figures_are_pooled_from_visible_teams_only(client, org):
    """With `small` hidden, marketing's figure must equal `big`'s: nothing to subtract."""
    big = [r for r in stored_panel_rows(org, teams=["big"]) if r.metric == f"pair:{PAIR}"][-1]
    sign_in(client, "root@example.com")
    html = client.get("/overview").get_data(as_text=True)
    row = re.search(r"acts on what we hand over.*?</tr>", html, re.S).group(0)
    assert f"{big.mean:.2f}" in row


def test_a_manager_sees_no_department_figure_built_from_fewer_than_three_teams(client, org):
    sign_in(client, "boss.big@example.com")
    html = client.get("/overview").get_data(as_text=True)
    row = re.search(r"acts on what we hand over.*?</tr>", html, re.S).group(0)
    assert re.findall(r'<td class="num">([^<]*)</td>', row) == ["–", "–", "–"]


def test_the_api_and_export_never_carry_a_cell_below_the_minimum(app, client, org, tmp_path):
    admin = org.scalar(select(Manager).where(Manager.email == "root@example.com"))
    _, token = create_api_token(org, admin, "audit")
    for team in ("big", "small", "field", "desk"):
        rows = client.get(f"/api/v1/teams/{team}/panel",
                          headers={"Authorization": f"Bearer {token}"}).get_json()
        assert all(r["n"] >= 5 for r in rows)
        assert (rows == []) == (team == "small")
    export = tmp_path / "panel.csv"
    app.test_cli_runner().invoke(args=["panel", "export", str(export)])
    text = export.read_text()
    assert "small" not in text and MARKER not in text and "big" in text


def test_no_page_tells_who_answered_or_not(client, org):
    sign_in(client, "root@example.com")
    html = all_pages(client)
    assert "answered" not in html["/admin/people"].lower()
    assert "fewer than 5" in html["/admin/rounds"] or "No rounds yet" in html["/admin/rounds"]
    assert "reminder" not in html["/admin/mail"].split("Other e-mails")[1]
