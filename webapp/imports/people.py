"""Your LinkedIn connections (LinkedIn's own Connections.csv export) and your contacts (a phone's .vcf, or a CSV
from Google Contacts or Outlook), matched to the people already in Hallway.

Both files are read as a stream, one row or card at a time, so a 10,000-connection export takes seconds.
Someone already in Hallway is found by LinkedIn profile, then by email (contacts only), then by name and
company; a name-and-company match is only a guess, so it is shown for the user to confirm. Nobody else
becomes a person met unless the user picks them.
"""

import codecs
import csv
import datetime
import io
import itertools
import re

import charset_normalizer

from .. import rules
from ..linkedin import NotAProfile, canonical_profile_url
from ..models import Person, label_of
from .contact_cards import LIMITS, TooManyCards, read_cards

# Connections.csv's columns, found by their names wherever they are: exports before mid-2023 have no URL column,
# and a file opened and saved again in a spreadsheet may have its columns moved or dropped, or semicolons between
# them (Excel in much of Europe).
COLUMNS = {"first": ("first name",), "last": ("last name",), "url": ("url",), "email": ("email address",),
           "company": ("company",), "position": ("position",), "connected": ("connected on",)}
DELIMITERS = (",", ";", "\t")
# LinkedIn puts a few lines of notes before the header; more than this and it is some other file.
MAX_PREAMBLE_LINES = 20
# Connections not met through Hallway offered to pick from: the most recently connected first (contacts in
# the file's order).
MAX_OTHERS_SHOWN = 200
# A phone's contacts read in about 5 seconds (vobject reads some 2,000 cards a second); the worker has 30.
MAX_CARDS = 10_000
FIELDS = ("name", "company", "role", "email", "phone", "linkedin_url")
JOB = ("company", "role")
# How a match is found that is ticked to begin with (under the same name): their contact card from Hallway, their
# LinkedIn profile or email. A phone number alone waits to be ticked: a contact with no name that has it may be
# anyone who answers it (a switchboard, a shared phone, the number given to someone else since).
SURE = ("card", "linkedin", "email")


class ContactsError(ValueError):
    """The file is not what the import expects; the message says what is."""


def read_connections(stream):
    """The connections in a Connections.csv byte stream: dicts of FIELDS plus "connected_on" (ISO date or "")."""
    text = _text_of(stream, "LinkedIn's Connections.csv")
    for number, line in enumerate(text):
        header = _header(line)
        if header:
            break
        if number >= MAX_PREAMBLE_LINES:
            raise _not_connections()
    else:
        raise _not_connections()
    delimiter, columns = header
    rows_start = text.tell()
    day_first = _day_first((cell.get("connected", "") for cell in _cells(text, delimiter, columns)), delimiter)
    text.seek(rows_start)
    for cell in _cells(text, delimiter, columns):
        first, last, url = cell["first"], cell["last"], cell.get("url", "")
        person = {"name": " ".join(p for p in (first, last) if p), "company": cell.get("company", ""),
                  "role": cell.get("position", ""), "email": cell.get("email", ""), "phone": "",
                  "linkedin_url": _profile(url), "connected_on": _date(cell.get("connected", ""), day_first)}
        if person["name"] or person["linkedin_url"]:
            yield _fitted(person)


def _cells(lines, delimiter, columns):
    """Each row that is not empty, as {field: its cell}."""
    for row in csv.reader(lines, delimiter=delimiter):
        if any(cell.strip() for cell in row):
            yield {key: _tidy(row[i]) if i < len(row) else "" for key, (i, *_) in columns.items()}


def _header(line):
    """Connections.csv's header: a first and a last name and at least one more of its columns. None for a line
    of the notes before it, or of another file."""
    return _columns_of(line, _CONNECTION_COLUMN_KEYS, lambda found: {"first", "last"} <= found and len(found) >= 3)


def _columns_of(line, column_keys, is_header):
    """(delimiter, {field: [column indexes, best first]}) when this line is a header, as is_header(the fields
    found) says; column_keys: each column's name -> (field, rank). None otherwise."""
    for delimiter in DELIMITERS:
        ranked = {}
        for index, name in enumerate(next(csv.reader([line], delimiter=delimiter), [])):
            if name.strip().lower() in column_keys:
                key, rank = column_keys[name.strip().lower()]
                ranked.setdefault(key, []).append((rank, index))
        if is_header(ranked.keys()):
            return delimiter, {key: [index for _, index in sorted(found)] for key, found in ranked.items()}
    return None


def _column_keys(columns):
    """{field: (column names, best first)} as each column's name -> (field, rank)."""
    return {name: (key, rank) for key, names in columns.items() for rank, name in enumerate(names)}


def read_contacts(stream):
    """The contacts in a .vcf byte stream, or in a CSV file of contacts as Google Contacts and Outlook export them:
    dicts of FIELDS, one per contact (Preview leaves out those with nothing to show them by: shows_someone)."""
    text = _text_of(stream, "a contacts file (.vcf or .csv)")
    opening = text.read(200).lstrip().upper()
    text.seek(0)
    if opening.startswith("BEGIN:VCARD"):
        return _cards(text)
    return _contact_rows(text)


# A CSV file of contacts: Google Contacts' "Google CSV" (its columns since 2023, and the older ones) and
# "Outlook CSV" (as Google Contacts and Outlook write it, Outlook in English, German or French: Outlook names the
# columns in its own language), and Hallway's own export. Each field is read from the first of its columns that
# has a value; Google puts several values in one cell with " ::: " between them. French Outlook's "Titre" is
# both the title before a name and the job title: neither is read.
CONTACT_COLUMNS = {
    "name": ("name", "display name"),
    "first": ("first name", "given name", "vorname", "prénom"),
    "middle": ("middle name", "additional name", "weitere vornamen", "deuxième prénom"),
    "last": ("last name", "family name", "nachname", "nom"),
    "company": ("organization name", "organization 1 - name", "company", "firma", "société"),
    "role": ("organization title", "organization 1 - title", "job title", "role", "position"),
    "email": ("e-mail 1 - value", "e-mail address", "e-mail 2 - value", "e-mail 2 address", "e-mail 3 - value",
              "e-mail 3 address", "email", "email address", "e-mail-adresse", "e-mail 2: adresse",
              "e-mail 3: adresse", "adresse de messagerie", "adresse de messagerie 2", "adresse de messagerie 3"),
    "phone": ("phone 1 - value", "mobile phone", "primary phone", "business phone", "home phone", "phone 2 - value",
              "other phone", "phone", "mobiltelefon", "haupttelefon", "telefon geschäftlich", "telefon privat",
              "telefon (privat)", "weiteres telefon", "téléphone mobile", "tél. mobile", "téléphone principal",
              "téléphone (bureau)", "téléphone (domicile)", "téléphone (autre)"),
    # Hallway's own export: someone logged by a few words ("red jacket, Postgres talk") has only these.
    "description": ("description",),
    "websites": ("website 1 - value", "website 2 - value", "website 3 - value", "website 4 - value", "web page",
                 "personal web page", "business web page", "linkedin", "webseite", "page web"),
}
_CONNECTION_COLUMN_KEYS, _CONTACT_COLUMN_KEYS = _column_keys(COLUMNS), _column_keys(CONTACT_COLUMNS)
CONNECTIONS_NOT_CONTACTS = ("This is LinkedIn's Connections.csv: bring it in with “Import your LinkedIn connections” "
                            "on the Export & import page.")
NOT_CONTACTS = ("This is not a contacts file. Export your contacts as a vCard file (.vcf) from the phone's Contacts "
                "app, or as Google CSV or Outlook CSV from Google Contacts or Outlook. Hallway reads an Outlook CSV "
                "with its columns in English, German or French; from Outlook in another language, export a vCard "
                "file, or Google CSV from Google Contacts.")


def _contact_rows(text):
    lines = iter(text)
    # A name column and an email, phone or company one.
    header = _columns_of(next(lines, ""), _CONTACT_COLUMN_KEYS,
                         lambda found: found & {"name", "first", "last"} and found & {"email", "phone", "company"})
    if header is None:
        text.seek(0)
        if any(_header(line) for line in itertools.islice(text, MAX_PREAMBLE_LINES + 1)):
            raise ContactsError(CONNECTIONS_NOT_CONTACTS)
        raise ContactsError(NOT_CONTACTS)
    delimiter, columns = header
    for row in csv.reader(lines, delimiter=delimiter):
        values = {key: [v for v in (_first_value(row, i) for i in indexes) if v] for key, indexes in columns.items()}
        cell = {key: found[0] for key, found in values.items() if found}  # each field's best value
        name = cell.get("name") or " ".join(cell.get(part, "") for part in ("first", "middle", "last")).strip()
        linkedin_url = next((p for p in map(_profile, values.get("websites", [])) if p), "")
        person = {"name": " ".join(name.split()), "linkedin_url": linkedin_url, "connected_on": "",
                  **{key: cell.get(key, "") for key in ("company", "role", "email", "phone", "description")}}
        if any(c.strip() for c in row):  # a blank line (or a spreadsheet's row of empty cells) is no contact
            yield _fitted(person)


def _first_value(row, index):
    """A cell's first value ("a@x.org ::: b@y.org" in Google's files), with its spaces tidied."""
    value = row[index] if index < len(row) else ""
    return _tidy(value.split(":::")[0])


def _tidy(cell):
    """A cell's text on one line, without the quote a spreadsheet export puts before "+49 ..." or "=..." so that
    it is not run as a formula (Hallway's own CSV export does)."""
    text = " ".join(cell.split())
    return text[1:] if text[:1] == "'" and text[1:2] in rules.FORMULA_STARTS else text


def _cards(text):
    """The people of a .vcf file; a damaged card among good ones is left out, a file of only damaged ones
    refused."""
    try:
        cards, damaged = read_cards(text, MAX_CARDS)
    except TooManyCards as too_many:
        raise ContactsError(f"This file holds {too_many.args[0]:,} contacts: Hallway reads up to {MAX_CARDS:,} at "
                            "a time. Export fewer at a time (on an iPhone: one list of them).") from None
    if damaged and not cards:
        raise ContactsError("A card in this file is damaged and could not be read. "
                            "Export the contacts again and retry.")
    for person in cards:
        yield _fitted({**person, "connected_on": ""})


class Matcher:
    """Finds who in the user's Hallway a connection or contact already is (one query for all of them)."""

    def __init__(self, owner_id=None):
        """Everyone in the owner's Hallway; with no owner, nobody yet (people are remembered one by one)."""
        self.by_profile, self.by_email, self.by_phone, self.by_name, self.by_name_alone = {}, {}, {}, {}, {}
        self.people, self._by_card = [], None
        if owner_id is None:
            return
        for person in Person.select().where(Person.owner == owner_id).order_by(Person.id):
            self.remember(person)

    def by_card(self, uid):
        """The person whose Hallway contact card has this UID (worked out at the first card that has one)."""
        if self._by_card is None:
            self._by_card = {p.card_uid: p for p in self.people}
        return self._by_card.get(uid)

    def remember(self, person):
        self.people.append(person)
        self._by_card = None
        if person.linkedin_url:
            self.by_profile.setdefault(person.linkedin_url, person)
        if person.email:
            self.by_email.setdefault(person.email.lower(), person)
        if rules.phone_ending(person.phone):
            self.by_phone.setdefault(rules.phone_ending(person.phone), []).append(person)
        # Someone logged by a few words ("red jacket, Postgres talk") goes out under them as their name; someone
        # known by a company alone ("Someone at Globex") under no name and it.
        name = person.name or person.description
        if name or person.company:
            self.by_name.setdefault(_name_key(name, person.company), []).append(person)
        if name:
            self.by_name_alone.setdefault(_name_key(name, "")[0], []).append(person)

    def match(self, row):
        """(person, how) or (None, None); how is "linkedin", "email", "phone", "name" or "namesake" (the last two
        to confirm). A name matches with the same company, or with no company on either side ("name"), or with a
        company on one side only ("namesake": Ann Lee logged at a meetup is likely Ann Lee, CTO at Acme, on
        LinkedIn). Two Wei Zhangs at Google with different LinkedIn profiles, or different emails or phones, are
        two people. A phone number finds only a contact known by nothing more (one office's switchboard is many
        people's); a contact with only a company, someone of that company with no name (asked, as a name is)."""
        carded = self.by_card(row["uid"]) if row.get("uid") else None
        if carded is not None:  # Hallway's own card of them
            return carded, "card"
        if row["linkedin_url"] and row["linkedin_url"] in self.by_profile:
            return self.by_profile[row["linkedin_url"]], "linkedin"
        if row["email"] and row["email"].lower() in self.by_email:
            return self.by_email[row["email"].lower()], "email"
        # Someone logged by a few words goes by them, as Hallway's own exports write them.
        row = {**row, "name": row["name"] or row.get("description", "")}
        nameless = not (row["name"] or row["email"] or row["linkedin_url"])
        if nameless:
            dialled = self.by_phone.get(rules.phone_ending(row["phone"]), [])
            person = next((p for p in dialled if rules.same_phone(p.phone, row["phone"])), None)
            if person is not None:
                return person, "phone"
        named = row["name"] or (nameless and row["company"])
        if not named:
            return None, None
        person = _namesake(self.by_name.get(_name_key(row["name"], row["company"]), []), row)
        if person is not None:
            return person, "name"
        if row["name"]:
            alone = [p for p in self.by_name_alone.get(_name_key(row["name"], "")[0], [])
                     if not (p.company and row["company"])]
            person = _namesake(alone, row)
            if person is not None:
                return person, "namesake"
        return None, None


def _namesake(namesakes, row):
    """The one of the namesakes the row may be: the one with its LinkedIn profile (both with none, as two
    rows of one export without profiles), else the first not told apart from it."""
    possible = [p for p in namesakes if not _told_apart(p, row)]
    return next((p for p in possible if p.linkedin_url == row["linkedin_url"]), possible[0] if possible else None)


def _told_apart(person, row):
    """Whether the person and the row, of the same name, are known to be two people: each has a LinkedIn
    profile, or each an email, or each a phone, and they differ."""
    return ((person.linkedin_url and row["linkedin_url"] and person.linkedin_url != row["linkedin_url"])
            or (person.email and row["email"] and person.email.lower() != row["email"].lower())
            or rules.other_phone(person.phone, row["phone"]))


def shows_someone(row):
    """Whether a row read from a file has something to recognise the person by (rules.recognisable). A card with
    only a note or a birthday has not."""
    return rules.recognisable(row)


class Preview:
    """What an import would do: people to update (with how they were matched), and others to pick from. Someone
    already in Hallway with nothing new in the file is only counted: a file imported again offers only what it
    would change, however many people it holds."""

    def __init__(self, owner_id, rows):
        matcher = Matcher(owner_id)
        self.matches, others, self.total, self.skipped, self.up_to_date, self.differing = [], [], 0, 0, 0, 0
        read = _ReadSoFar()
        for row in rows:
            if not shows_someone(row):
                self.skipped += 1
                continue
            if read.again(row):
                continue
            self.total += 1
            row = {**row, "label": label_of(row["name"], row.get("description", ""), row["email"], row["phone"],
                                            row["company"])}
            person, how = matcher.match(row)
            if person is None:
                others.append(row)
                continue
            # Another row for someone already matched (a second Wei Zhang at Google, with a profile of his own)
            # is another person the match may be: offered to confirm too.
            filled, kept = changes(person, row), kept_over(person, row)
            if filled:
                self.matches.append({**row, "person": person.id, "updates": person.label, "how": how,
                                     "same_name": _same_name(person, row), "changes": filled, "kept": kept})
            else:
                self.up_to_date += 1
                self.differing += bool(kept)
        # Contacts have no date: they stay in the file's order.
        self.by_date = any(r["connected_on"] for r in others)
        others.sort(key=lambda r: r["connected_on"], reverse=True)
        self.others_total = len(others)
        self.others = others[:MAX_OTHERS_SHOWN]

    def ticked(self):
        """The matches ticked to begin with: the first found for each person, by their LinkedIn profile or email,
        under the same name. An email shared by two people (info@acme.example), or a LinkedIn profile
        noted on the wrong person, waits for the user to say it is them, as a name does."""
        ticked, people = [], set()
        for index, match in enumerate(self.matches):
            if match["how"] in SURE and match["same_name"] and match["person"] not in people:
                ticked.append(index)
            people.add(match["person"])
        return ticked

    @property
    def known(self):
        """How many in the file are already in Hallway."""
        return len(self.matches) + self.up_to_date


def changes(person, row):
    """The fields an import would fill on a person: only empty ones, and the LinkedIn connection. A company and
    a role are one job: where the file's differs from Hallway's (kept_over), neither is filled from it, so no
    role of the file lands at the company Hallway keeps."""
    other_job = bool(kept_over(person, row))
    filled = {k: row[k] for k in FIELDS
              if k != "name" and row[k] and not getattr(person, k) and not (other_job and k in JOB)}
    if row.get("connected_on") and (not person.connected_on_linkedin or not person.linkedin_connected_on):
        filled["linkedin_connected_on"] = row["connected_on"]
    return filled


def kept_over(person, row):
    """What Hallway keeps of a person where the file says otherwise (their company and role, as noted in Hallway:
    an import only fills what is empty), or {} when the file says the same or nothing."""
    differs = any(row[k] and getattr(person, k) and _name_key(row[k], "") != _name_key(getattr(person, k), "")
                  for k in JOB)
    return {k: getattr(person, k) for k in JOB} if differs else {}


def apply(owner_id, matches, picked_others):
    """Update the confirmed matches and add the picked others. Call inside db.write(). Returns counts."""
    updated = unchanged = added = 0
    people = {p.id: p for p in Person.select().where(Person.owner == owner_id,
                                                     Person.id.in_([m["person"] for m in matches] or [0]))}
    for match in matches:
        person = people.get(match["person"])
        if person is None:  # deleted since the preview
            continue
        filled = changes(person, match)
        if not filled:
            unchanged += 1
            continue
        for key, value in filled.items():
            if key == "linkedin_connected_on":
                person.connected_on_linkedin = True
                value = datetime.date.fromisoformat(value)
            setattr(person, key, value)
        person.save()
        updated += 1
    # A row picked twice, or a second import of the same file, adds nobody twice; two rows of one name are two
    # people unless they are the same row (Preview lists each once).
    matcher, added_rows = Matcher(owner_id), set()
    for row in picked_others:
        if same_row(row) in added_rows or matcher.match(row)[0] is not None:
            unchanged += 1
            continue
        added_rows.add(same_row(row))
        connected = row.get("connected_on")
        person = Person.create(owner=owner_id, **{k: row[k] for k in FIELDS}, description=row.get("description", ""),
                               connected_on_linkedin=bool(connected),
                               linkedin_connected_on=datetime.date.fromisoformat(connected) if connected else None)
        added += 1
    return {"updated": updated, "unchanged": unchanged, "added": added}


def same_row(row):
    """All a row says of someone, in any case: two rows saying the same are one person."""
    return tuple(" ".join(row.get(k, "").lower().split()) for k in (*FIELDS, "description"))


class _ReadSoFar:
    """The people of a file read so far. A file may hold someone twice: Hallway's own CSV has a row per event, a
    phone's export one card per account a contact is in; each is one person when the rows say the same, or go
    by one name and share a LinkedIn profile, an email or a phone. Every connection in LinkedIn's export is a
    row of its own: two namesakes at one company, one with no profile to show, are two people."""

    def __init__(self):
        self.rows, self.by_name = set(), {}

    def again(self, row):
        """Whether the row is someone read before; remembered when not."""
        if same_row(row) in self.rows:
            return True
        namesakes = self.by_name.setdefault(_name_key(row["name"] or row.get("description") or row["company"], "")[0],
                                            [])
        if any(_share_a_way_to_reach(other, row) for other in namesakes):
            return True
        self.rows.add(same_row(row))
        namesakes.append(row)
        return False


def _share_a_way_to_reach(one, other):
    return ((one["linkedin_url"] and one["linkedin_url"] == other["linkedin_url"])
            or (one["email"] and one["email"].lower() == other["email"].lower())
            or (one["phone"] and rules.same_phone(one["phone"], other["phone"])))


def _same_name(person, row):
    """Whether a person matched by something else (an email, a profile) goes by the row's name, or either goes
    by none."""
    name, row_name = person.name or person.description, row["name"] or row.get("description", "")
    return not name or not row_name or _name_key(name, "") == _name_key(row_name, "")


def _name_key(name, company):
    return (" ".join(name.lower().split()), " ".join((company or "").lower().split()))


MOST_USED_CODE_PAGE = "cp1252"


def _text_of(stream, what):
    """The uploaded file (at most MAX_CONTENT_LENGTH) as text. Exports are UTF-8, but a file saved again by a
    spreadsheet or exported by Outlook on Windows is in the computer's code page (Windows-1252 in western
    Europe and the Americas, 1250, 1251...) or UTF-16: told by its byte order mark, else guessed by
    charset-normalizer from the text itself. A file that reads as no text at all is refused."""
    # NUL means nothing in a name or a note (a spreadsheet's padding), and PostgreSQL cannot store it.
    return io.StringIO(rules.drop_nul(_decoded(stream.read(), what)), newline="")


def _decoded(data, what):
    not_text = ContactsError(f"This file is not text Hallway can read. Choose {what}.")
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
                          (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise not_text from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        guesses = charset_normalizer.from_bytes(data)
    best = guesses.best()
    if best is None:
        raise not_text
    # A few names read as well in several western code pages ("Crème" is "Crčme" in Windows-1250): the one
    # most computers use is taken among those that read equally well.
    tied = [g for g in guesses if (g.chaos, g.coherence) == (best.chaos, best.coherence)]
    return str(next((g for g in tied if MOST_USED_CODE_PAGE in g.could_be_from_charset), best))


def _not_connections():
    return ContactsError("This is not LinkedIn's Connections.csv: its columns should be First Name, Last Name, "
                         "URL, Email Address, Company, Position and Connected On (older exports have no URL). "
                         "On LinkedIn: Settings, Data privacy, Get a copy of your data, Connections.")


def _profile(url):
    try:
        return canonical_profile_url(url) if url else ""
    except NotAProfile:
        return ""


MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                      "dec"), 1)}


# LinkedIn's older form, then what a spreadsheet writes when it saves the file again: "4-Apr-21", "2021-04-23",
# "23.04.2021", and "4/23/2021" or "23/04/2021" (see _day_first).
DATE_FORMS = ("%d %b %Y", "%Y-%m-%d", "%d %B %Y", "%d-%b-%y", "%d-%b-%Y", "%d.%m.%Y")
MONTH_FIRST, DAY_FIRST = ("%m/%d/%y", "%m/%d/%Y"), ("%d/%m/%y", "%d/%m/%Y")
SLASHED_DATE = re.compile(r"\s*(\d{1,2})/(\d{1,2})/\d{2,4}\s*$")


def _day_first(dates, delimiter):
    """Whether the file's "05/04/2017" is 5 April: one order for the whole file, as the spreadsheet that saved it
    wrote them all, told by its dates that can be read one way only ("23/04/2017", or "4/23/2017"). A file with
    none of those is read as LinkedIn's own older export ("11/23/26"), unless semicolons separate its columns:
    the spreadsheets that write those (Excel in most of Europe and Latin America) write the day first."""
    days_first = months_first = 0
    for text in dates:
        found = SLASHED_DATE.match(text)
        if found:
            days_first += int(found[1]) > 12
            months_first += int(found[2]) > 12
    if days_first == months_first:
        return delimiter == ";"
    return days_first > months_first


def _date(text, day_first=False):
    """LinkedIn writes "23 Nov 2026" (older exports "11/23/26"); an unknown form gives no date. A date with
    slashes is read in the file's order, or the other where it can only be that ("23/04/2017")."""
    parts = text.split()
    if len(parts) == 3 and parts[0].isdigit() and parts[2].isdigit() and parts[1][:3].lower() in MONTHS:
        try:  # the usual form, read without strptime: 10,000 rows stay quick
            return datetime.date(int(parts[2]), MONTHS[parts[1][:3].lower()], int(parts[0])).isoformat()
        except ValueError:
            return ""
    for pattern in DATE_FORMS + (DAY_FIRST + MONTH_FIRST if day_first else MONTH_FIRST + DAY_FIRST):
        try:
            return datetime.datetime.strptime(text.strip(), pattern).date().isoformat()
        except ValueError:
            continue
    return ""


def _fitted(person):
    """The person with each field within its length, and an email only where it could be one; with the few words
    someone with no name was logged by, and their contact card's UID, empty where the file has none."""
    email = person.get("email", "")
    if email and not rules.could_be_email(email):
        person = {**person, "email": ""}
    person = {"description": "", "uid": "", **person}
    return {k: (v[:LIMITS[k]] if k in LIMITS else v) for k, v in person.items()}
