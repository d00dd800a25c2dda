"""Undo for deleting a person: a short-lived button in the message, working without JavaScript."""

import datetime

from conftest import csrf_token, make_app, signed_up_with_csrf

from webapp import db
from webapp.models import Conversation, DeletedPerson, Event, FollowUp, Outcome, Person, utcnow


def add_event(client):
    response = client.post("/events/new", data={"name": "PyData", "starts_on": datetime.date.today().isoformat(),
                                                "kind": "meetup", "goal": "3"})
    return response.headers["Location"]


def logged_grace(client):
    url = add_event(client)
    client.post(url + "/people/new", data={"name": "Grace Hopper", "notes": "COBOL", "tags": "navy, compilers",
                                           "follow_up": "y", "follow_up_reason": "send the paper"})
    with db.database().connection_context():
        grace = Person.get()
    client.post(f"/people/{grace.id}/outcomes", data={"kind": "advice", "happened_on": "2026-11-01",
                                                      "text": "career advice"})
    return url, grace


def everything_about(person_id):
    with db.database().connection_context():
        person = Person.get_or_none(Person.id == person_id)
        if person is None:
            return None
        return (person.name, [c.notes for c in person.conversations()], person.tag_names(),
                [f.reason for f in FollowUp.select().where(FollowUp.person == person)],
                [o.text for o in Outcome.select().where(Outcome.person == person)])


def test_a_deleted_person_comes_back_with_everything_on_undo(client, user):
    url, grace = logged_grace(client)
    before = everything_about(grace.id)
    assert before[3] == ["send the paper"] and before[4] == ["career advice"]
    page = client.post(f"/people/{grace.id}/delete", follow_redirects=True).get_data(as_text=True)
    assert "Grace Hopper was deleted." in page and ">Undo</button>" in page
    assert everything_about(grace.id) is None
    with db.database().connection_context():
        kept = DeletedPerson.get()
    response = client.post(f"/people/deleted/{kept.id}/undo")
    assert response.status_code == 302 and response.headers["Location"] == f"/people/{grace.id}"
    assert everything_about(grace.id) == before
    assert "Grace Hopper" in client.get(url).get_data(as_text=True)
    # Undone once: a second Undo has nothing to bring back and duplicates nothing.
    client.post(f"/people/deleted/{kept.id}/undo")
    with db.database().connection_context():
        assert Person.select().count() == 1 and Conversation.select().count() == 1


def test_undo_works_only_for_a_few_minutes(client, user):
    _, grace = logged_grace(client)
    client.post(f"/people/{grace.id}/delete")
    with db.database().connection_context():
        DeletedPerson.update(deleted_at=utcnow() - datetime.timedelta(minutes=6)).execute()
        kept = DeletedPerson.get()
    assert ">Undo</button>" not in client.get("/").get_data(as_text=True)
    page = client.post(f"/people/deleted/{kept.id}/undo", follow_redirects=True).get_data(as_text=True)
    assert "too long ago to undo" in page
    assert everything_about(grace.id) is None


def test_another_user_cannot_undo_my_deletion(client, user, auth):
    _, grace = logged_grace(client)
    client.post(f"/people/{grace.id}/delete")
    with db.database().connection_context():
        kept = DeletedPerson.get()
    auth.logout()
    auth.signup(email="eve@example.com")
    page = client.post(f"/people/deleted/{kept.id}/undo", follow_redirects=True).get_data(as_text=True)
    assert "nothing to undo" in page and "Grace" not in page
    assert everything_about(grace.id) is None


def test_undo_needs_the_forms_csrf_token(database_url, tmp_path):
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    client = signed_up_with_csrf(app)
    token = csrf_token(client.get("/events/new").get_data(as_text=True))
    client.post("/events/new", data={"name": "PyData", "starts_on": datetime.date.today().isoformat(),
                                     "kind": "meetup", "goal": "3", "csrf_token": token})
    with app.app_context(), db.database().connection_context():
        event = Event.get()
    client.post(f"/events/{event.id}/people/new", data={"name": "Grace", "csrf_token": token})
    with app.app_context(), db.database().connection_context():
        grace = Person.get()
    page = client.post(f"/people/{grace.id}/delete", data={"csrf_token": token},
                       follow_redirects=True).get_data(as_text=True)
    with app.app_context(), db.database().connection_context():
        kept = DeletedPerson.get()
    client.post(f"/people/deleted/{kept.id}/undo")
    assert everything_about_in(app, grace.id) is None
    client.post(f"/people/deleted/{kept.id}/undo", data={"csrf_token": csrf_token(page)})
    assert everything_about_in(app, grace.id) == "Grace"


def everything_about_in(app, person_id):
    with app.app_context(), db.database().connection_context():
        person = Person.get_or_none(Person.id == person_id)
        return person and person.name


def test_a_follow_up_kept_before_follow_ups_had_an_owner_comes_back_as_the_accounts(client, user):
    import json
    _, grace = logged_grace(client)
    client.post(f"/people/{grace.id}/delete")
    with db.database().connection_context():
        kept = DeletedPerson.get()
        rows = json.loads(kept.rows)
        for row in rows["follow_ups"]:
            del row["owner"]  # as a deletion kept by the release before
        DeletedPerson.update(rows=json.dumps(rows)).execute()
    client.post(f"/people/deleted/{kept.id}/undo")
    with db.database().connection_context():
        assert FollowUp.get().owner_id == Person.get().owner_id
    assert "send the paper" in client.get("/follow-ups/").get_data(as_text=True)
