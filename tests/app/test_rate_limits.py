"""Rate limits on survey links, sign-in and the API (Flask-Limiter), with Retry-After."""
import pytest

from app import create_app
from app.extensions import db
from config import TestConfig


@pytest.fixture
def limited(tmp_path, database_url):
    config = TestConfig(tmp_path, database_url)
    config.RATELIMIT_ENABLED = True
    app = create_app(config)
    yield app.test_client()
    with app.app_context():
        db.engine.dispose()


def test_guessing_survey_links_is_slowed_down(limited):
    statuses = [limited.get(f"/s/guess-{i}").status_code for i in range(31)]
    assert statuses[:30] == [404] * 30 and statuses[30] == 429
    response = limited.get("/s/one-more")
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    assert "Too many requests" in response.get_data(as_text=True)


def test_sign_in_attempts_are_limited_per_address(limited):
    statuses = [limited.post("/login", data={"email": "x@example.com", "password": "x"}).status_code
                for _ in range(21)]
    assert statuses[-1] == 429 and set(statuses[:20]) == {400}


def test_the_api_answers_429_in_json(limited):
    for _ in range(600):
        limited.get("/api/v1/teams")
    response = limited.get("/api/v1/teams")
    assert response.status_code == 429 and "too many requests" in response.get_json()["error"]
    assert "Retry-After" in response.headers


@pytest.fixture
def behind_proxy(tmp_path, database_url):
    """Rate limits on, and one trusted reverse proxy in front of the app."""
    config = TestConfig(tmp_path, database_url)
    config.RATELIMIT_ENABLED, config.TRUSTED_PROXIES = True, 1
    app = create_app(config)
    yield app.test_client()
    with app.app_context():
        db.engine.dispose()


def test_behind_a_trusted_proxy_each_visitor_has_their_own_limit(behind_proxy):
    first = [behind_proxy.get(f"/s/guess-{i}", headers={"X-Forwarded-For": "203.0.113.7"})
             for i in range(31)]
    assert first[-1].status_code == 429
    other = behind_proxy.get("/s/guess", headers={"X-Forwarded-For": "203.0.113.8"})
    assert other.status_code == 404  # a different visitor through the same proxy is not blocked


def test_without_a_trusted_proxy_a_forged_address_does_not_escape_the_limit(limited):
    statuses = [limited.get(f"/s/guess-{i}", headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code
                for i in range(31)]
    assert statuses[-1] == 429


def test_https_reported_by_a_trusted_proxy_turns_on_hsts(behind_proxy):
    response = behind_proxy.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "max-age" in response.headers["Strict-Transport-Security"]
    assert "Strict-Transport-Security" not in behind_proxy.get("/login").headers
