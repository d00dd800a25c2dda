"""Importing LinkedIn's Connections.csv and a phone's .vcf contacts: people already in Hallway are matched and
filled in after a preview, others are added only when picked, the same file twice changes nothing, and files that
are not what they should be get a clear message."""

import base64
import codecs
import datetime
import html
import io
import re
from pathlib import Path

import pytest
import vobject
from steps import form_as_opened
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from webapp import db
from webapp.imports.contact_cards import CARD_FIELDS, read_card_text
from webapp.imports.people import ContactsError, read_connections, read_contacts, shows_someone
from webapp.models import Person, User

DATA = Path(__file__).parent / "data"
CONNECTIONS = (DATA / "linkedin-connections.csv").read_bytes()
# What LinkedIn's Connections.csv opens with: its notes, then the header.
PRE = ('Notes:\n"When exporting your connection data, you may notice that some of the email addresses are missing. '
       'You will only see email addresses for connections who have allowed their connections to see or download '
       'their email address using this setting https://www.linkedin.com/psettings/privacy/email. You can learn '
       'more here https://www.linkedin.com/help/linkedin/answer/261"\n\n'
       "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n")


def upload(client, path, data, filename):
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(data), filename)})
    return client.post(path, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def boxes(page, name):
    """(value, ticked) of each checkbox of one list on the preview page."""
    return [(int(v), bool(c)) for c, v in
            re.findall(rf'<input( checked)? id="{name}-\d+" name="{name}" type="checkbox" value="(\d+)"', page)]


def token(page):
    return re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)


def people():
    with db.database().connection_context():
        return {p.name: p for p in Person.select()}


def add_person(client, event="Meetup", **fields):
    response = client.post("/events/new", data={"name": event, "starts_on": datetime.date.today().isoformat(),
                                                "kind": "meetup", "goal": "3"})
    event_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    assert client.post(f"/events/{event_id}/people/new", data=fields).status_code == 302


def test_the_connections_file_is_read_past_its_notes_with_quoted_commas_and_non_latin_names():
    rows = list(read_connections(io.BytesIO(CONNECTIONS)))
    assert [r["name"] for r in rows] == ["Grace Hopper", "Ada Lovelace", "小龍 李", "Zoë Ægirsdóttir",
                                         "Linus Torvalds"]
    ada = rows[1]
    assert (ada["company"], ada["role"], ada["email"]) == ("Analytical Engines, Ltd.", "Programmer, first",
                                                          "ada@example.com")
    assert rows[2]["linkedin_url"] == "https://www.linkedin.com/in/%E6%9D%8E%E5%B0%8F%E9%BE%8D"
    assert rows[3]["role"] == 'Data engineer, "streaming"'
    assert rows[0]["connected_on"] == "2026-11-23" and rows[4]["connected_on"] == ""


# What each layout of Connections.csv (tests/data/linkedin, see its README) must give:
# (name, company, role, email, LinkedIn profile, connected on).
LAYOUTS = {
    "2021-no-notes-no-url.csv": [
        ("Katherine Johnson", "NASA Langley", "Research Mathematician", "katherine@example.org", "", "2021-05-14"),
        ("Dorothy Vaughan", "NASA Langley", "Supervisor, West Area Computing", "", "", "2020-02-02")],
    "2022-notes-no-url.csv": [  # the two rows of hidden profiles (a date and nothing else) name nobody
        ("Mary Jackson", "NASA Langley", "Aerospace Engineer", "", "", "2021-03-12"),
        ("Annie Easley, Ph.D.", "Lewis Research Center", "Rocket Scientist", "", "", "2022-08-15")],
    "2025-notes-url.csv": [
        ("Zoë Brandt", "Fabrikam", "Staff Engineer", "", "https://www.linkedin.com/in/zo%C3%AB-brandt", "2025-03-03"),
        ("Hedy Lamarr", "Frequency Hopping Inc.", "Inventor", "", "https://www.linkedin.com/in/hedy-lamarr",
         "2024-07-01")],
    "excel-us-resaved.csv": [
        ("Radia Perlman", "Spanning Trees LLC", "Engineer", "", "https://www.linkedin.com/in/radia-perlman",
         "2021-04-04"),
        ("Frances Allen", "IBM Research", "Fellow", "frances@example.org", "", "2021-04-23")],
    "excel-de-resaved.csv": [
        ("Margarete Müller", "SAP", "Entwicklerin", "", "https://www.linkedin.com/in/margarete-mueller",
         "2021-04-23"),
        ("Jürgen Groß", "Bosch; Stuttgart", "CTO", "jg@example.de", "", "2022-12-01")],
}


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_every_layout_of_the_connections_file_since_2020_is_read_and_so_is_one_saved_again_by_excel(name):
    rows = list(read_connections(io.BytesIO((DATA / "linkedin" / name).read_bytes())))
    assert [(r["name"], r["company"], r["role"], r["email"], r["linkedin_url"], r["connected_on"])
            for r in rows] == LAYOUTS[name]


def test_an_export_from_before_linkedin_added_profile_links_matches_people_by_name_and_company(client, user):
    add_person(client, name="Katherine Johnson", company="NASA Langley")
    page = upload(client, "/import/connections", (DATA / "linkedin" / "2021-no-notes-no-url.csv").read_bytes(),
                  "Connections.csv").get_data(as_text=True)
    assert "Katherine Johnson" in page and "Dorothy Vaughan" in page
    client.post("/import/people/add", data={"token": token(page), "matches": ["0"], "others": ["0"]})
    found = people()
    assert set(found) == {"Katherine Johnson", "Dorothy Vaughan"}
    assert found["Katherine Johnson"].email == "katherine@example.org"
    assert found["Katherine Johnson"].linkedin_connected_on == datetime.date(2021, 5, 14)


def test_people_already_met_are_matched_and_updated_after_the_preview(client, user):
    add_person(client, name="Grace Hopper", linkedin_url="linkedin.com/in/grace-hopper")
    add_person(client, name="Ada Lovelace", company="Analytical Engines, Ltd.")
    add_person(client, name="Someone Else")
    page = upload(client, "/import/connections", CONNECTIONS, "Connections.csv").get_data(as_text=True)
    assert "5 people in this file; 2 already in Hallway." in page
    assert "Same name and company: tick to confirm it is them" in page
    # The LinkedIn match is ticked; the name-and-company guess waits for the user; nobody else is ticked.
    assert boxes(page, "matches") == [(0, True), (1, False)]
    assert boxes(page, "others") == [(0, False), (1, False), (2, False)]
    assert people()["Grace Hopper"].connected_on_linkedin is False  # nothing changes before the user says so
    response = client.post("/import/people/add", data={"token": token(page), "matches": ["0", "1"]})
    assert response.status_code == 302
    found = people()
    assert set(found) == {"Grace Hopper", "Ada Lovelace", "Someone Else"}
    grace, ada = found["Grace Hopper"], found["Ada Lovelace"]
    assert grace.connected_on_linkedin and grace.linkedin_connected_on == datetime.date(2026, 11, 23)
    assert grace.role == "Rear Admiral" and grace.company == "US Navy"
    assert ada.linkedin_url == "https://www.linkedin.com/in/ada-lovelace-1815" and ada.email == "ada@example.com"
    assert ada.role == "Programmer, first"


def test_connections_not_met_are_added_only_when_picked_and_never_twice(client, user):
    page = upload(client, "/import/connections", CONNECTIONS, "Connections.csv").get_data(as_text=True)
    assert boxes(page, "matches") == []
    assert all(not ticked for _, ticked in boxes(page, "others"))
    names = re.findall(r'<span class="pick-name">([^<]+)</span>', page)
    zoe = names.index("Zoë Ægirsdóttir")
    client.post("/import/people/add", data={"token": token(page), "others": [str(zoe)]})
    assert list(people()) == ["Zoë Ægirsdóttir"]
    assert people()["Zoë Ægirsdóttir"].linkedin_connected_on == datetime.date(2025, 6, 15)
    again = upload(client, "/import/connections", CONNECTIONS, "Connections.csv").get_data(as_text=True)
    assert boxes(again, "matches") == []  # Zoë is in Hallway with all the file says of her: only counted
    assert "5 people in this file; 1 already in Hallway. 1 already up to date." in again
    assert "Zoë Ægirsdóttir" not in again
    client.post("/import/people/add", data={"token": token(again), "others": ["0", "1"]})
    assert len(people()) == 3


def test_a_phone_contacts_file_fills_in_people_already_met_and_imports_once(client, user):
    add_person(client, name="Liu Wei", email="liuwei@example.cn")
    cards = []
    for name, email, phone in (("刘伟", "liuwei@example.cn", "+86 138 0013 8000"), ("Grace Hopper", "", "+1 555")):
        card = vobject.vCard()
        card.add("fn").value = name
        card.add("n").value = vobject.vcard.Name(given=name)
        if email:
            card.add("email").value = email
        card.add("tel").value = phone
        cards.append(card.serialize())
    android = (DATA / "contacts" / "made" / "android-2.1-chinese.vcf").read_text(encoding="utf-8")
    data = ("\ufeff" + "".join(cards) + android).encode("utf-8")
    page = upload(client, "/import/contacts", data, "contacts.vcf").get_data(as_text=True)
    assert "2 people in this file; 1 already in Hallway." in page  # 刘伟 twice: one person
    assert "Same email" in page
    client.post("/import/people/add", data={"token": token(page), "matches": ["0"], "others": ["0"]})
    found = people()
    assert found["Liu Wei"].phone == "+86 138 0013 8000"
    assert set(found) == {"Liu Wei", "Grace Hopper"}
    page = upload(client, "/import/contacts", data, "contacts.vcf").get_data(as_text=True)
    assert "Nothing to update or add" in page and 'name="token"' not in page
    assert len(people()) == 2


# Contacts exported as CSV, in each layout Google Contacts and Outlook write (tests/data/README.md):
# (name, company, role, email, phone, LinkedIn) of each contact that names someone.
CSV_CONTACTS = {
    "google-csv-2023.csv": [
        ("Grace Brewster Hopper", "US Navy", "Rear admiral", "grace@navy.example", "+1 202 555 0147",
         "https://www.linkedin.com/in/grace-hopper"),
        ("Zoë Ægirsdóttir", "Data, Streams & Co", "Data engineer", "zoe@streams.example", "", ""),
        ("小龍 李", "", "", "", "+86 138 0013 8000", ""),
        ("", "", "", "nobody-named@example.com", "", "")],
    "google-csv-legacy.csv": [
        ("Ada King, Countess of Lovelace", "Analytical Engines, Ltd.", "Programmer", "ada@engines.example",
         "+44 20 7946 0018", "https://www.linkedin.com/in/ada-lovelace"),
        ("Linus Torvalds", "", "", "linus@kernel.example", "", "")],
    "outlook-csv.csv": [
        ("Margaret Hamilton", "MIT Instrumentation Lab", "Director of software engineering", "margaret@apollo.example",
         "+1 617 555 0123", "https://www.linkedin.com/in/margaret-hamilton-apollo"),
        ("Edsger W. Dijkstra", "Eindhoven University", "", "", "+31 40 247 9111", "")],
}
CSV_CONTACTS["outlook-csv-semicolons.csv"] = CSV_CONTACTS["outlook-csv.csv"]
# Outlook in German names its columns in German (and writes the file in Windows-1252).
CSV_CONTACTS["outlook-csv-german.csv"] = [
    ("Jürgen Groß", "Bosch", "CTO", "juergen@bosch.example", "+49 170 1234567",
     "https://www.linkedin.com/in/juergen-gross"),
    ("Käthe Maria Schäfer", "", "", "", "+49 30 901820", "")]


@pytest.mark.parametrize("name", sorted(CSV_CONTACTS))
def test_contacts_exported_as_csv_by_google_contacts_or_outlook_are_read(name):
    rows = [r for r in read_contacts(io.BytesIO((DATA / "contacts" / "csv" / name).read_bytes())) if shows_someone(r)]
    assert [(r["name"], r["company"], r["role"], r["email"], r["phone"], r["linkedin_url"]) for r in rows] == (
        CSV_CONTACTS[name])


# A contacts file as Outlook on Windows writes it (in the computer's code page), or as a spreadsheet saves it
# again ("Unicode text": UTF-16, tabs): the people in it, whatever the encoding.
OUTLOOK_HEADER = (DATA / "contacts" / "csv" / "outlook-csv.csv").read_text(encoding="utf-8").splitlines()[0]
ENCODED_CONTACTS = {
    "cp1252": ["José,Müller,jose@example.com,Café Crème SA", "François,Dubois,francois@example.com,Société Générale",
               "Siobhán,Ó Ceallaigh,siobhan@example.com,Ærø Fjord"],
    "cp1250": ["Kateřina,Nováková,katerina@example.com,Škoda Auto", "Łukasz,Żółkiewski,lukasz@example.com,Żabka",
               "Zoltán,Szőke,zoltan@example.com,Műegyetem"],
    "cp1251": ["Ольга,Иванова,olga@example.com,Яндекс", "Иван,Петров,ivan@example.com,Сбер",
               "Мария,Смирнова,maria@example.com,Лаборатория Касперского"],
    "utf-16": ["小龍,李,long@example.com,騰訊", "Zoë,Ægirsdóttir,zoe@example.com,Data, Streams & Co"],
}


@pytest.mark.parametrize("encoding", sorted(ENCODED_CONTACTS))
def test_contacts_saved_in_a_windows_code_page_or_utf_16_are_read_with_their_accents(encoding):
    columns = OUTLOOK_HEADER.split(",")
    delimiter = "\t" if encoding == "utf-16" else ","
    lines = [delimiter.join(columns)]
    for row in ENCODED_CONTACTS[encoding]:
        first, last, email, company = row.split(",", 3)
        cells = dict.fromkeys(columns, "") | {"First Name": first, "Last Name": last, "E-mail Address": email,
                                                "Company": company}
        lines.append(delimiter.join(f'"{cells[c]}"' if "," in cells[c] else cells[c] for c in columns))
    data = "\r\n".join(lines).encode(encoding)
    rows = list(read_contacts(io.BytesIO(data)))
    assert [(r["name"], r["email"], r["company"]) for r in rows] == [
        (f"{first} {last}", email, company) for first, last, email, company in
        (row.split(",", 3) for row in ENCODED_CONTACTS[encoding])]


def test_an_outlook_export_in_windows_1252_adds_people_with_their_accents_through_the_page(client, user):
    data = (DATA / "contacts" / "csv" / "outlook-csv.csv").read_text(encoding="utf-8").replace(
        "Margaret,,Hamilton", "Margarète,,Hamiltön").encode("cp1252")
    page = upload(client, "/import/contacts", data, "contacts.csv").get_data(as_text=True)
    assert "2 people in this file" in page and "Margarète Hamiltön" in page
    client.post("/import/people/add", data={"token": token(page), "others": ["0", "1"]})
    assert set(people()) == {"Margarète Hamiltön", "Edsger W. Dijkstra"}


def test_nul_characters_in_an_export_are_dropped_and_the_people_come_in(client, user):
    # A NUL in a cell (a spreadsheet's padding) means nothing, and PostgreSQL refuses to store one.
    contacts = "First Name,Last Name,E-mail Address,Company\r\nAda\x00,Lovelace,ada@example.com,Ac\x00me\r\n"
    connections = ("First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
                   "Grace,Hop\x00per,,,Navy\x00,,01 Oct 2026\r\n")
    for path, text, filename in (("/import/contacts", contacts, "contacts.csv"),
                                 ("/import/connections", connections, "Connections.csv")):
        page = upload(client, path, text.encode(), filename).get_data(as_text=True)
        assert client.post("/import/people/add", data={"token": token(page), "others": ["0"]}).status_code == 302
    found = people()
    assert (found["Ada Lovelace"].company, found["Grace Hopper"].company) == ("Acme", "Navy")


def test_a_contacts_file_in_utf_32_is_read():
    data = (OUTLOOK_HEADER + "\r\n" + "Zoë,,Brandt" + "," * (OUTLOOK_HEADER.count(",") - 2)).encode("utf-32")
    assert [r["name"] for r in read_contacts(io.BytesIO(data))] == ["Zoë Brandt"]


def test_a_connections_file_saved_again_by_excel_on_windows_is_read_with_its_accents():
    saved = (DATA / "linkedin" / "excel-de-resaved.csv").read_text(encoding="utf-8-sig").encode("cp1252")
    rows = list(read_connections(io.BytesIO(saved)))
    assert [(r["name"], r["company"]) for r in rows] == [(name, company) for name, company, *_ in
                                                         LAYOUTS["excel-de-resaved.csv"]]


def test_a_google_contacts_csv_fills_in_people_already_met_through_the_page(client, user):
    add_person(client, name="Grace Hopper", email="grace@navy.example")
    page = client.get("/import/contacts").get_data(as_text=True)
    assert 'accept=".vcf,.csv,' in page and "Google CSV" in page
    data = (DATA / "contacts" / "csv" / "google-csv-2023.csv").read_bytes()
    page = upload(client, "/import/contacts", data, "contacts.csv").get_data(as_text=True)
    assert "4 people in this file; 1 already in Hallway." in page and "Same email" in page
    client.post("/import/people/add", data={"token": token(page), "matches": ["0"]})
    grace = people()["Grace Hopper"]  # the name she was logged under stays
    assert (grace.company, grace.phone, grace.linkedin_url) == ("US Navy", "+1 202 555 0147",
                                                                "https://www.linkedin.com/in/grace-hopper")


@pytest.mark.parametrize("path, data, filename, says", [
    ("/import/connections", b"Name,Phone\r\nAda,123\r\n", "Connections.csv", "not LinkedIn's Connections.csv"),
    ("/import/connections", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "Connections.csv", "not text"),
    ("/import/connections", b"", "Connections.csv", "not LinkedIn's Connections.csv"),
    ("/import/connections", CONNECTIONS, "Connections.xlsx", "Choose LinkedIn's Connections.csv file."),
    ("/import/contacts", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "contacts.vcf", "not a contacts file"),
    ("/import/contacts", b"\xff\xfe\x00\x00garbage", "contacts.vcf", "not text"),
    ("/import/contacts", b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cut", "contacts.vcf", "damaged"),
    ("/import/contacts", b"Date,Amount\r\n2026-01-02,12.50\r\n", "contacts.csv", "Google CSV or Outlook CSV"),
    ("/import/contacts", "Name\r\nAda\r\n".encode("utf-16"), "contacts.csv", "Google CSV or Outlook CSV"),
    ("/import/contacts", codecs.BOM_UTF16_LE + b"N\x00a\x00m", "contacts.csv", "not text"),  # cut mid-letter
    ("/import/contacts", CONNECTIONS, "contacts.pdf", "ending in .vcf or .csv"),
])
def test_a_file_that_is_not_what_the_import_expects_gets_a_clear_message(client, user, path, data, filename, says):
    response = upload(client, path, data, filename)
    assert response.status_code == 200
    assert says in html.unescape(response.get_data(as_text=True))
    assert people() == {}


def test_ten_thousand_connections_are_read_matched_and_offered_a_page_at_a_time(client, user):
    header = CONNECTIONS.split(b"First Name")[0] + b"First Name,Last Name,URL,Email Address,Company,Position,"
    rows = b"".join(f'Person,Number {i},https://www.linkedin.com/in/person-{i},,"Company {i % 50}, Inc.",Engineer,'
                    f'{1 + i % 28:02d} Oct 2026\r\n'.encode() for i in range(10_000))
    for i in range(0, 30, 3):
        add_person(client, name=f"Person Number {i}", linkedin_url=f"linkedin.com/in/person-{i}")
    page = upload(client, "/import/connections", header + b"Connected On\r\n" + rows, "Connections.csv")
    page = page.get_data(as_text=True)
    assert "10,000 people in this file; 10 already in Hallway." in page
    assert "Showing the 200 most recent of 9,990." in page
    client.post("/import/people/add", data={"token": token(page), "matches": [str(i) for i in range(10)]})
    assert sum(p.connected_on_linkedin for p in people().values()) == 10


def connections_of(rows):
    """A Connections.csv of (first, last, profile, email, connected on) rows, as LinkedIn writes it."""
    header = CONNECTIONS.split(b"First Name")[0] + b"First Name,Last Name,URL,Email Address,Company,Position,"
    return header + b"Connected On\r\n" + b"".join(
        f"{first},{last},https://www.linkedin.com/in/{profile},{email},Initech,Engineer,{day}\r\n".encode()
        for first, last, profile, email, day in rows)


def test_connections_imported_again_into_a_big_account_offer_only_what_would_change(client, user):
    """Thousands already in Hallway with nothing new are a count on the page, neither listed nor carried in its
    token: the page and the token stay the size of what changes."""
    with db.database().connection_context(), db.write():
        owner = User.get(User.email == "ada@example.com")
        for start in range(0, 3000, 500):
            Person.insert_many([{"owner": owner, "name": f"Person Number {i}", "company": "Initech",
                                 "role": "Engineer", "linkedin_url": f"https://www.linkedin.com/in/person-{i}",
                                 "connected_on_linkedin": True, "linkedin_connected_on": datetime.date(2024, 5, 1)}
                                for i in range(start, start + 500)]).execute()
    rows = [("Person", f"Number {i}", f"person-{i}", "", "01 May 2024") for i in range(3000)]
    rows[7] = ("Person", "Number 7", "person-7", "seven@example.com", "01 May 2024")  # something new
    rows.append(("New", "Face", "new-face", "", "02 May 2024"))
    page = upload(client, "/import/connections", connections_of(rows), "Connections.csv").get_data(as_text=True)
    assert "3,001 people in this file; 3,000 already in Hallway. 2,999 already up to date." in page
    assert boxes(page, "matches") == [(0, True)] and boxes(page, "others") == [(0, False)]
    assert page.count('class="pick"') == 2
    assert len(token(page)) < 2000
    done = client.post("/import/people/add", data={"token": token(page), "matches": ["0"], "others": ["0"]},
                       follow_redirects=True).get_data(as_text=True)
    assert "1 updated, 1 added, 2,999 already up to date." in done
    found = people()
    assert found["Person Number 7"].email == "seven@example.com" and "New Face" in found


def test_the_imports_are_linked_from_the_export_page(client, user):
    page = client.get("/export").get_data(as_text=True)
    assert 'href="/import/connections"' in page and 'href="/import/contacts"' in page


CARD_FILES = sorted((DATA / "contacts").rglob("*.vcf"))


@pytest.mark.parametrize("path", CARD_FILES, ids=[p.name for p in CARD_FILES])
def test_a_contacts_file_is_read_card_for_card_as_a_scan_of_the_card_reads_it(path):
    """The file import and a scanned card read the same fields: quoted-printable values continued on the next
    line (Android, Outlook) included, and a file with a value vobject cannot decode is still read."""
    scanned = read_card_text(path.read_text(encoding="utf-8", errors="replace"))
    (imported,) = read_contacts(io.BytesIO(path.read_bytes()))  # one card in each file
    assert {k: imported[k] for k in CARD_FIELDS} == scanned


def test_an_android_name_and_company_continued_on_the_next_line_come_in_whole(client, user):
    data = (DATA / "contacts" / "made" / "android-2.1-soft-line-break.vcf").read_bytes()
    assert b"=\r\n" in data or b"=\n" in data  # a soft line break in the file
    (joerg,) = read_contacts(io.BytesIO(data))
    assert (joerg["name"], joerg["company"]) == ("Jörg Müller", "Große Daten GmbH")
    assert joerg["linkedin_url"] == "https://www.linkedin.com/in/j%C3%B6rg-m%C3%BCller"


def test_a_linkedin_profile_in_a_google_contacts_card_with_its_escaped_colon_comes_in():
    """Google Contacts writes "http\\://" in its vCards (ez-vcard's gmail-single-1.vcf): the profile is kept."""
    gmail = (DATA / "contacts" / "ez-vcard" / "gmail-single-1.vcf").read_bytes()
    assert b"item3.URL:http\\://TheProfile.com" in gmail
    linked = gmail.replace(b"http\\://TheProfile.com", b"http\\://www.linkedin.com/in/greg-dartmouth")
    (greg,) = read_contacts(io.BytesIO(linked))
    assert greg["linkedin_url"] == "https://www.linkedin.com/in/greg-dartmouth"


def test_a_damaged_card_among_good_ones_leaves_the_others_to_come_in():
    good = (DATA / "contacts" / "made" / "iphone-3.0-socialprofile.vcf").read_text(encoding="utf-8")
    # Half a character: quoted-printable UTF-8 cut after its first byte.
    damaged = "BEGIN:VCARD\r\nVERSION:2.1\r\nFN;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:=C3\r\nEND:VCARD\r\n"
    people_in = list(read_contacts(io.BytesIO((good + damaged + good.replace("Johnny", "Jane")).encode())))
    assert [p["name"] for p in people_in] == ["Johnny Appleseed", "Jane Appleseed"]
    with pytest.raises(ContactsError, match="damaged"):
        list(read_contacts(io.BytesIO(damaged.encode())))


def test_hallways_own_csv_export_comes_back_in_as_it_went_out(client, user):
    """The export puts a quote before a cell a spreadsheet would run as a formula ("+49 ...", "@Ørsted"); brought
    back in, the quote goes and the people are matched, not added twice."""
    add_person(client, name="Zoë Ægirsdóttir", company="@Ørsted", role="-ops", phone="+49 30 1234567",
               email="zoe@example.dk")
    exported = client.get("/export/people.csv").data
    assert b"'+49 30 1234567" in exported and b"'@\xc3\x98rsted" in exported
    (zoe,) = read_contacts(io.BytesIO(exported))
    assert (zoe["company"], zoe["role"], zoe["phone"]) == ("@Ørsted", "-ops", "+49 30 1234567")
    page = upload(client, "/import/contacts", exported, "hallway.csv").get_data(as_text=True)
    assert "1 person in this file; 1 already in Hallway." in page


def test_connections_with_line_breaks_and_tabs_in_their_cells_come_in_on_one_line():
    data = (b'First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n'
            b'"Ada\t","Lovelace",,,"Analytical\r\nEngines",Programmer,07 Dec 2026\r\n')
    (ada,) = read_connections(io.BytesIO(data))
    assert (ada["name"], ada["company"]) == ("Ada Lovelace", "Analytical Engines")


def test_linkedins_connections_file_brought_to_the_contacts_import_says_where_it_goes(client, user):
    page = upload(client, "/import/contacts", CONNECTIONS, "Connections.csv").get_data(as_text=True)
    assert "This is LinkedIn&#39;s Connections.csv: bring it in with “Import your LinkedIn connections”" in page


def test_an_exchange_accounts_internal_address_is_not_taken_for_an_email():
    data = (DATA / "contacts" / "csv" / "outlook-csv.csv").read_text(encoding="utf-8").replace(
        "margaret@apollo.example", "/o=ExchangeLabs/ou=Exchange Administrative Group/cn=Recipients/cn=margaret")
    assert "/o=ExchangeLabs" in data
    margaret = next(read_contacts(io.BytesIO(data.encode())))
    assert (margaret["name"], margaret["email"]) == ("Margaret Hamilton", "")


def test_hallways_own_exports_brought_in_again_add_each_person_once(client, auth):
    """The CSV has a row per person per event: someone met at two events is one person to add, and a second
    import of the file, or one into the account it came from, adds nobody (a name alone, or the few words someone
    was logged by, is matched when neither side has a company)."""
    auth.signup()
    add_person(client, name="Twice Met")
    twice = people()["Twice Met"].id
    add_person(client, event="Second meetup", name="twice met", same_as=str(twice))  # met again
    add_person(client, name="Solo")
    add_person(client, description="red jacket, Postgres talk")
    csv_export = client.get("/export/people.csv").data
    vcard_export = client.get("/export/contacts.vcf").data
    assert vcard_export.count(b"BEGIN:VCARD") == 3
    assert csv_export.count(b"Twice Met") == 2

    for data, filename in ((csv_export, "hallway.csv"), (vcard_export, "hallway.vcf")):
        page = upload(client, "/import/contacts", data, filename).get_data(as_text=True)
        assert "3 already in Hallway. 3 already up to date." in page, filename
        assert "Nothing to update or add" in page, filename

    auth.logout()
    auth.signup(email="fresh@example.com")
    page = upload(client, "/import/contacts", csv_export, "hallway.csv").get_data(as_text=True)
    names = re.findall(r'<span class="pick-name">([^<]+)</span>', page)
    assert sorted(names) == ["Solo", "Twice Met", "red jacket, Postgres talk"]
    picked = [str(i) for i in range(len(names))]
    client.post("/import/people/add", data={"token": token(page), "others": picked})
    again = upload(client, "/import/contacts", csv_export, "hallway.csv").get_data(as_text=True)
    assert "3 already in Hallway. 3 already up to date." in again and boxes(again, "others") == []
    client.post("/import/people/add", data={"token": token(page), "others": picked})  # the first preview again
    with db.database().connection_context():
        fresh = Person.select().join(User).where(User.email == "fresh@example.com")
        assert sorted((p.name, p.description) for p in fresh) == [("", "red jacket, Postgres talk"), ("Solo", ""),
                                                                  ("Twice Met", "")]


def test_two_connections_with_the_same_name_and_different_profiles_are_two_people(client, user):
    """Wei Zhang is a common name, and two of them may work at Google: rows with different LinkedIn profiles
    (or different emails) are different people, and a namesake already met is not offered as either of them."""
    add_person(client, name="Wei Zhang", company="Google", linkedin_url="linkedin.com/in/wei-zhang-1")
    data = (b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
            b"Wei,Zhang,https://www.linkedin.com/in/wei-zhang-2,,Google,PM,02 Jan 2024\r\n"
            b"Wei,Zhang,https://www.linkedin.com/in/wei-zhang-1,,Google,SWE,01 Jan 2024\r\n"
            b"Wei,Zhang,https://www.linkedin.com/in/wei-zhang-3,,Google,SRE,03 Jan 2024\r\n"
            b"John,Smith,https://www.linkedin.com/in/jsmith-a,john@a.example,,,03 Jan 2024\r\n"
            b"John,Smith,,john@b.example,,,04 Jan 2024\r\n")
    page = upload(client, "/import/connections", data, "Connections.csv").get_data(as_text=True)
    assert "5 people in this file; 1 already in Hallway." in page
    assert "Same LinkedIn profile" in page and "Same name and company" not in page
    assert len(boxes(page, "others")) == 4
    client.post("/import/people/add", data={"token": token(page), "others": ["0", "1", "2", "3"]})
    with db.database().connection_context():
        added = sorted((p.name, p.linkedin_url or p.email) for p in Person.select())
    assert added == [("John Smith", "https://www.linkedin.com/in/jsmith-a"), ("John Smith", "john@b.example"),
                     ("Wei Zhang", "https://www.linkedin.com/in/wei-zhang-1"),
                     ("Wei Zhang", "https://www.linkedin.com/in/wei-zhang-2"),
                     ("Wei Zhang", "https://www.linkedin.com/in/wei-zhang-3")]


@pytest.mark.parametrize("rows, connected", [
    # Excel in France: semicolons, Windows-1252, the day first, as the 23rd of April says.
    ("Amélie;Poulain;https://www.linkedin.com/in/amelie;;Café;Serveuse;05/04/2017\r\n"
     "Jean;Valjean;https://www.linkedin.com/in/jeanv;;Bagne;;23/04/2017\r\n", ["2017-04-05", "2017-04-23"]),
    # The same dates month first, as the 23rd says: semicolons or not, the file's dates decide.
    ("Amélie;Poulain;https://www.linkedin.com/in/amelie;;Café;Serveuse;04/05/2017\r\n"
     "Jean;Valjean;https://www.linkedin.com/in/jeanv;;Bagne;;04/23/2017\r\n", ["2017-04-05", "2017-04-23"]),
    # Nothing in the file tells: semicolons are written by spreadsheets that put the day first.
    ("Amélie;Poulain;https://www.linkedin.com/in/amelie;;Café;Serveuse;05/04/2017\r\n", ["2017-04-05"]),
], ids=["day first", "month first", "nothing tells"])
def test_the_dates_of_a_connections_file_saved_again_by_a_spreadsheet_are_read_in_one_order(rows, connected):
    data = ("First Name;Last Name;URL;Email Address;Company;Position;Connected On\r\n" + rows).encode("cp1252")
    assert [r["connected_on"] for r in read_connections(io.BytesIO(data))] == connected


def phone_export(count, photo_bytes):
    """An iPhone's .vcf of `count` contacts, each with a photo of about photo_bytes, folded as iOS writes it."""
    photo = base64.b64encode(bytes(range(256)) * (photo_bytes // 256)).decode()
    folded = "\r\n ".join(photo[i:i + 74] for i in range(0, len(photo), 74))
    return "".join(f"BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iPhone OS 17.5//EN\r\nN:Person {i};Ada;;;\r\n"
                   f"FN:Ada Person {i}\r\nORG:Company {i};\r\nEMAIL;type=INTERNET;type=HOME:ada{i}@example.com\r\n"
                   f"item1.X-ABLabel:_$!<HomePage>!$_\r\nPHOTO;ENCODING=b;TYPE=JPEG:{folded}\r\nEND:VCARD\r\n"
                   for i in range(count)).encode()


def test_a_phones_whole_contacts_export_with_photos_comes_in(client, user):
    """400 contacts with their photos make about 7 MB, over the 5 MB most uploads may have."""
    data = phone_export(400, 12 * 1024)
    assert len(data) > 6 * 2**20
    response = upload(client, "/import/contacts", data, "Contacts.vcf")
    assert response.status_code == 200
    assert "400 people in this file; 0 already in Hallway." in response.get_data(as_text=True)


def test_a_contacts_file_over_its_limit_or_with_too_many_cards_says_what_to_do(app, client, user):
    app.config["CONTACTS_MAX_BYTES"] = 2**20
    response = upload(client, "/import/contacts", phone_export(100, 12 * 1024), "Contacts.vcf")
    assert response.status_code == 413
    page = html.unescape(response.get_data(as_text=True))
    assert "This file is too big: over the 1 MB a contacts file may have. Export fewer contacts" in page
    assert 'name="file"' in page  # the upload form, to choose another file
    many = b"".join(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:P%d\r\nEND:VCARD\r\n" % i for i in range(10_001))
    page = html.unescape(upload(client, "/import/contacts", many, "Contacts.vcf").get_data(as_text=True))
    assert "This file holds 10,001 contacts: Hallway reads up to 10,000 at a time." in page


@pytest.mark.parametrize("indent", ["  ", ""], ids=["indented", "not indented"])
def test_a_vcard_2_1_photo_written_over_several_lines_leaves_the_card_to_come_in(indent):
    card = ("BEGIN:VCARD\r\nVERSION:2.1\r\nN:Lovelace;Ada\r\nFN:Ada Lovelace\r\n"
            "PHOTO;ENCODING=BASE64;JPEG:/9j/4AAQSkZJRgABAQ\r\n"
            f"{indent}AAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8Q\r\n"
            f"{indent}EBEQCgwSExIQEw8QEBD/\r\n\r\nTEL;CELL:+44 20 7946 0000\r\nEMAIL:ada@example.org\r\nEND:VCARD\r\n")
    (ada,) = read_contacts(io.BytesIO(card.encode()))
    assert (ada["name"], ada["phone"], ada["email"]) == ("Ada Lovelace", "+44 20 7946 0000", "ada@example.org")


@pytest.mark.parametrize("version, home, work", [
    ("3.0", "EMAIL;type=INTERNET;type=HOME:ada@home.example\r\nTEL;type=CELL:+44 1111\r\n",
     "EMAIL;type=INTERNET;type=WORK;type=pref:ada@work.example\r\nTEL;type=WORK;type=pref:+44 2222\r\n"),
    ("4.0", "EMAIL;TYPE=home;PREF=2:ada@home.example\r\nTEL;TYPE=cell:+44 1111\r\n",
     "EMAIL;TYPE=work;PREF=1:ada@work.example\r\nTEL;TYPE=work;PREF=1:+44 2222\r\n"),
    ("2.1", "EMAIL;HOME:ada@home.example\r\nTEL;CELL:+44 1111\r\n",
     "EMAIL;WORK;PREF:ada@work.example\r\nTEL;WORK;PREF:+44 2222\r\n"),
])
def test_a_contact_with_several_emails_and_phones_comes_in_with_the_preferred_ones(version, home, work):
    card = f"BEGIN:VCARD\r\nVERSION:{version}\r\nN:Lovelace;Ada;;;\r\nFN:Ada Lovelace\r\n{home}{work}END:VCARD\r\n"
    (ada,) = read_contacts(io.BytesIO(card.encode()))
    assert (ada["email"], ada["phone"]) == ("ada@work.example", "+44 2222")
    (first,) = read_contacts(io.BytesIO(card.replace(";type=pref", "").replace(";PREF=1", "").replace(
        ";PREF", "").encode()))
    assert (first["email"], first["phone"]) == ("ada@home.example", "+44 1111")  # none preferred: the first


def test_a_contacts_file_of_more_people_than_a_page_says_which_ones_it_shows(client, user):
    """Cards have no date: the page shows the first ones of the file, and says so."""
    cards = b"".join(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person %d\r\nTEL:+44 %d\r\nEND:VCARD\r\n" % (i, i)
                     for i in range(500))
    page = upload(client, "/import/contacts", cards, "Contacts.vcf").get_data(as_text=True)
    assert "Showing the first 200 of 500, in the file's order." in page
    names = re.findall(r'<span class="pick-name">([^<]+)</span>', page)
    assert names == [f"Person {i}" for i in range(200)]


def test_someone_imported_with_only_an_email_is_shown_and_found_by_it_everywhere(client, user):
    data = b"Name,E-mail 1 - Value\r\n,solo@example.org\r\n"
    page = upload(client, "/import/contacts", data, "contacts.csv").get_data(as_text=True)
    client.post("/import/people/add", data={"token": token(page), "others": ["0"]})
    (solo,) = people().values()
    listed = client.get("/people").get_data(as_text=True)
    assert '<span class="person-name">solo@example.org</span>' in listed and "Someone" not in listed
    for words in ("solo", "example.org", "exampel"):
        found = client.get("/people", query_string={"q": words}).get_data(as_text=True)
        assert f'href="/people/{solo.id}"' in found and "solo@example.org" in found, words
    index = client.get("/people/met-before.json").json
    assert index["people"][0][:2] == [solo.id, "solo@example.org"]


@pytest.mark.parametrize("filename, data", [
    ("contacts.csv", b"Name,E-mail 1 - Value,Phone 1 - Value,Organization Name,Notes\r\n"
                     b"Ada Lovelace,ada@example.org,,,\r\n,,+1 202 555 0147,,\r\n,,,Globex,\r\n,,,,birthday party\r\n"),
    ("contacts.vcf", b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEMAIL:ada@example.org\r\nEND:VCARD\r\n"
                     b"BEGIN:VCARD\r\nVERSION:3.0\r\nTEL:+1 202 555 0147\r\nEND:VCARD\r\n"
                     b"BEGIN:VCARD\r\nVERSION:3.0\r\nORG:Globex\r\nEND:VCARD\r\n"
                     b"BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:birthday party\r\nEND:VCARD\r\n"),
])
def test_contacts_with_only_a_phone_or_a_company_come_in_and_the_preview_says_what_it_left_out(
        client, user, filename, data):
    page = upload(client, "/import/contacts", data, filename).get_data(as_text=True)
    assert "3 people in this file; 0 already in Hallway." in page
    assert "1 contact was left out: nothing to show them by" in page
    names = re.findall(r'<span class="pick-name">([^<]+)</span>', page)
    assert names == ["Ada Lovelace", "+1 202 555 0147", "Someone at Globex"]
    client.post("/import/people/add", data={"token": token(page), "others": ["0", "1", "2"]})
    with db.database().connection_context():
        assert sorted(p.label for p in Person.select()) == ["+1 202 555 0147", "Ada Lovelace", "Someone at Globex"]
    again = upload(client, "/import/contacts", data, filename).get_data(as_text=True)
    assert "3 people in this file; 3 already in Hallway. 3 already up to date." in again
    assert "Nothing to update or add" in again
    with db.database().connection_context():
        assert Person.select().count() == 3


def test_everyone_an_import_adds_can_be_edited_and_backed_up_and_restored(client, auth):
    """Someone at Globex (a company alone), a contact with only a phone or an email, a connection with only a
    LinkedIn profile: each is someone, to the import, the edit form and a backup restore alike."""
    auth.signup()
    contacts = (b"First Name,Last Name,Organization Name,Phone 1 - Value,E-mail 1 - Value\n"
                b",,Globex,,\n,,,+1 555 0100,\n,,,,only@email.example\n")
    page = upload(client, "/import/contacts", contacts, "contacts.csv").get_data(as_text=True)
    client.post("/import/people/add", data={"token": token(page), "others": ["0", "1", "2"]})
    page = upload(client, "/import/connections", (PRE + ",,https://www.linkedin.com/in/no-name-9,,,,03 Dec 2026\n")
                  .encode(), "Connections.csv").get_data(as_text=True)
    client.post("/import/people/add", data={"token": token(page), "others": ["0"]})
    with db.database().connection_context():
        imported = list(Person.select().order_by(Person.id))
    assert [p.label for p in imported] == ["Someone at Globex", "+1 555 0100", "only@email.example", "Someone"]
    for person in imported:
        form = form_as_opened(client, f"/people/{person.id}/edit")
        response = client.post(f"/people/{person.id}/edit", data={**form, "role": "Engineer"})
        assert response.status_code == 302, response.get_data(as_text=True)
    backup = client.get("/export/backup.json").data
    auth.logout()
    auth.signup(email="new@example.com")
    response = client.post("/import/backup", data={"file": (io.BytesIO(backup), "backup.json")},
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    with db.database().connection_context():
        restored = Person.select().join(User).where(User.email == "new@example.com").order_by(Person.id)
        assert [(p.label, p.role) for p in restored] == [(p.label, "Engineer") for p in imported]


def test_a_match_by_a_shared_email_names_who_changes_and_waits_to_be_ticked(client, user):
    add_person(client, name="Ann Lee", email="info@acme.example")
    data = (b"First Name,Last Name,E-mail 1 - Value,Phone 1 - Value,Organization Name,Organization Title,"
            b"Website 1 - Value\nBob,Brown,info@acme.example,+1 555 0100,Acme,Sales,"
            b"https://www.linkedin.com/in/bob-brown\n")
    page = upload(client, "/import/contacts", data, "contacts.csv").get_data(as_text=True)
    assert "Same email" in page and "Updates Ann Lee: tick to confirm it is them" in page
    assert boxes(page, "matches") == [(0, False)]
    client.post("/import/people/add", data={"token": token(page)})
    assert people()["Ann Lee"].phone == ""


def test_a_match_under_the_same_name_is_ticked_and_says_nothing_of_who_changes(client, user):
    add_person(client, name="Ann Lee", email="ann@acme.example")
    data = b"First Name,Last Name,E-mail 1 - Value,Phone 1 - Value\nann,lee,ann@acme.example,+1 555 0100\n"
    page = upload(client, "/import/contacts", data, "contacts.csv").get_data(as_text=True)
    assert boxes(page, "matches") == [(0, True)] and "Updates" not in page


def test_a_second_connection_of_the_same_name_and_company_is_offered_too(client, user):
    add_person(client, name="Wei Zhang", company="Google")
    rows = ("Wei,Zhang,https://www.linkedin.com/in/wei-zhang-1a2b3c,,Google,SWE,03 Dec 2026\n"
            "Wei,Zhang,https://www.linkedin.com/in/weizhang88,,Google,PM,01 Dec 2026\n")
    page = upload(client, "/import/connections", (PRE + rows).encode(), "Connections.csv").get_data(as_text=True)
    assert "2 people in this file; 2 already in Hallway." in page
    assert "SWE" in page and "PM" in page and boxes(page, "matches") == [(0, False), (1, False)]
    client.post("/import/people/add", data={"token": token(page), "matches": ["1"]})
    assert people()["Wei Zhang"].linkedin_url == "https://www.linkedin.com/in/weizhang88"


def test_namesakes_at_one_company_one_without_a_profile_are_two_people_and_one_row_twice_is_one(client, user):
    rows = ("Wei,Zhang,https://www.linkedin.com/in/weizhang88,,Google,PM,01 Dec 2026\n"
            "Wei,Zhang,,,Google,SWE,02 Dec 2026\n"
            + "Eve,Ng,https://www.linkedin.com/in/eve-ng,,Foo,CEO,02 Dec 2026\n" * 3)
    page = upload(client, "/import/connections", (PRE + rows).encode(), "Connections.csv").get_data(as_text=True)
    assert "3 people in this file; 0 already in Hallway." in page and len(boxes(page, "others")) == 3
    client.post("/import/people/add", data={"token": token(page), "others": ["0", "1", "2"]})
    with db.database().connection_context():
        assert sorted((p.name, p.role) for p in Person.select()) == [("Eve Ng", "CEO"), ("Wei Zhang", "PM"),
                                                                   ("Wei Zhang", "SWE")]
    again = upload(client, "/import/connections", (PRE + rows).encode(), "Connections.csv").get_data(as_text=True)
    assert "3 people in this file; 3 already in Hallway. 3 already up to date." in again


def test_someone_logged_by_name_alone_is_offered_as_the_connection_of_that_name_at_a_company(client, user):
    add_person(client, name="Ann Lee")
    rows = "Ann,Lee,https://www.linkedin.com/in/ann-lee-9,,Acme,CTO,03 Dec 2026\n"
    page = upload(client, "/import/connections", (PRE + rows).encode(), "Connections.csv").get_data(as_text=True)
    assert "Same name: tick to confirm it is them" in page
    assert boxes(page, "matches") == [(0, False)] and boxes(page, "others") == []
    client.post("/import/people/add", data={"token": token(page), "matches": ["0"]})
    assert len(people()) == 1 and people()["Ann Lee"].company == "Acme"


@pytest.mark.parametrize("logged, in_file", [("0171 1234567", "+49 171 1234567"), ("+49 (0)171 1234567",
                                                                                   "0049 171 1234567")])
def test_a_phone_number_written_at_home_or_from_abroad_is_one_number(client, user, logged, in_file):
    add_person(client, name="Jörg Müller", company="Siemens", phone=logged)
    card = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jörg Müller\r\nN:Müller;Jörg;;;\r\nORG:Siemens;\r\n"
            f"TEL;type=CELL:{in_file}\r\nEMAIL:joerg@siemens.example\r\nEND:VCARD\r\n")
    page = upload(client, "/import/contacts", card.encode(), "contacts.vcf").get_data(as_text=True)
    assert "Same name and company" in page and boxes(page, "others") == []
    nameless = f"First Name,Last Name,Phone 1 - Value\n,,{in_file}\n".encode()
    page = upload(client, "/import/contacts", nameless, "contacts.csv").get_data(as_text=True)
    assert "1 already in Hallway" in page and boxes(page, "others") == []


def test_a_local_number_without_its_area_code_is_not_someone_elses_number_abroad(client, user):
    add_person(client, name="Sam Park", phone="555-0143")
    data = b"Name,Organization Name,Phone 1 - Value\n,Initech,+44 20 5550 143\n"
    page = upload(client, "/import/contacts", data, "contacts.csv").get_data(as_text=True)
    assert "0 already in Hallway" in page and boxes(page, "matches") == [] and len(boxes(page, "others")) == 1
    client.post("/import/people/add", data={"token": token(page)})
    assert people()["Sam Park"].company == ""


def test_a_namesake_with_the_whole_number_of_a_local_one_is_not_told_apart_by_it(client, user):
    add_person(client, name="Sam Park", phone="555-0143")
    data = b"Name,Phone 1 - Value,E-mail 1 - Value\nSam Park,+1 415 555 0143,sam@initech.example\n"
    page = upload(client, "/import/contacts", data, "contacts.csv").get_data(as_text=True)
    assert "1 already in Hallway" in page and boxes(page, "others") == []


def test_a_contact_with_no_name_found_by_their_phone_waits_to_be_ticked(client, user):
    add_person(client, name="Sam Park", phone="+1 415 555 0143")
    data = b"Name,Organization Name,Phone 1 - Value\n,Initech,(415) 555-0143\n"
    page = upload(client, "/import/contacts", data, "contacts.csv").get_data(as_text=True)
    assert "Same phone: tick to confirm it is them" in page and "Updates Sam Park" in page
    assert boxes(page, "matches") == [(0, False)]


FRENCH_OUTLOOK = ('"Titre","Prénom","Deuxième prénom","Nom","Suffixe","Société ","Service ","Titre",'
                  '"Téléphone (bureau)","Tél. mobile","Adresse de messagerie","Page Web"\r\n'
                  '"Mme","Amélie","","Poulain","","Café des 2 Moulins","","Serveuse","","06 12 34 56 78",'
                  '"amelie@moulins.example","https://www.linkedin.com/in/amelie-poulain"\r\n')


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig"])
def test_an_outlook_export_in_french_is_read(encoding):
    rows = list(read_contacts(io.BytesIO(FRENCH_OUTLOOK.encode(encoding))))
    assert [(r["name"], r["company"], r["role"], r["email"], r["phone"], r["linkedin_url"]) for r in rows] == [
        ("Amélie Poulain", "Café des 2 Moulins", "", "amelie@moulins.example", "06 12 34 56 78",
         "https://www.linkedin.com/in/amelie-poulain")]


def test_a_file_that_is_no_contacts_file_says_which_outlook_languages_are_read(client, user):
    page = upload(client, "/import/contacts", '"Nombre";"Apellidos"\r\n"Ana";"García"\r\n'.encode(),
                  "contacts.csv").get_data(as_text=True)
    assert "Outlook CSV with its columns in English, German or French" in html.unescape(page)


def test_hallways_own_contact_cards_brought_back_find_their_people_and_name_nobody_by_a_stand_in(client, auth):
    """Someone known by a company, a phone, an email or a few words goes out under them (a card must have a
    formatted name, and phones show it), and comes back as who they were: into the same account, the same
    people, by their card's UID; into another, without those stand-ins for a name."""
    auth.signup()
    contacts = (b"First Name,Last Name,Organization Name,Phone 1 - Value,E-mail 1 - Value\n"
                b",,Globex,,\n,,,+1 (202) 555-0147,\n,,,,only@email.example\n")
    page = upload(client, "/import/contacts", contacts, "contacts.csv").get_data(as_text=True)
    client.post("/import/people/add", data={"token": token(page), "others": ["0", "1", "2"]})
    add_person(client, description="red jacket, Postgres talk")
    add_person(client, name="Ann Lee", company="Acme")
    cards = client.get("/export/contacts.vcf").data
    page = upload(client, "/import/contacts", cards, "hallway.vcf").get_data(as_text=True)
    assert "5 already in Hallway. 5 already up to date." in page and "Nothing to update or add" in page

    auth.logout()
    auth.signup(email="fresh@example.com")
    page = upload(client, "/import/contacts", cards, "hallway.vcf").get_data(as_text=True)
    client.post("/import/people/add", data={"token": token(page), "others": [str(i) for i in range(5)]})
    with db.database().connection_context():
        fresh = Person.select().join(User).where(User.email == "fresh@example.com").order_by(Person.id)
        assert [(p.name, p.description, p.label) for p in fresh] == [
            ("", "", "Someone at Globex"), ("", "", "+1 (202) 555-0147"), ("", "", "only@email.example"),
            ("", "red jacket, Postgres talk", "red jacket, Postgres talk"), ("Ann Lee", "", "Ann Lee")]


def test_the_card_of_someone_deleted_finds_nobody_not_even_who_got_their_id(client, user):
    contacts = b"Name,Organization Name,Phone 1 - Value\n,Globex,+1 415 555 0143\n"
    page = upload(client, "/import/contacts", contacts, "contacts.csv").get_data(as_text=True)
    client.post("/import/people/add", data={"token": token(page), "others": ["0"]})
    (gone,) = people().values()
    card = client.get(f"/people/{gone.id}/contact.vcf").data
    assert client.post(f"/people/{gone.id}/delete").status_code == 302
    add_person(client, description="red jacket, Postgres talk")
    page = upload(client, "/import/contacts", card, "contact.vcf").get_data(as_text=True)
    assert "0 already in Hallway" in page and boxes(page, "matches") == [] and len(boxes(page, "others")) == 1
    assert (people()[""].company, people()[""].phone) == ("", "")


def test_an_apple_company_card_is_someone_at_the_company():
    card = (b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:;;;;\r\nFN:Globex Corporation\r\nORG:Globex Corporation;\r\n"
            b"X-ABShowAs:COMPANY\r\nTEL;type=WORK:+1 555 0100\r\nEND:VCARD\r\n")
    (row,) = read_contacts(io.BytesIO(card))
    assert (row["name"], row["company"]) == ("", "Globex Corporation")


def test_a_file_with_another_company_says_so_and_what_hallway_keeps(client, user):
    add_person(client, name="Eve Ng", company="Foo", role="CEO", linkedin_url="linkedin.com/in/eve-ng")
    add_person(client, name="Dana Kim", company="Acme", role="SRE", linkedin_url="linkedin.com/in/dana-kim")
    rows = ("Eve,Ng,https://www.linkedin.com/in/eve-ng,,Bar Inc,CEO,02 Dec 2026\n"
            "Dana,Kim,https://www.linkedin.com/in/dana-kim,dana@globex.example,Globex,Head of SRE,02 Dec 2026\n")
    page = html.unescape(upload(client, "/import/connections", (PRE + rows).encode(), "Connections.csv")
                         .get_data(as_text=True))
    assert "File says: Bar Inc, CEO; Hallway keeps: Foo, CEO" in page
    assert "File says: Globex, Head of SRE; Hallway keeps: Acme, SRE" in page
    client.post("/import/people/add", data={"token": token(page), "matches": ["0", "1"]})
    again = html.unescape(upload(client, "/import/connections", (PRE + rows).encode(), "Connections.csv")
                          .get_data(as_text=True))
    assert "2 already in Hallway. 2 with another company or role in this file: Hallway keeps its own." in again
    assert "with all it says of them" not in again


def test_a_role_at_another_company_in_the_file_is_not_given_to_the_company_hallway_keeps(client, user):
    add_person(client, name="Ann Lee", company="Acme", linkedin_url="https://www.linkedin.com/in/annlee")
    data = (b"Name,Organization Name,Organization Title,E-mail 1 - Value,Website 1 - Value\n"
            b"Ann Lee,Globex,CTO,ann@globex.example,https://www.linkedin.com/in/annlee\n")
    page = html.unescape(upload(client, "/import/contacts", data, "contacts.csv").get_data(as_text=True))
    assert "File says: Globex, CTO; Hallway keeps: Acme" in page and "Adds: email<" in page
    client.post("/import/people/add", data={"token": token(page), "matches": ["0"]})
    ann = people()["Ann Lee"]
    assert (ann.company, ann.role, ann.email) == ("Acme", "", "ann@globex.example")
