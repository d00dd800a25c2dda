"""A full backup of an account as one JSON file, and restoring it into an empty account, losing nothing."""

import datetime
import html
import io
import json
import re
import uuid

import pytest
from conftest import PASSWORD, csrf_token, make_app, signed_up_with_csrf
from steps import account, fill
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from webapp import db, models
from webapp.exports.backup import KEPT_BY_THE_DATABASE, NOT_IN_PROFILE, PARTS, row_fields
from webapp.models import Conversation, Event, Person, User


def download(client):
    response = client.get("/export/backup.json")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/json"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="Hallway backup ')
    document = json.loads(response.get_data(as_text=True))
    del document["exported_at"]
    return document


def upload(client, data, filename="backup.json"):
    if not isinstance(data, bytes):
        data = json.dumps(data, ensure_ascii=False).encode()
    return client.post("/import/backup", data={"file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def counts():
    with db.database().connection_context():
        return Event.select().count(), Person.select().count(), Conversation.select().count()


def without_uuids(document):
    return {**document, **{part: [{k: v for k, v in row.items() if k != "uuid"} for row in document[part]]
                           for part in ("conversations", "attachments")}}


def test_a_restored_backup_backs_up_to_the_same_document(any_database_url, tmp_path):
    """Backed up, restored into a fresh account, backed up again: nothing lost, on SQLite and PostgreSQL."""
    app = make_app(any_database_url)
    app.instance_path = str(tmp_path)
    try:
        client = app.test_client()
        client.post("/signup", data={"email": "ada@example.com", "password": PASSWORD, "timezone": "UTC"})
        fill(account().id)
        original = download(client)
        assert len(original["people"]) == 4 and len(original["follow_ups"]) == 3

        # Side by side with the original on the same server: the conversations get uuids of their own.
        client.post("/logout")
        client.post("/signup", data={"email": "copy@example.com", "password": PASSWORD, "timezone": "UTC"})
        response = upload(client, original)
        assert response.status_code == 302, response.get_data(as_text=True)
        copy = download(client)
        assert without_uuids(copy) == without_uuids(original)
        uuids = {c["uuid"] for c in original["conversations"]}
        assert uuids.isdisjoint(c["uuid"] for c in copy["conversations"])

        # The original account gone (a new server, say): everything comes back identical, uuids too.
        with db.database().connection_context(), db.write():
            User.delete().where(User.email == "ada@example.com").execute()
        client.post("/logout")
        client.post("/signup", data={"email": "moved@example.com", "password": PASSWORD, "timezone": "UTC"})
        assert upload(client, original).status_code == 302
        assert download(client) == original
        # Restored rows are searchable on the People page like any others.
        assert "Zoë Ægirsdóttir" in client.get("/people?q=Kafka").get_data(as_text=True)
        assert "Zoë Ægirsdóttir" not in client.get("/people?q=Haskell").get_data(as_text=True)
        assert "Zoë Ægirsdóttir" in client.get("/people?q=Kafkq").get_data(as_text=True)  # a typo, forgiven too
    finally:
        db.database().close()


def test_every_field_of_every_model_is_in_the_backup(client, user):
    fill(account().id)
    document = download(client)
    profile_fields = {f.name for f in User._meta.sorted_fields} - NOT_IN_PROFILE
    assert set(document["profile"]) == profile_fields
    for key, model in PARTS:
        expected = {f.name for f in row_fields(model)}
        # All but what the database works out from the rest (when each person was last met).
        assert expected >= {f.name for f in model._meta.sorted_fields} - {"owner"} - {
            name for kept_model, name in KEPT_BY_THE_DATABASE if kept_model is model}
        assert document[key] and all(set(row) == expected for row in document[key]), key


def test_every_kind_of_thing_an_account_holds_has_its_part_in_the_backup():
    """A model added later without a place in the backup fails here instead of being silently left out."""
    # A deleted person's undo copy lives for minutes only: nothing to back up.
    assert {model for _, model in PARTS} == set(models.ALL) - {User, models.Deletion}


def test_the_backup_has_no_email_or_password_and_the_restore_keeps_the_login(client, auth):
    auth.signup()
    fill(account().id)
    document = download(client)
    text = json.dumps(document)
    assert "ada@example.com" not in text and "pbkdf2" not in text
    auth.logout()
    auth.signup(email="new@example.com")
    assert upload(client, document).status_code == 302
    auth.logout()
    assert auth.login(email="new@example.com").status_code == 302
    assert "Ada Lovelace ✨" in client.get("/profile").get_data(as_text=True)
    assert "東京 Rust 勉強会" in client.get("/").get_data(as_text=True)


def test_a_restore_leaves_the_account_its_own_key_so_what_waits_on_the_phone_is_still_sent(client, auth):
    """The phone keeps what it logged with no signal under the account's key (its id and when it was made): a
    backup restored meanwhile, from an account made on another day, must not change it."""
    auth.signup()
    fill(account().id)
    document = download(client)
    document["profile"]["created_at"] = "2019-05-04T10:00:00"  # as the backups of earlier releases carried it
    auth.logout()
    auth.signup(email="new@example.com")
    key = client.get("/sync/session").get_json()["account"]
    assert upload(client, document).status_code == 302
    assert client.get("/sync/session").get_json()["account"] == key
    answer = client.post("/sync/meetings", json={
        "uuid": str(uuid.uuid4()), "name": "Met with no signal", "quick_day": datetime.date.today().isoformat(),
        "account": key, "met_at": datetime.datetime.now(datetime.UTC).isoformat()})
    assert answer.status_code == 201, answer.get_data(as_text=True)


def test_a_restore_says_what_came_back(client, auth):
    auth.signup()
    fill(account().id)
    document = download(client)
    auth.logout()
    auth.signup(email="new@example.com")
    page = client.get(upload(client, document).headers["Location"]).get_data(as_text=True)
    assert "Backup restored: 2 events and 4 people." in page


def test_a_backup_is_refused_by_an_account_that_is_not_empty(client, auth):
    auth.signup()
    fill(account().id)
    document = download(client)
    before = counts()
    page = client.get("/import/backup").get_data(as_text=True)
    assert "can only be restored into an empty account" in page
    response = upload(client, document)
    assert response.status_code == 200
    assert "can only be restored into an empty account" in response.get_data(as_text=True)
    assert counts() == before


def valid_document(client, auth):
    auth.signup()
    fill(account().id)
    document = download(client)
    auth.logout()
    auth.signup(email="new@example.com")
    return document


def spoil(document, part, index, **changes):
    document = json.loads(json.dumps(document))
    document[part][index].update(changes)
    return document


def nested(depth):
    return ("[" * depth + "]" * depth).encode()


BAD_FILES = {
    "not json": (b"name,company\nAda,Acme\n", "not valid JSON"),
    "not utf-8": ("{\"format\": \"hallway-backup\", \"x\": \"caf\xe9\"}".encode("latin-1"), "not text"),
    "a list": (b"[]", "not a Hallway backup"),
    "another format": (b'{"format": "something-else", "version": 1}', "not a Hallway backup"),
    "a newer version": (b'{"format": "hallway-backup", "version": 3}', "newer version of Hallway"),
    "no version": (b'{"format": "hallway-backup", "version": "1"}', "no readable version"),
    "deep nesting": (nested(100_000), "nested too deeply"),
    "NaN": (b'{"format": "hallway-backup", "version": 1, "x": NaN}', "not valid JSON"),
    "a 5000-digit number": (b'{"format": "hallway-backup", "version": 1' + b"0" * 5000 + b"}",
                            "not valid JSON"),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_a_file_that_is_not_a_backup_gets_a_clear_message(client, user, name):
    data, message = BAD_FILES[name]
    response = upload(client, data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert counts() == (0, 0, 0)


SPOILED = {
    "a missing part": (
        lambda d: {k: v for k, v in d.items() if k != "people"}, "“people” is missing"),
    "a part that is not a list": (
        lambda d: {**d, "events": {}}, "“events” is not a list"),
    "a row that is not an object": (
        lambda d: {**d, "people": [*d["people"], "Ada"]}, "person 5 is not an object."),
    "a missing required field": (
        lambda d: {**d, "events": [{k: v for k, v in e.items() if k != "name"} for e in d["events"]]},
        "the name of event 1 is missing."),
    "text where a number goes": (
        lambda d: spoil(d, "events", 1, goal="three"), "the goal of event 2 should be a whole number."),
    "true where a number goes": (
        lambda d: spoil(d, "events", 1, goal=True), "the goal of event 2 should be a whole number."),
    "a number where text goes": (
        lambda d: spoil(d, "people", 0, name=42), "the name of person 1 should be text."),
    "an impossible date": (
        lambda d: spoil(d, "events", 0, starts_on="2026-02-30"), "the first day of event 1 should be a date."),
    "an empty required date": (
        lambda d: spoil(d, "events", 0, starts_on=None), "the first day of event 1 is empty."),
    "text that is too long": (
        lambda d: spoil(d, "people", 0, name="x" * 121), "longer than 120 characters"),
    "a bad uuid": (
        lambda d: spoil(d, "conversations", 0, uuid="not-a-uuid"), "the id of meeting 1 should be an id."),
    "a link to nothing": (
        lambda d: spoil(d, "conversations", 0, person=99), "points at a row that is not there"),
    "a negative id": (
        lambda d: spoil(d, "people", 0, id=-1), "should be a row number"),
    "two rows with one id": (
        lambda d: spoil(d, "people", 1, id=1), "two of the people have the same id"),
    "an unknown field": (
        lambda d: spoil(d, "people", 0, password="x"), "fields Hallway does not know: password"),
    "a profile that is not an object": (
        lambda d: {**d, "profile": []}, "your profile is not an object."),
    # What the forms refuse: once in, it would show wrong, or block the next edit of the row.
    "an event that ends before it starts": (
        lambda d: spoil(d, "events", 0, starts_on="2026-11-27", ends_on="2000-01-01"), "ends before it starts"),
    "an email that is not one": (
        lambda d: spoil(d, "people", 0, email="not an email"), "the email of person 1 is not an email address."),
    "a tag holding a comma": (
        lambda d: spoil(d, "tags", 0, name="c++, rust"), "A tag cannot hold a comma or a semicolon."),
}


@pytest.mark.parametrize("name", SPOILED)
def test_a_damaged_backup_is_refused_with_a_clear_message_and_nothing_restored(client, auth, name):
    change, message = SPOILED[name]
    response = upload(client, change(valid_document(client, auth)))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert client.get("/export/backup.json").get_json()["events"] == []


SAID_PLAINLY = {
    "a due date too far out": (
        lambda d: spoil(d, "follow_ups", 0, due_on="9999-12-31"),
        "In this backup, the due date of follow-up 1: pick a date between 1900 and 2999."),
    "a LinkedIn profile that is not one": (
        lambda d: spoil(d, "people", 0, linkedin_url="javascript:alert(1)"),
        "In this backup, the LinkedIn profile of person 1: paste their LinkedIn profile address, like "
        "linkedin.com/in/their-name."),
    "a LinkedIn company page": (
        lambda d: spoil(d, "people", 1, linkedin_url="https://www.linkedin.com/company/acme/"),
        "In this backup, the LinkedIn profile of person 2: that is a LinkedIn page, not a person"),
    "an event page that is no web address": (
        lambda d: spoil(d, "events", 1, link="javascript:alert(1)"),
        "In this backup, the link of event 2: enter a web address such as https://www.meetup.com/…<"),
    "a meeting with someone not in the backup": (
        lambda d: spoil(d, "conversations", 2, person=99),
        "In this backup, the person of meeting 3 points at a row that is not there."),
    "an empty first day": (
        lambda d: spoil(d, "events", 0, starts_on=None), "In this backup, the first day of event 1 is empty."),
    "a profile in an unknown time zone": (
        lambda d: {**d, "profile": {**d["profile"], "timezone": "Mars/Olympus"}},
        "In this backup, your time zone is not a time zone."),
}


@pytest.mark.parametrize("name", SAID_PLAINLY)
def test_what_is_wrong_in_a_backup_is_said_in_one_plain_sentence_naming_the_row_and_the_field(client, auth, name):
    change, message = SAID_PLAINLY[name]
    page = html.unescape(upload(client, change(valid_document(client, auth))).get_data(as_text=True))
    assert message in page
    assert ".." not in page.split("In this backup", 1)[1].split("<", 1)[0]


def test_a_backup_that_contradicts_itself_restores_nothing_at_all(client, auth):
    """Valid row by row, but the same person twice at one event: the database refuses, and the
    transaction takes back every row already written."""
    document = valid_document(client, auth)
    document["conversations"].append({**document["conversations"][1], "id": 99,
                                       "uuid": "4b8f3a52-9d4e-4c1b-8f0a-2e7d6c5b4a39"})
    response = upload(client, document)
    assert response.status_code == 200
    assert "contradict each other" in response.get_data(as_text=True)
    backup = client.get("/export/backup.json").get_json()
    assert all(backup[key] == [] for key, _ in PARTS)
    assert backup["profile"]["display_name"] == "Ada Lovelace"


def test_a_backup_with_two_follow_ups_to_do_for_one_person_brings_in_one_with_both_reasons(client, auth):
    # Made by a release that allowed a person two follow-ups to do: the restore keeps one, as the app now does.
    document = valid_document(client, auth)
    (first, *_) = [f for f in document["follow_ups"] if not f["done_on"] and not f["dropped_on"]]
    sooner = {**first, "id": 99, "reason": "Intro to Sam", "due_on": "2026-01-02"}
    done = {**first, "id": 100, "reason": "Said thanks", "done_on": "2026-01-03"}
    document["follow_ups"] += [sooner, done]
    assert upload(client, document).status_code == 302
    with db.database().connection_context():
        name = next(p["name"] for p in document["people"] if p["id"] == first["person"])
        person = Person.get(Person.name == name, Person.owner == User.get(User.email == "new@example.com"))
        follow_ups = models.FollowUp.select().where(models.FollowUp.person == person).order_by(models.FollowUp.id)
        assert sorted((f.reason, f.is_open) for f in follow_ups) == [
            ("Intro to Sam; " + first["reason"], True), ("Said thanks", False)]


def test_only_json_files_are_taken_for_a_restore(client, user):
    response = upload(client, b"{}", filename="backup.txt")
    assert "ending in .json" in response.get_data(as_text=True)
    response = client.post("/import/backup", data={}, content_type="multipart/form-data")
    assert "Choose the backup file" in response.get_data(as_text=True)


def big_upload(client, size, filename="backup.json"):
    # Encoded in memory: the test client's own temporary file for big bodies is never closed on a 413.
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(b"[" + b" " * size + b"]"), filename)})
    return client.post("/import/backup", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def test_a_backup_may_be_bigger_than_other_uploads(client, user):
    response = big_upload(client, 6 * 1024 * 1024)
    assert response.status_code == 200
    assert "not a Hallway backup" in response.get_data(as_text=True)


def test_a_backup_over_its_size_limit_is_a_clean_413(database_url, tmp_path):
    app = make_app(database_url, BACKUP_MAX_BYTES=1024 * 1024)
    app.instance_path = str(tmp_path)
    try:
        client = app.test_client()
        client.post("/signup", data={"email": "ada@example.com", "password": PASSWORD, "timezone": "UTC"})
        response = big_upload(client, 2 * 1024 * 1024)
        assert response.status_code == 413
        assert "This file is over the 1 MB a backup may have." in response.get_data(as_text=True)
        assert counts() == (0, 0, 0)
    finally:
        db.database().close()


def test_a_restore_needs_its_csrf_token(database_url, tmp_path):
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    app.instance_path = str(tmp_path)
    try:
        client = signed_up_with_csrf(app)
        document = {"format": "hallway-backup", "version": 1, "profile": {}, **{k: [] for k, _ in PARTS}}
        document["events"] = [{"id": 1, "name": "Sneaky", "starts_on": "2026-01-01"}]
        response = upload(client, document)
        assert response.status_code == 400 and "This form has expired" in response.get_data(as_text=True)
        page = client.get("/import/backup").get_data(as_text=True)
        response = client.post("/import/backup", data={"csrf_token": csrf_token(page), "file": (
            io.BytesIO(json.dumps(document).encode()), "b.json")}, content_type="multipart/form-data")
        assert response.status_code == 302, re.findall(r'class="error".*', response.get_data(as_text=True))
        assert counts()[0] == 1
        # The bigger limit for backups holds before the CSRF check reads the body.
        boundary, body = encode_multipart({"csrf_token": csrf_token(page), "file": FileStorage(
            io.BytesIO(b"[" + b" " * (6 * 1024 * 1024) + b"]"), "big.json")})
        response = client.post("/import/backup", data=body,
                               content_type=f"multipart/form-data; boundary={boundary}")
        assert response.status_code == 200 and "not a Hallway backup" in response.get_data(as_text=True)
    finally:
        db.database().close()


def backup_of_people(count):
    """A backup of `count` people, each met at an event and tagged."""
    return {"format": "hallway-backup", "version": 1, "profile": {},
            "events": [{"id": 1, "name": "PyData", "starts_on": "2026-12-03"}],
            "people": [{"id": i, "name": f"Person {i}", "company": f"Company {i % 7}"} for i in range(1, count + 1)],
            "tags": [{"id": 1, "name": "python"}, {"id": 2, "name": "rust"}],
            "person_tags": [{"id": i, "person": i, "tag": 1 + i % 2} for i in range(1, count + 1)],
            "conversations": [{"id": i, "person": i, "event": 1, "notes": f"talked about topic{i}"}
                              for i in range(1, count + 1)],
            "follow_ups": [], "outcomes": []}


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_a_big_backup_is_indexed_for_search_in_a_few_statements_whatever_its_number_of_people(client, auth):
    """Each statement that writes PostgreSQL's search index counts its words for typos, a few milliseconds each:
    two a person took a backup of 20,000 people two minutes, past a worker's 30 s. Counted in the server, which a
    timer of the app's CPU does not see."""
    from webapp.imports.restore import read_backup, restore

    auth.signup()
    document = read_backup(json.dumps(backup_of_people(200)).encode())
    database = db.database()
    with database.connection_context(), db.write():
        database.execute_sql("SET LOCAL track_functions = 'all'")
        restore(account(), document)
        counted = database.execute_sql("SELECT coalesce(sum(calls), 0) FROM pg_stat_xact_user_functions "
                                       "WHERE funcname = 'person_search_count_words'").fetchone()[0]
    assert counted <= 2
    for typed in ("topic117", "tpoic117"):  # found, and by its words for typos
        page = client.get("/people", query_string={"q": typed}).get_data(as_text=True)
        assert "Person 117" in re.findall(r'<span class="person-name">([^<]*)</span>', page)
