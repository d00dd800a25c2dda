"""Contact cards from QR codes: the phone's reader (static/js/contact-card.js, run by node) agrees with ZXing's own
parser on the cards of ZXing's, ez-vcard's and vobject's test suites, reads what Android and iPhone cards hold
(quoted-printable 2.1, grouped and social-profile properties), and the server fills what it missed with vobject."""

import json
import uuid

import pytest
from js_modules import ROOT, run_node

from webapp.imports.contact_cards import fill_from_card, read_card_text
from webapp.linkedin import NotAProfile, canonical_profile_url

CARDS = ROOT / "tests" / "data" / "contacts"
ZXING = json.loads((CARDS / "zxing-reads.json").read_text(encoding="utf-8"))["reads"]
READ_ALL = """
  const card = require(process.argv[1]);
  const texts = JSON.parse(require("fs").readFileSync(0, "utf8"));
  process.stdout.write(JSON.stringify(texts.map((text) => card.read(text))));
"""


def card_text(name):
    return (CARDS / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def phone_reads():
    names = sorted(ZXING)
    return dict(zip(names, run_node(READ_ALL, ROOT / "static/js/contact-card.js", [card_text(n) for n in names]),
                    strict=True))


def zxing_linkedin(urls):
    for url in urls:
        try:
            return canonical_profile_url(url)
        except NotAProfile:
            continue
    return ""


def same(a, b):
    return " ".join((a or "").split()) == " ".join((b or "").split())


def test_the_phone_agrees_with_zxings_parser_on_at_least_97_percent_of_the_fields(phone_reads):
    compared, differences = 0, []
    for name, zxing in ZXING.items():
        phone = phone_reads[name] or {}
        # ZXing joins an ORG's units with line breaks; Hallway's company is the organisation itself.
        expected = {"name": (zxing["names"] or [""])[0], "company": (zxing["org"] or "").split("\n")[0],
                    "role": zxing["title"], "email": (zxing["emails"] or [""])[0],
                    "phone": (zxing["phones"] or [""])[0], "linkedin": zxing_linkedin(zxing["urls"])}
        for field, value in expected.items():
            if value:
                compared += 1
                if not same(phone.get(field), value):
                    differences.append((name, field, value, phone.get(field)))
    assert len(ZXING) >= 50 and compared >= 150
    assert 1 - len(differences) / compared >= 0.97, differences
    print(f"\nContact cards: {compared - len(differences)} of {compared} fields as ZXing reads them")


@pytest.mark.parametrize("name, expected", [
    ("made/android-2.1-chinese.vcf", {"name": "刘伟", "company": "北京科技", "role": "工程师",
                                      "phone": "+86 138 0013 8000", "email": "liuwei@example.cn"}),
    ("made/android-2.1-soft-line-break.vcf", {
        "name": "Jörg Müller", "company": "Große Daten GmbH",
        "note": "Sprach über Streaming-Pipelines, Kafka und Flink, und wie man sie im Betrieb hält.",
        "linkedin": "https://www.linkedin.com/in/j%C3%B6rg-m%C3%BCller"}),
    ("ez-vcard/John_Doe_ANDROID-6.vcf", {"name": "ÑÑÑÑ", "company": "Ñ" * 44, "phone": "55556666"}),
    ("made/iphone-3.0-socialprofile.vcf", {"name": "Johnny Appleseed", "email": "johnny@orchard.example",
                                           "phone": "+1 (555) 010-2000",
                                           "linkedin": "https://www.linkedin.com/in/johnny-appleseed"}),
    ("made/grouped-url-label.vcf", {"linkedin": "https://www.linkedin.com/in/peter-ac",
                                    "urls": ["https://iampeac.example"]}),
    ("made/vcards-js-impp.vcf", {"linkedin": "https://www.linkedin.com/in/jdoe", "phone": "+44 7700 900123"}),
    ("made/vcard-4.0-japanese.vcf", {"name": "山田 太郎", "company": "株式会社サンプル", "role": "エンジニア",
                                     "phone": "+81-90-1234-5678", "note": "QRコードの名刺, 東京"}),
    ("made/mecard-japanese.txt", {"name": "太郎 山田", "company": "サンプル商事", "phone": "09012345678",
                                  "linkedin": "https://www.linkedin.com/in/taro-yamada-1a2b3c"}),
    ("made/mecard-escaped-colon.txt", {"name": "Ada Lovelace", "role": "Programmer",
                                       "linkedin": "https://www.linkedin.com/in/ada-lovelace"}),
    ("made/android-2.1-mwlite.vcf", {"linkedin": "https://www.linkedin.com/in/an-nguyen-12345", "role": "CTO"}),
])
def test_the_phone_reads_what_android_and_iphone_cards_hold(phone_reads, name, expected):
    phone = phone_reads[name]
    assert {k: phone[k] for k in expected} == expected


def test_text_that_is_not_a_contact_card_is_not_read_as_one():
    texts = ["https://example.com/BEGIN:VCARD", "Find me at the Postgres talk", "", "MECARDS are fun"]
    assert run_node(READ_ALL, ROOT / "static/js/contact-card.js", texts) == [None] * len(texts)


def test_the_server_reads_the_vcards_the_phone_reads(phone_reads):
    """vobject on the server and the phone's reader agree on what both can read."""
    compared = agreed = 0
    for name, phone in phone_reads.items():
        if not name.endswith(".vcf"):
            continue
        server = read_card_text(card_text(name))
        for field, phone_field in (("name", "name"), ("company", "company"), ("role", "role"), ("email", "email"),
                                   ("phone", "phone"), ("linkedin_url", "linkedin")):
            if server.get(field):
                compared += 1
                agreed += same(server[field], phone[phone_field])
    assert compared >= 100 and agreed / compared >= 0.97


def test_what_the_phone_missed_is_filled_from_the_scanned_card_and_what_was_typed_stays():
    details = {"name": "Liu Wei", "email": "", "scanned_text": card_text("made/android-2.1-chinese.vcf")}
    filled = fill_from_card(details)
    assert filled["name"] == "Liu Wei"  # typed on the phone: kept
    assert filled["email"] == "liuwei@example.cn" and filled["company"] == "北京科技"
    assert filled["phone"] == "+86 138 0013 8000"
    assert fill_from_card({"name": "x", "scanned_text": "BEGIN:VCARD\r\nN:;;\x00\r\n"})["name"] == "x"
    assert fill_from_card({"name": "x", "scanned_text": "just text"}) == {"name": "x", "scanned_text": "just text"}


def test_a_scanned_card_saved_from_the_log_form_keeps_its_text_and_fills_the_phone(client, user):
    import datetime

    from webapp import db
    from webapp.models import Person

    response = client.post("/events/new", data={"name": "QR night", "starts_on": datetime.date.today().isoformat(),
                                                "kind": "meetup", "goal": "3"})
    event_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    text = card_text("made/iphone-3.0-socialprofile.vcf")
    response = client.post(f"/events/{event_id}/people/new", data={"name": "Johnny Appleseed", "scanned_text": text})
    assert response.status_code == 302
    with db.database().connection_context():
        person = Person.get()
    assert person.scanned_text == text
    assert person.phone == "+1 (555) 010-2000"
    assert person.linkedin_url == "https://www.linkedin.com/in/johnny-appleseed"
    assert person.company == "Orchard Inc."


# The card of the scan where email, phone and company were emptied before saving.
SEAN_OWEN = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Sean Owen\r\nORG:Google\r\nTITLE:Engineer\r\n"
             "EMAIL:sean.private@example.org\r\nTEL:+12125551212\r\n"
             "URL:https://de.linkedin.com/in/j%C3%BCrgen-m%C3%BCller\r\nEND:VCARD\r\n")
EMPTIED = {"name": "Sean Owen", "email": "", "phone": "", "company": "", "role": "Engineer",
           "linkedin_url": "https://www.linkedin.com/in/j%C3%BCrgen-m%C3%BCller", "scanned_text": SEAN_OWEN}


def test_what_the_user_emptied_after_the_phone_filled_it_from_the_card_stays_empty():
    filled = fill_from_card({**EMPTIED, "scanned_filled": "name company role email phone linkedin_url"})
    assert (filled["email"], filled["phone"], filled["company"]) == ("", "", "")
    # Only what the phone's reader missed comes from the card.
    missed = fill_from_card({**EMPTIED, "scanned_filled": "name role linkedin_url email"})
    assert (missed["email"], missed["phone"], missed["company"]) == ("", "+12125551212", "Google")


@pytest.mark.parametrize("sent_from", ["log form", "phone's queue"])
def test_contact_details_removed_after_scanning_a_card_stay_removed_when_the_person_is_saved(client, user, sent_from):
    from steps import add_event

    from webapp import db
    from webapp.models import Person

    said = {**EMPTIED, "scanned_filled": "name company role email phone linkedin_url"}
    if sent_from == "log form":
        response = client.post("/met", data=said)
        assert response.status_code == 302, response.get_data(as_text=True)
    else:
        event_id = int(add_event(client).rstrip("/").split("/")[-1])
        response = client.post("/sync/meetings", json={**said, "uuid": str(uuid.uuid4()), "event_id": event_id})
        assert response.status_code == 201, response.get_json()
    with db.database().connection_context():
        person = Person.get()
    assert (person.name, person.role, person.scanned_text) == ("Sean Owen", "Engineer", SEAN_OWEN)
    assert (person.email, person.phone, person.company) == ("", "", "")
