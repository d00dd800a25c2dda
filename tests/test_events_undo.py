"""Undo for deleting an event: one wrong tap must not lose every note of an evening."""

import datetime

import pytest
from conftest import PASSWORD, as_from_an_older_release, close_database, make_app
from steps import form_as_opened

from webapp import db, undo
from webapp.models import (
    Attachment,
    Conversation,
    Deletion,
    Event,
    FollowUp,
    LaterEntry,
    MergedEvent,
    Person,
    User,
    utcnow,
)

VOICE = b"RIFF\x24\x00\x00\x00WAVEfmt "


def an_evening(client):
    """PyData with its goal of 3, two people met there (Grace with a follow-up, a voice note and a second entry
    added to her meeting), and a quick event merged into it."""
    today = datetime.date.today().isoformat()
    client.post("/met", data={"name": "Ken Thompson"})  # a quick event for today, merged below
    response = client.post("/events/new", data={"name": "PyData", "starts_on": today, "kind": "meetup", "goal": "3"})
    url = response.headers["Location"]
    with db.database().connection_context():
        quick, event = Event.get(Event.quick), Event.get(Event.name == "PyData")
    client.post(f"/events/{quick.id}/merge", data={"into": event.id})
    client.post(url + "/people/new", data={"name": "Grace Hopper", "notes": "COBOL", "follow_up": "y",
                                           "follow_up_reason": "send the paper"})
    with db.database().connection_context():
        grace = Person.get(Person.name == "Grace Hopper")
        meeting = Conversation.get(Conversation.person == grace)
        Attachment.create(owner=grace.owner_id, person=grace, conversation=meeting, entry=meeting.uuid,
                          kind="voice", content_type="audio/wav", content=VOICE, size=len(VOICE))
        LaterEntry.create(uuid="6f0c1c4e-0000-4000-8000-000000000001", conversation=meeting)
    return url, event.id, quick.id


def the_evening(event_id):
    """What the event's page and the people's pages hang on: who was met there and what was said, the follow-up's
    and the voice note's links, the entries known as saved, and where the merged quick event's entries go."""
    with db.database().connection_context():
        event = Event.get_or_none(Event.id == event_id)
        if event is None:
            return None
        meetings = sorted((c.person.name, c.notes) for c in event.conversations())
        return (event.name, event.goal, str(event.progress()), meetings,
                [f.reason for f in FollowUp.select().where(FollowUp.event == event_id)],
                [a.kind for a in Attachment.select().join(Conversation).where(Conversation.event == event_id)],
                LaterEntry.select().join(Conversation).where(Conversation.event == event_id).count(),
                [m.into_id for m in MergedEvent.select()])


def deleted(client, url):
    response = client.post(url + "/delete", follow_redirects=True)
    with db.database().connection_context():
        kept = Deletion.select().where(Deletion.kind == "event").order_by(Deletion.id.desc()).get()
    return response, kept


def test_a_deleted_event_comes_back_with_everyone_met_there_on_undo(client, user):
    url, event_id, _ = an_evening(client)
    phone = form_as_opened(client, url + "/edit")
    before = the_evening(event_id)
    assert before == ("PyData", 3, "2 of 3 met", [("Grace Hopper", "COBOL"), ("Ken Thompson", "")],
                      ["send the paper"], ["voice"], 1, [event_id])
    response, kept = deleted(client, url)
    page = response.get_data(as_text=True)
    assert response.request.path == "/" and "“PyData” was deleted." in page
    assert f'action="/events/deleted/{kept.id}/undo"' in page and ">Undo</button>" in page
    assert the_evening(event_id) is None
    with db.database().connection_context():  # the people stay, their follow-up and voice note too, unlinked
        assert Person.select().count() == 2 and FollowUp.get().event_id is None
        assert Attachment.get().conversation_id is None
    response = client.post(f"/events/deleted/{kept.id}/undo", follow_redirects=True)
    assert response.request.path == url and "“PyData” is back." in response.get_data(as_text=True)
    assert the_evening(event_id) == before
    assert "2 of 3 met" in client.get("/").get_data(as_text=True)
    assert "Grace Hopper" in client.get("/people?q=COBOL").get_data(as_text=True)  # what was said, found again
    # Back under its id: its address and an edit form left open on it still find it.
    assert client.post(url + "/edit", data={**phone, "place": "Guinness Storehouse"}).status_code == 302
    # Undone once: a second Undo has nothing to bring back and duplicates nothing.
    again = client.post(f"/events/deleted/{kept.id}/undo", follow_redirects=True)
    assert "There is nothing to undo." in again.get_data(as_text=True)
    assert the_evening(event_id) == before


def test_undo_after_someone_met_there_was_deleted_brings_the_event_back_without_them(client, user):
    url, event_id, _ = an_evening(client)
    _, kept = deleted(client, url)
    with db.database().connection_context():
        grace = Person.get(Person.name == "Grace Hopper")
    client.post(f"/people/{grace.id}/delete")
    page = client.post(f"/events/deleted/{kept.id}/undo", follow_redirects=True).get_data(as_text=True)
    assert "“PyData” is back. Undo deleting Grace Hopper to bring back the meeting too." in page
    assert the_evening(event_id)[2:5] == ("1 of 3 met", [("Ken Thompson", "")], [])
    with db.database().connection_context():
        assert Person.select().count() == 1 and Attachment.select().count() == 0


def test_undo_never_gives_a_meeting_to_someone_logged_since_under_the_id_of_someone_deleted(client, user):
    url, event_id, _ = an_evening(client)
    _, kept = deleted(client, url)
    with db.database().connection_context():
        grace = Person.get(Person.name == "Grace Hopper")
    client.post(f"/people/{grace.id}/delete")
    with db.database().connection_context():  # SQLite hands the id of the latest row deleted to the next one
        Person.insert(id=grace.id, owner=User.get(), name="Erin").execute()
    client.post(f"/events/deleted/{kept.id}/undo")
    assert the_evening(event_id)[3] == [("Ken Thompson", "")]


def test_an_event_whose_id_was_given_to_another_since_comes_back_under_a_new_one(client, user, auth):
    url, event_id, _ = an_evening(client)
    phone = form_as_opened(client, url + "/edit")
    before = the_evening(event_id)
    _, kept = deleted(client, url)
    auth.logout()
    auth.signup(email="bob@example.com", name="Bob")
    with db.database().connection_context():  # SQLite hands the id of the latest row deleted to the next one
        Event.insert(id=event_id, owner=User.get(User.email == "bob@example.com"), name="Bob's meetup",
                     starts_on=datetime.date.today()).execute()
    auth.logout()
    auth.login()
    response = client.post(f"/events/deleted/{kept.id}/undo")
    back = int(response.headers["Location"].removeprefix("/events/"))
    assert back != event_id
    assert the_evening(back)[:7] == before[:7] and the_evening(event_id)[:4] == ("Bob's meetup", 3, "0 of 3 met", [])
    # Entries a phone kept for the old id go to it again, never to Bob's event.
    with db.database().connection_context():
        assert User.get(User.email == "ada@example.com").event_now(event_id) == back
    # The edit form left open on the old id is not sent into Bob's event.
    assert client.post(url + "/edit", data={**phone, "place": "Guinness"}).status_code == 404


def test_another_account_cannot_undo_my_deletion(client, user, auth):
    url, event_id, _ = an_evening(client)
    _, kept = deleted(client, url)
    auth.logout()
    auth.signup(email="eve@example.com")
    for address in (f"/events/deleted/{kept.id}/undo", f"/people/deleted/{kept.id}/undo"):
        response = client.post(address)
        assert response.status_code == 404 and "PyData" not in response.get_data(as_text=True)
    assert the_evening(event_id) is None
    auth.logout()
    auth.login()  # nor does a person's Undo bring back an event
    assert client.post(f"/people/deleted/{kept.id}/undo").status_code == 404


def test_an_event_undo_works_only_for_a_few_minutes_and_its_copy_is_then_forgotten(client, user):
    url, event_id, _ = an_evening(client)
    _, kept = deleted(client, url)
    with db.database().connection_context():
        Deletion.update(deleted_at=utcnow() - datetime.timedelta(minutes=6)).execute()
    assert ">Undo</button>" not in client.get("/").get_data(as_text=True)
    page = client.post(f"/events/deleted/{kept.id}/undo", follow_redirects=True).get_data(as_text=True)
    assert "“PyData” was deleted too long ago to undo." in page
    assert the_evening(event_id) is None
    with client.application.app_context(), db.database().connection_context(), db.write():
        undo._forget_expired_copies()
    with db.database().connection_context():  # the event's notes are not kept for good
        assert [(k.rows, k.label) for k in Deletion.select()] == [("", "")]

def test_an_imported_event_imported_again_before_the_undo_comes_back_beside_it(client, user):
    url, event_id, _ = an_evening(client)
    with db.database().connection_context():
        Event.update(ics_uid="pydata@example.com").where(Event.id == event_id).execute()
    _, kept = deleted(client, url)
    with db.database().connection_context():
        Event.create(owner=User.get(), name="PyData", starts_on=datetime.date.today(), ics_uid="pydata@example.com")
    back = client.post(f"/events/deleted/{kept.id}/undo", follow_redirects=True).get_data(as_text=True)
    with db.database().connection_context():
        uids = [e.ics_uid for e in Event.select().where(Event.name == "PyData")]
        assert len(uids) == 2 and set(uids) == {"pydata@example.com", None}
    # Two of them now: the message says which is which.
    assert "imported again from its calendar after it was deleted: this is the one you deleted, with its people" in back


def test_a_person_deleted_on_an_older_release_can_still_be_undone_after_the_upgrade(app, user, client):
    """The kept copies got a kind with events: those kept before are people."""
    _, event_id, _ = an_evening(client)
    with db.database().connection_context():
        grace = Person.get(Person.name == "Grace Hopper")
    client.post(f"/people/{grace.id}/delete")
    with db.database().connection_context():
        kept = Deletion.get()
        db.database().execute_sql('ALTER TABLE "deletedperson" DROP COLUMN "kind"')
    as_from_an_older_release()
    url = app.config["DATABASE_URL"]
    close_database()
    again = make_app(url).test_client()
    again.post("/login", data={"email": "ada@example.com", "password": PASSWORD})
    assert again.post(f"/people/deleted/{kept.id}/undo").status_code == 302
    assert ("Grace Hopper", "COBOL") in the_evening(event_id)[3]
    close_database()


def grace_deleted(client):
    with db.database().connection_context():
        grace = Person.get(Person.name == "Grace Hopper")
    client.post(f"/people/{grace.id}/delete")
    with db.database().connection_context():
        return Deletion.select().where(Deletion.kind == "person").order_by(Deletion.id.desc()).get()


@pytest.mark.parametrize("deleted_first", ["event", "person"])
@pytest.mark.parametrize("undone_first", ["event", "person"])
def test_undoing_an_event_and_someone_met_there_brings_their_meeting_back_whichever_goes_first(client, user,
                                                                                             deleted_first,
                                                                                             undone_first):
    url, event_id, _ = an_evening(client)
    before = the_evening(event_id)
    if deleted_first == "event":
        _, event_kept = deleted(client, url)
        person_kept = grace_deleted(client)
    else:
        person_kept = grace_deleted(client)
        _, event_kept = deleted(client, url)
    undos = {"event": f"/events/deleted/{event_kept.id}/undo", "person": f"/people/deleted/{person_kept.id}/undo"}
    first = client.post(undos[undone_first], follow_redirects=True).get_data(as_text=True)
    if undone_first == deleted_first:  # the other Undo, still to come, is offered: it brings the meeting too
        assert ">Undo</button>" in first and "to bring back the meeting too." in first
    client.post(undos["event" if undone_first == "person" else "person"])
    assert the_evening(event_id) == before
    with db.database().connection_context():
        grace = Person.get(Person.name == "Grace Hopper")
        assert FollowUp.get().event_id == event_id and Attachment.get().conversation.person == grace
