"""Inputs that once reached a 500 get the form's message or a 4xx, and a restored backup obeys the
same rules as the forms."""

import datetime
import io
import json
import uuid

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from webapp import db
from webapp.models import Event, Person, User

TWIN_TAGS = "İ" * 39 + "A, " + "İ" * 39 + "B"
BAD_LINKS = ["https://[", "http://[::1", "https://exa\x01mple.com", "https://ex\u200bample.com/",
             "https://ｅｘａｍｐｌｅ．ｃｏｍ/", "http://example.com:99999/", "https://example.com:port/",
             "javascript:alert(1)", "https://.example.com"]


def new_event(client, **fields):
    data = {"name": "PyData", "starts_on": datetime.date.today().isoformat(), "kind": "meetup", "goal": "3"}
    response = client.post("/events/new", data={**data, **fields})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def event_id_of(url):
    return int(url.rstrip("/").rsplit("/", 1)[1])


def page(response):
    return response.get_data(as_text=True)


def test_an_event_in_the_year_9999_gets_a_message(client, user):
    response = client.post("/events/new", data={"name": "Far", "starts_on": "9999-12-31", "kind": "meetup",
                                                 "goal": "3"})
    assert response.status_code == 200 and "Pick a date between 1900 and 2999" in page(response)


def test_a_follow_up_at_an_event_on_the_last_possible_day_is_not_a_crash(client, user):
    url = new_event(client)
    with db.database().connection_context():  # kept from before dates were checked
        Event.update(starts_on=datetime.date(9999, 12, 31)).execute()
    response = client.post(url + "/people/new", data={"name": "Grace", "follow_up": "y",
                                                      "follow_up_reason": "Send the CDC article"})
    assert response.status_code == 302
    assert client.get("/follow-ups/").status_code == 200


@pytest.mark.parametrize("number", [2**31, 2**63, 2**64, -1, 0])
def test_an_event_id_too_big_for_a_row_is_refused_in_sync_and_urls(client, user, number):
    new_event(client)
    body = {"uuid": str(uuid.uuid4()), "event_id": number, "name": "Grace"}
    response = client.post("/sync/meetings", json=body)
    assert response.status_code == 400 and "event_id" in response.get_json()["fields"]
    assert client.post("/sync/meetings", json={**body, "event_id": 1, "account": number}).status_code in (400, 403)
    for path in (f"/events/{number}", f"/people/{number}", f"/events/{number}/people/new"):
        assert client.get(path).status_code == 404, path


def test_two_tags_that_lower_case_to_the_same_forty_characters_get_a_message(client, user):
    url = new_event(client)
    response = client.post(url + "/people/new", data={"name": "Grace", "tags": TWIN_TAGS})
    assert response.status_code == 200 and "Keep each tag under 40 characters." in page(response)
    response = client.post("/sync/meetings", json={"uuid": str(uuid.uuid4()), "event_id": event_id_of(url),
                                                   "name": "Grace", "tags": TWIN_TAGS})
    assert response.status_code == 400 and "tags" in response.get_json()["fields"]
    # Written some other way, the two are one tag, not a broken unique index.
    with db.database().connection_context(), db.write():
        person = Person.create(owner=User.get().id, name="Ada")
        person.set_tags(["İ" * 39 + "A", "İ" * 39 + "B"])
        assert len(person.tag_names()) == 1


@pytest.mark.parametrize("link", BAD_LINKS)
def test_a_malformed_link_gets_the_forms_message(client, user, link):
    response = client.post("/events/new", data={"name": "PyData", "starts_on": "2026-12-03", "kind": "meetup",
                                                 "goal": "3", "link": link})
    assert response.status_code == 200 and "Enter a web address" in page(response)
    response = client.post("/profile", data={"display_name": "Ada", "timezone": "UTC", "linkedin_url": link})
    assert response.status_code == 200 and 'id="linkedin_url-error"' in page(response)
    url = new_event(client)
    response = client.post(url + "/people/new", data={"name": "Grace", "linkedin_url": link})
    assert response.status_code == 200 and 'id="linkedin_url-error"' in page(response)
    response = client.post("/sync/meetings", json={"uuid": str(uuid.uuid4()), "event_id": event_id_of(url),
                                                   "name": "Grace", "linkedin_url": link})
    assert response.status_code == 400


@pytest.mark.parametrize("target", ["https://[", "/\x00", "/x\r\nLocation: https://evil.example", "//evil.example",
                                    "/\\evil", "http://[::1", "/ok\u202e"])
def test_a_malformed_next_goes_home(client, auth, target):
    auth.signup()
    auth.logout()
    response = client.post("/login", data={"email": "ada@example.com", "password": "correct horse battery",
                                           "next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/login", query_string={"next": target}).status_code == 302  # logged in: home


@pytest.mark.parametrize("field", ["name", "description", "company", "role", "notes", "follow_up_reason",
                                   "linkedin_url", "email", "tags", "uuid"])
def test_a_lone_surrogate_in_any_json_field_is_a_400(client, user, field):
    url = new_event(client)
    body = {"uuid": str(uuid.uuid4()), "event_id": event_id_of(url), "name": "Grace", "follow_up": True,
            "follow_up_reason": "Say hi"}
    raw = json.dumps({**body, field: "broken \ud800 text"})
    response = client.post("/sync/meetings", data=raw, content_type="application/json")
    assert response.status_code == 400, page(response)
    with db.database().connection_context():
        assert Person.select().count() == 0


def ics(zone):
    return (f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nX-WR-TIMEZONE:{zone}\r\n"
            "BEGIN:VEVENT\r\nUID:one@test\r\nDTSTAMP:20261101T120000Z\r\nDTSTART:20261203T183000\r\n"
            "SUMMARY:PyData\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n").encode()


def upload_file(client, path, data, filename):
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(data), filename)})
    return client.post(path, data=body, content_type=f"multipart/form-data; boundary={boundary}")


@pytest.mark.parametrize("zone", ["America", "Etc", "America/", "/", "..", "Europe/../Europe/Paris"])
def test_a_calendar_naming_a_folder_of_zones_is_read_without_a_zone(client, user, zone):
    response = upload_file(client, "/import/calendar", ics(zone), "events.ics")
    assert response.status_code == 200 and "PyData" in page(response)
    assert "America" not in page(response).split("PyData", 1)[1][:300]


# --- A backup obeys the forms' rules --------------------------------------------------------------

def backup_with(event=None, person=None, profile=None, tags=()):
    document = {"format": "hallway-backup", "version": 1, "profile": profile or {},
                "events": [{"id": 1, "name": "PyData", "starts_on": "2026-12-03", **(event or {})}],
                "people": [{"id": 1, "name": "Grace", **(person or {})}],
                "tags": [{"id": i, "name": name} for i, name in enumerate(tags, start=1)],
                "person_tags": [], "conversations": [], "follow_ups": [], "outcomes": []}
    return json.dumps(document).encode()  # ASCII with \u escapes: a lone surrogate travels as in a real file


@pytest.mark.parametrize("document, says", [
    (backup_with(event={"link": "javascript:alert(1)"}), "the link of event 1: enter a web address"),
    (backup_with(event={"link": "https://["}), "the link of event 1: enter a web address"),
    (backup_with(event={"timezone": "America"}), "the time zone of event 1 is not a time zone."),
    (backup_with(profile={"timezone": "America"}), "your time zone is not a time zone."),
    (backup_with(profile={"linkedin_url": "javascript:alert(1)"}),
     "your LinkedIn profile: paste your LinkedIn profile address"),
    (backup_with(person={"linkedin_url": "https://evil.example/in/x"}),
     "the LinkedIn profile of person 1: that is not a LinkedIn address."),
    (backup_with(event={"description": "x" * 5001}), "longer than 5000 characters"),
    (backup_with(event={"starts_on": "9999-12-31"}), "between 1900 and 2999"),
    (backup_with(event={"goal": 10**6}), "the goal of event 1 should be from 1 to 50."),
    (backup_with(event={"kind": "<script>"}), "the kind of event 1 is not a kind Hallway knows."),
    (backup_with(event={"name": "\ud800"}), "broken character"),
    (backup_with(person={"name": "", "description": ""}), "nothing to recognise them by"),
    (backup_with(tags=["İ" * 39 + "A", "İ" * 39 + "B"]), "under 40 characters"),
    (backup_with(tags=["Python", "python"]), "same name"),
], ids=["javascript-link", "broken-link", "zone-folder", "profile-zone-folder", "profile-linkedin",
        "person-linkedin", "long-description", "year-9999", "goal", "kind", "surrogate", "nameless", "twin-tags",
        "same-tag"])
def test_a_backup_is_held_to_the_same_rules_as_the_forms(client, user, document, says):
    response = upload_file(client, "/import/backup", document, "backup.json")
    assert response.status_code == 200
    assert says in page(response), page(response)[-3000:]
    with db.database().connection_context():
        assert Event.select().count() == 0 and User.get().timezone == "Europe/London"
    assert client.get("/").status_code == 200


def test_a_nineteen_megabyte_description_is_refused(client, user):
    response = upload_file(client, "/import/backup", backup_with(event={"description": "x" * 19 * 2**20}),
                           "backup.json")
    assert response.status_code == 200 and "longer than 5000 characters" in page(response)


def test_a_valid_backup_still_restores_with_links_made_tappable(client, user):
    response = upload_file(client, "/import/backup", backup_with(event={"link": "meetup.com/pydata"},
                                                                 tags=["Python"]), "backup.json")
    assert response.status_code == 302
    with db.database().connection_context():
        assert Event.get().link == "https://meetup.com/pydata"
