"""The private calendar feed: events with their goal and follow-ups on their day, read by two iCalendar parsers."""

import datetime
import re
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from conftest import Auth, make_app, signed_up_with_csrf

from webapp import db
from webapp.models import Conversation, Event, FollowUp, Person, User

DAY = datetime.timedelta(days=1)


def today():
    return datetime.datetime.now(ZoneInfo("Europe/London")).date()  # the test user's zone


def feed_path(client):
    client.post("/calendar/feed")
    page = client.get("/profile").get_data(as_text=True)
    url = re.search(r'id="calendar-feed-url" value="([^"]+)"', page).group(1)
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


@pytest.fixture
def planned(client, user):
    """An event tomorrow evening in Berlin with a goal, and two open follow-ups from last week's meetup."""
    with db.database().connection_context():
        ada = User.get()
        Event.create(owner=ada, name="PyData Berlin", starts_on=today() + DAY, start_time=datetime.time(18, 30),
                     end_time=datetime.time(21, 0), timezone="Europe/Berlin", goal=4, goal_note="find a mentor",
                     place="Factory, Berlin")
        Event.create(owner=ada, name="FOSDEM", starts_on=today() + 60 * DAY, ends_on=today() + 61 * DAY)
        Event.create(owner=ada, name="Long ago", starts_on=today() - 400 * DAY)
        past = Event.create(owner=ada, name="Rust Meetup", starts_on=today() - 7 * DAY)
        jane = Person.create(owner=ada, name="Jane Doe", company="Acme")
        Conversation.create(person=jane, event=past, notes="Runs their Postgres team; secret reorg")
        FollowUp.create(person=jane, event=past, reason="send the article on CDC", due_on=today() - 2 * DAY)
        sam = Person.create(owner=ada, name="Sam 山田")
        FollowUp.create(person=sam, event=past, reason="intro to Lee", due_on=today() + 3 * DAY)
        FollowUp.create(person=sam, event=past, reason="already done", due_on=today(), done_on=today())
    return client


def parse_both(body):
    """The feed as icalendar and as vobject (an independent parser) read it: {uid: (summary, start, description)}."""
    one = icalendar.Calendar.from_ical(body)
    by_icalendar = {str(c["uid"]): (str(c["summary"]), c.decoded("dtstart"), str(c.get("description", "")))
                    for c in one.walk("VEVENT")}
    two = vobject.readOne(body.decode("utf-8"))
    by_vobject = {e.uid.value: (e.summary.value, e.dtstart.value,
                                e.description.value if hasattr(e, "description") else "")
                  for e in two.contents.get("vevent", [])}
    assert by_icalendar == by_vobject
    for entry in two.contents.get("vevent", []):
        assert entry.dtstamp.value.tzinfo is not None  # DTSTAMP in UTC, as RFC 5545 wants
    return by_icalendar, one


def test_the_feed_holds_upcoming_events_with_their_goal_and_each_open_follow_up_on_its_day(planned):
    response = planned.get(feed_path(planned))
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    entries, calendar = parse_both(response.data)
    summaries = sorted(summary for summary, _, _ in entries.values())
    assert summaries == ["FOSDEM", "Follow up: Jane Doe (overdue)", "Follow up: Sam 山田", "PyData Berlin",
                         "Rust Meetup"]
    by_summary = {summary: (start, text) for summary, start, text in entries.values()}
    start, text = by_summary["PyData Berlin"]
    berlin = datetime.datetime.combine(today() + DAY, datetime.time(18, 30), ZoneInfo("Europe/Berlin"))
    assert start == berlin and start.utcoffset() == datetime.timedelta(0)  # in UTC
    assert "Your goal: meet 4 people." in text and "find a mentor" in text
    start, text = by_summary["Follow up: Jane Doe (overdue)"]
    assert start == today() and not isinstance(start, datetime.datetime)  # all day, overdue: today
    assert "send the article on CDC" in text and "Met at Rust Meetup." in text
    # Its card, found on whichever page of the list it is on.
    card = re.search(r"http://localhost(/follow-ups/\d+)$", text).group(1)
    assert planned.get(card).headers["Location"].startswith("/follow-ups/#follow-up-")
    jane = next(c for c in calendar.walk("VEVENT") if c["summary"] == "Follow up: Jane Doe (overdue)")
    assert jane["dtstart"].params.get("VALUE") == "DATE" or b"DTSTART;VALUE=DATE:" in response.data
    assert "Postgres" not in " ".join(text for _, _, text in entries.values())  # notes stay out unless asked
    assert by_summary["FOSDEM"][0] == today() + 60 * DAY


def test_a_day_with_no_event_planned_is_not_in_the_feed_nor_named_as_where_they_met(planned):
    with db.database().connection_context():
        ada = User.get()
        quick = Event.create(owner=ada, name=f"Met on {today():%a %-d %b}", starts_on=today(), quick=True)
        FollowUp.create(person=Person.create(owner=ada, name="Quinn Quick"), event=quick, reason="send the deck",
                        due_on=today() + 2 * DAY)
    entries, _ = parse_both(planned.get(feed_path(planned)).data)
    assert not any("Met on" in summary for summary, _, _ in entries.values())
    text = next(text for summary, _, text in entries.values() if summary == "Follow up: Quinn Quick")
    assert "send the deck" in text and "Met at" not in text


def test_each_follow_up_reminds_the_user_at_nine_on_its_day_and_events_add_no_alarm_of_their_own(planned):
    response = planned.get(feed_path(planned))
    calendar = icalendar.Calendar.from_ical(response.data)
    entries = {str(c["summary"]): c for c in calendar.walk("VEVENT")}
    for name in ("Jane Doe (overdue)", "Sam 山田"):
        (alarm,) = entries[f"Follow up: {name}"].walk("VALARM")
        assert str(alarm["action"]) == "DISPLAY"
        assert str(alarm["description"]) == f"Follow up: {name}"
        # From the start of its all-day entry: 09:00 on the day, wherever the user's calendar is.
        trigger = alarm["trigger"]
        assert trigger.dt == datetime.timedelta(hours=9)
        assert trigger.params.get("RELATED", "START") == "START"
    for name in ("PyData Berlin", "FOSDEM", "Rust Meetup"):
        assert entries[name].walk("VALARM") == []
    # An independent parser reads the alarms too.
    alarms = [e.valarm.trigger.value for e in vobject.readOne(response.data.decode()).contents["vevent"]
              if hasattr(e, "valarm")]
    assert alarms == [datetime.timedelta(hours=9)] * 2


def test_an_overdue_follow_up_shows_on_today_saying_since_when_until_it_is_done(planned):
    with db.database().connection_context():
        FollowUp.update(due_on=datetime.date(2026, 3, 5)).where(FollowUp.reason == "send the article on CDC").execute()
    path = feed_path(planned)
    entries, calendar = parse_both(planned.get(path).data)
    (uid, (summary, start, text)), = [(u, e) for u, e in entries.items() if "Jane" in e[0]]
    assert summary == "Follow up: Jane Doe (overdue)" and start == today()
    assert text.startswith("Overdue: it was due on Thu 5 Mar 2026.\nsend the article on CDC")
    (alarm,) = next(c for c in calendar.walk("VEVENT") if str(c["uid"]) == uid).walk("VALARM")
    assert alarm["trigger"].dt == datetime.timedelta(hours=9)  # at nine today: still to come for a morning look
    sam = next(e for e in entries.values() if "Sam" in e[0])
    assert sam[0] == "Follow up: Sam 山田" and sam[1] == today() + 3 * DAY  # not due yet: on its day
    with db.database().connection_context():
        FollowUp.update(done_on=today()).where(FollowUp.reason == "send the article on CDC").execute()
    assert uid not in parse_both(planned.get(path).data)[0]  # done: gone


def test_refreshing_twice_keeps_the_uids_and_shows_what_changed(planned):
    path = feed_path(planned)
    first, _ = parse_both(planned.get(path).data)
    with db.database().connection_context():
        follow_up = FollowUp.select().where(FollowUp.reason == "intro to Lee").get()
        follow_up.due_on = today() + 10 * DAY
        follow_up.save()
        FollowUp.update(done_on=today()).where(FollowUp.reason == "send the article on CDC").execute()
    second, _ = parse_both(planned.get(path).data)
    third, _ = parse_both(planned.get(path).data)
    assert second == third
    assert set(second) == set(first) - {uid for uid, (s, _, _) in first.items() if s == "Follow up: Jane Doe (overdue)"}
    uid = next(uid for uid, (s, _, _) in first.items() if s == "Follow up: Sam 山田")
    assert first[uid][1] == today() + 3 * DAY and second[uid][1] == today() + 10 * DAY


def test_notes_appear_only_once_the_user_turns_them_on(planned):
    path = feed_path(planned)
    planned.post("/calendar/feed/notes", data={"notes": "y"})
    texts = " ".join(text for _, _, text in parse_both(planned.get(path).data)[0].values())
    assert "Runs their Postgres team; secret reorg" in texts
    planned.post("/calendar/feed/notes", data={})
    texts = " ".join(text for _, _, text in parse_both(planned.get(path).data)[0].values())
    assert "Postgres" not in texts


def test_a_new_address_revokes_the_old_one_and_turning_off_revokes_both(planned):
    old = feed_path(planned)
    new = feed_path(planned)
    assert old != new and len(new.rsplit("/", 1)[1]) > 40
    assert planned.get(old).status_code == 404 and planned.get(new).status_code == 200
    planned.post("/calendar/feed/off")
    assert planned.get(new).status_code == 404
    assert "Make my calendar address" in planned.get("/profile").get_data(as_text=True)


def test_a_feed_shows_only_its_owners_calendar_and_a_wrong_token_is_not_found(planned):
    adas = feed_path(planned)
    auth = Auth(planned)
    auth.logout()
    auth.signup(email="mallory@example.com", name="Mallory")
    mallorys = feed_path(planned)
    entries, _ = parse_both(planned.get(mallorys).data)
    assert entries == {}
    assert adas.rsplit("/", 1)[1] not in planned.get("/profile").get_data(as_text=True)
    for wrong in ("nope", adas.rsplit("/", 1)[1][:-1], "x" * 200, "' OR 1=1 --", "abc%00def", "%C3%A9t%C3%A9"):
        assert planned.get(f"/calendar/{wrong}.ics").status_code == 404
    auth.logout()
    assert planned.get(adas).status_code == 200  # the calendar app has no session: the token is the key


def test_the_profile_explains_how_to_add_the_feed(planned):
    page = planned.get("/profile").get_data(as_text=True)
    assert "Make my calendar address" in page and "Greeting" in page and "Sign-off" in page
    feed_path(planned)
    page = planned.get("/profile").get_data(as_text=True)
    assert "Google Calendar" in page and "Apple Calendar" in page and 'href="webcal://localhost/calendar/' in page


def test_the_feed_address_is_https_behind_https(planned):
    feed_path(planned)
    page = planned.get("/profile", base_url="https://localhost").get_data(as_text=True)
    assert re.search(r'id="calendar-feed-url" value="https://localhost/calendar/[\w-]{40,}\.ics"', page)


def test_feed_settings_need_their_csrf_token(tmp_path):
    app = make_app("sqlite:///" + str(tmp_path / "csrf.sqlite3"), WTF_CSRF_ENABLED=True)
    client = signed_up_with_csrf(app)
    for path in ("/calendar/feed", "/calendar/feed/off", "/calendar/feed/notes", "/follow-ups/settings"):
        assert client.post(path).status_code == 400
    with app.app_context(), db.database().connection_context():
        assert User.get().calendar_token is None
    db.database().close()


def test_an_event_planned_on_a_phone_abroad_is_in_the_feed_at_its_time_there(client, user):
    """A 19:00 meetup planned in Tokyo on the phone is at 19:00 Tokyo time in the calendar at home, not 19:00 London."""
    client.set_cookie("phone_zone", "Asia/Tokyo")
    tokyo_day = datetime.datetime.now(ZoneInfo("Asia/Tokyo")).date() + DAY
    response = client.post("/events/new", data={"name": "Tokyo Rust", "starts_on": tokyo_day.isoformat(),
                                                "start_time": "19:00", "kind": "meetup", "goal": "3"})
    assert response.status_code == 302
    assert "(Asia/Tokyo)" in client.get(response.headers["Location"]).get_data(as_text=True)
    client.delete_cookie("phone_zone")  # the calendar app asks with no phone's cookie
    client.post("/events/new", data={"name": "London Python", "starts_on": (today() + DAY).isoformat(),
                                     "start_time": "19:00", "kind": "meetup", "goal": "3"})
    events, _ = parse_both(client.get(feed_path(client)).data)
    starts = {summary: start for summary, start, _ in events.values()}
    tokyo = next(start for summary, start in starts.items() if "Tokyo Rust" in summary)
    london = next(start for summary, start in starts.items() if "London Python" in summary)
    assert tokyo == datetime.datetime.combine(tokyo_day, datetime.time(19), ZoneInfo("Asia/Tokyo"))
    assert london == datetime.datetime.combine(today() + DAY, datetime.time(19), ZoneInfo("Europe/London"))


def test_a_conference_from_nine_runs_through_its_last_day_in_the_feed(client, user):
    """Three days from 09:00 with no end time: the calendar shows all three days busy, not an instant on day 1."""
    first = today() + DAY
    client.post("/events/new", data={"name": "PyCon", "starts_on": first.isoformat(),
                                     "ends_on": (first + 2 * DAY).isoformat(), "start_time": "09:00",
                                     "kind": "conference", "goal": "10"})
    body = client.get(feed_path(client)).data
    _, calendar = parse_both(body)
    (pycon,) = [c for c in calendar.walk("VEVENT") if str(c["summary"]) == "PyCon"]
    london = ZoneInfo("Europe/London")
    assert pycon.decoded("dtstart") == datetime.datetime.combine(first, datetime.time(9), london)
    assert pycon.decoded("dtend") == datetime.datetime.combine(first + 3 * DAY, datetime.time(), london)
    vevent = next(e for e in vobject.readOne(body.decode()).vevent_list if e.summary.value == "PyCon")
    assert vevent.dtend.value == pycon.decoded("dtend")


def test_an_event_ending_in_the_year_9999_stored_before_does_not_break_the_feed(client, user):
    with db.database().connection_context():
        ada = User.get()
        Event.create(owner=ada, name="Forever", starts_on=today() + DAY, start_time=datetime.time(9),
                     ends_on=datetime.date(9999, 12, 31), end_time=datetime.time(23, 59))
        Event.create(owner=ada, name="All days", starts_on=today() + DAY, ends_on=datetime.date(9999, 12, 31))
    response = client.get(feed_path(client))
    assert response.status_code == 200
    events, _ = parse_both(response.data)
    assert {summary for summary, _, _ in events.values()} == {"Forever", "All days"}
