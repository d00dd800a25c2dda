"""Sessions that really end, one per device: a copied cookie is worthless after logging out, and logging out
on a borrowed laptop leaves the phone logged in; "log out everywhere", a new password or deleting the account end
the others too; the profile lists each device and logs one out alone; logging in starts a new session; cookies
and caching are strict."""

import re
import time
from datetime import timedelta

import pytest
from conftest import PASSWORD, app_for_test, close_database, csrf_token, make_app, queries_run

from webapp import db
from webapp.models import Login, User, utcnow

HTTPS = "https://localhost"
ANDROID = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 "
           "Mobile Safari/537.36")
WINDOWS = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 "
           "Safari/537.36")
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.4 Mobile/15E148 Safari/604.1")


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


def device(app, user_agent, email="ada@example.com"):
    """Another device of the same account, logged in through the form."""
    other = app.test_client()
    other.environ_base["HTTP_USER_AGENT"] = user_agent
    assert other.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return other


def saved_logins():
    with db.database().connection_context():
        return {login.id: login for login in Login.select()}


def test_logging_out_on_a_borrowed_laptop_leaves_the_phone_logged_in(app, client, user):
    phone = device(app, ANDROID)
    laptop = device(app, WINDOWS)
    copied = session_cookie(laptop)
    assert laptop.post("/logout").status_code == 302
    assert laptop.get("/profile").status_code == 302 and replay(app, copied).status_code == 302
    assert is_logged_in(phone.get("/profile")) and is_logged_in(client.get("/profile"))


def test_log_out_everywhere_ends_the_phone_and_the_laptop(app, client, user):
    phone = device(app, ANDROID)
    assert client.post("/account/log-out-everywhere").status_code == 302
    assert phone.get("/profile").status_code == 302 and client.get("/profile").status_code == 302
    assert saved_logins() == {}


def test_the_profile_lists_each_device_and_logs_one_out_alone(app, client, user):
    phone = device(app, ANDROID)
    laptop = device(app, WINDOWS)
    page = laptop.get("/profile").get_data(as_text=True)
    assert "This device · Chrome on Windows" in page
    assert "Chrome on Android · last used in the last few minutes" in page
    # Used since the laptop was, the phone still comes after this device: the one the user holds is listed first.
    with db.database().connection_context():
        Login.update(last_used_at=utcnow() + timedelta(minutes=1)).where(Login.device == "Chrome on Android").execute()
    page = laptop.get("/profile").get_data(as_text=True)
    assert page.index("This device · Chrome on Windows") < page.index("Chrome on Android · last used")
    assert page.count('action="/account/logins/') == 2  # the phone and the first browser; this one logs out above
    phone_login = next(login for login in saved_logins().values() if login.device == "Chrome on Android")
    response = laptop.post(f"/account/logins/{phone_login.id}/log-out", follow_redirects=True)
    assert "Chrome on Android is logged out." in response.get_data(as_text=True)
    assert phone.get("/profile").status_code == 302
    assert is_logged_in(laptop.get("/profile")) and is_logged_in(client.get("/profile"))
    assert "Chrome on Android" not in laptop.get("/profile").get_data(as_text=True)


def test_a_device_last_used_days_ago_says_so(app, client, user):
    device(app, IPHONE)
    with db.database().connection_context():
        Login.update(last_used_at=utcnow() - timedelta(days=3, hours=2)).where(
            Login.device == "Safari on iOS").execute()
    assert "Safari on iOS · last used 3 days ago" in client.get("/profile").get_data(as_text=True)


def test_another_accounts_device_cannot_be_logged_out(app, client, user):
    mallory = app.test_client()
    mallory.post("/signup", data={"email": "mallory@example.com", "password": PASSWORD, "timezone": "UTC"})
    with db.database().connection_context():
        theirs = Login.select().join(User).where(User.email == "mallory@example.com").get()
    assert client.post(f"/account/logins/{theirs.id}/log-out").status_code == 404
    assert client.post("/account/logins/999999/log-out").status_code == 404
    assert is_logged_in(mallory.get("/profile"))


def test_logging_a_device_out_needs_the_pages_csrf_token(csrf_app):
    laptop = csrf_app.test_client()
    token = csrf_token(laptop.get("/signup").get_data(as_text=True))
    laptop.post("/signup", data={"email": "ada@example.com", "password": PASSWORD, "timezone": "UTC",
                                 "csrf_token": token})
    phone = csrf_app.test_client()
    token = csrf_token(phone.get("/login").get_data(as_text=True))
    phone.post("/login", data={"email": "ada@example.com", "password": PASSWORD, "csrf_token": token})
    page = laptop.get("/profile").get_data(as_text=True)
    (action,) = re.findall(r'action="(/account/logins/\d+/log-out)"', page)
    assert laptop.post(action).status_code == 400
    assert is_logged_in(phone.get("/profile"))
    assert laptop.post(action, data={"csrf_token": csrf_token(page)}).status_code == 302
    assert phone.get("/profile").status_code == 302


def test_when_a_device_was_last_used_is_noted_every_few_minutes_not_on_every_page(app, client, user):
    (login,) = saved_logins().values()
    with db.database().connection_context():
        Login.update(last_used_at=login.last_used_at - timedelta(minutes=20)).execute()
    with queries_run() as executed:
        client.get("/profile")
    assert sum(sql.startswith('UPDATE "login"') for sql in executed) == 1
    (noted,) = saved_logins().values()
    assert noted.last_used_at > login.last_used_at - timedelta(minutes=1)
    with queries_run() as executed:
        client.get("/profile")
    assert not any(sql.startswith('UPDATE "login"') for sql in executed)


def test_a_login_unused_longer_than_the_idle_timeout_has_ended_whatever_the_cookie(app, client, user):
    with db.database().connection_context():
        Login.update(last_used_at=utcnow() - app.config["SESSION_IDLE_TIMEOUT"] - timedelta(hours=1)).execute()
    assert client.get("/profile").status_code == 302


def test_a_login_whose_cookie_was_thrown_away_leaves_the_table_at_the_accounts_next_login(app, client, user):
    """A private window closed without logging out: its login ends when idle, and goes at the next login."""
    with db.database().connection_context():
        Login.update(last_used_at=utcnow() - timedelta(days=20)).execute()
    device(app, ANDROID)
    assert [login.device for login in saved_logins().values()] == ["Chrome on Android"]


def test_changing_the_password_ends_other_sessions_and_keeps_this_one(app, client, user):
    copied = session_cookie(client)
    response = client.post("/account/password", data={"current_password": PASSWORD,
                                                      "new_password": "a brand new passphrase"})
    assert response.status_code == 302 and response.headers["Location"] == "/profile"
    assert is_logged_in(client.get("/profile"))
    assert replay(app, copied).status_code == 302


def test_a_new_password_from_a_reset_link_logs_in_here_and_out_on_every_other_device(app, client, runner, user):
    phone = device(app, ANDROID)
    laptop = app.test_client()
    link = runner.invoke(args=["reset-link", "ada@example.com"]).output.strip()
    path = "/account/reset/" + link.rsplit("/account/reset/", 1)[1]
    assert laptop.post(path, data={"new_password": "a brand new passphrase"}).status_code == 302
    assert is_logged_in(laptop.get("/profile"))
    assert phone.get("/profile").status_code == 302 and client.get("/profile").status_code == 302


def test_changing_the_password_logs_out_the_phone_and_keeps_the_laptop(app, client, user):
    phone = device(app, ANDROID)
    response = client.post("/account/password", data={"current_password": PASSWORD,
                                                      "new_password": "a brand new passphrase"})
    assert response.status_code == 302
    assert is_logged_in(client.get("/profile")) and phone.get("/profile").status_code == 302
    assert len(saved_logins()) == 1


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
    (login,) = saved_logins().values()
    month_ago = int(time.time() - timedelta(days=31).total_seconds())
    with client.session_transaction() as s:
        s["_user_id"] = f"{login.token}.{month_ago}"
    assert client.get("/profile").status_code == 302
    # Nor does a cookie that says it is young keep a login the server knows is older.
    with client.session_transaction() as s:
        s["_user_id"] = f"{login.token}.{int(time.time())}"
    assert is_logged_in(client.get("/profile"))
    with db.database().connection_context():
        Login.update(started_at=utcnow() - timedelta(days=31)).execute()
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
