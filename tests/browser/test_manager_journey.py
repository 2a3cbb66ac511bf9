"""The demo story in a real browser: a manager goes from overview to a planned intervention."""
from tests.browser.conftest import DEMO_PASSWORD

TENSE_MANAGER = "priya.raman@example.com"   # leads growth-marketing in the demo
OTHER_MANAGER = "marcus.bell@example.com"   # leads mid-market and sales-development


def sign_in(page, base, email):
    page.goto(f"{base}/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/overview")


def shot(page, name):
    page.screenshot(path=str(page.screenshots / f"{name}.png"), full_page=True)


def test_manager_finds_the_signal_plans_an_intervention_and_signs_out(page, live_server):
    base = live_server.base
    sign_in(page, base, TENSE_MANAGER)
    assert page.title() == "Overview · Tandem"
    shot(page, "overview")
    signal_links = page.locator("ul.signal-list a")
    assert signal_links.count() >= 1
    signal_links.first.click()
    page.wait_for_selector("h2#todo-heading")
    shot(page, "signal")
    assert "Growth Marketing" in page.content() and "Why this one" in page.content()
    page.get_by_label("Owner").fill("Priya Raman")
    page.get_by_label("Note (optional)").fill("Joint lead review with enterprise sales on Tuesday")
    page.get_by_role("button", name="Plan it").click()
    page.wait_for_selector("text=Intervention planned.")
    assert "owner Priya Raman" in page.content()
    page.get_by_role("button", name="Start").click()
    page.wait_for_selector("text=started")
    shot(page, "planned")
    page.goto(f"{base}/teams/growth-marketing")
    shot(page, "team")
    page.goto(f"{base}/boundary/growth-marketing/enterprise-sales")
    assert page.locator("svg.chart-gap").count() == 1
    shot(page, "boundary")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{base}/login")
    page.goto(f"{base}/overview")
    assert page.url.startswith(f"{base}/login")


def test_a_manager_cannot_reach_another_managers_team(page, live_server):
    sign_in(page, live_server.base, OTHER_MANAGER)
    assert page.goto(f"{live_server.base}/teams/growth-marketing").status == 404
    assert page.goto(f"{live_server.base}/teams/mid-market-sales").status == 200


def test_an_employee_answers_on_a_phone(browser, live_server, tmp_path_factory):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(live_server.survey_link)
    assert page.url == f"{live_server.base}/s/"  # the token has left the address bar
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    for group in page.locator("fieldset.question").all():
        group.locator("label.scale-option").nth(3).click()
    page.get_by_label("Anything else you would like to tell us", exact=False).fill("Handoffs felt smoother this week.")
    page.screenshot(path=str(tmp_path_factory.getbasetemp() / "screenshots" / "phone-survey.png"),
                    full_page=True)
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_url(f"{live_server.base}/s/thanks")
    assert "Thank you" in page.content()
    assert page.goto(live_server.survey_link).status == 410
    context.close()
