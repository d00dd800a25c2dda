"""Whatever bytes arrive as a calendar or a backup, the answer is the file's events or a message, never a crash."""

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from webapp.imports.calendar import CalendarError, read_calendar
from webapp.imports.restore import BackupError, read_backup

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
    return found


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
