"""The survey pages over HTTP: link exchange, the form, errors, and the privacy of links."""
import re

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import func, select

from surveys.db import utcnow
from surveys.accounts import set_password
from surveys.models import Invitation, Manager, Response
from surveys.rounds import open_due_rounds
from surveys.invitations import issue_invitations
from surveys.db import immediate_transaction
from surveys.people import add_department
from surveys.question_bank import load_bank
from tests.factories import PASSWORD, sign_in


@pytest.fixture
def live_round(session, factory):
    """An open round on today's date (survey pages use the real clock)."""
    teams = factory.people({"growth": ("marketing", 6)})
    factory.schedule(teams.values(), starts=utcnow().date(), open_hour=0)
    with immediate_transaction(session):
        [survey_round] = open_due_rounds(session, utcnow())
        issue_invitations(session, survey_round)
    return survey_round


def csrf_token(html):
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def answer_form(survey_round, html, value="4", enps="7", comment=""):
    data = {f"item_{item}": value for item in survey_round.item_ids}
    data.update(csrf_token=csrf_token(html), enps=enps, comment=comment)
    return data


def open_survey(client, factory, survey_round, index=0):
    token, invitation = factory.link(survey_round, index)
    exchanged = client.get(f"/s/{token}")
    assert exchanged.status_code == 303 and exchanged.location.endswith("/s/")
    return token, invitation, client.get("/s/")


def response_count(session):
    session.commit()  # end the test's read snapshot: requests write through their own sessions
    return session.scalar(select(func.count()).select_from(Response))


def test_the_link_is_traded_for_a_cookie_and_leaves_the_address_bar(client, factory, live_round):
    token, _ = factory.link(live_round)
    exchanged = client.get(f"/s/{token}")
    cookie = next(c for c in exchanged.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert exchanged.status_code == 303 and exchanged.location.endswith("/s/")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and token not in cookie
    page = client.get("/s/")
    assert page.status_code == 200 and token not in page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    html = page.get_data(as_text=True)
    assert "at least <strong>5 people</strong>" in html and "<fieldset" in html and "<legend" in html


def test_a_valid_submission_is_stored_once_and_the_link_dies(client, session, factory, live_round):
    token, invitation, page = open_survey(client, factory, live_round)
    sent = client.post("/s/", data=answer_form(live_round, page.get_data(as_text=True)))
    assert sent.status_code == 303 and sent.location.endswith("/s/thanks")
    assert response_count(session) == 1
    assert session.get(Invitation, invitation.id, populate_existing=True).used
    again = client.get(f"/s/{token}")
    assert again.status_code == 410 and "already been answered" in again.get_data(as_text=True)


def test_an_answer_leaves_no_survey_cookie_behind(client, session, factory, live_round):
    _, _, page = open_survey(client, factory, live_round)
    answers = answer_form(live_round, page.get_data(as_text=True))
    sent = client.post("/s/", data=answers)
    [cleared] = [c for c in sent.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert sent.status_code == 303 and "Expires=Thu, 01 Jan 1970" in cleared
    assert client.get_cookie("session") is None
    assert client.get("/s/").status_code == 404  # nothing left to answer with
    # Sent again (back button): the form token went with the cookie, and the page says why.
    again = client.post("/s/", data=answers)
    assert again.status_code == 404 and "This link can't be used" in again.get_data(as_text=True)
    assert response_count(session) == 1


def test_a_signed_in_manager_who_answers_stays_signed_in(client, session, factory, live_round):
    manager = session.scalar(select(Manager).where(Manager.email == "boss.growth@example.com"))
    set_password(session, manager, PASSWORD)
    session.commit()
    assert sign_in(client, manager.email).status_code == 302
    _, _, page = open_survey(client, factory, live_round)
    sent = client.post("/s/", data=answer_form(live_round, page.get_data(as_text=True)))
    assert sent.status_code == 303 and response_count(session) == 1
    assert client.get("/overview").status_code == 200
    assert client.get("/s/").status_code == 404  # the survey's own key went all the same


def test_missing_answers_re_render_the_form_with_messages_tied_to_fields(client, session, factory, live_round):
    _, _, page = open_survey(client, factory, live_round)
    data = answer_form(live_round, page.get_data(as_text=True))
    first_item = f"item_{live_round.item_ids[0]}"
    del data[first_item]
    shown = client.post("/s/", data=data)
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "Please choose one answer." in html
    assert f'aria-describedby="{first_item}-error"' in html and 'role="alert"' in html
    assert response_count(session) == 0


@pytest.mark.parametrize("path, status", [("/s/not-a-real-token", 404), ("/s/" + "A" * 43, 404),
                                          ("/s/", 404)])
def test_unknown_links_and_missing_cookies_get_a_clear_page(client, live_round, path, status):
    page = client.get(path)
    assert page.status_code == status and "This link can't be used" in page.get_data(as_text=True)


def test_a_link_of_a_deactivated_person_is_gone(client, session, factory, live_round):
    token, invitation = factory.link(live_round)
    invitation.member.active = False
    session.commit()
    assert client.get(f"/s/{token}").status_code == 410


def test_a_post_without_csrf_token_is_refused_with_a_page_not_a_crash(client, session, factory, live_round):
    _, _, page = open_survey(client, factory, live_round)
    data = answer_form(live_round, page.get_data(as_text=True))
    del data["csrf_token"]
    refused = client.post("/s/", data=data)
    assert refused.status_code == 400 and "expired" in refused.get_data(as_text=True)
    assert response_count(session) == 0


def test_every_page_carries_security_headers(client, live_round):
    headers = client.get("/s/unknown").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"


form_values = st.one_of(st.text(max_size=30), st.sampled_from(["1", "5", "0", "6", "-1", "4.5", ""]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answers=st.lists(form_values, min_size=0, max_size=9), enps=form_values,
       comment=st.text(max_size=3000), extra=st.dictionaries(st.text(max_size=10), st.text(max_size=10), max_size=3))
def test_fuzzed_survey_posts_never_crash_or_half_write(client, session, factory, live_round,
                                                      answers, enps, comment, extra):
    _, invitation, page = open_survey(client, factory, live_round)
    data = {**extra, **answer_form(live_round, page.get_data(as_text=True), enps=enps, comment=comment)}
    for item, value in zip(live_round.item_ids, answers):
        data[f"item_{item}"] = value
    before = response_count(session)
    result = client.post("/s/", data=data)
    assert result.status_code in (200, 303, 400)
    stored = response_count(session) - before
    used = session.get(Invitation, invitation.id, populate_existing=True).used
    assert (result.status_code == 303) == (stored == 1) == used
    if used:  # a fresh, unused invitation for the next example
        with immediate_transaction(session):
            invitation.used = False


def test_the_form_follows_a_team_moved_to_another_department(client, session, factory, live_round):
    # The layout is cached per process under what it depends on, so nothing stale is shown.
    bank = load_bank(live_round.bank_version)
    paired = live_round.item_ids[-1]
    _, _, page = open_survey(client, factory, live_round)
    assert bank.text_for(paired, "marketing") in page.get_data(as_text=True)
    sales = add_department(session, "Sales")
    with immediate_transaction(session):
        live_round.team.department_id = sales.id
    html = client.get("/s/").get_data(as_text=True)
    assert bank.text_for(paired, "sales") in html
    assert bank.text_for(paired, "marketing") not in html


def test_the_answer_and_its_thank_you_carry_every_security_header(client, factory, live_round):
    _, _, page = open_survey(client, factory, live_round)
    sent = client.post("/s/", data=answer_form(live_round, page.get_data(as_text=True)))
    for response in (page, sent, client.get("/s/thanks")):
        headers = response.headers
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert headers["Cache-Control"] == "no-store" and headers["Referrer-Policy"] == "no-referrer"
        assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
