"""Sessions that really end: a copied cookie is worthless after logout, a new password, "log out
everywhere" or deleting the account; logging in starts a new session; cookies and caching are strict."""

import time
from datetime import timedelta

import pytest
from conftest import PASSWORD, app_for_test, close_database, csrf_token, make_app

from webapp import db
from webapp.models import User

HTTPS = "https://localhost"


def session_cookie(client, name="session"):
    cookie = client.get_cookie(name)
    assert cookie is not None, f"no {name} cookie"
    return cookie.value


def replay(app, value, name="session", base_url="http://localhost"):
    """A fresh device (an attacker's) that only has a copy of the cookie."""
    other = app.test_client()
    other.set_cookie(name, value)
    return other.get("/profile", base_url=base_url)


def is_logged_in(response):
    return response.status_code == 200


def test_a_copied_session_cookie_stops_working_after_logout(app, client, user):
    copied = session_cookie(client)
    assert is_logged_in(replay(app, copied))
    user.logout()
    response = replay(app, copied)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_logging_out_ends_the_sessions_on_every_other_device_too(app, client, auth, user):
    phone = app.test_client()
    phone.post("/login", data={"email": "ada@example.com", "password": PASSWORD})
    assert is_logged_in(phone.get("/profile"))
    user.logout()
    assert phone.get("/profile").status_code == 302


def test_changing_the_password_ends_other_sessions_and_keeps_this_one(app, client, user):
    copied = session_cookie(client)
    response = client.post("/account/password", data={"current_password": PASSWORD,
                                                      "new_password": "a brand new passphrase"})
    assert response.status_code == 302 and response.headers["Location"] == "/profile"
    assert is_logged_in(client.get("/profile"))
    assert replay(app, copied).status_code == 302


def test_log_out_everywhere_ends_every_session(app, client, user):
    copied = session_cookie(client)
    response = client.post("/account/log-out-everywhere")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/profile").status_code == 302
    assert replay(app, copied).status_code == 302


def test_deleting_the_account_ends_its_sessions(app, client, user):
    copied = session_cookie(client)
    assert client.post("/account/delete", data={"password": PASSWORD}).status_code == 302
    assert replay(app, copied).status_code == 302


def test_a_cookie_holding_the_bare_account_id_is_not_a_login(app, client, user):
    """Cookies from before session tokens named the id; knowing an id is not being logged in."""
    with db.database().connection_context():
        user_id = User.get().id
    other = app.test_client()
    with other.session_transaction() as s:
        s["_user_id"] = str(user_id)
        s["_fresh"] = True
    assert other.get("/profile").status_code == 302


def test_a_login_ends_after_its_absolute_limit_even_when_used(app, client, user):
    with db.database().connection_context():
        token = User.get().session_token
    month_ago = int(time.time() - timedelta(days=31).total_seconds())
    with client.session_transaction() as s:
        s["_user_id"] = f"{token}.{month_ago}"
    assert client.get("/profile").status_code == 302


@pytest.fixture
def short_idle_app(database_url, tmp_path):
    app = make_app(database_url, SESSION_IDLE_TIMEOUT=timedelta(seconds=1))
    app.instance_path = str(tmp_path)
    yield app
    close_database()


def test_an_idle_session_expires_and_a_used_one_does_not(short_idle_app):
    client = short_idle_app.test_client()
    client.post("/signup", data={"email": "ada@example.com", "password": PASSWORD, "timezone": "UTC"})
    copied = session_cookie(client)
    assert is_logged_in(client.get("/profile"))
    time.sleep(2.2)
    # The copy was not used for two seconds: the server refuses it, whatever the browser keeps.
    assert replay(short_idle_app, copied).status_code == 302
    assert client.get("/profile").status_code == 302


def test_logging_in_renews_the_session_and_its_csrf_token(csrf_app):
    client = csrf_app.test_client()
    token = csrf_token(client.get("/signup").get_data(as_text=True))
    client.post("/signup", data={"email": "ada@example.com", "password": PASSWORD, "display_name": "Ada",
                                 "timezone": "UTC", "csrf_token": token})
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/profile").get_data(as_text=True))})
    before_login = client.get("/login")
    planted_session = session_cookie(client)
    old_token = csrf_token(before_login.get_data(as_text=True))
    response = client.post("/login", data={"email": "ada@example.com", "password": PASSWORD,
                                           "csrf_token": old_token})
    assert response.status_code == 302
    assert session_cookie(client) != planted_session
    # The token from before the login no longer protects a form.
    response = client.post("/profile", data={"display_name": "Mallory", "timezone": "UTC", "csrf_token": old_token})
    assert response.status_code == 400
    fresh = csrf_token(client.get("/profile").get_data(as_text=True))
    assert fresh != old_token
    response = client.post("/profile", data={"display_name": "Ada L", "timezone": "UTC", "csrf_token": fresh})
    assert response.status_code == 302


def test_cookies_are_httponly_and_lax_and_the_login_lasts_a_bounded_time(client, auth):
    response = auth.signup()
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("session=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Expires=" in cookie  # survives closing the browser, until it is idle too long
    config = client.application.config
    assert config["REMEMBER_COOKIE_DURATION"] <= timedelta(days=30)
    assert config["SESSION_MAX_AGE"] <= timedelta(days=30)
    assert config["PERMANENT_SESSION_LIFETIME"] <= config["SESSION_IDLE_TIMEOUT"]
    assert config["REMEMBER_COOKIE_HTTPONLY"] and config["REMEMBER_COOKIE_SAMESITE"] == "Lax"


@pytest.fixture
def https_app(database_url, tmp_path):
    with app_for_test(database_url, tmp_path, SESSION_COOKIE_SECURE=True) as app:
        yield app


def test_over_https_both_cookies_are_secure_host_cookies_and_hsts_is_sent(https_app):
    client = https_app.test_client()
    response = client.post("/signup", data={"email": "ada@example.com", "password": PASSWORD, "timezone": "UTC"},
                           base_url=HTTPS)
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=")
    for part in ("Secure", "HttpOnly", "Path=/", "SameSite=Lax"):
        assert part in cookie
    assert "Domain=" not in cookie
    assert https_app.config["REMEMBER_COOKIE_NAME"] == "__Host-remember_token"
    assert https_app.config["REMEMBER_COOKIE_SECURE"] is True
    page = client.get("/profile", base_url=HTTPS)
    assert page.status_code == 200
    hsts = page.headers["Strict-Transport-Security"]
    assert int(hsts.split("max-age=")[1].split(";")[0]) >= 365 * 24 * 3600
    assert "Strict-Transport-Security" not in client.get("/login").headers  # plain http: never


def test_pages_with_personal_data_are_not_kept_by_the_browser_cache(client, user):
    for path in ("/", "/profile", "/people", "/card", "/sync/session"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path
    # The app shell stays cacheable: it holds nothing personal.
    with client.get("/static/css/app.css") as shell:
        assert "no-store" not in (shell.headers.get("Cache-Control") or "")
    with client.get("/sw.js") as worker:
        assert worker.headers["Cache-Control"] == "no-cache"
