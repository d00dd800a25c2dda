"""Other people's data stays invisible, every form needs its CSRF token, and bad input never breaks a page."""

import pytest
from conftest import Auth, csrf_token
from steps import add_event, today

from webapp import db
from webapp.models import Person


@pytest.fixture
def someone_elses(client, auth):
    """Bob's event and person; the client is then logged in as Ada."""
    auth.signup(email="bob@example.com", name="Bob")
    event_url = add_event(client, "Bob's private dinner")
    client.post(event_url + "/people/new", data={"name": "Bob's secret contact"})
    with db.database().connection_context():
        person_id = Person.get().id
    auth.logout()
    auth.signup(email="ada@example.com")
    return event_url, person_id


@pytest.mark.parametrize("method, path", [
    ("get", "{event}"), ("get", "{event}/edit"), ("post", "{event}/edit"), ("get", "{event}/delete"),
    ("post", "{event}/delete"), ("get", "{event}/people/new"), ("post", "{event}/people/new"),
    ("get", "{event}/people/{person}/edit"), ("post", "{event}/people/{person}/edit"),
    ("get", "/people/{person}"), ("get", "/people/{person}/delete"), ("post", "/people/{person}/delete"),
    ("get", "/people/{person}/edit"), ("post", "/people/{person}/edit"),
])
def test_another_users_event_or_person_is_not_found(client, someone_elses, method, path):
    event_url, person_id = someone_elses
    url = path.format(event=event_url, person=person_id)
    response = getattr(client, method)(url, data={"name": "Mallory", "starts_on": today().isoformat(),
                                                   "kind": "meetup", "goal": "3"})
    assert response.status_code == 404
    assert "Bob" not in response.get_data(as_text=True)


def test_another_users_data_is_untouched_after_attempts(client, auth, someone_elses):
    event_url, person_id = someone_elses
    client.post(f"/people/{person_id}/delete")
    client.post(event_url + "/delete")
    auth.logout()
    auth.login(email="bob@example.com")
    page = client.get(event_url).get_data(as_text=True)
    assert "Bob&#39;s private dinner" in page and "Bob&#39;s secret contact" in page


def test_my_own_event_in_another_users_url_is_still_not_theirs(client, auth, someone_elses):
    event_url, person_id = someone_elses
    mine = add_event(client, "Ada's meetup")
    # My event with Bob's person: no conversation of mine links them.
    assert client.get(f"{mine}/people/{person_id}/edit").status_code == 404


def test_a_post_without_its_csrf_token_is_refused(csrf_app):
    client = csrf_app.test_client()
    response = client.post("/signup", data={"email": "ada@example.com", "password": "long enough password"})
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
    with db.database().connection_context():
        assert Person.select().count() == 0


def test_every_state_changing_form_carries_a_csrf_token(csrf_app):
    client = csrf_app.test_client()
    token = csrf_token(client.get("/signup").get_data(as_text=True))
    response = client.post("/signup", data={"email": "ada@example.com", "password": "long enough password",
                                            "csrf_token": token})
    assert response.status_code == 302
    for page in ("/profile", "/events/new"):
        assert csrf_token(client.get(page).get_data(as_text=True))
    assert client.post("/logout").status_code == 400  # logging out needs the token too
    token = csrf_token(client.get("/profile").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302


def test_an_oversized_body_is_refused_cleanly(client, user):
    response = client.post("/events/new", data={"name": "x" * (6 * 1024 * 1024)})
    assert response.status_code == 413
    assert "too big" in response.get_data(as_text=True)


def test_json_nested_too_deeply_is_a_request_not_understood_on_every_form(client, user):
    """Every form reads a JSON body too (Flask-WTF): one nested deeper than the decoder goes is a 400, not a 500."""
    deep = "[" * 100_000
    phone = client.post("/sync/attachments", data=deep, content_type="application/json")
    assert phone.status_code == 400 and phone.is_json and phone.json["error"]
    for logged_in in (True, False):
        for path in ("/events/new", "/profile") if logged_in else ("/login", "/signup", "/account/forgot-password"):
            response = client.post(path, data=deep, content_type="application/json")
            assert response.status_code == 400 and "not understood" in response.get_data(as_text=True), path
        user.logout()


@pytest.mark.parametrize("junk", [
    {"name": "\x00\x01", "starts_on": "2026-13-45", "goal": "1e9"},
    {"name": ["a", "b"], "goal": "-1", "starts_on": "0000-00-00"},
    {"name": "😀" * 300, "starts_on": "9999-12-31", "goal": "50", "kind": "<script>"},
    {"goal": "NaN", "start_time": "noon"},
])
def test_junk_in_any_field_gets_messages_not_a_crash(client, user, junk):
    response = client.post("/events/new", data=junk)
    assert response.status_code in (200, 302)
    url = add_event(client)
    response = client.post(url + "/people/new", data={"name": "\x00" * 5, "linkedin_url": "http://[::1", **{
        k: v for k, v in junk.items() if k != "name"}})
    assert response.status_code in (200, 302)


def test_pages_send_security_headers(client, user):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_need_a_login(client):
    for path in ("/card", "/profile", "/events/new", "/events/1", "/events/1/people/new", "/people/1"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path


def test_unknown_pages_are_a_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404 and "Not found" in response.get_data(as_text=True)


def test_two_users_each_see_only_their_own_home(client, auth):
    auth.signup(email="bob@example.com")
    add_event(client, "Bob's event")
    auth.logout()
    Auth(client).signup(email="ada@example.com")
    assert "Bob" not in client.get("/").get_data(as_text=True)


def test_a_nul_character_in_any_form_is_dropped_not_a_crash(client, user):
    """PostgreSQL cannot store NUL; every form drops it, so pasted junk never costs the user their entry."""
    response = client.post("/events/new", data={"name": "Py\x00Data", "starts_on": today().isoformat(),
                                                "kind": "meetup", "goal": "3", "place": "Ber\x00lin"})
    assert response.status_code == 302
    event_url = response.headers["Location"]
    page = client.get(event_url).get_data(as_text=True)
    assert "PyData" in page and "Berlin" in page
    response = client.post("/profile", data={"display_name": "A\x00da", "headline": "\x00", "timezone": "UTC"})
    assert response.status_code == 302
    assert client.post(event_url + "/people/new", data={"name": "Gr\x00ace", "notes": "\x00"}).status_code == 302
    assert "Grace" in client.get(event_url).get_data(as_text=True)
