"""The account's controls: a new password, a forgotten one (a link that works once, for an hour, by
mail when there is a mail server), and deleting the account with everything in it."""

import asyncio
import email
import email.policy
import io
import re
import time

import pytest
from conftest import PASSWORD, _free_port, close_database, make_app, without_tokens
from steps import MEDIA, account, fill
from werkzeug.security import check_password_hash

from webapp import db, models
from webapp.accounts.passwords import common_passwords
from webapp.models import User

NEW_PASSWORD = "a brand new passphrase"


def saved_user(email="ada@example.com"):
    with db.database().connection_context():
        return User.get_or_none(User.email == email)


# --- Passwords --------------------------------------------------------------------------------------

def test_changing_the_password_needs_the_current_one(client, user):
    response = client.post("/account/password", data={"current_password": "not my password",
                                                      "new_password": NEW_PASSWORD})
    assert response.status_code == 200
    assert "That is not your current password." in response.get_data(as_text=True)
    assert check_password_hash(saved_user().password_hash, PASSWORD)
    response = client.post("/account/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert response.status_code == 302
    user.logout()
    assert user.login(password=PASSWORD).status_code == 200
    assert user.login(password=NEW_PASSWORD).status_code == 302


def test_someone_guessing_the_password_does_not_stop_the_owner_changing_it_or_deleting_the_account(app, client, user):
    guesser = app.test_client()
    for _ in range(10):
        guesser.post("/login", data={"email": "ada@example.com", "password": "guess guess"})
    assert guesser.post("/login", data={"email": "ada@example.com", "password": PASSWORD}).status_code == 429
    response = client.post("/account/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert response.status_code == 302 and check_password_hash(saved_user().password_hash, NEW_PASSWORD)
    assert client.post("/account/delete", data={"password": NEW_PASSWORD}).status_code == 302
    assert saved_user() is None


def test_a_logged_in_session_cannot_guess_the_password_either(client, user):
    for _ in range(10):
        response = client.post("/account/password", data={"current_password": "guess guess",
                                                          "new_password": NEW_PASSWORD})
        assert "That is not your current password" in response.get_data(as_text=True)
    for path, data in (("/account/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}),
                       ("/account/delete", {"password": PASSWORD})):
        response = client.post(path, data=data)
        assert response.status_code == 200 and "Too many wrong passwords" in response.get_data(as_text=True), path
    assert check_password_hash(saved_user().password_hash, PASSWORD)


@pytest.mark.parametrize("common", ["password", "12345678", "Password1", "iloveyou", "qwertyuiop", "baseball"])
def test_a_commonly_used_password_is_refused_with_a_clear_message(client, auth, common):
    response = auth.signup(password=common)
    assert response.status_code == 200
    assert "one of the most commonly used" in response.get_data(as_text=True)
    assert saved_user() is None


def test_the_common_list_is_the_kept_one_and_long_passphrases_pass(client, auth):
    assert len(common_passwords()) > 10_000  # zxcvbn's list, not a handful typed here
    response = auth.signup(password="x" * 64 + " still a fine passphrase" * 8)
    assert response.status_code == 302
    assert auth.logout() and auth.signup(email="b@example.com", password="short").status_code == 200


def test_the_new_password_follows_the_same_rules(client, user):
    response = client.post("/account/password", data={"current_password": PASSWORD, "new_password": "sunshine"})
    assert "one of the most commonly used" in response.get_data(as_text=True)
    response = client.post("/account/password", data={"current_password": PASSWORD, "new_password": "7chars!"})
    assert "at least 8 characters" in response.get_data(as_text=True)


# --- A forgotten password ---------------------------------------------------------------------------

def reset_link(runner, email="ada@example.com"):
    result = runner.invoke(args=["reset-link", email])
    assert result.exit_code == 0, result.output
    link = result.output.strip()
    assert re.fullmatch(r"https?://\S+/account/reset/\S+", link), link
    return "/account/reset/" + link.rsplit("/account/reset/", 1)[1]


def test_the_command_prints_a_link_that_sets_a_new_password_once(app, client, runner, user):
    user.logout()
    path = reset_link(runner)
    assert client.get(path).status_code == 200
    response = client.post(path, data={"new_password": NEW_PASSWORD})
    assert response.status_code == 302  # and logged in
    assert client.get("/profile").status_code == 200
    assert check_password_hash(saved_user().password_hash, NEW_PASSWORD)
    # Used once: the second time it is dead.
    client.post("/logout")
    again = client.post(path, data={"new_password": "yet another passphrase"})
    assert again.status_code == 410 and "no longer works" in again.get_data(as_text=True)
    assert check_password_hash(saved_user().password_hash, NEW_PASSWORD)


def test_a_reset_link_dies_when_the_password_changes(client, runner, user):
    path = reset_link(runner)
    client.post("/account/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert client.get(path).status_code == 410


def test_a_reset_link_expires_within_the_hour(database_url, tmp_path):
    app = make_app(database_url, RESET_LINK_MAX_AGE=1)
    app.instance_path = str(tmp_path)
    try:
        client = app.test_client()
        client.post("/signup", data={"email": "ada@example.com", "password": PASSWORD, "timezone": "UTC"})
        path = reset_link(app.test_cli_runner())
        time.sleep(2.1)
        assert client.post(path, data={"new_password": NEW_PASSWORD}).status_code == 410
    finally:
        close_database()
    from webapp.accounts.reset import LINK_MAX_AGE
    assert LINK_MAX_AGE <= 3600


def test_a_forged_or_mangled_link_is_refused(client, runner, user):
    path = reset_link(runner)
    for bad in (path[:-3] + "abc", "/account/reset/" + "A" * 80, "/account/reset/%00"):
        assert client.get(bad).status_code == 410


def test_the_command_says_when_there_is_no_such_account(runner):
    result = runner.invoke(args=["reset-link", "nobody@example.com"])
    assert result.exit_code != 0 and "no account" in result.output


def test_asking_for_a_link_says_the_same_whether_or_not_the_account_exists(client, auth):
    auth.signup()
    auth.logout()
    client.get("/login")  # shows the "logged out" message, so it is not on either answer
    known = client.post("/account/forgot-password", data={"email": "ada@example.com"}).get_data(as_text=True)
    unknown = client.post("/account/forgot-password", data={"email": "bob@example.com"}).get_data(as_text=True)
    # Token aside (signed with the time, it differs when the two answers are a second apart).
    assert without_tokens(known.replace("ada@example.com", "EMAIL")) == without_tokens(
        unknown.replace("bob@example.com", "EMAIL"))
    assert "If there is an account for" in known


class Inbox:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()
        asyncio.set_event_loop(None)


def test_with_a_mail_server_the_link_is_mailed_and_works(database_url, tmp_path, smtp_server):
    controller, inbox = smtp_server
    port = controller.port
    app = make_app(database_url, MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_FROM="hallway@example.org",
                   PUBLIC_URL="https://hallway.example.org")
    app.instance_path = str(tmp_path)
    try:
        client = app.test_client()
        client.post("/signup", data={"email": "ada@example.com", "password": PASSWORD, "timezone": "UTC"})
        client.post("/logout")
        page = client.post("/account/forgot-password", data={"email": "ADA@example.com "},
                           headers={"Host": "evil.example"})
        assert "on its way" in page.get_data(as_text=True)
        client.post("/account/forgot-password", data={"email": "nobody@example.com"})
        for _ in range(100):
            if inbox.messages:
                break
            time.sleep(0.05)
        time.sleep(0.2)
        assert len(inbox.messages) == 1  # none for an address without an account
        mail = inbox.messages[0]
        assert mail.rcpt_tos == ["ada@example.com"]
        body = email.message_from_bytes(mail.content, policy=email.policy.default).get_content()
        link = re.search(r"https://hallway\.example\.org(/account/reset/\S+)", body)
        assert link, body  # the configured address, never the Host header of the request
        assert "evil.example" not in body
        assert client.post(link.group(1), data={"new_password": NEW_PASSWORD}).status_code == 302
        assert check_password_hash(saved_user().password_hash, NEW_PASSWORD)
    finally:
        close_database()


def test_without_public_url_no_link_is_mailed_whatever_host_the_request_names(database_url, tmp_path, smtp_server,
                                                                              caplog):
    """A link built from the request's Host header would carry a working token to that host."""
    controller, inbox = smtp_server
    app = make_app(database_url, MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, PUBLIC_URL="")
    app.instance_path = str(tmp_path)
    assert "PUBLIC_URL is not" in caplog.text
    try:
        client = app.test_client()
        client.post("/signup", data={"email": "ada@example.com", "password": PASSWORD, "timezone": "UTC"})
        client.post("/logout")
        page = client.post("/account/forgot-password", data={"email": "ada@example.com"},
                           headers={"Host": "evil.example"}).get_data(as_text=True)
        assert "on its way" not in page
        time.sleep(0.5)
        assert inbox.messages == []
    finally:
        close_database()


# --- Deleting the account ---------------------------------------------------------------------------

def rows_of_every_table():
    with db.database().connection_context():
        return {model.__name__: model.select().count() for model in models.ALL}


def test_deleting_the_account_offers_the_backup_and_asks_for_the_password(client, user):
    page = client.get("/account/delete").get_data(as_text=True)
    assert 'href="/export/backup.json"' in page
    response = client.post("/account/delete", data={"password": "not my password"})
    assert response.status_code == 200 and "That is not your password." in response.get_data(as_text=True)
    assert saved_user() is not None


def test_deleting_the_account_removes_every_row_of_it_and_nothing_of_others(client, auth):
    auth.signup(email="bob@example.com")
    fill(account("bob@example.com").id)
    auth.logout()
    bobs = rows_of_every_table()
    auth.signup(email="ada@example.com")
    response = client.post("/events/new", data={"name": "PyData", "starts_on": "2026-12-03", "kind": "meetup",
                                                "goal": "3"})
    client.post(response.headers["Location"] + "/people/new", content_type="multipart/form-data", data={
        "name": "Grace", "tags": "python, ml", "notes": "CDC", "follow_up": "y", "follow_up_reason": "Say hi",
        "voice": (io.BytesIO((MEDIA / "filetype-sample.m4a").read_bytes()), "voice-note.m4a")})
    with db.database().connection_context():
        grace = models.Person.get(models.Person.name == "Grace").id
    client.post(f"/people/{grace}/outcomes", data={"kind": "advice", "happened_on": "2026-11-01", "text": "ok"})
    grown = rows_of_every_table()
    assert all(grown[name] > bobs[name] for name in grown if name != "PersonTag") and grown != bobs
    response = client.post("/account/delete", data={"password": PASSWORD})
    assert response.status_code == 302
    assert rows_of_every_table() == bobs
    assert saved_user() is None
    assert client.get("/profile").status_code == 302
    # The email is free again.
    assert auth.signup(email="ada@example.com").status_code == 302


def test_the_profile_shows_the_account_controls(client, user):
    page = client.get("/profile").get_data(as_text=True)
    for text in ("Change password", "Log out everywhere", "Delete my account", 'action="/logout"'):
        assert text in page
