"""Outcomes: recording what came of meeting someone, on their page."""

import datetime

import pytest
from conftest import Auth, csrf_token, make_app, signed_up_with_csrf
from steps import add_event, today

from webapp import db
from webapp.models import Conversation, Event, Outcome, Person, User


@pytest.fixture
def grace(client, user):
    event = add_event(client, name="PyData")
    assert client.post(event + "/people/new", data={"name": "Grace Hopper"}).status_code == 302
    with db.database().connection_context():
        return Person.get().id


def add_outcome(client, person_id, **fields):
    data = {"kind": "job_lead", "happened_on": today().isoformat(), "text": ""}
    data.update(fields)
    return client.post(f"/people/{person_id}/outcomes", data=data)


def outcomes():
    with db.database().connection_context():
        return [(o.kind, o.happened_on, o.text) for o in Outcome.select().order_by(Outcome.id)]


def test_a_person_page_invites_an_outcome_when_there_is_none(client, grace):
    page = client.get(f"/people/{grace}").get_data(as_text=True)
    assert "What came of it" in page and "Nothing recorded yet" in page
    for label in ("Job lead", "Referral", "Advice", "Collaboration", "Helped them", "Friendship", "Other"):
        assert f">{label}</option>" in page
    assert f'value="{today().isoformat()}"' in page


def test_recording_an_outcome_lists_it_on_the_person_page(client, grace):
    response = add_outcome(client, grace, kind="referral", happened_on="2026-01-15",
                           text="Intro to the data team at Acme")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/people/{grace}#outcomes")
    assert outcomes() == [("referral", datetime.date(2026, 1, 15), "Intro to the data team at Acme")]
    page = client.get(f"/people/{grace}").get_data(as_text=True)
    assert "Outcome saved: Referral." in page
    assert "Intro to the data team at Acme" in page and "15 Jan 2026" in page


def test_outcomes_are_listed_newest_first(client, grace):
    add_outcome(client, grace, kind="advice", happened_on="2025-05-01", text="older")
    add_outcome(client, grace, kind="friendship", happened_on="2026-02-01", text="newer")
    page = client.get(f"/people/{grace}").get_data(as_text=True)
    assert page.index("newer") < page.index("older")


def test_deleting_an_outcome_keeps_the_person_and_the_others(client, grace):
    add_outcome(client, grace, text="keep me")
    add_outcome(client, grace, text="delete me")
    with db.database().connection_context():
        doomed = Outcome.get(Outcome.text == "delete me").id
    response = client.post(f"/people/{grace}/outcomes/{doomed}/delete")
    assert response.status_code == 302
    assert [text for _, _, text in outcomes()] == ["keep me"]
    assert "Outcome deleted." in client.get(f"/people/{grace}").get_data(as_text=True)


@pytest.mark.parametrize("fields, message", [
    ({"kind": "lottery"}, "Not a valid choice"),
    ({"happened_on": "yesterday"}, "Not a valid date value"),
    ({"happened_on": ""}, "Enter the date it happened."),
    ({"happened_on": "1066-10-14"}, "That date looks wrong"),
    ({"happened_on": "2999-01-01"}, "That date looks wrong"),
    ({"text": "x" * 301}, "Keep it to one line (300 characters)."),
])
def test_bad_outcome_input_gets_a_clear_message_and_keeps_what_was_typed(client, grace, fields, message):
    response = add_outcome(client, grace, **{"text": "typed text", **fields})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert "Grace Hopper" in page and "Please check" in page
    if "text" not in fields:
        assert 'value="typed text"' in page
    assert outcomes() == []


def test_another_users_person_and_outcomes_are_not_found(client, grace):
    add_outcome(client, grace, text="private")
    with db.database().connection_context():
        outcome = Outcome.get().id
    auth = Auth(client)
    auth.logout()
    auth.signup(email="mallory@example.com", name="Mallory")
    assert client.get(f"/people/{grace}").status_code == 404
    assert add_outcome(client, grace, text="injected").status_code == 404
    assert client.post(f"/people/{grace}/outcomes/{outcome}/delete").status_code == 404
    # Even through one of their own people, someone else's outcome stays out of reach.
    event = add_event(client, name="Mallory's")
    client.post(event + "/people/new", data={"name": "Mal's contact"})
    with db.database().connection_context():
        own = Person.get(Person.name == "Mal's contact").id
    assert client.post(f"/people/{own}/outcomes/{outcome}/delete").status_code == 404
    assert [text for _, _, text in outcomes()] == ["private"]


def test_outcome_forms_need_their_csrf_token(tmp_path):
    app = make_app("sqlite:///" + str(tmp_path / "csrf.sqlite3"), WTF_CSRF_ENABLED=True)
    client = signed_up_with_csrf(app)
    with app.app_context(), db.database().connection_context():
        user = User.get()
        event = Event.create(owner=user, name="PyData", starts_on=today())
        person = Person.create(owner=user, name="Grace")
        Conversation.create(person=person, event=event)
    response = client.post(f"/people/{person.id}/outcomes", data={"kind": "advice",
                                                                  "happened_on": today().isoformat()})
    assert response.status_code == 400
    page = client.get(f"/people/{person.id}").get_data(as_text=True)
    response = client.post(f"/people/{person.id}/outcomes", data={"kind": "advice", "csrf_token": csrf_token(page),
                                                                  "happened_on": today().isoformat()})
    assert response.status_code == 302
    with app.app_context(), db.database().connection_context():
        assert Outcome.select().count() == 1
    db.database().close()


def test_control_characters_never_break_saving(client, grace):
    response = add_outcome(client, grace, text="coffee\x00 monthly")
    assert response.status_code == 302
    assert outcomes()[0][2] == "coffee monthly"
