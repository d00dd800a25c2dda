"""Importing events from .ics files as Meetup, Eventbrite and Outlook publish them: pick, add, never twice."""

import datetime
import io
import random
import re
import string
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from conftest import PASSWORD, csrf_token, make_app, signed_up_with_csrf
from steps import today
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from webapp import db
from webapp.imports.calendar import MAX_SHOWN
from webapp.models import Event, User

DATA = Path(__file__).parent / "data"
MEETUP = (DATA / "meetup-pydata-berlin.ics").read_bytes()
EVENTBRITE = (DATA / "eventbrite-ticket.ics").read_bytes()
OUTLOOK = (DATA / "outlook-conference.ics").read_bytes()


def upload(client, data, filename="events.ics", **fields):
    # Encoded in memory: the test client spools big bodies to a temporary file it never closes.
    boundary, body = encode_multipart({**fields, "file": FileStorage(io.BytesIO(data), filename)})
    return client.post("/import/calendar", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def picked(page):
    """The token and the ticked boxes of the pick page, as the browser would send them back."""
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)
    boxes = re.findall(r'<input(?: autofocus)?( checked)? id="events-\d+" name="events" type="checkbox" '
                       r'value="(\d+)"', page)
    return token, [int(value) for checked, value in boxes if checked], len(boxes)


def add(client, token, events):
    return client.post("/import/calendar/add", data={"token": token, "events": [str(i) for i in events]})


def import_all(client, data):
    page = upload(client, data).get_data(as_text=True)
    token, _, count = picked(page)
    return add(client, token, range(count))


def stored():
    with db.database().connection_context():
        return {e.ics_uid: e for e in Event.select()}


def test_a_meetup_file_lists_its_events_with_the_upcoming_ones_ticked(client, user):
    response = upload(client, MEETUP, "PyData Berlin.ics")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    token, ticked, count = picked(page)
    assert count == 3
    names = re.findall(r'<span class="pick-name">([^<]+)</span>', page)
    assert names == ["PyData Berlin: December meetup, talks &amp; pizza", "PyData Berlin: New Year lightning talks",
                     "PyData Berlin: October meetup"]
    assert ticked == [0, 1], "the two upcoming events are ticked, the 2024 one is not"
    assert "1 cancelled event was left out." in page
    assert "Wed 3 Dec 2036, 18:30–21:30 (Europe/Berlin)" in page
    assert stored() == {}, "nothing is added before the user picks"


def test_an_evening_that_runs_past_midnight_is_listed_on_its_own_day_and_past_the_next_day(client, user):
    calendar = icalendar.Calendar()
    yesterday = today() - datetime.timedelta(days=1)
    for name, day in (("Last night's party", yesterday), ("Party to come", today() + datetime.timedelta(days=9))):
        event = icalendar.Event()
        event.add("uid", f"{name}@example.com")
        event.add("summary", name)
        event.add("dtstart", datetime.datetime.combine(day, datetime.time(20), ZoneInfo("Europe/London")))
        event.add("dtend", datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(2),
                                                     ZoneInfo("Europe/London")))
        calendar.add_component(event)
    page = upload(client, calendar.to_ical()).get_data(as_text=True)
    _, ticked, _ = picked(page)
    assert ticked == [0]  # the one to come; last night's is over
    for day in (today() + datetime.timedelta(days=9), yesterday):
        assert f"{day:%a %-d %b %Y}, 20:00–02:00 (Europe/London)</span>" in page


def test_picked_meetup_events_keep_their_time_zone_place_link_and_description(client, user):
    page = upload(client, MEETUP).get_data(as_text=True)
    token, ticked, _ = picked(page)
    response = add(client, token, ticked)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    events = stored()
    assert set(events) == {"event_301234567@meetup.com", "event_301298765@meetup.com"}
    december = events["event_301234567@meetup.com"]
    assert december.name == "PyData Berlin: December meetup, talks & pizza"
    assert (december.starts_on, december.start_time, december.end_time, december.ends_on) == (
        datetime.date(2036, 12, 3), datetime.time(18, 30), datetime.time(21, 30), None)
    assert december.timezone == "Europe/Berlin"
    assert december.place == "Zalando SE (Valeska-Gert-Straße 5, 10243 Berlin, Germany)"
    assert december.link == "https://www.meetup.com/pydata-berlin/events/301234567/"
    assert "Zoë Fischer on DuckDB in production, and Ægir Jónsson on time zones (yes, really)." in december.description
    assert "Doors open 18:30; talks start 19:00." in december.description
    home = client.get("/").get_data(as_text=True)
    assert "2 events added." in home
    assert "PyData Berlin: December meetup, talks &amp; pizza" in home
    assert "PyData Berlin: New Year lightning talks" in home


def test_eventbrite_utc_times_are_shown_in_the_users_own_zone_and_keep_it(client, user):
    """A file in UTC naming no zone of its own: the times are London's, where the user is, and the event keeps
    London's zone, so on a trip it is still at 23:00 London, not at 23:00 wherever the phone is."""
    assert import_all(client, EVENTBRITE).status_code == 302
    (mixer,) = stored().values()
    # 22:00 UTC on 15 October 2036 is 23:00 in London (summer time), ending at 02:00 the next day.
    assert (mixer.starts_on, mixer.start_time) == (datetime.date(2036, 10, 15), datetime.time(23, 0))
    assert (mixer.ends_on, mixer.end_time) == (datetime.date(2036, 10, 16), datetime.time(2, 0))
    assert mixer.timezone == "Europe/London"
    assert mixer.place == "The Assemblage NoMad, 114 E 25th St, New York, NY 10010, USA"
    # No URL property: the link comes from the description.
    assert mixer.link == "https://www.eventbrite.com/e/tech-founders-mixer-new-york-tickets-871234567890"


def test_utc_times_imported_on_a_phone_abroad_keep_the_zone_they_were_shown_in(client, user):
    """A Londoner in New York imports an Eventbrite ticket there: 22:00 UTC is 18:00 in New York, and the event
    keeps New York's zone, so at home and in the calendar feed it is still 18:00 New York, 23:00 London."""
    client.set_cookie("phone_zone", "America/New_York")
    assert import_all(client, EVENTBRITE).status_code == 302
    (mixer,) = stored().values()
    assert (mixer.starts_on, mixer.start_time, mixer.timezone) == (
        datetime.date(2036, 10, 15), datetime.time(18, 0), "America/New_York")
    assert (mixer.ends_on, mixer.end_time) == (None, datetime.time(21, 0))  # the same day there
    start = datetime.datetime.combine(mixer.starts_on, mixer.start_time, ZoneInfo(mixer.timezone))
    assert start == datetime.datetime(2036, 10, 15, 22, 0, tzinfo=datetime.UTC)


def test_utc_times_of_a_calendar_in_another_zone_stay_at_their_hour_there_and_met_someone_logs_into_them(
        client, user):
    """Google Calendar, Eventbrite and Luma write times in UTC and name the calendar's zone beside them: a
    breakfast in Tokyo imported from home is at its hour in Tokyo, and there "Met someone" logs into it."""
    hour = datetime.datetime.now(datetime.UTC).replace(minute=0, second=0, microsecond=0)
    start, end = hour - datetime.timedelta(hours=1), hour + datetime.timedelta(hours=2)
    ics = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\n"
           "X-WR-TIMEZONE:Asia/Tokyo\r\nBEGIN:VEVENT\r\nUID:rust-bfast@google.com\r\n"
           f"DTSTART:{start:%Y%m%dT%H%M%SZ}\r\nDTEND:{end:%Y%m%dT%H%M%SZ}\r\n"
           "SUMMARY:Tokyo Rust breakfast\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    client.set_cookie("phone_zone", "Europe/London")
    assert import_all(client, ics.encode()).status_code == 302
    (breakfast,) = stored().values()
    tokyo = ZoneInfo("Asia/Tokyo")
    assert (breakfast.starts_on, breakfast.start_time, breakfast.end_time, breakfast.timezone) == (
        start.astimezone(tokyo).date(), start.astimezone(tokyo).time(), end.astimezone(tokyo).time(), "Asia/Tokyo")

    client.set_cookie("phone_zone", "Asia/Tokyo")
    page = client.get(f"/events/{breakfast.id}").get_data(as_text=True)
    assert f"{start.astimezone(tokyo):%H:%M}–{end.astimezone(tokyo):%H:%M} (Asia/Tokyo)" in page
    logging = client.get("/met").get_data(as_text=True)
    assert f'at <a href="/events/{breakfast.id}">Tokyo Rust breakfast</a>' in logging


def test_an_event_ending_in_the_year_9999_is_kept_with_its_start_only(client, user):
    forever = EVENTBRITE.replace(b"DTEND:20361016T010000Z", b"DTEND:99991231T235900Z")
    assert forever != EVENTBRITE
    page = upload(client, forever).get_data(as_text=True)
    assert "1 event has an end time that could not be read: it is added with its start only." in page
    assert import_all(client, forever).status_code == 302
    (mixer,) = stored().values()
    assert (mixer.ends_on, mixer.end_time) == (None, None)


def test_all_day_events_have_dates_and_no_time_and_windows_zones_get_their_real_name(client, user):
    assert import_all(client, OUTLOOK).status_code == 302
    conference, dinner = sorted(stored().values(), key=lambda e: e.start_time is not None)
    assert conference.name == "DataConf 2036 (two days, all day)"
    assert (conference.starts_on, conference.ends_on) == (datetime.date(2036, 5, 12), datetime.date(2036, 5, 13))
    assert conference.start_time is None and conference.end_time is None
    assert conference.link == "https://dataconf.example.org/2036"
    assert (dinner.start_time, dinner.end_time) == (datetime.time(19, 0), datetime.time(22, 0))
    assert dinner.timezone == "America/Los_Angeles"
    assert dinner.place == "Zuni Café, 1658 Market St, San Francisco"


def test_importing_the_same_event_twice_does_not_duplicate_it(client, user):
    import_all(client, MEETUP)
    assert len(stored()) == 3
    page = upload(client, MEETUP).get_data(as_text=True)
    assert page.count("Already imported: will be updated") == 3
    response = import_all(client, MEETUP)
    assert len(stored()) == 3
    assert "3 already imported and unchanged." in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_changed_event_imported_again_is_updated_and_keeps_its_goal(client, user):
    import_all(client, EVENTBRITE)
    with db.database().connection_context(), db.write():
        Event.update(goal=7).execute()
    moved = EVENTBRITE.replace(b"DTSTART:20361015T220000Z", b"DTSTART:20361015T230000Z")
    response = import_all(client, moved)
    assert "1 already imported and updated." in client.get(response.headers["Location"]).get_data(as_text=True)
    (mixer,) = stored().values()
    assert mixer.start_time == datetime.time(0, 0) and mixer.starts_on == datetime.date(2036, 10, 16)
    assert mixer.goal == 7


def test_another_users_import_of_the_same_file_is_their_own(client, auth):
    auth.signup()
    import_all(client, EVENTBRITE)
    auth.logout()
    auth.signup(email="eve@example.com")
    page = upload(client, EVENTBRITE).get_data(as_text=True)
    assert "Already imported" not in page
    import_all(client, EVENTBRITE)
    with db.database().connection_context():
        assert Event.select().where(Event.ics_uid == "eventbrite-871234567890@eventbrite.com").count() == 2


def test_the_picked_events_come_from_the_signed_upload_not_from_the_browser(client, user):
    page = upload(client, MEETUP).get_data(as_text=True)
    token, _, _ = picked(page)
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    response = add(client, forged, [0])
    assert response.status_code == 302 and response.headers["Location"] == "/import/calendar"
    assert "That upload has expired" in client.get("/import/calendar").get_data(as_text=True)
    response = add(client, token, [7])
    assert response.status_code == 200 and "not a valid choice" in response.get_data(as_text=True)
    assert stored() == {}


def test_an_upload_token_is_no_good_to_another_account(client, auth):
    auth.signup()
    token, ticked, _ = picked(upload(client, MEETUP).get_data(as_text=True))
    auth.logout()
    auth.signup(email="eve@example.com")
    assert add(client, token, ticked).headers["Location"] == "/import/calendar"
    assert stored() == {}


def test_an_upload_token_is_no_good_to_an_account_made_later_under_the_same_id(client, auth):
    """SQLite gives a deleted account's id to the next one: a token kept from before is still refused."""
    auth.signup()
    with db.database().connection_context():
        first_id = User.get().id
    token, ticked, _ = picked(upload(client, MEETUP).get_data(as_text=True))
    assert client.post("/account/delete", data={"password": PASSWORD}).status_code == 302
    auth.signup(email="eve@example.com")
    with db.database().connection_context():
        same_id = User.get().id == first_id  # on SQLite; PostgreSQL never gives an id again
    assert add(client, token, ticked).headers["Location"] == "/import/calendar"
    assert stored() == {}, f"same id: {same_id}"


def test_ticking_nothing_asks_for_at_least_one_event(client, user):
    token, _, count = picked(upload(client, MEETUP).get_data(as_text=True))
    response = add(client, token, [])
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Tick at least one event to add." in page
    assert picked(page)[2] == count
    assert re.search(r'<input autofocus id="events-0"', page)  # the focus is on the list, with its message
    assert stored() == {}


def many_events(count, first_day):
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Meetup//RemoteApi//EN")
    calendar.add("version", "2.0")
    for i in range(count):
        event = icalendar.Event()
        event.add("uid", f"event_{i}@meetup.com")
        event.add("summary", f"Weekly meetup #{i}")
        event.add("dtstart", datetime.datetime.combine(first_day + datetime.timedelta(days=i), datetime.time(18),
                                                       tzinfo=datetime.UTC))
        calendar.add_component(event)
    return calendar.to_ical()


def test_a_calendar_with_hundreds_of_events_shows_the_next_200_and_says_so(client, user):
    data = many_events(450, today() - datetime.timedelta(days=100))
    page = upload(client, data).get_data(as_text=True)
    assert "This file has 450 events; showing the next 200." in page
    token, ticked, count = picked(page)
    assert count == MAX_SHOWN == 200 and len(ticked) == 200
    names = re.findall(r'<span class="pick-name">Weekly meetup #(\d+)</span>', page)
    assert names[0] == "100" and names[-1] == "299", "the next 200, starting today"
    add(client, token, ticked)
    assert len(stored()) == 200


BAD_FILES = {
    "a photo": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "events.ics", "not in a text encoding"),
    "a web page": (b"<!doctype html><title>Meetup</title>", "events.ics", "not a calendar file"),
    "an empty file": (b"", "events.ics", "not a calendar file"),
    "latin-1 text": ("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Café\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
                     .encode("latin-1"), "events.ics", "not in a text encoding"),
    "a cut-off file": (MEETUP[:2500], "events.ics", "cut off before its end"),
    "a damaged file": (b"BEGIN:VCALENDAR\r\nSUMMARY;Party\r\nEND:VCALENDAR\r\n", "events.ics",
                       "damaged and could not be read"),
    "no events": (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nEND:VCALENDAR\r\n", "events.ics",
                  "There are no events in this calendar file."),
    "the wrong extension": (MEETUP, "events.txt", "Choose a calendar file ending in .ics."),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_a_file_that_is_not_a_calendar_gets_a_clear_message(client, user, name):
    data, filename, message = BAD_FILES[name]
    response = upload(client, data, filename)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert stored() == {}


def test_no_file_at_all_asks_for_one(client, user):
    response = client.post("/import/calendar", data={}, content_type="multipart/form-data")
    assert "Choose the .ics file you downloaded" in response.get_data(as_text=True)


def test_events_without_a_readable_date_are_left_out_and_counted(client, user):
    broken = MEETUP.replace(b"DTSTART;TZID=Europe/Berlin:20241017T183000", b"DTSTART;TZID=Europe/Berlin:soon")
    page = upload(client, broken).get_data(as_text=True)
    assert picked(page)[2] == 2
    assert "1 event has no readable date and was left out." in page


def test_a_utf16_calendar_with_a_byte_order_mark_is_read(client, user):
    data = MEETUP.decode().encode("utf-16")
    assert picked(upload(client, data).get_data(as_text=True))[2] == 3


def test_a_calendar_over_the_upload_limit_gets_its_page_back_saying_what_to_do(client, user):
    response = upload(client, MEETUP * 3000, "huge.ics")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "This file is too big: over the 5 MB a calendar file may have. Export a shorter stretch" in page
    assert 'name="file"' in page  # the upload form, to choose another file


def test_the_calendar_import_needs_its_csrf_tokens(database_url, tmp_path):
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    app.instance_path = str(tmp_path)
    try:
        client = signed_up_with_csrf(app)
        assert upload(client, MEETUP).status_code == 400
        page = client.get("/import/calendar").get_data(as_text=True)
        page = upload(client, MEETUP, csrf_token=csrf_token(page)).get_data(as_text=True)
        upload_token, ticked, _ = picked(page)
        assert add(client, upload_token, ticked).status_code == 400
        response = client.post("/import/calendar/add", data={"csrf_token": csrf_token(page), "token": upload_token,
                                                             "events": [str(i) for i in ticked]})
        assert response.status_code == 302
        assert len(stored()) == 2
    finally:
        db.database().close()


def test_the_import_is_linked_from_the_export_page(client, user):
    page = client.get("/import/calendar").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'accept=".ics' in page
    assert 'href="/import/calendar"' in client.get("/export").get_data(as_text=True)


def test_a_file_of_long_event_descriptions_survives_the_second_step(client, user):
    """200 events with 5,000-character descriptions: the signed token is well over the 500 KB a form
    field may normally have, and must still come back whole."""
    rng = random.Random(7)
    calendar = icalendar.Calendar.from_ical(many_events(MAX_SHOWN, today() + datetime.timedelta(days=1)))
    for event in calendar.walk("VEVENT"):
        words = "".join(rng.choice(string.ascii_letters + " ") for _ in range(4998))
        event.add("description", f"A{words}Z")
    page = upload(client, calendar.to_ical()).get_data(as_text=True)
    token, ticked, _ = picked(page)
    assert len(token) > 500_000
    response = add(client, token, ticked)
    assert response.status_code == 302
    events = stored()
    assert len(events) == MAX_SHOWN and all(len(e.description) == 5000 for e in events.values())


def test_nul_characters_in_a_calendar_are_dropped_and_the_event_comes_in(client, user):
    # NUL means nothing in an event's name, and PostgreSQL refuses to store one.
    ics = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nBEGIN:VEVENT\r\nUID:nul-1@example.com\r\n"
           "DTSTAMP:20261201T000000Z\r\nDTSTART:20261220T180000Z\r\nDTEND:20261220T200000Z\r\n"
           "SUMMARY:Py\x00Data\r\nLOCATION:Ber\x00lin\r\nDESCRIPTION:Talk\x00s\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    assert import_all(client, ics.encode()).status_code == 302
    event = stored()["nul-1@example.com"]
    assert (event.name, event.place, event.description) == ("PyData", "Berlin", "Talks")


def test_a_file_of_only_cancelled_events_says_so_and_offers_nothing_to_add(client, user):
    cancelled = EVENTBRITE.replace(b"STATUS:CONFIRMED", b"STATUS:CANCELLED")
    assert cancelled != EVENTBRITE
    page = upload(client, cancelled).get_data(as_text=True)
    assert "The only event in this file is cancelled: there is nothing to add." in page
    assert "Add the ticked events" not in page and "0 events in this file" not in page


def outlook_invitation(method, *lines):
    return ("BEGIN:VCALENDAR\r\nPRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN\r\nVERSION:2.0\r\n"
            f"METHOD:{method}\r\nBEGIN:VEVENT\r\n"
            "UID:040000008200E00074C5B7101A82E00800000000A0B1C2D3E4F5\r\n"
            "DTSTART;TZID=W. Europe Standard Time:20370115T190000\r\n"
            "DTEND;TZID=W. Europe Standard Time:20370115T210000\r\n"
            + "".join(line + "\r\n" for line in lines) + "END:VEVENT\r\nEND:VCALENDAR\r\n").encode()


def cancelled_here(page):
    """The events imported before that the pick page says the file cancels: (name, address of its delete page)."""
    notice = re.search(r'<div class="notice" id="cancelled-imported">(.*?)</div>', page, re.S)
    return re.findall(r'<a href="/events/\d+">([^<]+)</a>, [^:]+: <a href="(/events/\d+/delete)">', notice.group(1)) \
        if notice else []


def test_an_outlook_cancellation_is_read_as_one_not_as_an_event_to_add_or_a_new_name(client, user):
    """Outlook mails a cancellation as METHOD:CANCEL, with no STATUS line and "Canceled: " before the name: it
    cancels the event, and the event imported from the invitation keeps its name."""
    request = outlook_invitation("REQUEST", "SEQUENCE:0", "SUMMARY:DevOps Amsterdam")
    cancel = outlook_invitation("CANCEL", "SEQUENCE:1", "SUMMARY:Canceled: DevOps Amsterdam")
    assert import_all(client, request).status_code == 302
    page = upload(client, cancel).get_data(as_text=True)
    assert "The only event in this file is cancelled: there is nothing to add." in page
    assert "Add the ticked events" not in page and "Already imported" not in page
    (event,) = stored().values()
    assert cancelled_here(page) == [("DevOps Amsterdam", f"/events/{event.id}/delete")]
    assert event.name == "DevOps Amsterdam"


def test_an_event_cancelled_since_it_was_imported_is_named_with_a_link_to_delete_it(client, user):
    """Meetup's file downloaded again once an event is cancelled: the pick page says which event imported before
    is cancelled, and links to its delete page, which asks first; it is never deleted by the import."""
    import_all(client, MEETUP)
    december = stored()["event_301234567@meetup.com"]
    called_off = MEETUP.replace(b"STATUS:CONFIRMED", b"STATUS:CANCELLED", 1)
    assert b"20361203T183000\r\nDTEND;TZID=Europe/Berlin:20361203T213000\r\nSTATUS:CANCELLED" in called_off
    page = upload(client, called_off).get_data(as_text=True)
    assert picked(page)[2] == 2 and "2 cancelled events were left out." in page
    assert "An event you imported before is cancelled in this file." in page
    # The event never imported (cancelled in the first file already) is not among them.
    assert cancelled_here(page) == [("PyData Berlin: December meetup, talks &amp; pizza",
                                     f"/events/{december.id}/delete")]
    import_all(client, called_off)
    assert december.ics_uid in stored(), "an import deletes nothing"
    confirm = client.get(f"/events/{december.id}/delete").get_data(as_text=True)
    assert "Delete “PyData Berlin: December meetup, talks &amp; pizza”?" in confirm


def test_a_cancellation_of_another_accounts_event_names_nothing(client, auth):
    auth.signup()
    import_all(client, MEETUP)
    auth.logout()
    auth.signup(email="eve@example.com")
    page = upload(client, MEETUP.replace(b"STATUS:CONFIRMED", b"STATUS:CANCELLED", 1)).get_data(as_text=True)
    assert "imported before" not in page and cancelled_here(page) == []


def custom_zone_calendar(offset, with_definition=True):
    """An Outlook-style calendar whose zone is named, not by its IANA name: "(UTC+hh:00) Somewhere"."""
    definition = ("BEGIN:VTIMEZONE\r\nTZID:(UTC) Our office\r\nBEGIN:STANDARD\r\nDTSTART:16010101T000000\r\n"
                  f"TZOFFSETFROM:{offset}\r\nTZOFFSETTO:{offset}\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n")
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN\r\n"
            + (definition if with_definition else "")
            + "BEGIN:VEVENT\r\nUID:office-party\r\nSUMMARY:Office party\r\n"
              "DTSTART;TZID=\"(UTC) Our office\":20300614T190000\r\n"
              "DTEND;TZID=\"(UTC) Our office\":20300614T220000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n").encode()


def test_a_zone_defined_in_one_file_is_that_files_own_not_the_next_uploads():
    """A zone a file defines under a name of its own is read from that file only: another file (another
    account's) naming a zone the same way, with another definition or none, is not read with it."""
    from webapp.imports.calendar import read_calendar

    london = ZoneInfo("Europe/London")
    day = datetime.date(2030, 6, 1)
    tokyo_like = read_calendar(custom_zone_calendar("+0900"), london, day).events[0]
    india_like = read_calendar(custom_zone_calendar("+0530"), london, day).events[0]
    undefined = read_calendar(custom_zone_calendar("+0900", with_definition=False), london, day).events[0]
    # 19:00 at +09:00 is 11:00 in London (summer time); 19:00 at +05:30 is 14:30.
    assert (tokyo_like["start_time"], india_like["start_time"]) == ("11:00", "14:30")
    assert undefined["start_time"] == "19:00"  # a zone nobody defined: the time as written
