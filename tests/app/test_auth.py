"""Signing in and out: Argon2id, one answer for every failure, limits, server-side logout."""
from sqlalchemy import select

from surveys.accounts import create_account, end_sessions
from surveys.db import utcnow
from surveys.models import LoginAttempt, Manager
from tests.factories import PASSWORD, csrf_from, sign_in


def make_manager(session, email="lead@example.com", role="manager"):
    return create_account(session, email, "Lee Lead", role, password=PASSWORD)


def test_sign_in_with_the_right_password_opens_the_overview(client, session):
    manager = make_manager(session)
    assert manager.password_hash.startswith("$argon2id$")
    response = sign_in(client, "Lead@Example.com ")
    assert response.status_code == 302 and response.location.endswith("/overview")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/overview").status_code == 200


def test_unknown_user_and_wrong_password_get_the_same_answer(client, session):
    make_manager(session)
    wrong = sign_in(client, "lead@example.com", "not the password at all")
    unknown = sign_in(client, "nobody@example.com", "not the password at all")
    assert wrong.status_code == unknown.status_code == 401
    message = "That e-mail address and password do not match an active account."
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)


def test_failed_logins_are_limited_per_account(client, session):
    make_manager(session)
    session.add_all(LoginAttempt(email="lead@example.com", address=f"10.0.0.{i % 200}", at=utcnow())
                    for i in range(100))
    session.commit()
    refused = sign_in(client, "lead@example.com")  # even the right password waits out the hour
    assert refused.status_code == 401 and "Too many failed attempts" in refused.get_data(as_text=True)


def test_failed_logins_are_limited_per_address(client, session):
    make_manager(session)
    session.add_all(LoginAttempt(email=f"x{i}@example.com", address="127.0.0.1", at=utcnow())
                    for i in range(300))
    session.commit()
    assert "Too many failed attempts" in sign_in(client, "lead@example.com").get_data(as_text=True)


def test_logout_ends_the_session_on_the_server(app, client, session):
    make_manager(session)
    sign_in(client, "lead@example.com")
    stolen = client.get_cookie("session").value
    page = client.get("/overview").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_from(page)})
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert replay.get("/overview").status_code == 302


def test_deactivation_ends_the_session(client, session):
    manager = make_manager(session)
    sign_in(client, "lead@example.com")
    manager.active = False
    session.commit()
    assert client.get("/overview").status_code == 302
    end_sessions(session, manager)


def test_login_without_csrf_token_is_refused(client, session):
    make_manager(session)
    response = client.post("/login", data={"email": "lead@example.com", "password": PASSWORD})
    assert response.status_code == 400


def test_next_parameter_never_leaves_the_site(client, session):
    make_manager(session)
    page = client.get("/login?next=//evil.example.com/x").get_data(as_text=True)
    response = client.post("/login?next=//evil.example.com/x", data={
        "email": "lead@example.com", "password": PASSWORD, "csrf_token": csrf_from(page)})
    assert response.location.endswith("/overview")


def test_set_password_link_works_once(app, client, session):
    from app.auth.tokens import set_password_token

    manager = create_account(session, "new@example.com", "New Person")
    with app.test_request_context():
        token = set_password_token(manager)
    page = client.get(f"/account/set-password/{token}")
    assert page.status_code == 200
    data = {"password": "a brand new long password", "confirm": "a brand new long password",
            "csrf_token": csrf_from(page.get_data(as_text=True))}
    assert client.post(f"/account/set-password/{token}", data=data).status_code == 302
    assert client.get(f"/account/set-password/{token}").status_code == 404
    assert sign_in(client, "new@example.com", "a brand new long password").status_code == 302
    session.commit()
    assert session.scalar(select(Manager).where(Manager.email == "new@example.com")).session_version == 1


def test_a_too_short_password_re_renders_with_a_message(app, client, session):
    from app.auth.tokens import set_password_token

    manager = create_account(session, "new@example.com", "New Person")
    with app.test_request_context():
        token = set_password_token(manager)
    page = client.get(f"/account/set-password/{token}").get_data(as_text=True)
    response = client.post(f"/account/set-password/{token}", data={
        "password": "short", "confirm": "short", "csrf_token": csrf_from(page)})
    assert response.status_code == 200 and "at least 12 characters" in response.get_data(as_text=True)
