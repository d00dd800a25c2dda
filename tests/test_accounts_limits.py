"""Limits that hold: failed logins are counted per account in the database, the same for every worker
and host; sign-ups, reset requests and login tries are throttled per client address."""

import concurrent.futures
import os
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request

import pytest
from conftest import FAST_HASH, PASSWORD, _free_port, close_database, csrf_token, gunicorn, make_app

from webapp import db
from webapp.models import Attempt


def test_padding_the_email_with_nul_or_case_or_spaces_counts_for_the_same_account(client, auth):
    auth.signup(email="target@example.com")
    auth.logout()
    disguises = ["target@example.com", "\x00target@example.com", "TARGET@example.com\x00", " target@EXAMPLE.com ",
                 "target@example.com\x00\x00\x00", "\x00 Target@Example.Com", "target@example.com",
                 "target@exa\x00mple.com", "tar\x00get@example.com", "TaRgEt@example.com"]
    for email in disguises:
        assert auth.login(email=email, password="guess guess").status_code == 200
    assert auth.login(email="target@example.com\x00\x00", password="guess guess").status_code == 429
    assert auth.login(email="target@example.com").status_code == 429


def test_two_app_processes_on_one_database_share_the_count(database_url, tmp_path):
    """Two apps on the same database stand for two workers (or two hosts on PostgreSQL)."""
    first = make_app(database_url)
    first.instance_path = str(tmp_path)
    second = make_app(database_url)
    second.instance_path = str(tmp_path)
    try:
        a, b = first.test_client(), second.test_client()
        a.post("/signup", data={"email": "target@example.com", "password": PASSWORD, "timezone": "UTC"})
        a.post("/logout")
        answers = [(a if i % 2 else b).post("/login", data={"email": "target@example.com", "password": "guess guess"})
                   .status_code for i in range(12)]
        assert answers == [200] * 10 + [429] * 2
    finally:
        close_database()


def test_a_right_password_is_not_counted_as_a_failure(client, auth):
    auth.signup()
    auth.logout()
    for _ in range(12):
        assert auth.login().status_code == 302
        auth.logout()


def test_old_tries_leave_the_table(client, auth):
    from webapp.accounts.throttle import DatabaseStorage

    storage = DatabaseStorage()
    with client.application.app_context(), db.database().connection_context():
        assert storage.acquire_entry("k", 2, expiry=1)
        assert storage.acquire_entry("k", 2, expiry=1)
        assert not storage.acquire_entry("k", 2, expiry=1)
        time.sleep(1.1)
        assert storage.acquire_entry("k", 2, expiry=1)
        assert Attempt.select().where(Attempt.key == "k").count() == 1


def test_sign_ups_and_reset_requests_are_throttled_per_address(database_url, tmp_path):
    app = make_app(database_url, SIGNUPS_PER_ADDRESS="3 per hour", RESET_REQUESTS_PER_ADDRESS="2 per hour")
    app.instance_path = str(tmp_path)
    try:
        client = app.test_client()
        for i in range(3):
            assert client.post("/signup", data={"email": f"u{i}@example.com", "password": PASSWORD}).status_code == 302
            client.post("/logout")
        assert client.post("/signup", data={"email": "u9@example.com", "password": PASSWORD}).status_code == 429
        other_address = app.test_client()
        response = other_address.post("/signup", data={"email": "u9@example.com", "password": PASSWORD},
                                       environ_base={"REMOTE_ADDR": "192.0.2.7"})
        assert response.status_code == 302
        for _ in range(2):
            assert client.post("/account/forgot-password", data={"email": "u1@example.com"}).status_code == 200
        assert client.post("/account/forgot-password", data={"email": "u1@example.com"}).status_code == 429
    finally:
        close_database()


def test_one_address_cannot_keep_the_password_hash_busy_with_unknown_emails(database_url, tmp_path):
    app = make_app(database_url, LOGINS_PER_ADDRESS="5 per minute")
    app.instance_path = str(tmp_path)
    try:
        client = app.test_client()
        answers = [client.post("/login", data={"email": f"nobody{i}@example.com", "password": "guess guess"})
                   .status_code for i in range(7)]
        assert answers == [200] * 5 + [429] * 2
        other = app.test_client()
        assert other.post("/login", data={"email": "x@example.com", "password": "guess guess"},
                          environ_base={"REMOTE_ADDR": "192.0.2.8"}).status_code == 200
    finally:
        close_database()


@pytest.mark.real_clock
def test_a_shared_store_named_in_the_settings_is_used(database_url, tmp_path):
    app = make_app(database_url, RATELIMIT_STORAGE_URI="memory://")
    app.instance_path = str(tmp_path)
    try:
        from limits.storage import MemoryStorage

        assert isinstance(app.extensions["hallway-limits"].storage, MemoryStorage)
        client = app.test_client()
        for _ in range(10):
            client.post("/login", data={"email": "t@example.com", "password": "guess guess"})
        assert client.post("/login", data={"email": "t@example.com", "password": "guess guess"}).status_code == 429
        with db.database().connection_context():
            assert Attempt.select().count() == 0
    finally:
        close_database()


# --- Three real gunicorn workers ---------------------------------------------------------------------

@pytest.fixture
def three_workers(any_database_url, tmp_path):
    """The app under gunicorn with 3 worker processes on one database, as in production."""
    port = _free_port()
    env = dict(os.environ, DATABASE_URL=any_database_url, SECRET_KEY="three-workers-key",
               HALLWAY_PASSWORD_METHOD=FAST_HASH, HALLWAY_LOGINS_PER_ADDRESS="1000 per minute")
    if any_database_url.startswith("sqlite"):
        make_app(any_database_url)  # the schema first, so the workers start on a ready database
        close_database()
    with gunicorn(env, port, "--workers", "3") as url:
        yield url


class Visitor:
    """One client with its own cookies, sending forms with the page's CSRF token."""

    def __init__(self, base):
        import http.cookiejar

        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  NoRedirect)
        with self.opener.open(base + "/login", timeout=30) as response:
            self.token = csrf_token(response.read().decode())

    def post(self, path, data):
        body = urllib.parse.urlencode({**data, "csrf_token": self.token}).encode()
        try:
            with self.opener.open(urllib.request.Request(self.base + path, data=body), timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as e:
            return e.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_three_gunicorn_workers_allow_ten_wrong_passwords_per_account_in_all(three_workers):
    assert Visitor(three_workers).post("/signup", {"email": "target@example.com", "password": PASSWORD}) == 302
    attacker = Visitor(three_workers)
    # 60 guesses, 20 at a time, so every worker takes some and many race each other.
    guesses = [{"email": "target@example.com" + "\x00" * (i % 4), "password": f"guess number {i}"}
               for i in range(60)]
    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(lambda data: attacker.post("/login", data), guesses))
    checked = answers.count(200)  # the form came back with "do not match": a wrong password was tried
    print(f"\n3 workers, 60 parallel wrong passwords: {checked} tried, {answers.count(429)} refused with 429")
    assert checked == 10 and answers.count(429) == 50
    assert attacker.post("/login", {"email": "target@example.com", "password": PASSWORD}) == 429


def test_asking_whether_an_email_has_an_account_counts_as_a_sign_up_and_the_wait_is_said_as_it_is(
        database_url, tmp_path):
    """The sign-up form says when an email is taken: each such answer counts against the address's sign-ups,
    so the list of users cannot be read off it; the refusal says how long the wait really is (an hour here)."""
    app = make_app(database_url, SIGNUPS_PER_ADDRESS="3 per hour")
    app.instance_path = str(tmp_path)
    try:
        client = app.test_client()
        assert client.post("/signup", data={"email": "victim@example.com", "password": PASSWORD}).status_code == 302
        client.post("/logout")
        taken = [client.post("/signup", data={"email": "victim@example.com", "password": PASSWORD})
                 for _ in range(3)]
        assert [r.status_code for r in taken] == [200, 200, 429]
        assert "There is already an account with this email" in taken[0].get_data(as_text=True)
        page = taken[-1].get_data(as_text=True)
        assert "Too many tries. Wait 60 minutes and try again." in page
        assert 3590 <= int(taken[-1].headers["Retry-After"]) <= 3601
        # A mistake in the form (a short password) is not a question about anyone's account.
        other = app.test_client()
        for _ in range(5):
            short = other.post("/signup", data={"email": "new@example.com", "password": "short"},
                               environ_base={"REMOTE_ADDR": "192.0.2.9"})
            assert short.status_code == 200
        assert other.post("/signup", data={"email": "new@example.com", "password": PASSWORD},
                          environ_base={"REMOTE_ADDR": "192.0.2.9"}).status_code == 302
    finally:
        close_database()


def test_too_many_wrong_passwords_say_how_long_to_wait(database_url, tmp_path):
    app = make_app(database_url, FAILED_LOGINS_PER_ACCOUNT="2 per 10 minutes")
    app.instance_path = str(tmp_path)
    try:
        client = app.test_client()
        client.post("/signup", data={"email": "t@example.com", "password": PASSWORD})
        client.post("/logout")
        for _ in range(2):
            client.post("/login", data={"email": "t@example.com", "password": "guess guess"})
        refused = client.post("/login", data={"email": "t@example.com", "password": PASSWORD})
        assert refused.status_code == 429
        assert "Wait 10 minutes and try again." in refused.get_data(as_text=True)
        assert 590 <= int(refused.headers["Retry-After"]) <= 601
    finally:
        close_database()


def test_every_spelling_of_an_email_counts_against_its_accounts_one_limit(client, auth):
    """Full-width letters, a domain in its ASCII form, accents as letter and mark: each spelling that reaches the
    account counts against its ten wrong passwords; one with a soft hyphen or a zero-width space reaches none."""
    auth.signup(email="zoë@exämple.de")
    auth.logout()
    spellings = ["zoë@ｅxämple.de", "zoë@exämplｅ.ｄｅ", "ＺＯË＠ＥＸÄＭＰＬＥ．ＤＥ", "zoë@xn--exmple-cua.de",
                 unicodedata.normalize("NFD", "zoë@exämple.de")]
    for i in range(10):
        assert auth.login(email=spellings[i % len(spellings)], password="guess guess").status_code == 200
    for email in [*spellings, "zoë@exämple.de"]:
        assert auth.login(email=email).status_code == 429, email
    for hidden in ("zoë@exä\u00admple.de", "zoë@exä\u200bmple.de"):
        assert auth.login(email=hidden).status_code == 200, hidden  # no such account, and no way around the limit


def test_an_unknown_email_counts_once_however_it_is_spelled(client, auth):
    for i in range(10):
        assert auth.login(email="nobody@ｅｘａｍｐｌｅ.com" if i % 2 else "nobody@example.com").status_code == 200
    assert auth.login(email="nobody@examplｅ.com").status_code == 429


def test_a_fourth_reset_mail_in_the_hour_is_refused_whatever_the_spelling(client, auth):
    auth.signup(email="u1@example.com")
    auth.logout()
    for email in ("u1@example.com", "u1@ｅxample.com", "U1@EXAMPLＥ.COM"):
        assert client.post("/account/forgot-password", data={"email": email}).status_code == 200
    assert client.post("/account/forgot-password", data={"email": "u1@examplｅ.com"}).status_code == 429


def logins_counted_per_address():
    with db.database().connection_context():
        return Attempt.select().where(Attempt.key.contains("logins_per_address")).count()


def test_after_someone_locks_the_account_a_password_reset_lets_the_owner_log_in_at_once(app, client, auth, runner):
    auth.signup()
    auth.logout()
    phone = app.test_client()
    for _ in range(10):
        phone.post("/login", data={"email": "ada@example.com", "password": "guess guess"})
    locked = phone.post("/login", data={"email": "ada@example.com", "password": PASSWORD})
    assert locked.status_code == 429
    assert 'href="/account/forgot-password">Forgot your password?' in locked.get_data(as_text=True)

    laptop = app.test_client()
    link = runner.invoke(args=["reset-link", "ada@example.com"]).output.strip()
    tried_from_here = logins_counted_per_address()
    response = laptop.post("/account/reset/" + link.rsplit("/account/reset/", 1)[1],
                           data={"new_password": "a brand new passphrase"})
    assert response.status_code == 302
    assert logins_counted_per_address() == tried_from_here  # the address's own limit is kept as it was
    assert phone.post("/login", data={"email": "ada@example.com",
                                      "password": "a brand new passphrase"}).status_code == 302


def test_changing_the_password_forgets_the_wrong_passwords_tried_at_the_login(app, client, user):
    guesser = app.test_client()
    for _ in range(10):
        guesser.post("/login", data={"email": "ada@example.com", "password": "guess guess"})
    assert client.post("/account/password", data={"current_password": PASSWORD,
                                                  "new_password": "a brand new passphrase"}).status_code == 302
    phone = app.test_client()
    assert phone.post("/login", data={"email": "ada@example.com",
                                      "password": "a brand new passphrase"}).status_code == 302


def test_only_the_logins_slow_down_page_offers_a_new_password(database_url, tmp_path):
    app = make_app(database_url, SIGNUPS_PER_ADDRESS="1 per hour")
    app.instance_path = str(tmp_path)
    try:
        client = app.test_client()
        client.post("/signup", data={"email": "u1@example.com", "password": PASSWORD})
        client.post("/logout")
        refused = client.post("/signup", data={"email": "u2@example.com", "password": PASSWORD})
        assert refused.status_code == 429 and "Forgot your password?" not in refused.get_data(as_text=True)
    finally:
        close_database()
