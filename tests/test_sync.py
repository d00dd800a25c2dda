"""The sync endpoint: people logged on a phone with no signal are stored once per UUID, for their owner."""

import csv
import datetime
import io
import json
import re
import threading
import uuid
from zoneinfo import ZoneInfo

import pytest
import vobject
from conftest import PASSWORD, Auth, csrf_token, make_app, signed_up_with_csrf
from steps import at_the_same_moment, today

from webapp import db
from webapp.models import Conversation, Deletion, Event, FollowUp, Person


def add_event(client, name="PyData London"):
    response = client.post("/events/new", data={"name": name, "starts_on": datetime.date.today().isoformat(),
                                                "kind": "meetup", "goal": "3"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def entry(event_id, **fields):
    body = {"uuid": str(uuid.uuid4()), "event_id": event_id, "name": "Grace Hopper", "description": "",
            "company": "Navy", "role": "Rear admiral", "notes": "Talked about COBOL and nanoseconds.",
            "hiring": True, "follow_up": True, "follow_up_reason": "Send the compiler paper",
            "linkedin_url": "linkedin.com/in/Grace-Hopper/", "email": "grace@example.com",
            "tags": "compilers, Navy"}
    body.update(fields)
    return body


def rows(app):
    with db.database().connection_context():
        return Conversation.select().count(), Person.select().count()


@pytest.fixture
def event_id(client, user):
    return add_event(client)


def test_a_person_logged_offline_is_stored_with_the_phones_uuid(app, client, event_id):
    body = entry(event_id)
    response = client.post("/sync/meetings", json=body)
    assert response.status_code == 201, response.json
    assert response.json["status"] == "created"
    progress = response.json["progress"]
    version = progress.pop("version")
    assert progress == {"met": 1, "goal": 3}
    with db.database().connection_context():
        conversation = Conversation.get(Conversation.uuid == uuid.UUID(body["uuid"]))
        person = conversation.person
        assert (person.name, person.company, person.role, person.hiring) == ("Grace Hopper", "Navy",
                                                                             "Rear admiral", True)
        assert person.linkedin_url == "https://www.linkedin.com/in/grace-hopper"
        assert conversation.notes == "Talked about COBOL and nanoseconds."
        assert conversation.event_id == event_id
        assert person.tag_names() == ["compilers", "navy"]
        assert FollowUp.get(FollowUp.person == person).reason == "Send the compiler paper"
    page = client.get(f"/events/{event_id}").get_data(as_text=True)
    assert "Grace Hopper" in page and "1 of 3" in page
    # The count the phone was given is as new as the account's next page: a page kept from before is older.
    assert f'data-version="{version}"' in page


def test_sending_the_same_entry_again_succeeds_without_a_second_row(app, client, event_id):
    body = entry(event_id)
    assert client.post("/sync/meetings", json=body).status_code == 201
    again = client.post("/sync/meetings", json=body)
    assert again.status_code == 200, again.json
    assert again.json["status"] == "already saved"
    assert again.json["progress"]["version"] > 0
    assert {k: again.json["progress"][k] for k in ("met", "goal")} == {"met": 1, "goal": 3}
    # The same content written differently (spacing, tag order, LinkedIn form) is still the same entry.
    reworded = dict(body, name="  Grace Hopper ", tags="navy,compilers",
                    linkedin_url="https://www.linkedin.com/in/grace-hopper")
    assert client.post("/sync/meetings", json=reworded).status_code == 200
    assert rows(app) == (1, 1)


def test_an_entry_sent_again_changes_nothing_so_every_page_kept_for_the_account_stays_good(app, client, event_id):
    planned = entry(event_id)
    quick = entry(None, quick_day=today().isoformat(), name="Alan Turing", linkedin_url="", email="")
    assert client.post("/sync/meetings", json=planned).status_code == 201
    version = client.post("/sync/meetings", json=quick).json["progress"]["version"]
    assert f'data-version="{version}"' in client.get("/").get_data(as_text=True)
    for again in (planned, quick, planned):  # their answers were lost on a weak signal
        response = client.post("/sync/meetings", json=again)
        assert (response.status_code, response.json["progress"]["version"]) == (200, version)
    assert f'data-version="{version}"' in client.get("/").get_data(as_text=True)


def test_the_same_uuid_with_more_typed_after_a_lost_answer_updates_its_meeting_but_never_moves_it(app, client,
                                                                                                 event_id):
    """The save's answer was lost; the form came back with it and the user added a line before saving again:
    that is their latest word, and the meeting, unchanged here since, takes it. Sent for another event, it is
    refused clearly: an entry is one meeting."""
    body = entry(event_id)
    assert client.post("/sync/meetings", json=body).status_code == 201
    more = dict(body, notes=body["notes"] + " And her keynote.", tags="navy, compilers, keynotes")
    changed = client.post("/sync/meetings", json=more)
    assert changed.status_code == 200 and changed.json["status"] == "updated"
    assert client.post("/sync/meetings", json=more).json["status"] == "already saved"  # its answer lost too
    other_event = add_event(client, "RustConf")
    moved = client.post("/sync/meetings", json=dict(more, event_id=other_event))
    assert moved.status_code == 409
    assert "already saved" in moved.json["error"] and "different details" in moved.json["error"]
    assert rows(app) == (1, 1)
    with db.database().connection_context():
        assert Conversation.get().notes == "Talked about COBOL and nanoseconds. And her keynote."
        assert sorted(Person.get().tag_names()) == ["compilers", "keynotes", "navy"]


def test_an_entry_sent_again_after_its_meeting_was_edited_is_already_saved_and_the_edit_stays(app, client,
                                                                                               event_id):
    body = entry(event_id)
    person_id = client.post("/sync/meetings", json=body).json["person_id"]
    edited = client.post(f"/events/{event_id}/people/{person_id}/edit",
                         data={"name": "Grace Hopper", "company": "Yale", "notes": "COBOL, fixed up at home"})
    assert edited.status_code == 302
    again = client.post("/sync/meetings", json=body)  # its first answer never reached the phone
    assert again.status_code == 200 and again.json["status"] == "already saved"
    assert client.post("/sync/meetings", json=dict(body, notes="Changed on the phone")).status_code == 409
    with db.database().connection_context():
        assert (Person.get().company, Conversation.get().notes) == ("Yale", "COBOL, fixed up at home")


def test_a_meeting_stored_before_what_was_sent_was_kept_still_knows_its_entry(app, client, event_id):
    body = entry(event_id)
    assert client.post("/sync/meetings", json=body).status_code == 201
    with db.database().connection_context():
        Conversation.update(sent="").execute()  # as stored by an older release
    assert client.post("/sync/meetings", json=body).status_code == 200
    assert client.post("/sync/meetings", json=dict(body, notes="Something else")).status_code == 409
    assert rows(app) == (1, 1)


def test_another_users_uuid_is_not_found_and_left_untouched(app, client, event_id):
    body = entry(event_id)
    assert client.post("/sync/meetings", json=body).status_code == 201
    auth = Auth(client)
    auth.logout()
    auth.signup(email="mallory@example.com", name="Mallory")
    her_event = add_event(client, "Her meetup")
    for attempt in (dict(body, event_id=her_event), dict(body, event_id=her_event, notes="overwritten")):
        response = client.post("/sync/meetings", json=attempt)
        assert response.status_code == 404
        assert "Grace" not in response.get_data(as_text=True)
    assert rows(app) == (1, 1)
    with db.database().connection_context():
        assert Conversation.get().notes == "Talked about COBOL and nanoseconds."


def test_an_event_of_another_user_is_answered_as_one_that_never_was_the_person_goes_to_the_quick_event(
        app, client, event_id):
    auth = Auth(client)
    auth.logout()
    auth.signup(email="mallory@example.com", name="Mallory")
    answers = [client.post("/sync/meetings", json=entry(event, name=name))
               for event, name in ((event_id, "Grace Hopper"), (999_999, "Alan Turing"))]
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].json["event_id"] == answers[1].json["event_id"] != event_id
    assert [a.json["progress"]["met"] for a in answers] == [1, 2]
    assert "PyData" not in "".join(a.get_data(as_text=True) for a in answers)
    with db.database().connection_context():
        quick = Event.get_by_id(answers[0].json["event_id"])
        assert quick.quick and quick.owner.email == "mallory@example.com"
        assert Conversation.select().where(Conversation.event == event_id).count() == 0


def test_someone_met_at_an_event_deleted_since_on_another_device_is_saved_under_that_days_quick_event(
        app, client, event_id):
    met_at = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=20)
    notes = "Runs the platform team; " * 6
    queued = entry(event_id, name="Deleted-Event Dana", notes=notes, met_at=met_at.isoformat())
    assert client.post(f"/events/{event_id}/delete").status_code == 302  # the laptop, while the phone had no signal
    stored = client.post("/sync/meetings", json=queued)
    assert stored.status_code == 201, stored.json
    with db.database().connection_context():
        conversation = Conversation.get(Conversation.uuid == uuid.UUID(queued["uuid"]))
        assert conversation.event.quick and conversation.event.id == stored.json["event_id"]
        assert conversation.event.starts_on == met_at.astimezone(ZoneInfo("Europe/London")).date()
        assert (conversation.person.name, conversation.notes) == ("Deleted-Event Dana", notes.strip())
    again = client.post("/sync/meetings", json=queued)  # its answer was lost
    assert (again.status_code, again.json["status"]) == (200, "already saved")


def test_entries_logged_by_another_account_on_the_same_phone_are_refused(app, client, user, event_id):
    response = client.post("/sync/meetings", json=entry(event_id, account="12345.1733567000000"))
    assert response.status_code == 403
    assert "another account" in response.json["error"]
    me = client.get("/sync/session").json["account"]
    assert client.post("/sync/meetings", json=entry(event_id, account=me)).status_code == 201


def test_what_a_deleted_account_left_on_the_phone_never_goes_to_the_account_made_after_it(app, client, user):
    left = client.get("/sync/session").json["account"]
    left_id = str(left).split(".")[0]
    logged = (datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=5)).isoformat()
    assert client.post("/account/delete", data={"password": PASSWORD}).status_code == 302
    Auth(client).signup(email="yuki@example.com", name="Yuki")  # on SQLite, with the deleted account's id
    mine = client.get("/sync/session").json["account"]
    assert mine != left
    # Queued under the deleted account's key, or (before keys) under its id, whichever account has that id now.
    for account in (left, left_id, int(left_id)):
        sent = entry(None, quick_day=today().isoformat(), name="Secret Contact of X", account=account, met_at=logged)
        response = client.post("/sync/meetings", json=sent)
        assert response.status_code == 403, response.json
    assert rows(app) == (0, 0)


def test_entries_queued_before_accounts_had_keys_still_go_to_their_account(app, client, user):
    account = client.get("/sync/session").json["account"]
    account_id, since = account.split(".")
    made = datetime.datetime.fromtimestamp(int(since) / 1000 + 60, datetime.UTC).isoformat()
    for n, sent_as in enumerate((account_id, int(account_id))):  # the phone's code of before sent a number
        queued = entry(None, quick_day=today().isoformat(), name=f"Early Eve {n}", account=sent_as, met_at=made)
        assert client.post("/sync/meetings", json=queued).status_code == 201
    assert rows(app) == (2, 2)


@pytest.mark.parametrize("payload, field", [
    ({"uuid": "not-a-uuid"}, "uuid"),
    ({"uuid": ""}, "uuid"),
    ({"event_id": "seven"}, "event_id"),
    ({"event_id": None}, "event_id"),
    ({"name": "", "description": ""}, "name"),
    ({"name": 42}, "name"),
    ({"hiring": "false"}, "hiring"),
    ({"linkedin_url": "https://www.linkedin.com/company/acme"}, "linkedin_url"),
    ({"email": "grace at navy"}, "email"),
    ({"follow_up": True, "follow_up_reason": "x" * 201}, "follow_up_reason"),
    ({"notes": "x" * 5001}, "notes"),
])
def test_a_malformed_entry_gets_a_message_per_field_and_stores_nothing(app, client, event_id, payload, field):
    response = client.post("/sync/meetings", json={**entry(event_id), **payload})
    assert response.status_code == 400
    assert response.json["fields"][field], response.json
    assert all(isinstance(m, str) and m for m in response.json["fields"][field])
    assert rows(app) == (0, 0)


@pytest.mark.parametrize("body, content_type", [
    ("not json at all", "application/json"),
    ('["a", "list"]', "application/json"),
    ('{"uuid": ', "application/json"),
    ("[" * 100_000, "application/json"),  # nested deeper than the decoder goes
    ('{"name": ' + "[" * 100_000 + "]" * 100_000 + "}", "application/json"),
    ("uuid=1&event_id=2", "application/x-www-form-urlencoded"),
])
def test_a_body_that_is_not_a_json_object_is_a_clear_400(app, client, event_id, body, content_type):
    response = client.post("/sync/meetings", data=body, content_type=content_type)
    assert response.status_code == 400
    assert response.is_json and "JSON object" in response.json["error"]
    assert rows(app) == (0, 0)


def test_not_logged_in_is_a_401_answer_not_a_redirect(app, client):
    response = client.post("/sync/meetings", json=entry(1))
    assert response.status_code == 401
    assert response.is_json and "Log in" in response.json["error"]
    assert client.get("/sync/session").status_code == 401


def test_a_missing_or_wrong_csrf_token_is_refused(tmp_path):
    app = make_app("sqlite:///" + str(tmp_path / "csrf.sqlite3"), WTF_CSRF_ENABLED=True)
    app.instance_path = str(tmp_path)
    client = signed_up_with_csrf(app)
    page = client.get("/events/new").get_data(as_text=True)
    token = csrf_token(page)
    created = client.post("/events/new", data={"csrf_token": token, "name": "PyData",
                                               "starts_on": datetime.date.today().isoformat(),
                                               "kind": "meetup", "goal": "3"})
    event_id = int(created.headers["Location"].rstrip("/").split("/")[-1])
    body = entry(event_id)
    for headers in ({}, {"X-CSRFToken": "forged"}):
        refused = client.post("/sync/meetings", json=body, headers=headers)
        assert refused.status_code == 400
        assert refused.is_json and refused.json["reason"] == "csrf"
    with db.database().connection_context():
        assert Conversation.select().count() == 0
    # The token is also in the page's <meta name="csrf-token">, and /sync/session hands out a fresh one.
    assert f'<meta name="csrf-token" content="{token}">' in page
    fresh = client.get("/sync/session").json["csrf_token"]
    assert client.post("/sync/meetings", json=body, headers={"X-CSRFToken": fresh}).status_code == 201
    db.database().close()


def test_two_identical_requests_racing_store_one_row(any_database_url, tmp_path):
    app = make_app(any_database_url)
    app.instance_path = str(tmp_path)
    client = app.test_client()
    Auth(client).signup()
    event_id = add_event(client)
    cookie = client.get_cookie("session").value
    body = entry(event_id)
    statuses = []

    def send():
        racer = app.test_client()
        racer.set_cookie("session", cookie)
        statuses.append(racer.post("/sync/meetings", json=body).status_code)

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [200, 200, 200, 201]
    with db.database().connection_context():
        assert Conversation.select().where(Conversation.uuid == uuid.UUID(body["uuid"])).count() == 1
        assert Person.select().count() == 1
    db.database().close()


def test_the_service_worker_and_manifest_are_served_for_the_whole_app(client):
    with client.get("/sw.js") as worker:
        assert worker.status_code == 200
        assert worker.mimetype == "text/javascript"
        assert "no-cache" in worker.headers["Cache-Control"]
        assert "CACHE_VERSION" in worker.get_data(as_text=True)
    with client.get("/manifest.webmanifest") as response:
        assert response.mimetype == "application/manifest+json"
        manifest = json.loads(response.get_data())
    assert manifest["start_url"] == "/" and manifest["scope"] == "/" and manifest["display"] == "standalone"
    sizes = {(i["sizes"], i["purpose"]) for i in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("192x192", "maskable"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        with client.get(icon["src"]) as response:
            assert response.status_code == 200 and response.mimetype == "image/png"
    assert 'rel="manifest" href="/manifest.webmanifest"' in client.get("/login").get_data(as_text=True)
    offline = client.get("/offline")
    assert offline.status_code == 200 and "No signal" in offline.get_data(as_text=True)


def test_an_entry_saved_by_the_log_form_and_then_sent_by_the_phone_is_stored_once(app, client, event_id):
    """The form's save answered too late: the phone's copy of the same entry finds it instead of a second person."""
    body = entry(event_id, follow_up=False, follow_up_reason="", hiring=False)
    form = {k: v for k, v in body.items() if k not in ("uuid", "event_id", "hiring", "follow_up")}
    saved = client.post(f"/events/{event_id}/people/new", data={**form, "entry": body["uuid"], "same_as": "new"})
    assert saved.status_code == 302
    again = client.post("/sync/meetings", json=body)
    assert again.status_code == 200 and again.json["status"] == "already saved", again.json
    changed = client.post("/sync/meetings", json={**body, "notes": "Something else"})
    assert changed.status_code == 200 and changed.json["status"] == "updated"  # the phone's latest word
    assert rows(app) == (1, 1)


def test_with_no_event_today_an_offline_entry_goes_to_the_days_quick_event_once(app, client, user):
    today = datetime.date.today()
    body = entry(None, quick_day=today.isoformat())
    first = client.post("/sync/meetings", json=body)
    again = client.post("/sync/meetings", json=body)  # the first answer was lost
    assert (first.status_code, again.status_code) == (201, 200), first.json
    assert first.json["event_id"] == again.json["event_id"]
    with db.database().connection_context():
        conversation = Conversation.get(Conversation.uuid == uuid.UUID(body["uuid"]))
        assert conversation.event.quick and conversation.event.starts_on == today
        assert conversation.event.name == today.strftime(f"Met on %a {today.day} %b")
    # A second person that day joins the same quick event.
    other = client.post("/sync/meetings", json=entry(None, quick_day=today.isoformat(), name="Alan"))
    assert other.json["event_id"] == first.json["event_id"] and other.json["progress"]["met"] == 2


def test_the_first_people_logged_on_the_web_and_on_two_phones_at_once_share_one_quick_event(app, client, user):
    day = today().isoformat()
    laptop = lambda c: c.post("/met", data={"name": "Laptop Larry", "same_as": "new",  # noqa: E731
                                            "entry": str(uuid.uuid4())})
    phone = lambda name: lambda c: c.post("/sync/meetings", json=entry(None, quick_day=day, name=name))  # noqa: E731
    saved = at_the_same_moment(app, client, laptop, phone("Phone Pat"), phone("Tablet Tess"))
    assert [r.status_code for r in saved] == [302, 201, 201]
    with db.database().connection_context():
        (quick,) = Event.select()
        assert quick.quick and quick.starts_on.isoformat() == day
        met = Person.select(Person.name).join(Conversation).where(Conversation.event == quick)
        assert sorted(p.name for p in met) == ["Laptop Larry", "Phone Pat", "Tablet Tess"]
    assert "3 of 3" in client.get(f"/events/{quick.id}").get_data(as_text=True)


def merge(client, quick_id, into_id):
    response = client.post(f"/events/{quick_id}/merge", data={"into": into_id})
    assert response.headers["Location"] == f"/events/{into_id}"


def test_an_entry_logged_under_a_quick_event_merged_since_goes_where_its_people_went(app, client, user):
    first = client.post("/sync/meetings", json=entry(None, quick_day=today().isoformat(), name="Early Erin"))
    quick = first.json["event_id"]
    planned = add_event(client, "PyData London")
    merge(client, quick, planned)
    queued = entry(quick, name="Queued Quentin")  # on a log form the phone kept from the quick event's page
    stored = client.post("/sync/meetings", json=queued)
    assert (stored.status_code, stored.json["event_id"], stored.json["progress"]["met"]) == (201, planned, 2)
    again = client.post("/sync/meetings", json=queued)  # its answer was lost
    assert (again.status_code, again.json["status"]) == (200, "already saved")
    # Merged on into another event, what comes for the quick event follows.
    conference = add_event(client, "PyCon UK")
    merge(client, planned, conference)
    later = client.post("/sync/meetings", json=entry(quick, name="Late Lou"))
    assert (later.status_code, later.json["event_id"], later.json["progress"]["met"]) == (201, conference, 3)
    # Another account's merged quick event is still nothing to anyone else: as for an event that never was, the
    # person goes to their own quick event.
    other = app.test_client()
    Auth(other).signup(email="eve@example.com")
    guess = other.post("/sync/meetings", json=entry(quick, name="Eve's guess"))
    assert guess.status_code == 201 and guess.json["event_id"] not in (quick, planned, conference)
    assert guess.json["progress"]["met"] == 1


def test_a_log_form_left_open_on_a_quick_event_merged_since_saves_where_its_people_went(app, client, user):
    client.post("/met", data={"name": "Early Erin"})  # the day's quick event, its form left open in a tab
    with db.database().connection_context():
        quick = Event.get(Event.quick).id
    planned = add_event(client, "PyData London")
    merge(client, quick, planned)
    saved = client.post(f"/events/{quick}/people/new", data={"name": "Tab Tess", "same_as": "new"})
    assert saved.status_code == 302 and saved.headers["Location"] == f"/events/{planned}"
    assert client.get(f"/events/{quick}/people/new").headers["Location"] == f"/events/{planned}/people/new"
    other = app.test_client()
    Auth(other).signup(email="eve@example.com")
    assert other.post(f"/events/{quick}/people/new", data={"name": "Eve's guess"}).status_code == 404
    assert other.get(f"/events/{quick}/people/new").status_code == 404
    assert rows(app) == (2, 2)


@pytest.mark.parametrize("fields, message", [
    ({}, "Say which event this person was met at."),
    ({"quick_day": "2020-01-01"}, "That day is too far from today"),
    ({"quick_day": "someday"}, "Not a valid date value."),
])
def test_an_entry_with_no_event_needs_a_day_near_today(app, client, user, fields, message):
    response = client.post("/sync/meetings", json=entry(None, **fields))
    assert response.status_code == 400
    assert message in json.dumps(response.json["fields"])
    assert rows(app) == (0, 0)


def test_already_met_answered_on_the_phone_links_the_entry_to_that_person(app, client, event_id):
    first = client.post("/sync/meetings", json=entry(event_id, company="Navy")).json["person_id"]
    later = add_event(client, "PyCon")
    response = client.post("/sync/meetings", json=entry(later, name="grace hopper", company="Yale", notes="Again",
                                                        same_as=str(first), linkedin_url="", email=""))
    assert response.status_code == 201 and response.json["person_id"] == first
    assert response.json["progress"]["met"] == 1  # counted at the event she was met again at
    with db.database().connection_context():
        grace = Person.get_by_id(first)
        assert Person.select().count() == 1
        assert (grace.name, grace.company) == ("Grace Hopper", "Yale")  # her name as first typed
        assert sorted(c.notes for c in grace.meetings) == [
            "Again", "Talked about COBOL and nanoseconds.\n\nThen: at Navy."]


def test_met_again_at_the_same_event_and_sent_again_adds_its_notes_once(app, client, event_id):
    # Day 2 of a conference: the phone says "same person" for someone already logged there, and the answer to
    # its save is lost in the basement, so it sends the entry again.
    first = client.post("/sync/meetings", json=entry(event_id)).json["person_id"]
    day_two = entry(event_id, name="Grace", notes="Day 2: her keynote on COBOL", same_as=str(first), company="")
    answers = [client.post("/sync/meetings", json=day_two) for _ in range(2)]
    assert [a.status_code for a in answers] == [201, 200]
    assert [a.json["person_id"] for a in answers] == [first, first]
    assert answers[1].json["status"] == "already saved" and answers[1].json["progress"]["met"] == 1
    changed = client.post("/sync/meetings", json={**day_two, "notes": "Day 2: something else"})
    assert changed.status_code == 409 and "different details" in changed.json["error"]
    with db.database().connection_context():
        (meeting,) = Person.get_by_id(first).meetings
        assert meeting.notes == "Talked about COBOL and nanoseconds.\n\nDay 2: her keynote on COBOL"


def test_an_entry_sent_again_after_its_person_was_made_one_with_another_is_not_stored_again(app, client, event_id):
    bodies = [entry(event_id, notes="Compilers"), entry(event_id, name="grace hopper", notes="Nanoseconds")]
    first, second = (client.post("/sync/meetings", json=b).json["person_id"] for b in bodies)
    assert client.post(f"/people/{second}/same-as/{first}").status_code == 302
    sent_again(client, bodies, first)  # both answers were lost
    assert notes_of_the_one_meeting(first) == "Compilers\n\nNanoseconds"


def sent_again(client, bodies, person_id):
    """The phone sends entries again, their answers lost: each is already saved, with this person."""
    for body in bodies:
        again = client.post("/sync/meetings", json=body)
        assert again.status_code == 200 and again.json["person_id"] == person_id, again.json


def notes_of_the_one_meeting(person_id):
    """The notes of this person's only meeting, the account's only person."""
    with db.database().connection_context():
        assert Person.select().count() == 1
        (meeting,) = Person.get_by_id(person_id).meetings
        return meeting.notes


def test_entries_sent_again_after_their_person_was_deleted_and_brought_back_are_not_stored_again(app, client,
                                                                                                event_id):
    first = entry(event_id)
    person_id = client.post("/sync/meetings", json=first).json["person_id"]
    day_two = entry(event_id, notes="Day 2: her keynote", same_as=str(person_id))
    assert client.post("/sync/meetings", json=day_two).status_code == 201  # added to the same meeting
    assert client.post(f"/people/{person_id}/delete").status_code == 302
    with db.database().connection_context():
        kept = Deletion.get()
    undone = client.post(f"/people/deleted/{kept.id}/undo")
    assert undone.status_code == 302
    person_id = int(undone.headers["Location"].removeprefix("/people/"))  # back under a new id
    sent_again(client, [first, day_two], person_id)  # both answers were lost, and come after the undo
    assert notes_of_the_one_meeting(person_id) == "Talked about COBOL and nanoseconds.\n\nDay 2: her keynote"


def test_a_person_picked_on_the_phone_who_is_gone_or_not_this_accounts_makes_someone_new(app, client, event_id):
    other = app.test_client()
    Auth(other).signup(email="eve@example.com")
    eves = other.post("/sync/meetings", json=entry(add_event(other))).json["person_id"]
    gone = client.post("/sync/meetings", json=entry(event_id, name="Ada")).json["person_id"]
    client.post(f"/people/{gone}/delete")
    for picked in (eves, gone, 987654):
        response = client.post("/sync/meetings", json=entry(event_id, name=f"Someone {picked}", same_as=str(picked)))
        assert response.status_code == 201
        with db.database().connection_context():
            someone = Person.get_by_id(response.json["person_id"])
            assert someone.name == f"Someone {picked}" and someone.owner_id != Person.get_by_id(eves).owner_id
            assert someone.meetings.count() == 1
    with db.database().connection_context():
        assert Person.get_by_id(eves).meetings.count() == 1  # Eve's person untouched


@pytest.mark.parametrize("same_as", ["Grace", "-3", "1.5", "99999999999999", "١٢"])
def test_a_pick_that_is_not_a_person_is_refused_with_a_reason(client, event_id, same_as):
    response = client.post("/sync/meetings", json=entry(event_id, same_as=same_as))
    assert response.status_code == 400 and response.json["fields"]["same_as"] == ["There is no such person."]
    assert client.post("/sync/meetings", json=entry(event_id, same_as=3)).status_code == 400  # not text


def test_the_log_form_saved_again_with_more_typed_after_a_lost_answer_keeps_the_more(app, client, event_id):
    form = {"name": "Grace Hopper", "notes": "COBOL", "entry": str(uuid.uuid4()), "same_as": "new"}
    assert client.post(f"/events/{event_id}/people/new", data=form).status_code == 302  # its answer lost
    again = client.post(f"/events/{event_id}/people/new", data={**form, "notes": "COBOL, and the Navy"},
                        follow_redirects=True)
    assert "Grace Hopper is saved, with your changes." in again.get_data(as_text=True)
    assert rows(app) == (1, 1)
    with db.database().connection_context():
        assert Conversation.get().notes == "COBOL, and the Navy"


def test_people_logged_offline_on_a_conferences_first_day_and_sent_on_the_second_were_met_the_first_day(client,
                                                                                                         user):
    """In Tokyo, with no signal all of day 1, everything sent on day 2: the exports and their pages say they were
    met on day 1, as the phone does, and their follow-ups are counted from then, with the conference on the form or
    none. Someone met on day 2 was met on day 2."""
    tokyo = ZoneInfo("Asia/Tokyo")
    client.set_cookie("phone_zone", tokyo.key)
    day_two = datetime.datetime.now(tokyo).date()
    day_one = day_two - datetime.timedelta(days=1)
    planned = client.post("/events/new", data={"name": "Tokyo Conf", "kind": "conference", "goal": "3",
                                               "starts_on": day_one.isoformat(), "ends_on": day_two.isoformat(),
                                               "start_time": "09:00"})
    conference = int(planned.headers["Location"].rstrip("/").split("/")[-1])
    met = datetime.datetime.combine(day_one, datetime.time(17, 0), tokyo).isoformat()
    for sent in (entry(None, name="Day1 Dana", quick_day=day_one.isoformat(), met_at=met, linkedin_url="", email=""),
                 entry(conference, name="Day1 Eli", met_at=met, linkedin_url="", email="")):
        response = client.post("/sync/meetings", json=sent)
        assert response.status_code == 201 and response.json["event_id"] == conference, response.json
        page = client.get(response.json["person_url"]).get_data(as_text=True)
        assert f'<span class="person-meta">{day_one.strftime("%-d %b %Y")}</span>' in page
    met_today = client.post(f"/events/{conference}/people/new", data={"name": "Day2 Dan", "same_as": "new"})
    assert met_today.status_code == 302
    spreadsheet = client.get(f"/events/{conference}/people.csv").get_data(as_text=True).lstrip("\ufeff")
    assert {row["Name"]: row["Event date"] for row in csv.DictReader(io.StringIO(spreadsheet))} == {
        "Day1 Dana": day_one.isoformat(), "Day1 Eli": day_one.isoformat(), "Day2 Dan": day_two.isoformat()}
    cards = vobject.readComponents(client.get(f"/events/{conference}/contacts.vcf").get_data(as_text=True))
    assert {card.fn.value: re.search(r"Met at Tokyo Conf on ([0-9-]+)", card.note.value)[1] for card in cards} == {
        "Day1 Dana": day_one.isoformat(), "Day1 Eli": day_one.isoformat(), "Day2 Dan": day_two.isoformat()}
    with db.database().connection_context():
        dan = Person.get(Person.name == "Day2 Dan").id
    assert f'<span class="person-meta">{day_two.strftime("%-d %b %Y")}</span>' in client.get(
        f"/people/{dan}").get_data(as_text=True)
    with db.database().connection_context():
        # Two days after day 1, which is the day after the conference: not two days after day 2.
        assert {f.person.name: f.due_on for f in FollowUp.select()} == {
            "Day1 Dana": day_two + datetime.timedelta(days=1), "Day1 Eli": day_two + datetime.timedelta(days=1)}


def test_when_a_phone_says_it_met_someone_is_kept_within_reason(client, user):
    """A clock a little ahead does not make a meeting in the future, a form kept for an event moved to a later day
    since does not make one before its first day, and a clock years off says nothing: it was sent now."""
    london = ZoneInfo("Europe/London")
    first_day = today()
    planned = client.post("/events/new", data={"name": "PyData London", "kind": "meetup", "goal": "3",
                                               "starts_on": first_day.isoformat()})
    event_id = int(planned.headers["Location"].rstrip("/").split("/")[-1])
    now = datetime.datetime.now(datetime.UTC)
    said = {"ahead": now + datetime.timedelta(hours=3), "before": now - datetime.timedelta(days=3),
            "years off": datetime.datetime(2001, 1, 1, 12, tzinfo=datetime.UTC)}
    stored = {}
    for name, met in said.items():
        response = client.post("/sync/meetings", json=entry(event_id, name=name, met_at=met.isoformat(),
                                                            linkedin_url="", email="", follow_up=False))
        assert response.status_code == 201, response.json
        with db.database().connection_context():
            stored[name] = Conversation.get(Conversation.uuid == uuid.UUID(response.json["uuid"])).created_at
    sent_by = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    assert now.replace(tzinfo=None) <= stored["ahead"] <= sent_by
    assert stored["before"] == datetime.datetime.combine(first_day, datetime.time.min, london).astimezone(
        datetime.UTC).replace(tzinfo=None)
    assert now.replace(tzinfo=None) <= stored["years off"] <= sent_by
