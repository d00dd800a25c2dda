"""A LinkedIn profile in any script is kept wherever it comes in: the profile, the log form, a scanned card, the
phone's sync, an import, a restored backup. Its address writes each letter percent-encoded (six characters for
Cyrillic, nine for Chinese, twelve beyond), so a real one can be over a thousand characters long."""

import io
import json
import uuid
from urllib.parse import quote

from peewee import DataError
from steps import add_event

from webapp import db
from webapp.models import Person, User

PREFIX = "https://www.linkedin.com/in/"
# 45 letters in Cyrillic: 279 characters once encoded.
CYRILLIC = PREFIX + "александра-константинопольская-шереметьева-12345678"
# LinkedIn's longest handle, 100 characters, in a script written with four bytes each: the longest address.
LONGEST = PREFIX + "𠀀" * 100
TOO_LONG = PREFIX + "𠀀" * 101


def canonical(address):
    return PREFIX + quote(address.removeprefix(PREFIX))


def saved_people():
    with db.database().connection_context():
        return {p.name: p.linkedin_url for p in Person.select()}


def test_a_profile_in_cyrillic_or_at_linkedins_longest_is_kept_on_the_card(client, user):
    for address in (CYRILLIC, LONGEST):
        response = client.post("/profile", data={"display_name": "T", "timezone": "Europe/Berlin",
                                                 "linkedin_url": address})
        assert response.status_code == 302, response.get_data(as_text=True)
        with db.database().connection_context():
            assert User.get().linkedin_url == canonical(address)
    card = client.get("/card").get_data(as_text=True)
    assert "linkedin.com/in/" + "𠀀" * 100 in card
    # One character more is not a LinkedIn profile: said so, as for any other address that is not one.
    response = client.post("/profile", data={"display_name": "T", "timezone": "UTC", "linkedin_url": TOO_LONG})
    assert response.status_code == 200
    assert "longer than any LinkedIn gives" in response.get_data(as_text=True)


def test_a_profile_pasted_from_the_address_bar_encoded_and_with_share_parameters_is_taken(client, user):
    pasted = canonical(PREFIX + "张伟" * 50) + "/?utm_source=share&utm_campaign=share_via&utm_content=profile"
    assert len(pasted) > 900
    page = client.get("/profile").get_data(as_text=True)
    assert 'maxlength="500"' not in page  # the browser would cut the paste short
    response = client.post("/profile", data={"display_name": "T", "timezone": "UTC", "linkedin_url": pasted})
    assert response.status_code == 302, response.get_data(as_text=True)
    with db.database().connection_context():
        assert User.get().linkedin_url == canonical(PREFIX + "张伟" * 50)


def test_someone_met_with_a_long_profile_is_kept_from_the_log_form_a_scan_and_their_page(client, user):
    assert client.post("/met", data={"name": "Alexandra", "linkedin_url": CYRILLIC}).status_code == 302
    card = f"BEGIN:VCARD\nVERSION:3.0\nFN:Alex\nURL:{LONGEST}\nEND:VCARD"
    assert client.post("/met", data={"name": "Alex", "scanned_text": card}).status_code == 302
    assert client.post("/met", data={"name": "Li"}).status_code == 302
    with db.database().connection_context():
        li = Person.get(Person.name == "Li").id
    chinese = PREFIX + "李" * 100
    assert client.post(f"/people/{li}/edit", data={"name": "Li", "linkedin_url": chinese}).status_code == 302
    assert saved_people() == {"Alexandra": canonical(CYRILLIC), "Alex": canonical(LONGEST), "Li": canonical(chinese)}


def test_an_offline_entry_with_a_long_profile_syncs_and_one_too_long_gets_a_message_the_phone_shows(client, user):
    event_id = int(add_event(client).rstrip("/").split("/")[-1])
    sent = client.post("/sync/meetings", json={"uuid": str(uuid.uuid4()), "event_id": event_id,
                                               "name": "Alexandra", "linkedin_url": CYRILLIC})
    assert sent.status_code == 201, sent.get_data(as_text=True)
    refused = client.post("/sync/meetings", json={"uuid": str(uuid.uuid4()), "event_id": event_id,
                                                  "name": "Nobody", "linkedin_url": TOO_LONG})
    # A 4xx, which the phone shows with the entry and does not send again, as it does a 5xx.
    assert refused.status_code == 400 and refused.is_json
    assert "longer than any LinkedIn gives" in refused.json["fields"]["linkedin_url"][0]
    assert saved_people() == {"Alexandra": canonical(CYRILLIC)}


def test_a_connection_with_a_long_profile_is_imported_with_all_of_it(client, user):
    data = ("First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
            f"Александра,Шереметьева,{canonical(CYRILLIC)},,,,02 Jan 2024\r\n"
            f"Wei,Zhang,{canonical(LONGEST)},,,,03 Jan 2024\r\n").encode()
    page = client.post("/import/connections", data={"file": (io.BytesIO(data), "Connections.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)
    token = page.split('name="token" type="hidden" value="')[1].split('"')[0]
    assert client.post("/import/people/add", data={"token": token, "others": ["0", "1"]}).status_code == 302
    assert saved_people() == {"Александра Шереметьева": canonical(CYRILLIC), "Wei Zhang": canonical(LONGEST)}


def test_a_backup_with_long_profiles_is_restored_on_either_database(client, auth):
    """A backup made where the database kept them (SQLite) restores on PostgreSQL too."""
    auth.signup()
    client.post("/met", data={"name": "Alexandra"})
    document = json.loads(client.get("/export/backup.json").get_data(as_text=True))
    document["profile"]["linkedin_url"] = canonical(LONGEST)
    document["people"][0]["linkedin_url"] = canonical(CYRILLIC)
    auth.logout()
    auth.signup(email="new@example.com")
    response = client.post("/import/backup", data={"file": (io.BytesIO(json.dumps(document).encode()), "b.json")},
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    with db.database().connection_context():
        assert User.get(User.email == "new@example.com").linkedin_url == canonical(LONGEST)
        assert Person.select().join(User).where(User.email == "new@example.com").get().linkedin_url == canonical(
            CYRILLIC)


def test_an_entry_the_database_refuses_is_refused_in_words_the_phone_shows_not_sent_for_ever(app, client, user,
                                                                                            monkeypatch):
    def refused_by_the_database(*args, **kwargs):
        raise DataError("value too long for type character varying(200)")

    event_id = int(add_event(client).rstrip("/").split("/")[-1])
    monkeypatch.setattr("webapp.offline.store_meeting", refused_by_the_database)
    response = client.post("/sync/meetings", json={"uuid": str(uuid.uuid4()), "event_id": event_id,
                                                   "name": "Alexandra"})
    # The phone sends again what gets a 5xx; a 4xx it shows with the entry as not saved, with the reason.
    assert response.status_code == 400 and response.is_json
    assert response.json["reason"] == "unstorable" and "cannot store" in response.json["error"]
