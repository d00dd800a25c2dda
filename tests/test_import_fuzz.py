"""Whatever bytes arrive as a calendar, contacts, LinkedIn connections or a backup, the answer is what the file
holds, storable as it is, or a message: never a crash."""

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from webapp.imports.calendar import CalendarError, read_calendar
from webapp.imports.contact_cards import LIMITS
from webapp.imports.people import ContactsError, read_connections, read_contacts
from webapp.imports.restore import BackupError, read_backup

CONTACTS = (Path(__file__).parent / "data" / "contacts" / "csv" / "outlook-csv.csv").read_bytes()
CONNECTIONS = (Path(__file__).parent / "data" / "linkedin" / "2025-notes-url.csv").read_bytes()

MEETUP = (Path(__file__).parent / "data" / "meetup-pydata-berlin.ics").read_bytes()
LINES = MEETUP.split(b"\r\n")
FIRST_EVENT = slice(LINES.index(b"BEGIN:VEVENT"), LINES.index(b"END:VEVENT") + 1)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def read(data):
    try:
        found = read_calendar(data, ZoneInfo("Europe/London"), datetime.date(2030, 1, 1))
    except CalendarError as e:
        assert str(e)
        return None
    for event in found.events:
        datetime.date.fromisoformat(event["starts_on"])
        assert len(event["name"]) <= 200 and len(event["place"]) <= 200 and len(event["link"]) <= 500
        assert storable(event.values())
    return found


def storable(values):
    """Text PostgreSQL can store: no NUL (it refuses one) and no half of a UTF-16 pair (not UTF-8)."""
    return all("\x00" not in v and not any("\ud800" <= c <= "\udfff" for c in v) for v in values if isinstance(v, str))


def read_people(reader, data):
    import io

    try:
        rows = list(reader(io.BytesIO(data)))
    except ContactsError as e:
        assert str(e)
        return
    for row in rows:
        assert storable(row.values()), row
        assert all(len(row[key]) <= limit for key, limit in LIMITS.items()), row


@FUZZ
@given(st.binary(max_size=2000))
def test_any_bytes_as_contacts_or_connections_get_people_or_a_message(data):
    read_people(read_contacts, data)
    read_people(read_connections, data)


def damaged(export, damage, encoding):
    data = bytearray(export.decode("utf-8-sig").encode(encoding, "replace"))
    for at, junk in damage:
        data[at % len(data):at % len(data)] = junk
    return bytes(data)


DAMAGE = st.lists(st.tuples(st.integers(0, 2000), st.binary(max_size=40)), max_size=6)
ENCODINGS = st.sampled_from(["utf-8", "cp1252", "utf-16"])


@FUZZ
@given(DAMAGE, ENCODINGS)
@example([(CONTACTS.index(b"Margaret") + 3, b"\x00")], "utf-8")  # a NUL in a name: PostgreSQL refuses it
def test_contacts_with_damaged_bytes_get_people_or_a_message(damage, encoding):
    read_people(read_contacts, damaged(CONTACTS, damage, encoding))


@FUZZ
@given(DAMAGE, ENCODINGS)
@example([(CONNECTIONS.index(b"Hedy") + 2, b"\x00")], "utf-8")
def test_connections_with_damaged_bytes_get_people_or_a_message(damage, encoding):
    read_people(read_connections, damaged(CONNECTIONS, damage, encoding))


@FUZZ
@given(st.binary(max_size=2000))
def test_any_bytes_as_a_calendar_get_events_or_a_message(data):
    read(data)


@FUZZ
@given(st.lists(st.tuples(st.integers(0, len(LINES) - 1), st.binary(max_size=40)), max_size=6))
def test_a_meetup_file_with_damaged_lines_gets_events_or_a_message(damage):
    lines = list(LINES)
    for index, junk in damage:
        lines[index] = lines[index][: len(junk) % (len(lines[index]) + 1)] + junk
    read(b"\r\n".join(lines))


@FUZZ
@given(st.lists(st.sampled_from(LINES[FIRST_EVENT]), max_size=40))
def test_event_lines_in_any_order_get_events_or_a_message(middle):
    read(b"\r\n".join(LINES[:FIRST_EVENT.start] + middle + [b"END:VCALENDAR", b""]))


@FUZZ
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                                max_size=4), max_leaves=30))
def test_any_json_as_a_backup_is_refused_with_a_message(value):
    import json

    try:
        read_backup(json.dumps(value).encode())
    except BackupError as e:
        assert str(e)
