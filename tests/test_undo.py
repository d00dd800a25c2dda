"""Undo for deleting a person: a short-lived button in the message, working without JavaScript."""

import datetime
import time

from conftest import PASSWORD, csrf_token, make_app, signed_up_with_csrf
from steps import form_as_opened

from webapp import db, undo
from webapp.models import Conversation, Deletion, Event, FollowUp, Outcome, Person, User, utcnow


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
        kept = Deletion.get()
    response = client.post(f"/people/deleted/{kept.id}/undo")
    assert response.status_code == 302
    back = int(response.headers["Location"].removeprefix("/people/"))
    assert everything_about(back) == before
    assert "Grace Hopper" in client.get(url).get_data(as_text=True)
    # Undone once: a second Undo has nothing to bring back and duplicates nothing.
    client.post(f"/people/deleted/{kept.id}/undo")
    with db.database().connection_context():
        assert Person.select().count() == 1 and Conversation.select().count() == 1


def test_undo_works_only_for_a_few_minutes(client, user):
    _, grace = logged_grace(client)
    client.post(f"/people/{grace.id}/delete")
    with db.database().connection_context():
        Deletion.update(deleted_at=utcnow() - datetime.timedelta(minutes=6)).execute()
        kept = Deletion.get()
    assert ">Undo</button>" not in client.get("/").get_data(as_text=True)
    page = client.post(f"/people/deleted/{kept.id}/undo", follow_redirects=True).get_data(as_text=True)
    assert "too long ago to undo" in page
    assert everything_about(grace.id) is None


def test_another_user_cannot_undo_my_deletion(client, user, auth):
    _, grace = logged_grace(client)
    client.post(f"/people/{grace.id}/delete")
    with db.database().connection_context():
        kept = Deletion.get()
    auth.logout()
    auth.signup(email="eve@example.com")
    response = client.post(f"/people/deleted/{kept.id}/undo")
    assert response.status_code == 404 and "Grace" not in response.get_data(as_text=True)
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
        kept = Deletion.get()
    client.post(f"/people/deleted/{kept.id}/undo")
    assert everything_about_in(app, grace.id) is None
    response = client.post(f"/people/deleted/{kept.id}/undo", data={"csrf_token": csrf_token(page)})
    assert everything_about_in(app, int(response.headers["Location"].removeprefix("/people/"))) == "Grace"


def everything_about_in(app, person_id):
    with app.app_context(), db.database().connection_context():
        person = Person.get_or_none(Person.id == person_id)
        return person and person.name


def test_a_follow_up_kept_before_follow_ups_had_an_owner_comes_back_as_the_accounts(client, user):
    import json
    _, grace = logged_grace(client)
    client.post(f"/people/{grace.id}/delete")
    with db.database().connection_context():
        kept = Deletion.get()
        rows = json.loads(kept.rows)
        for row in rows["follow_ups"]:
            del row["owner"]  # as a deletion kept by the release before
        Deletion.update(rows=json.dumps(rows)).execute()
    client.post(f"/people/deleted/{kept.id}/undo")
    with db.database().connection_context():
        assert FollowUp.get().owner_id == Person.get().owner_id
    assert "send the paper" in client.get("/follow-ups/").get_data(as_text=True)


def undo_the_last_deletion(client):
    with db.database().connection_context():
        kept = Deletion.select().where(Deletion.kind == "person").order_by(Deletion.id.desc()).get()
    return client.post(f"/people/deleted/{kept.id}/undo", follow_redirects=True)


def test_undo_after_the_next_person_was_logged_brings_both(client, user):
    url, grace = logged_grace(client)
    client.post(f"/people/{grace.id}/delete")
    client.post(url + "/people/new", data={"name": "Barbara Liskov", "notes": "substitution"})
    response = undo_the_last_deletion(client)  # SQLite gives Barbara the id Grace had: Grace needs another
    assert response.status_code == 200 and "Grace Hopper is back." in response.get_data(as_text=True)
    with db.database().connection_context():
        people = {p.name: p.id for p in Person.select()}
    assert set(people) == {"Grace Hopper", "Barbara Liskov"}
    assert everything_about(people["Barbara Liskov"]) == ("Barbara Liskov", ["substitution"], [], [], [])
    assert everything_about(people["Grace Hopper"])[1:3] == (["COBOL"], ["compilers", "navy"])
    page = client.get(url).get_data(as_text=True)
    assert "Grace Hopper" in page and "Barbara Liskov" in page


def test_undo_after_their_event_was_deleted_and_its_id_handed_to_another_account_shows_them_to_no_one(
        client, user, auth):
    url, grace = logged_grace(client)
    client.post(f"/people/{grace.id}/delete")
    client.post(url + "/delete")
    auth.logout()
    auth.signup(email="bob@example.com", name="Bob")
    bobs_url = add_event(client)  # on SQLite, the id of the event deleted above
    auth.logout()
    auth.login()
    page = undo_the_last_deletion(client).get_data(as_text=True)
    assert "Grace Hopper is back. Undo deleting “PyData” to bring back the meeting too." in page
    with db.database().connection_context():
        grace = Person.get(Person.name == "Grace Hopper")
        assert [c.event_id for c in grace.conversations()] == []
        assert FollowUp.get(FollowUp.person == grace).event_id is None
    assert everything_about(grace.id)[2:] == (["compilers", "navy"], ["send the paper"], ["career advice"])
    assert client.get("/export/backup.json").status_code == 200
    auth.logout()
    auth.login(email="bob@example.com")
    assert "Grace" not in client.get(bobs_url).get_data(as_text=True)
    assert "Grace" not in client.get(bobs_url + "/people.csv").get_data(as_text=True)
    assert "Grace" not in client.get("/follow-ups/").get_data(as_text=True)


def test_undo_after_the_same_entry_was_sent_again_keeps_both(client, user):
    url, grace = logged_grace(client)
    with db.database().connection_context():
        entry = Conversation.get().uuid
    client.post(f"/people/{grace.id}/delete")
    # The phone sends the same entry again (its answer was lost): a new Grace under the entry's id.
    client.post(url + "/people/new", data={"name": "Grace Hopper", "entry": str(entry)})
    response = undo_the_last_deletion(client)
    assert response.status_code == 200 and "Grace Hopper is back." in response.get_data(as_text=True)
    with db.database().connection_context():
        assert Person.select().count() == 2
        assert Conversation.select().where(Conversation.uuid == entry).count() == 1


def test_a_deleted_persons_copy_is_forgotten_soon_after_its_undo_ends_even_if_nobody_deletes_again(database_url,
                                                                                                      tmp_path):
    """The copy holds their notes and photos: it is kept for Undo, not for good."""
    app = make_app(database_url, UNDO_SECONDS=1)
    app.instance_path = str(tmp_path)
    client = app.test_client()
    client.post("/signup", data={"email": "ada@example.com", "password": PASSWORD, "timezone": "UTC"})
    _, grace = logged_grace(client)
    client.post(f"/people/{grace.id}/delete")
    with db.database().connection_context():
        assert Deletion.select().count() == 1
    time.sleep(1.2)
    client.get("/")  # any page, after the Undo's time
    with db.database().connection_context():
        # Only that someone was deleted is left, for an edit form of theirs left open elsewhere to say so.
        assert [(k.rows, k.label) for k in Deletion.select()] == [("", "")]
    db.database().close()


def test_undo_brings_someone_back_under_the_id_they_had_so_a_form_left_open_on_them_still_saves(client, user):
    url, grace = logged_grace(client)
    client.post(url + "/people/new", data={"name": "Barbara Liskov"})  # Grace's is not the latest id
    phone = form_as_opened(client, f"{url}/people/{grace.id}/edit")
    client.post(f"/people/{grace.id}/delete")
    assert undo_the_last_deletion(client).request.path == f"/people/{grace.id}"
    response = client.post(f"{url}/people/{grace.id}/edit", data={**phone, "role": "Rear admiral"})
    assert response.status_code == 302
    with db.database().connection_context():
        assert Person.get_by_id(grace.id).role == "Rear admiral"
    assert everything_about(grace.id)[1:] == (["COBOL"], ["compilers", "navy"], ["send the paper"], ["career advice"])


def test_an_edit_sent_for_someone_deleted_on_another_device_says_so_and_keeps_what_was_typed(client, user):
    url, grace = logged_grace(client)
    phone = form_as_opened(client, f"{url}/people/{grace.id}/edit")
    client.post(f"/people/{grace.id}/delete")
    response = client.post(f"{url}/people/{grace.id}/edit", data={**phone, "role": "Rear admiral"})
    page = response.get_data(as_text=True)
    assert response.status_code == 410
    assert "Grace Hopper was deleted" in page and "deleted on your other device" in page
    assert "Rear admiral" in page and "COBOL" in page and "Undo the deletion" in page
    # Long after, when the deleted copy is forgotten, the form still says what became of them.
    with client.application.app_context(), db.database().connection_context(), db.write():
        Deletion.update(deleted_at=utcnow() - datetime.timedelta(hours=2)).execute()
        undo._forget_expired_copies()
    later = client.post(f"/people/{grace.id}/edit", data={"name": "Grace Hopper", "role": "Admiral"})
    assert later.status_code == 410 and "Admiral" in later.get_data(as_text=True)
    assert "Undo the deletion" not in later.get_data(as_text=True)
    # "Save as someone new" sends what was typed to the event's log form.
    assert '<input type="hidden" name="role" value="Rear admiral">' in page
    assert ">Save as someone new at PyData</button>" in page
    assert client.post(url + "/people/new", data={**phone, "role": "Rear admiral"}).status_code == 302
    with db.database().connection_context():
        assert [(p.name, p.role) for p in Person.select()] == [("Grace Hopper", "Rear admiral")]


def test_an_edit_sent_for_someone_deleted_whose_id_went_to_the_next_person_logged_says_they_were_deleted(client,
                                                                                                        user):
    url, grace = logged_grace(client)
    laptop = form_as_opened(client, f"/people/{grace.id}/edit")
    phone = form_as_opened(client, f"{url}/people/{grace.id}/edit")
    client.post(f"/people/{grace.id}/delete")
    with db.database().connection_context():  # SQLite hands the id of the latest row deleted to the next one
        Person.insert(id=grace.id, owner=User.get(), name="Erin", role="Organiser").execute()
        Conversation.insert(person=grace.id, event=Event.get(), notes="").execute()
    for edit, form in ((f"/people/{grace.id}/edit", laptop), (f"{url}/people/{grace.id}/edit", phone)):
        response = client.post(edit, data={**form, "role": "Rear admiral", "phone": "555"})
        assert response.status_code == 410 and "Grace Hopper was deleted" in response.get_data(as_text=True)
    with db.database().connection_context():
        assert [(p.name, p.role, p.phone) for p in Person.select()] == [("Erin", "Organiser", "")]
    # Erin's own form saves onto her; brought back, Grace gets another id, and the form left open on her goes there.
    assert client.post(f"/people/{grace.id}/edit", data={**form_as_opened(client, f"/people/{grace.id}/edit"),
                                                         "phone": "777"}).status_code == 302
    back = int(undo_the_last_deletion(client).request.path.removeprefix("/people/"))
    response = client.post(f"/people/{grace.id}/edit", data={**laptop, "role": "Rear admiral"})
    assert response.status_code == 307 and response.headers["Location"] == f"/people/{back}/edit"
    with db.database().connection_context():
        assert Person.get_by_id(grace.id).phone == "777"


def test_an_edit_sent_for_someone_deleted_after_their_id_was_used_and_deleted_before_names_them(client, user):
    """The deletion the form is told of is the one of whom it was opened for, not of whoever had the id last."""
    url, grace = logged_grace(client)
    client.post(f"/people/{grace.id}/delete")
    with db.database().connection_context():
        Person.insert(id=grace.id, owner=User.get(), name="Erin").execute()
    erins = form_as_opened(client, f"/people/{grace.id}/edit")
    client.post(f"/people/{grace.id}/delete")
    with db.database().connection_context():
        Person.insert(id=grace.id, owner=User.get(), name="Frank").execute()
    response = client.post(f"/people/{grace.id}/edit", data={**erins, "role": "Organiser"})
    assert response.status_code == 410 and "<h1>Erin was deleted</h1>" in response.get_data(as_text=True)


def test_an_edit_sent_from_their_own_page_for_someone_deleted_can_be_saved_as_someone_new(client, user):
    url, grace = logged_grace(client)
    laptop = form_as_opened(client, f"/people/{grace.id}/edit")
    client.post(f"/people/{grace.id}/delete")
    page = client.post(f"/people/{grace.id}/edit", data={**laptop, "role": "Rear admiral"}).get_data(as_text=True)
    # Where they were last met, while that is known.
    assert f'<form method="post" action="{url}/people/new">' in page and "Save as someone new at PyData" in page
    client.application.config["UNDO_SECONDS"] = 0  # the Undo's time over, the copy is forgotten
    with client.application.app_context(), db.database().connection_context(), db.write():
        undo._forget_expired_copies()
    page = client.post(f"/people/{grace.id}/edit", data={**laptop, "role": "Rear admiral"}).get_data(as_text=True)
    assert '<form method="post" action="/met">' in page and "Save as someone new met today" in page
    assert client.post("/met", data={**laptop, "role": "Rear admiral"}).status_code == 302
    with db.database().connection_context():
        assert [(p.name, p.role) for p in Person.select()] == [("Grace Hopper", "Rear admiral")]


def test_an_edit_sent_for_someone_brought_back_under_another_id_goes_to_them(client, user, auth):
    url, grace = logged_grace(client)
    phone = form_as_opened(client, f"{url}/people/{grace.id}/edit")
    client.post(f"/people/{grace.id}/delete")
    auth.logout()
    auth.signup(email="bob@example.com", name="Bob")
    with db.database().connection_context():  # SQLite hands the id to the next person logged, on any account
        Person.insert(id=grace.id, owner=User.get(User.email == "bob@example.com"), name="Bob's contact").execute()
    auth.logout()
    auth.login()
    back = int(undo_the_last_deletion(client).request.path.removeprefix("/people/"))
    assert back != grace.id
    response = client.post(f"{url}/people/{grace.id}/edit", data={**phone, "role": "Rear admiral"})
    assert response.status_code == 307 and response.headers["Location"] == f"{url}/people/{back}/edit"
    assert client.post(response.headers["Location"], data={**phone, "role": "Rear admiral"}).status_code == 302
    with db.database().connection_context():
        assert Person.get_by_id(back).role == "Rear admiral" and Person.get_by_id(grace.id).role == ""


def test_another_accounts_deleted_person_is_a_plain_404_to_edit(client, user, auth):
    url, grace = logged_grace(client)
    client.post(f"/people/{grace.id}/delete")
    auth.logout()
    auth.signup(email="eve@example.com")
    for edit in (f"/people/{grace.id}/edit", f"{add_event(client)}/people/{grace.id}/edit"):
        response = client.post(edit, data={"name": "Grace Hopper"})
        assert response.status_code == 404 and "Grace" not in response.get_data(as_text=True)


def test_undo_never_puts_a_meeting_at_an_event_planned_since_under_the_id_of_one_deleted(client, user):
    url, grace = logged_grace(client)
    event_id = int(url.rsplit("/", 1)[1])
    client.post(f"/people/{grace.id}/delete")
    client.post(url + "/delete")
    with db.database().connection_context():  # SQLite hands the id of the latest row deleted to the next one
        Event.insert(id=event_id, owner=User.get(), name="Rust Dublin", starts_on=datetime.date.today()).execute()
    page = undo_the_last_deletion(client).get_data(as_text=True)
    assert "Grace Hopper is back. Undo deleting “PyData” to bring back the meeting too." in page
    assert "Grace" not in client.get(url).get_data(as_text=True)
    with db.database().connection_context():
        assert FollowUp.get().event_id is None
