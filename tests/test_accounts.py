"""Signing up, logging in and out, and the profile behind the card."""

import html
import unicodedata
from urllib.parse import urlsplit

from conftest import PASSWORD
from flask import session
from werkzeug.security import check_password_hash

from webapp import db
from webapp.models import User


def saved_user(email="ada@example.com"):
    with db.database().connection_context():
        return User.get(User.email == email)


def test_signing_up_logs_in_and_asks_for_the_linkedin_profile(client, auth):
    response = auth.signup()
    assert response.status_code == 302
    assert response.headers["Location"] == "/profile"
    page = client.get("/profile").get_data(as_text=True)
    assert "Add your LinkedIn profile" in page
    user = saved_user()
    assert user.display_name == "Ada Lovelace"
    assert user.timezone == "Europe/London"


def test_passwords_are_hashed_with_a_strong_setting(app):
    assert app.config["PASSWORD_METHOD"] == "pbkdf2:sha256:1000"  # the test override ...
    from flask import Flask

    from webapp.config import load

    fresh = Flask("fresh", instance_path=app.instance_path)
    load(fresh)
    method = fresh.config["PASSWORD_METHOD"]  # ... and the real default
    name, n, r, p = method.split(":")
    assert name == "scrypt" and int(n) >= 2**15 and int(r) >= 8 and int(p) >= 3


def test_the_password_is_stored_only_as_a_hash(client, auth):
    auth.signup()
    user = saved_user()
    assert PASSWORD not in user.password_hash
    assert check_password_hash(user.password_hash, PASSWORD)


def test_a_short_password_is_refused_and_a_long_passphrase_is_welcome(client, auth):
    response = auth.signup(password="short")
    assert response.status_code == 200
    assert "at least 8 characters" in response.get_data(as_text=True)
    passphrase = "a long passphrase that I can actually remember at a meetup " * 2
    assert len(passphrase) >= 64
    assert auth.signup(password=passphrase).status_code == 302
    auth.logout()
    assert auth.login(password=passphrase).status_code == 302


def test_the_same_email_cannot_sign_up_twice_whatever_its_case(client, auth):
    auth.signup(email="ada@example.com")
    auth.logout()
    response = auth.signup(email="  ADA@Example.com ")
    assert response.status_code == 200
    assert "already an account" in response.get_data(as_text=True)


def test_an_email_whose_domain_is_written_in_its_ascii_form_is_the_same_account(client, auth):
    """exämple.de and xn--exmple-cua.de are one domain: one account, logged into with either spelling, also when
    an older release stored the ASCII one."""
    assert auth.signup(email="Émile@Exämple.de").status_code == 302
    auth.logout()
    twin = auth.signup(email="émile@xn--exmple-cua.de")
    assert twin.status_code == 200 and "There is already an account with this email" in twin.get_data(as_text=True)
    assert auth.login(email="EMILE@XN--EXMPLE-CUA.DE".replace("EMILE", "ÉMILE")).status_code == 302
    auth.logout()
    with db.database().connection_context():
        assert [u.email for u in User.select()] == ["émile@exämple.de"]
        User.create(email="bob@xn--exmple-cua.de", password_hash=User.get().password_hash)  # as stored before
    for spelling in ("bob@exämple.de", "bob@xn--exmple-cua.de"):
        assert auth.login(email=spelling).status_code == 302, spelling
        auth.logout()
    assert auth.signup(email="bob@exämple.de").status_code == 200  # taken, whichever way it is written


def test_an_email_with_its_accents_typed_as_letter_and_mark_is_the_same_account(client, auth):
    """"é" is one character or "e" and a combining accent, as a keyboard or a pasted text has it: one address."""
    composed, decomposed = "josé@exämple.de", unicodedata.normalize("NFD", "josé@exämple.de")
    assert composed != decomposed
    assert auth.signup(email=decomposed).status_code == 302
    auth.logout()
    twin = auth.signup(email=composed)
    assert twin.status_code == 200 and "There is already an account with this email" in twin.get_data(as_text=True)
    assert auth.login(email=composed).status_code == 302
    auth.logout()
    with db.database().connection_context():
        assert [u.email for u in User.select()] == [composed]
        User.create(email=unicodedata.normalize("NFD", "zoë@example.com"),  # as an older release stored it
                    password_hash=User.get().password_hash)
    assert auth.login(email="zoë@example.com").status_code == 302
    auth.logout()
    assert auth.signup(email="zoë@example.com").status_code == 200


def test_an_email_typed_in_full_width_letters_is_the_same_account(client, auth):
    """A Japanese keyboard's full-width mode types ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ: the address taro@example.jp."""
    assert auth.signup(email="taro@ｅｘａｍｐｌｅ.jp").status_code == 302
    auth.logout()
    assert auth.login(email="taro@example.jp").status_code == 302
    auth.logout()
    assert auth.login(email="ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ").status_code == 302
    auth.logout()
    twin = auth.signup(email="taro@example.jp")
    assert twin.status_code == 200 and "There is already an account with this email" in twin.get_data(as_text=True)
    with db.database().connection_context():
        assert [u.email for u in User.select()] == ["taro@example.jp"]


def test_strasse_and_strasse_with_eszett_are_two_addresses(client, auth, runner):
    """Since IDNA 2008, straße.de is a domain of its own, not another spelling of strasse.de."""
    assert auth.signup(email="hans@strasse.de").status_code == 302
    auth.logout()
    assert auth.login(email="hans@straße.de").status_code == 200
    assert auth.signup(email="hans@straße.de", password="another long passphrase").status_code == 302
    auth.logout()
    with db.database().connection_context():
        assert {u.email for u in User.select()} == {"hans@straße.de", "hans@strasse.de"}
    assert auth.login(email="hans@straße.de").status_code == 200  # not hans@strasse.de's password
    link = runner.invoke(args=["reset-link", "hans@straße.de"]).output.strip()
    assert client.post(urlsplit(link).path, data={"new_password": "a third passphrase"}).status_code == 302
    auth.logout()
    assert auth.login(email="hans@straße.de", password="a third passphrase").status_code == 302
    auth.logout()
    assert auth.login(email="hans@strasse.de").status_code == 302  # its password unchanged


def test_an_email_with_an_invisible_character_is_refused_with_a_message(client, auth):
    auth.signup(email="hans@strasse.de")
    auth.logout()
    for hidden in ("hans@stra\u00adsse.de", "hans@stra\u200bsse.de", "ha\u200bns@strasse.de"):
        response = auth.signup(email=hidden)
        page = html.unescape(response.get_data(as_text=True))
        assert response.status_code == 200 and "invisible character" in page and "type the address again" in page
        assert "Invalid email address" not in page, hidden
        forgot = client.post("/account/forgot-password", data={"email": hidden})
        assert "invisible character" in html.unescape(forgot.get_data(as_text=True)), hidden
        assert auth.login(email=hidden).status_code == 200, hidden  # names no account
    with db.database().connection_context():
        assert [u.email for u in User.select()] == ["hans@strasse.de"]


def test_an_email_holding_a_character_drawn_as_nothing_is_refused_as_invisible(client, auth):
    """Not only format characters: the Hangul fillers are letters to Unicode yet drawn as nothing, and a
    variation selector or a combining grapheme joiner shows nothing either (Unicode's default-ignorables)."""
    for hidden in ("bob\u3164@example.com", "bob@exam\uffa0ple.com", "\u115fbob@example.com",
                   "bob\ufe0f@example.com", "bob@exa\u034fmple.com"):
        response = auth.signup(email=hidden)
        page = html.unescape(response.get_data(as_text=True))
        assert response.status_code == 200 and "invisible character" in page, hidden
    with db.database().connection_context():
        assert User.select().count() == 0


def test_logging_in_with_an_invisible_character_in_the_email_says_so_whether_or_not_it_has_an_account(client, auth):
    auth.signup()
    auth.logout()
    for hidden in ("ada\u200b@example.com", "nobody\u200b@example.com"):  # the same answer: no account is revealed
        response = auth.login(email=hidden)
        page = html.unescape(response.get_data(as_text=True))
        assert response.status_code == 200 and "invisible character" in page, hidden
        assert "do not match" not in page, hidden
    assert auth.login().status_code == 302


def test_no_break_spaces_a_copy_brought_along_are_stripped_from_the_ends_and_said_inside(client, auth):
    assert auth.signup(email="\u00a0ada@example.com\u00a0").status_code == 302
    auth.logout()
    for padded in ("ada@example.com\u00a0", "\u202fada@example.com", "ada@example.com\u3000"):
        assert auth.login(email=padded).status_code == 302, padded
        auth.logout()
    for spaced in ("ada\u00a0@example.com", "ada@example\u00a0.com", "a da@example.com"):
        for page in (auth.signup(email=spaced), auth.login(email=spaced),
                     client.post("/account/forgot-password", data={"email": spaced})):
            text = html.unescape(page.get_data(as_text=True))
            assert "no spaces" in text and "Invalid email address" not in text, spaced
    assert saved_user().email == "ada@example.com"


def test_a_password_too_long_is_said_to_be_too_long(client, auth):
    response = auth.signup(password="x" * 257)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Keep it to 256 characters at most." in page and "Use at least" not in page


def test_signup_rejects_a_malformed_email_with_a_message(client, auth):
    response = auth.signup(email="not-an-email")
    assert response.status_code == 200
    assert "Invalid email address" in response.get_data(as_text=True)


def test_logging_in_with_the_right_password_opens_home(client, auth):
    auth.signup()
    auth.logout()
    response = auth.login()
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Going to an event?" in client.get("/").get_data(as_text=True)


def test_a_wrong_password_or_unknown_email_gets_the_same_message(client, auth):
    auth.signup()
    auth.logout()
    wrong_password = auth.login(password="wrong password").get_data(as_text=True)
    unknown_email = auth.login(email="nobody@example.com").get_data(as_text=True)
    assert "That email and password do not match." in wrong_password
    assert "That email and password do not match." in unknown_email


def test_login_goes_back_to_the_page_that_asked_for_it_but_never_to_another_site(client, auth):
    auth.signup()
    auth.logout()
    response = client.get("/card")
    assert response.status_code == 302 and "/login?next=%2Fcard" in response.headers["Location"]
    response = client.post("/login", data={"email": "ada@example.com", "password": PASSWORD, "next": "/card"})
    assert response.headers["Location"] == "/card"
    auth.logout()
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"):
        response = client.post("/login", data={"email": "ada@example.com", "password": PASSWORD, "next": evil})
        assert response.headers["Location"] == "/", evil
        auth.logout()


def test_logging_out_needs_a_post_and_ends_the_session(client, user):
    assert client.get("/logout").status_code == 405
    with client:
        client.post("/logout")
        assert "_user_id" not in session
    assert client.get("/profile").status_code == 302


def test_the_profile_keeps_one_canonical_linkedin_url(client, user):
    response = client.post("/profile", data={
        "display_name": "Ada Lovelace", "headline": "Analyst at Babbage & Co",
        "linkedin_url": "www.linkedin.com/in/ada-lovelace/?trk=nav", "timezone": "Europe/London",
    })
    assert response.status_code == 302 and response.headers["Location"] == "/card"
    assert saved_user().linkedin_url == "https://www.linkedin.com/in/ada-lovelace"
    assert saved_user().headline == "Analyst at Babbage & Co"


def test_a_company_page_or_another_site_is_refused_with_a_clear_message(client, user):
    for pasted, says in (("https://www.linkedin.com/company/acme", "not a person&#39;s profile"),
                         ("javascript:alert(1)", "linkedin.com/in/your-name"),
                         ("https://twitter.com/ada", "not a LinkedIn address")):
        response = client.post("/profile", data={"display_name": "Ada", "linkedin_url": pasted,
                                                 "timezone": "UTC"})
        assert response.status_code == 200
        assert says in response.get_data(as_text=True)
    assert saved_user().linkedin_url == ""


def test_the_profile_form_offers_the_right_keyboards(client, user):
    page = client.get("/profile").get_data(as_text=True)
    assert 'inputmode="url"' in page and 'autocapitalize="none"' in page
    assert '<label for="linkedin_url">' in page


def test_an_unknown_time_zone_is_refused(client, user):
    response = client.post("/profile", data={"display_name": "Ada", "timezone": "Mars/Olympus"})
    assert response.status_code == 200
    assert "That time zone is not known" in response.get_data(as_text=True)
    assert saved_user().timezone == "Europe/London"


def test_any_time_zone_can_be_typed_and_is_kept_as_the_database_spells_it(client, user):
    response = client.post("/profile", data={"display_name": "Ada", "timezone": " america/argentina/buenos aires"})
    assert response.status_code == 302
    assert saved_user().timezone == "America/Argentina/Buenos_Aires"
    page = client.get("/profile").get_data(as_text=True)
    # The user's own zone is offered beside the common ones, not all ~600 of them: the page stays small.
    assert 'value="America/Argentina/Buenos_Aires"' in page and '<option value="Europe/Berlin">' in page
    assert "Pacific/Chatham" not in page and len(page.encode()) < 12_000


def test_password_guessing_is_slowed_down_per_account(client, auth):
    auth.signup(email="target@example.com")
    auth.logout()
    for _ in range(10):
        assert auth.login(email="target@example.com", password="guess guess").status_code == 200
    response = auth.login(email="target@example.com", password="guess guess")
    assert response.status_code == 429
    assert "Too many tries" in response.get_data(as_text=True)
    # Even the right password waits: the attacker learns nothing from the eleventh try.
    assert auth.login(email="target@example.com").status_code == 429
    # Another account is not affected.
    auth.signup(email="other@example.com")
    auth.logout()
    assert auth.login(email="other@example.com").status_code == 302
