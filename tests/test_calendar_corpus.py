"""Calendars as other projects test them (tests/data/calendars: icalendar's, ical.js's, node-ical's and vobject's
test files), repeating events offered as their upcoming occurrences, and events whose end cannot be read kept."""

import datetime
import re
import time
import warnings
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from conftest import queries_run
from test_calendar_import import MEETUP, add, import_all, picked, stored, upload

from webapp import db
from webapp.imports.calendar import CalendarError, read_calendar
from webapp.models import Event

CORPUS = sorted((Path(__file__).parent / "data" / "calendars").rglob("*.ics"))
TODAY = datetime.date(2026, 11, 23)


def events_icalendar_reads_a_start_from(data):
    """The UIDs of the events icalendar itself finds a start for (cancelled ones aside, as is all a cancellation
    holds: METHOD:CANCEL)."""
    try:
        calendars = icalendar.Calendar.from_ical(data.decode("utf-8-sig", "replace"), multiple=True)
    except Exception:
        return set()
    uids = set()
    for calendar in calendars:
        if str(calendar.get("METHOD", "")).strip().upper() == "CANCEL":
            continue
        for event in calendar.walk("VEVENT"):
            try:
                if event.get("DTSTART").dt is None:
                    continue
            except Exception:
                continue
            if str(event.get("STATUS", "")).upper() != "CANCELLED":
                uids.add(str(event.get("UID", "")).strip())
    return uids


# icalendar warns when it guesses a zone from a vendor's TZID; the guess is what the import wants.
@pytest.mark.filterwarnings("ignore::UserWarning")
def test_the_calendar_corpus_reads_with_no_exception_and_offers_every_event_with_a_start():
    assert len(CORPUS) >= 300
    refused, missing, offered = 0, [], 0
    for path in CORPUS:
        data = path.read_bytes()
        try:
            found = read_calendar(data, ZoneInfo("Europe/London"), TODAY)
        except CalendarError:
            found = None  # a clear message for the user, not a crash
            refused += 1
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = events_icalendar_reads_a_start_from(data)
        if found is None:
            missing += [(path.name, uid) for uid in expected]
            continue
        offered += len(found.events)
        if found.capped:
            assert found.total >= len(expected)
            continue
        uids = [e["uid"] for e in found.events]
        missing += [(path.name, uid) for uid in expected
                    if uid and not any(u == uid or u.startswith(uid + "@") for u in uids)]
    assert missing == []
    assert offered >= 500
    print(f"\nCalendar corpus: {len(CORPUS)} files, 0 exceptions, {offered} events offered, {refused} files "
          "refused with a message (no events in them)")


SERIES = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Hallway tests//EN\r
{first}{second}END:VCALENDAR\r
"""
CHANGED = """BEGIN:VEVENT\r
UID:weekly-python@example.org\r
RECURRENCE-ID;TZID=Europe/Berlin:20261208T183000\r
DTSTART;TZID=Europe/Berlin:20261208T190000\r
DTEND;TZID=Europe/Berlin:20261208T210000\r
SUMMARY:Python Users Berlin (moved to 19:00)\r
END:VEVENT\r
"""
MASTER = """BEGIN:VEVENT\r
UID:weekly-python@example.org\r
DTSTART;TZID=Europe/Berlin:20261201T183000\r
DTEND;TZID=Europe/Berlin:20261201T203000\r
RRULE:FREQ=WEEKLY;COUNT=5\r
EXDATE;TZID=Europe/Berlin:20261215T183000\r
SUMMARY:Python Users Berlin\r
LOCATION:c-base\r
END:VEVENT\r
"""


@pytest.mark.parametrize("order", ["series first", "changed instance first"])
def test_a_repeating_event_is_offered_as_its_occurrences_with_changes_and_cancellations(order):
    first, second = (MASTER, CHANGED) if order == "series first" else (CHANGED, MASTER)
    found = read_calendar(SERIES.format(first=first, second=second).encode(), ZoneInfo("UTC"), TODAY)
    shown = [(e["starts_on"], e["start_time"], e["name"]) for e in found.events]
    assert shown == [
        ("2026-12-01", "18:30", "Python Users Berlin"),
        ("2026-12-08", "19:00", "Python Users Berlin (moved to 19:00)"),
        # 15 December is cancelled by EXDATE
        ("2026-12-22", "18:30", "Python Users Berlin"),
        ("2026-12-29", "18:30", "Python Users Berlin"),
    ]
    assert len({e["uid"] for e in found.events}) == 4
    assert all(e["place"] == "c-base" for e in found.events if "moved" not in e["name"])


def moved_to_start(text, first):
    """The series with its first occurrence on `first` instead of 1 December 2026, the rest of it kept a week apart:
    a page offers only the occurrences still to come, and the tests run on any day."""
    # All at once: one by one, a day moved onto another day of the series would be moved again.
    days = {(datetime.date(2026, 12, 1) + datetime.timedelta(weeks=week)).strftime("%Y%m%d"):
            (first + datetime.timedelta(weeks=week)).strftime("%Y%m%d") for week in range(5)}
    return re.sub("|".join(days), lambda day: days[day.group()], text)


def test_picked_occurrences_become_events_of_their_own_and_importing_again_adds_none(client, user):
    first = datetime.date.today() + datetime.timedelta(days=7)
    data = moved_to_start(SERIES.format(first=MASTER, second=CHANGED), first).encode()
    page = upload(client, data).get_data(as_text=True)
    token, ticked, count = picked(page)
    assert count == 4
    client.post("/import/calendar/add", data={"token": token, "events": ["0", "2"]})
    assert sorted(e.starts_on for e in stored().values()) == [first, first + datetime.timedelta(weeks=3)]
    token, _, _ = picked(upload(client, data).get_data(as_text=True))
    client.post("/import/calendar/add", data={"token": token, "events": ["0", "1", "2", "3"]})
    assert len(stored()) == 4


WEEKLY = """BEGIN:VEVENT\r
UID:abc@google.com\r
DTSTART;TZID=Europe/Berlin:{first:%Y%m%d}T{hour}\r
DURATION:PT2H\r
RRULE:FREQ=WEEKLY;COUNT=4\r
SUMMARY:Rust Berlin\r
END:VEVENT\r
"""
# The organiser moves the second date to the day after.
MOVED_ONE = """BEGIN:VEVENT\r
UID:abc@google.com\r
RECURRENCE-ID;TZID=Europe/Berlin:{second:%Y%m%d}T{hour}\r
DTSTART;TZID=Europe/Berlin:{moved:%Y%m%d}T{hour}\r
DURATION:PT2H\r
SUMMARY:Rust Berlin\r
END:VEVENT\r
"""


def weekly(hour="190000", moved=False):
    """(a weekly series' file, its four days): a week from today on, so that all four are still to come."""
    days = [datetime.date.today() + datetime.timedelta(weeks=week) for week in range(1, 5)]
    changed = MOVED_ONE.format(second=days[1], moved=days[1] + datetime.timedelta(days=1), hour=hour)
    text = SERIES.format(first=WEEKLY.format(first=days[0], hour=hour), second=changed if moved else "")
    return text.encode(), [days[0], days[1] + datetime.timedelta(days=moved), *days[2:]]


def flashed(client, response):
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_an_occurrence_moved_to_another_day_updates_the_event_imported_before(client, user):
    import_all(client, weekly()[0])
    moved, days = weekly(moved=True)
    assert upload(client, moved).get_data(as_text=True).count("Already imported: will be updated") == 4
    response = import_all(client, moved)
    assert "1 already imported and updated; 3 already imported and unchanged." in flashed(client, response)
    assert sorted(e.starts_on for e in stored().values()) == days


def test_a_series_moved_to_another_hour_updates_the_events_imported_before(client, user):
    import_all(client, weekly()[0])
    earlier, days = weekly(hour="183000")
    assert upload(client, earlier).get_data(as_text=True).count("Already imported: will be updated") == 4
    response = import_all(client, earlier)
    assert "4 already imported and updated." in flashed(client, response)
    assert sorted((e.starts_on, e.start_time) for e in stored().values()) == [
        (day, datetime.time(18, 30)) for day in days]


def test_an_occurrence_cancelled_since_the_series_was_imported_is_named_with_a_link_to_delete_it(client, user):
    """Google's file of a series, downloaded again once one date is called off (RECURRENCE-ID, STATUS:CANCELLED):
    that date's event, imported before, is named on the pick page with its delete page; the other dates are not."""
    data, days = weekly()
    import_all(client, data)
    second = next(e for e in stored().values() if e.starts_on == days[1])
    called_off = MOVED_ONE.format(second=days[1], moved=days[1], hour="190000").replace(
        "SUMMARY:", "STATUS:CANCELLED\r\nSUMMARY:")
    page = upload(client, SERIES.format(first=WEEKLY.format(first=days[0], hour="190000"), second=called_off)
                  .encode()).get_data(as_text=True)
    assert picked(page)[2] == 3 and "1 cancelled event was left out." in page
    assert f'<a href="/events/{second.id}">Rust Berlin</a>, {days[1]:%a %-d %b %Y}: ' \
           f'<a href="/events/{second.id}/delete">delete it</a>' in page
    assert page.count("/delete") == 1


def test_occurrences_imported_by_earlier_versions_are_updated_not_doubled(client, user):
    """Hallway used to know an occurrence by the day and time it started: a calendar imported then, its series
    now moved to 18:30 and one date to the next day, updates those events."""
    first_days = weekly()[1]
    import_all(client, weekly()[0])
    with db.database().connection_context(), db.write():
        for event in Event.select():
            event.ics_uid = f"abc@google.com@{event.starts_on.isoformat()}T{event.start_time.isoformat()}"
            event.save()
    changed, days = weekly(hour="183000", moved=True)
    response = import_all(client, changed)
    assert "4 already imported and updated." in flashed(client, response)
    assert sorted(stored()) == [f"abc@google.com@{day.isoformat()}" for day in first_days]
    assert sorted((e.starts_on, e.start_time) for e in stored().values()) == [
        (day, datetime.time(18, 30)) for day in days]


def test_an_event_whose_end_cannot_be_read_is_kept_with_its_start_and_says_so(client, user):
    broken = MEETUP.replace(b"DTEND;TZID=Europe/Berlin:20241017T210000", b"DTEND;TZID=Europe/Berlin:later")
    assert broken != MEETUP
    page = upload(client, broken).get_data(as_text=True)
    assert picked(page)[2] == 3
    assert "1 event has an end time that could not be read: it is added with its start only." in page
    assert "End time unreadable: start only" in page
    broken_duration = SERIES.format(first=MASTER.replace("DTEND;TZID=Europe/Berlin:20261201T203000",
                                                         "DURATION:PT2X"), second="").encode()
    found = read_calendar(broken_duration, ZoneInfo("UTC"), TODAY)
    assert len(found.events) == 4 and all(e["end_unreadable"] for e in found.events)


def test_a_lone_event_and_a_calendar_missing_its_last_line_are_read():
    lone = MASTER.replace("RRULE:FREQ=WEEKLY;COUNT=5\r\n", "").encode()
    assert [e["name"] for e in read_calendar(lone, ZoneInfo("UTC"), TODAY).events] == ["Python Users Berlin"]
    typo = SERIES.format(first=MASTER, second="").replace("END:VCALENDAR", "END:VCALENDARD").encode()
    assert len(read_calendar(typo, ZoneInfo("UTC"), TODAY).events) == 4


def test_the_add_an_event_page_offers_importing_from_a_calendar_file(client, user):
    page = client.get("/events/new").get_data(as_text=True)
    assert 'href="/import/calendar">or import from a calendar file</a>' in page


def series(rule, start="20160104T090000", count=1):
    events = "".join(f"""BEGIN:VEVENT\r
UID:series-{i}@example.org\r
DTSTART;TZID=Europe/Berlin:{start}\r
DTEND;TZID=Europe/Berlin:{start[:9]}1000{start[13:]}\r
RRULE:{rule}\r
SUMMARY:Standup {i}\r
END:VEVENT\r
""" for i in range(count))
    return SERIES.format(first=events, second="").encode()


def test_a_series_that_ended_is_offered_as_its_last_occurrence_and_one_going_on_as_its_next_twelve():
    ended = read_calendar(series("FREQ=DAILY;UNTIL=20261101T000000Z"), ZoneInfo("UTC"), TODAY).events
    assert [(e["starts_on"], e["start_time"]) for e in ended] == [("2026-10-31", "09:00")]
    long_ago = read_calendar(series("FREQ=WEEKLY;UNTIL=20170101T000000Z"), ZoneInfo("UTC"), TODAY).events
    assert [e["starts_on"] for e in long_ago] == ["2016-12-26"]
    going_on = read_calendar(series("FREQ=DAILY"), ZoneInfo("UTC"), TODAY).events
    assert [e["starts_on"] for e in going_on] == [(TODAY + datetime.timedelta(days=d)).isoformat() for d in range(12)]
    counted = read_calendar(series("FREQ=DAILY;COUNT=3000"), ZoneInfo("UTC"), TODAY).events
    assert [e["starts_on"] for e in counted] == [(datetime.date(2016, 1, 4) + datetime.timedelta(2999)).isoformat()]


@pytest.mark.parametrize("rule", ["FREQ=SECONDLY", "FREQ=MINUTELY;UNTIL=20270101T000000Z", "FREQ=HOURLY;COUNT=90000"])
def test_a_series_repeating_every_second_minute_or_hour_is_offered_as_written_at_once(rule):
    """Three lines of RRULE can mean 31 million occurrences a year: listing them held a worker for minutes, with
    gigabytes of memory. No meetup repeats more often than daily: it is offered as the file writes it."""
    started = time.process_time()
    found = read_calendar(series(rule, start="20261210T100000"), ZoneInfo("UTC"), TODAY)
    assert [(e["starts_on"], e["start_time"]) for e in found.events] == [("2026-12-10", "10:00")]
    assert time.process_time() - started < 5  # it never answered before


def test_a_file_of_many_daily_series_answers_within_the_workers_time():
    """A calendar app's export of years of daily standups: 120 series of ten years took 19 s of the 30 s a
    worker has. Past its few seconds, the rest of the series are offered as written: none is lost."""
    data = series("FREQ=DAILY;UNTIL=20261101T000000Z", count=400)
    started = time.process_time()
    found = read_calendar(data, ZoneInfo("UTC"), TODAY)
    assert time.process_time() - started < 15
    assert found.total == 400 and len(found.events) == 200


def test_an_event_written_twice_is_offered_as_its_latest_version():
    """An invitation and its update in one file (as a mail client saves both): the higher SEQUENCE wins, in
    either order."""
    first = re.sub(r"(RRULE|EXDATE)[^\r]*\r\n", "", MASTER)
    update = first.replace("SUMMARY:Python Users Berlin", "SEQUENCE:1\r\nSUMMARY:Python Users Berlin (new room)")
    for events in (first + update, update + first):
        found = read_calendar(SERIES.format(first=events, second="").encode(), ZoneInfo("UTC"), TODAY).events
        assert [e["name"] for e in found] == ["Python Users Berlin (new room)"]


def test_a_three_day_conference_every_week_is_offered_once_a_week():
    """An occurrence running over the edge of the windows the occurrences are looked for in is offered once."""
    weekly = series("FREQ=WEEKLY;COUNT=20", start="20261203T090000").replace(
        b"DTEND;TZID=Europe/Berlin:20261203T100000", b"DTEND;TZID=Europe/Berlin:20261205T170000")
    assert b"20261205T170000" in weekly
    starts = [e["starts_on"] for e in read_calendar(weekly, ZoneInfo("UTC"), datetime.date(2026, 12, 4)).events]
    assert starts == sorted(set(starts)) and starts[:3] == ["2026-12-03", "2026-12-10", "2026-12-17"]
    assert len(starts) == 12


def test_a_calendar_of_hundreds_of_repeating_series_imports_in_a_few_queries(client, user):
    """Each series used to add a condition to one query, nested inside the last: past about 70, SQLite refused to
    read it ("parser stack overflow") and the page said the database was away. 200 series, each imported and
    imported again, ask the same few questions as one."""
    first = datetime.date.today() + datetime.timedelta(days=3)
    data = series("FREQ=WEEKLY;COUNT=3", start=f"{first:%Y%m%d}T180000", count=200)
    with queries_run() as imported:
        page = upload(client, data).get_data(as_text=True)
        token, ticked, count = picked(page)
        assert count == 200 and len(ticked) == 200
        assert add(client, token, ticked).status_code == 302
    assert len(stored()) == 200
    page = upload(client, data).get_data(as_text=True)
    assert page.count("Already imported: will be updated") == 200
    token, ticked, _ = picked(page)
    assert "Tick at least one event to add." in add(client, token, []).get_data(as_text=True)
    response = add(client, token, ticked)
    assert "200 already imported and unchanged." in flashed(client, response)
    assert len(stored()) == 200
    assert len(imported) < 250, "a query per event added, a few more per page, none per series"


def test_an_event_ending_before_it_starts_is_kept_with_its_start_and_says_so(client, user):
    """As an end that cannot be read is mentioned, so is one before the start: the event is added with its
    start only, and the pick page says why its end is missing."""
    backwards = MEETUP.replace(b"DTEND;TZID=Europe/Berlin:20241017T210000", b"DTEND;TZID=Europe/Berlin:20241017T170000")
    assert backwards != MEETUP
    page = upload(client, backwards).get_data(as_text=True)
    assert picked(page)[2] == 3
    assert "1 event ends before it starts in this file: it is added with its start only." in page
    assert "Ends before it starts: start only" in page
    assert "could not be read" not in page
    at_its_start = MEETUP.replace(b"DTEND;TZID=Europe/Berlin:20241017T210000",
                                  b"DTEND;TZID=Europe/Berlin:20241017T183000")
    assert "before it starts" not in upload(client, at_its_start).get_data(as_text=True), "no length is no error"


def test_a_repeating_event_ending_before_it_starts_repeats_at_its_start_and_says_so(client, user):
    """Each occurrence keeps the series' start with no end, as a single event does, and is counted on the pick page:
    the end is not taken for the start."""
    first = datetime.date.today() + datetime.timedelta(days=7)
    backwards = SERIES.format(first=f"""BEGIN:VEVENT\r
UID:backwards@example.org\r
DTSTART;TZID=Europe/Berlin:{first:%Y%m%d}T180000\r
DTEND;TZID=Europe/Berlin:{first:%Y%m%d}T170000\r
RRULE:FREQ=WEEKLY;COUNT=2\r
SUMMARY:Repeating backwards\r
END:VEVENT\r
""", second="").encode()
    page = upload(client, backwards).get_data(as_text=True)
    assert "2 events end before they start in this file: they are added with their start only." in page
    assert page.count("Ends before it starts: start only") == 2
    assert import_all(client, backwards).status_code == 302
    saved = sorted((e.starts_on, e.start_time, e.ends_on, e.end_time) for e in stored().values())
    week = datetime.timedelta(weeks=1)
    assert saved == [(first, datetime.time(18), None, None), (first + week, datetime.time(18), None, None)]
