"""Planning events with a goal, and what the home screen makes of them."""

import datetime
import html
import re
from zoneinfo import ZoneInfo

import pytest
from steps import add_event, edit_form_of, form_as_opened, today

from webapp import db
from webapp.models import Conversation, Event, Person, User


def test_a_new_event_has_the_goal_of_meeting_three_people(client, user):
    page = client.get("/events/new").get_data(as_text=True)
    assert 'name="goal"' in page and 'value="3"' in page
    assert f'value="{today().isoformat()}"' in page
    url = add_event(client, goal_note="find out who is hiring", place="Factory, Berlin", start_time="18:30",
                    link="www.meetup.com/pydata-berlin/events/1")
    page = client.get(url).get_data(as_text=True)
    assert "0 of 3" in page
    assert "find out who is hiring" in page
    assert "Factory, Berlin" in page and "18:30" in page
    assert 'href="https://www.meetup.com/pydata-berlin/events/1"' in page


@pytest.mark.parametrize("goal, message", [("0", "from 1 to 50"), ("51", "from 1 to 50"), ("three", "from 1 to 50"),
                                           ("", "from 1 to 50")])
def test_the_goal_must_be_between_one_and_fifty(client, user, goal, message):
    response = client.post("/events/new", data={"name": "X", "starts_on": today().isoformat(), "kind": "meetup",
                                                "goal": goal})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize("field, value, message", [
    ("name", "", "This field is required."),
    ("starts_on", "not a date", "Not a valid date value."),
    ("starts_on", "", "Pick the day of the event."),
    ("start_time", "25:99", "Not a valid time value."),
    ("kind", "rave", "Not a valid choice."),
    ("link", "javascript:alert(1)", "Enter a web address"),
    ("name", "x" * 201, "Field cannot be longer than 200 characters."),
])
def test_bad_event_details_get_a_message_and_no_event(client, user, field, value, message):
    data = {"name": "PyData", "starts_on": today().isoformat(), "kind": "meetup", "goal": "3", field: value}
    response = client.post("/events/new", data=data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    with db.database().connection_context():
        assert Event.select().count() == 0


def test_editing_an_event_keeps_the_people_met_there(client, user):
    url = add_event(client)
    client.post(url + "/people/new", data={"name": "Grace Hopper"})
    response = client.post(url + "/edit", data={"name": "PyData Berlin #42", "starts_on": today().isoformat(),
                                                "kind": "conference", "goal": "5"})
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "PyData Berlin #42" in page and "1 of 5" in page and "Grace Hopper" in page and "Conference" in page


def test_an_event_saved_from_a_form_opened_before_the_other_devices_save_keeps_both_changes(client, user):
    url = add_event(client, name="PyData Dublin")
    laptop, phone = form_as_opened(client, url + "/edit"), form_as_opened(client, url + "/edit")
    assert client.post(url + "/edit", data={**laptop, "goal": "8"}).status_code == 302
    assert client.post(url + "/edit", data={**phone, "place": "Guinness Storehouse"}).status_code == 302
    with db.database().connection_context():
        event = Event.get()
        assert (event.goal, event.place, event.name, event.starts_on) == (8, "Guinness Storehouse", "PyData Dublin",
                                                                          today())


def test_an_event_field_changed_on_both_devices_is_shown_again_to_save_what_was_typed(client, user):
    url = add_event(client, name="PyData Dublin")
    laptop, phone = form_as_opened(client, url + "/edit"), form_as_opened(client, url + "/edit")
    assert client.post(url + "/edit", data={**laptop, "goal": "8", "kind": "conference"}).status_code == 302
    response = client.post(url + "/edit", data={**phone, "goal": "5", "place": "Guinness Storehouse"})
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "since you opened this: Goal: new people to meet is now “8”." in page
    assert 'value="5"' in page and 'value="Guinness Storehouse"' in page
    assert '<option selected value="conference">' in page  # what the laptop saved, shown and kept
    with db.database().connection_context():
        assert (Event.get().goal, Event.get().place) == (8, "")
    assert client.post(url + "/edit", data=edit_form_of(response.get_data(as_text=True))).status_code == 302
    with db.database().connection_context():
        event = Event.get()
        assert (event.goal, event.place, event.kind) == (5, "Guinness Storehouse", "conference")


def test_an_event_form_left_open_on_an_event_deleted_since_never_saves_onto_the_next_event_given_its_id(client,
                                                                                                       user):
    url = add_event(client, name="PyData Dublin")
    phone = form_as_opened(client, url + "/edit")
    client.post(url + "/delete")
    with db.database().connection_context():  # SQLite hands the id of the latest row deleted to the next one
        Event.insert(id=int(url.rsplit("/", 1)[1]), owner=User.get(), name="Rust Dublin", starts_on=today(),
                     goal=3).execute()
    assert client.post(url + "/edit", data={**phone, "place": "Guinness Storehouse"}).status_code == 404
    with db.database().connection_context():
        assert [(e.name, e.place) for e in Event.select()] == [("Rust Dublin", "")]
    assert client.post(url + "/edit", data={**form_as_opened(client, url + "/edit"), "goal": "5"}).status_code == 302


def test_a_start_changed_on_one_device_and_an_end_on_the_other_are_shown_again_not_merged_into_a_long_night(
        client, user):
    url = add_event(client, name="Winter meetup", day=datetime.date(2026, 12, 20), start_time="19:00",
                    end_time="21:00")
    laptop, phone = form_as_opened(client, url + "/edit"), form_as_opened(client, url + "/edit")
    assert client.post(url + "/edit", data={**laptop, "start_time": "20:00"}).status_code == 302
    response = client.post(url + "/edit", data={**phone, "end_time": "19:30"})
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200 and "since you opened this: Starts at is now “20:00”." in page
    assert 'value="19:00"' in page and 'value="19:30"' in page  # the phone's times, to save again as they are
    with db.database().connection_context():
        event = Event.get()
        assert (event.start_time, event.end_time, event.ends_on) == (datetime.time(20), datetime.time(21), None)
    assert client.post(url + "/edit", data=edit_form_of(response.get_data(as_text=True))).status_code == 302
    with db.database().connection_context():
        event = Event.get()
        assert (event.start_time, event.end_time, event.ends_on) == (datetime.time(19), datetime.time(19, 30), None)


def test_a_conference_moved_on_one_device_while_its_last_day_changed_on_the_other_says_so(client, user):
    url = add_event(client, name="PyCon", day=datetime.date(2027, 5, 1), ends_on="2027-05-03", kind="conference")
    laptop, phone = form_as_opened(client, url + "/edit"), form_as_opened(client, url + "/edit")
    assert client.post(url + "/edit", data={**laptop, "ends_on": "2027-05-04"}).status_code == 302
    page = html.unescape(client.post(url + "/edit", data={**phone, "starts_on": "2027-05-08"}).get_data(as_text=True))
    assert "since you opened this: Last day is now “4 May 2027”." in page
    assert "The last day cannot be before the first." not in page


def test_deleting_an_event_asks_first(client, user):
    url = add_event(client)
    client.post(url + "/people/new", data={"name": "Grace Hopper"})
    page = client.get(url + "/delete").get_data(as_text=True)
    assert "Delete “PyData Berlin”?" in page and "Your notes from meeting 1 person here" in page
    assert client.get(url).status_code == 200  # looking at the question deletes nothing
    response = client.post(url + "/delete")
    assert response.status_code == 302
    assert client.get(url).status_code == 404


def test_home_puts_todays_event_front_and_centre_with_its_two_big_buttons(client, user):
    add_event(client, "Last month's meetup", today() - datetime.timedelta(days=30))
    add_event(client, "Next week's conference", today() + datetime.timedelta(days=7))
    tonight = add_event(client, "Tonight's meetup", today())
    page = client.get("/").get_data(as_text=True)
    front = page.split('class="tonight"')[1].split("</section>")[0]
    assert "Today" in front and "Tonight&#39;s meetup" in front
    assert f'href="{tonight}/people/new"' in front and "Met someone" in front
    assert 'href="/card"' in front and "My card" in front
    assert page.index("Upcoming") < page.index("Next week&#39;s conference") < page.index("Past") \
        < page.index("Last month&#39;s meetup")


def test_without_an_event_today_home_shows_the_next_one(client, user):
    add_event(client, "Next week's conference", today() + datetime.timedelta(days=7))
    page = client.get("/").get_data(as_text=True)
    assert "Next up" in page and "Next week&#39;s conference" in page


def test_with_no_events_home_invites_to_add_one(client, user):
    page = client.get("/").get_data(as_text=True)
    assert "Going to an event?" in page and 'href="/events/new"' in page


def test_today_is_the_users_today_not_the_servers(client, user):
    with db.database().connection_context():
        user_row = User.get()
        user_row.timezone = "Pacific/Kiritimati"  # UTC+14
        user_row.save()
        kiritimati_today = user_row.today()
    add_event(client, "Dawn meetup", kiritimati_today)
    assert "Today" in client.get("/").get_data(as_text=True)


def test_the_events_page_lists_upcoming_and_past(client, user):
    add_event(client, "Old one", today() - datetime.timedelta(days=400))
    page = client.get("/events/").get_data(as_text=True)
    assert "Old one" in page and "Nothing planned yet." in page


def add_events(owner_email, days, name="Meetup"):
    """Events of the account on the given days from today (negative: past), straight into the database."""
    with db.database().connection_context(), db.write():
        owner = User.get(User.email == owner_email)
        Event.insert_many([{"owner": owner.id, "name": f"{name} {abs(d)}", "starts_on": today() + datetime.timedelta(d)}
                           for d in days]).execute()


def event_names(page):
    return [html.unescape(n) for n in re.findall(r'<span class="event-row-name">([^<]+)</span>', page)]


def test_past_events_come_fifty_to_a_page_latest_first_with_a_link_to_older_ones(client, user):
    add_events("ada@example.com", range(-1, -121, -1), name="Past")  # 120 past events, one a day
    add_events("ada@example.com", [3], name="Soon")
    first = client.get("/events/").get_data(as_text=True)
    assert event_names(first) == ["Soon 3"] + [f"Past {d}" for d in range(1, 51)]
    assert 'href="/events/?page=2" rel="next">Older events</a>' in first and 'rel="prev"' not in first
    second = client.get("/events/?page=2").get_data(as_text=True)
    assert event_names(second) == [f"Past {d}" for d in range(51, 101)]  # no upcoming on older pages
    assert 'href="/events/" rel="prev">Newer events</a>' in second and 'href="/events/?page=3" rel="next"' in second
    assert "Past, page 2" in second
    third = client.get("/events/?page=3").get_data(as_text=True)
    assert event_names(third) == [f"Past {d}" for d in range(101, 121)]
    assert 'href="/events/?page=2" rel="prev">Newer events</a>' in third and 'rel="next"' not in third


def test_a_few_past_events_need_no_pages(client, user):
    add_events("ada@example.com", [-2, -1])
    page = client.get("/events/").get_data(as_text=True)
    assert event_names(page) == ["Meetup 1", "Meetup 2"] and 'class="pager"' not in page


def test_upcoming_events_are_all_shown_up_to_a_hundred(client, user):
    add_events("ada@example.com", range(1, 101), name="Soon")
    page = client.get("/events/").get_data(as_text=True)
    assert event_names(page) == [f"Soon {d}" for d in range(1, 101)] and "later ones join the list" not in page
    add_events("ada@example.com", [500], name="Far")
    page = client.get("/events/").get_data(as_text=True)
    assert event_names(page) == [f"Soon {d}" for d in range(1, 101)]  # the soonest hundred
    assert "The next 100 are shown; later ones join the list as their day comes closer." in page


@pytest.mark.parametrize("asked", ["abc", "0", "-3", "", "1.5", "%00"])
def test_a_page_number_that_is_not_one_sends_to_the_first_page_and_says_so(client, user, asked):
    add_events("ada@example.com", [-1])
    response = client.get(f"/events/?page={asked}")
    assert response.status_code == 302 and response.headers["Location"] == "/events/"
    page = client.get("/events/").get_data(as_text=True)
    assert "There is no such page of events: here is the first." in page and event_names(page) == ["Meetup 1"]


@pytest.mark.parametrize("asked", ["2", "99", "99999999999999999999"])
def test_a_page_past_the_last_says_so_and_offers_the_first(client, user, asked):
    add_events("ada@example.com", [-1, 2])
    response = client.get(f"/events/?page={asked}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert event_names(page) == []
    assert 'No past events on this page. <a href="/events/">Back to the first page</a>' in page
    assert 'class="pager"' not in page


def test_older_pages_never_show_another_users_events(client, user, auth):
    add_events("ada@example.com", range(-1, -61, -1), name="Ada's")
    auth.logout()
    auth.signup(email="grace@example.com", name="Grace")
    add_events("grace@example.com", [-1], name="Grace's")
    assert event_names(client.get("/events/").get_data(as_text=True)) == ["Grace's 1"]
    assert event_names(client.get("/events/?page=2").get_data(as_text=True)) == []


def test_the_event_page_shows_the_start_of_each_note_however_long(client, user, app):
    """Long notes are cut to about 90 characters on a word, with "...", as the page always cut them."""
    from jinja2.filters import do_truncate
    event = add_event(client, name="PyLondon")
    words = "CRDTs, local-first sync and why éclair-shaped indexes matter to Zoë " * 80
    notes = {"Short": "Kafka", "At the edge": words[:95], "Just past it": words[:97], "Long": words[:300],
             "Very long": words[:5000], "One long word": "x" * 400}
    for name, text in notes.items():
        assert client.post(f"{event}/people/new", data={"name": name, "notes": text}).status_code == 302
    page = client.get(event).get_data(as_text=True)
    shown = dict(re.findall(r'<span class="person-name">([^<]+)</span>\s*<span class="person-notes">([^<]*)</span>',
                            page))
    assert {name: html.unescape(text) for name, text in shown.items()} == {
        name: do_truncate(app.jinja_env, text.strip(), 90) for name, text in notes.items()}  # notes are kept trimmed
    assert shown["Short"] == "Kafka" and shown["Very long"].endswith("...") and len(shown["Very long"]) <= 95


def test_save_tapped_twice_plans_the_event_once(client, user):
    """Two copies of the same form (a double tap on a slow signal, or one sent again when its answer was lost):
    one event, and both answers lead to it. The same details planned on purpose later is a second event."""
    data = {"name": "PyData Berlin", "starts_on": "2036-12-10", "start_time": "19:00", "kind": "meetup",
            "goal": "3", "place": "Factory"}
    first = client.post("/events/new", data=data)
    second = client.post("/events/new", data=data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    other = client.post("/events/new", data={**data, "start_time": "19:30"})
    assert other.headers["Location"] != first.headers["Location"]
    with db.database().connection_context():
        assert Event.select().count() == 2
        Event.update(created_at=datetime.datetime(2026, 1, 1)).execute()  # planned long ago
    assert client.post("/events/new", data=data).headers["Location"] != first.headers["Location"]


def test_another_accounts_identical_event_is_not_taken_for_a_repeat(client, user, auth):
    data = {"name": "PyData Berlin", "starts_on": "2036-12-10", "kind": "meetup", "goal": "3"}
    adas = client.post("/events/new", data=data).headers["Location"]
    auth.logout()
    auth.signup(email="bob@example.com")
    bobs = client.post("/events/new", data=data).headers["Location"]
    assert bobs != adas and client.get(bobs).status_code == 200


def test_a_conference_abroad_planned_from_home_is_at_its_time_there(client, user):
    """Planned in London for San Francisco: its 09:00 is 09:00 there, in the calendar feed and on its page, and
    it stays so when edited from a phone in either zone or from a page kept from before the field existed."""
    import icalendar

    first = today() + datetime.timedelta(days=30)
    page = client.get("/events/new").get_data(as_text=True)
    assert 'id="timezone"' in page and 'placeholder="Europe/London"' in page
    data = {"name": "DevConf SF", "starts_on": first.isoformat(), "ends_on": (first + datetime.timedelta(days=2))
            .isoformat(), "start_time": "09:00", "kind": "conference", "goal": "10", "timezone": "america/los angeles"}
    response = client.post("/events/new", data=data)
    assert response.status_code == 302
    event_url = response.headers["Location"]
    assert "(America/Los_Angeles)" in client.get(event_url).get_data(as_text=True)

    def starts_in_the_feed():
        client.post("/calendar/feed")
        profile = client.get("/profile").get_data(as_text=True)
        url = re.search(r'id="calendar-feed-url" value="([^"]+)"', profile).group(1)
        feed = icalendar.Calendar.from_ical(client.get("/" + url.split("://", 1)[1].split("/", 1)[1]).data)
        (event,) = [e for e in feed.walk("VEVENT") if str(e["summary"]) == "DevConf SF"]
        return event.decoded("dtstart")

    from zoneinfo import ZoneInfo
    there = datetime.datetime.combine(first, datetime.time(9), ZoneInfo("America/Los_Angeles"))
    assert starts_in_the_feed() == there
    client.set_cookie("phone_zone", "America/Los_Angeles")
    assert 'value="America/Los_Angeles"' in client.get(event_url + "/edit").get_data(as_text=True)
    client.post(event_url + "/edit", data={**data, "timezone": "America/Los_Angeles", "goal": "12"})
    client.delete_cookie("phone_zone")
    client.post(event_url + "/edit", data={k: v for k, v in data.items() if k != "timezone"})  # an older page
    assert starts_in_the_feed() == there

    refused = client.post(event_url + "/edit", data={**data, "timezone": "Mars/Olympus_Mons", "goal": "20"})
    assert "That time zone is not known" in refused.get_data(as_text=True)
    with db.database().connection_context():
        assert Event.get(Event.name == "DevConf SF").goal == 10  # nothing changed
    client.post(event_url + "/edit", data={**data, "timezone": ""})  # back to the account's own zone
    assert starts_in_the_feed() == datetime.datetime.combine(first, datetime.time(9), ZoneInfo("Europe/London"))


def an_imported_meetup(client, day):
    """An event as the calendar import stores it: 19:00-21:00 in Berlin, from an account in London."""
    url = add_event(client, "Python Users Berlin", day=day, start_time="19:00", timezone="Europe/Berlin")
    with db.database().connection_context():
        Event.update(end_time=datetime.time(21), ics_uid="meetup-1@example.com").execute()
    return url


def editing(client, url, **fields):
    page = client.get(url + "/edit").get_data(as_text=True)
    data = {name: html.unescape(value) for name, value in re.findall(r'name="(\w+)"[^>]* value="([^"]*)"', page)}
    data.update(kind="meetup", **fields)
    return client.post(url + "/edit", data=data)


def the_event():
    with db.database().connection_context():
        return Event.get()


@pytest.mark.parametrize("form", ["as shown", "kept from before the end field"])
def test_a_start_moved_past_the_end_takes_the_end_along_keeping_the_length(client, user, form):
    """The meetup moved from 19:00-21:00 to 22:00 read "22:00–21:00", the calendar feed lost its end and from
    22:00 it counted as over: someone met there was logged elsewhere. It now ends at midnight, two hours on."""
    day = today() + datetime.timedelta(days=3)
    url = an_imported_meetup(client, day)
    assert 'name="end_time" type="time" value="21:00"' in client.get(url + "/edit").get_data(as_text=True)
    if form == "as shown":
        assert editing(client, url, start_time="22:00").status_code == 302
    else:  # no end_time in what is sent
        assert client.post(url + "/edit", data={"name": "Python Users Berlin", "starts_on": day.isoformat(),
                                                "start_time": "22:00", "kind": "meetup", "goal": "3",
                                                "timezone": "Europe/Berlin"}).status_code == 302
    event = the_event()
    assert (event.start_time, event.end_time, event.ends_on) == (datetime.time(22), datetime.time(0),
                                                                  day + datetime.timedelta(days=1))
    assert "22:00–00:00" in client.get(url).get_data(as_text=True)
    berlin = datetime.datetime.combine(day, datetime.time(22, 30), ZoneInfo("Europe/Berlin"))
    assert event.in_progress_at(berlin) and not event.over_at(berlin + datetime.timedelta(hours=1))


@pytest.mark.parametrize("times", [{}, {"start_time": "09:00", "end_time": "17:00"}], ids=["all day", "timed"])
def test_a_conference_put_off_past_its_last_day_takes_the_last_day_along(client, user, times):
    """As a start moved past the end takes the end: the first day moved past the last day, left as it was, keeps
    the conference three days long."""
    first = today() + datetime.timedelta(days=3)
    url = add_event(client, "PyCon", day=first, ends_on=(first + datetime.timedelta(days=2)).isoformat(), **times)
    put_off = first + datetime.timedelta(weeks=1)
    assert editing(client, url, starts_on=put_off.isoformat()).status_code == 302
    event = the_event()
    assert (event.starts_on, event.ends_on) == (put_off, put_off + datetime.timedelta(days=2))
    assert (event.start_time, event.end_time) == ((datetime.time(9), datetime.time(17)) if times else (None, None))


def test_a_conference_given_a_last_day_before_its_new_first_day_is_refused(client, user):
    first = today() + datetime.timedelta(days=3)
    url = add_event(client, "PyCon", day=first, ends_on=(first + datetime.timedelta(days=2)).isoformat())
    response = editing(client, url, starts_on=(first + datetime.timedelta(weeks=1)).isoformat(),
                       ends_on=(first + datetime.timedelta(days=3)).isoformat())
    assert "The last day cannot be before the first." in response.get_data(as_text=True)
    assert (the_event().starts_on, the_event().ends_on) == (first, first + datetime.timedelta(days=2))


def test_a_start_moved_within_the_evening_keeps_the_end(client, user):
    url = an_imported_meetup(client, today() + datetime.timedelta(days=3))
    editing(client, url, start_time="20:00")
    assert (the_event().start_time, the_event().end_time, the_event().ends_on) == (datetime.time(20),
                                                                                   datetime.time(21), None)


def test_the_end_time_is_on_the_event_form_and_an_end_before_the_start_is_after_midnight(client, user):
    day = today() + datetime.timedelta(days=3)
    url = add_event(client, "Hack night", day=day, start_time="20:00", end_time="02:00")
    event = the_event()
    assert (event.end_time, event.ends_on) == (datetime.time(2), day + datetime.timedelta(days=1))
    page = client.get(url).get_data(as_text=True)
    assert "20:00–02:00" in page
    editing(client, url, end_time="23:30")
    assert (the_event().end_time, the_event().ends_on) == (datetime.time(23, 30), None)


def test_an_evening_that_ends_after_midnight_is_listed_on_its_own_day(client, user):
    day = today() + datetime.timedelta(days=3)
    next_day = day + datetime.timedelta(days=1)
    add_event(client, "Tomorrow's talk", day=today() + datetime.timedelta(days=1))  # home's next event, on top
    add_event(client, "Late Meetup", day=day, start_time="19:00", end_time="00:30")
    add_event(client, "Hackathon", day=day, ends_on=next_day.isoformat(), start_time="10:00", end_time="10:00")
    for path in ("/events/", "/"):
        rows = dict(re.findall(r'event-row-name">([^<]*)</span>\s*<span class="event-row-meta">([^<]*)</span>',
                               client.get(path).get_data(as_text=True)))
        assert rows["Late Meetup"] == f"{day:%a %-d %b %Y}, 19:00", path
        assert rows["Hackathon"] == f"{day:%a %-d %b %Y} to {next_day:%a %-d %b}, 10:00", path


def test_the_day_after_an_evening_that_ended_after_midnight_it_is_a_past_event(client, user):
    """Yesterday's meetup until 00:30, hours over: not today's nor one to come, on home or in the list."""
    yesterday = today() - datetime.timedelta(days=1)
    late = add_event(client, "Late Meetup", day=yesterday, start_time="19:00", end_time="00:30")
    with db.database().connection_context():
        me = User.get()
        noon = datetime.datetime.combine(today(), datetime.time(12), ZoneInfo("Europe/London"))
        assert me.event_for_logging(now=noon) is None
    if datetime.datetime.now(ZoneInfo("Europe/London")).time() < datetime.time(3, 30):
        pytest.skip("the evening may still be going on")
    events = client.get("/events/").get_data(as_text=True)
    assert "Late Meetup" not in events.split("<h2>Past</h2>")[0] and "Late Meetup" in events.split("<h2>Past</h2>")[1]
    home = client.get("/").get_data(as_text=True)
    assert "Late Meetup" not in home.split('id="past-title"')[0] and "Late Meetup" in home.split('id="past-title"')[1]
    assert "Add someone you met here" in client.get(late).get_data(as_text=True)


def test_a_24_hour_event_shows_both_days_and_saves_unchanged(client, user):
    """A hackathon from 10:00 to 10:00 the next day is a day long, not an evening past midnight: its form keeps
    its last day, so saving it as it is goes through."""
    day = today() + datetime.timedelta(days=3)
    next_day = day + datetime.timedelta(days=1)
    url = add_event(client, "Hackathon", day=day, ends_on=next_day.isoformat(), start_time="10:00",
                    end_time="10:00")
    assert f"{day:%A %-d %B %Y} to {next_day:%A %-d %B %Y}, 10:00–10:00" in client.get(url).get_data(as_text=True)
    assert f'name="ends_on" type="date" value="{next_day.isoformat()}"' in client.get(
        url + "/edit").get_data(as_text=True)
    assert editing(client, url).status_code == 302
    event = the_event()
    assert (event.starts_on, event.start_time, event.ends_on, event.end_time) == (
        day, datetime.time(10), next_day, datetime.time(10))


def test_an_overnight_event_ending_the_next_afternoon_is_two_days_long_and_an_evening_to_02_00_one(client, user):
    """18:00 to 17:00 the next day is an overnight hackathon, not an evening past midnight: its page, its form,
    the lists and the database's queries all say it runs two days; 20:00 to 02:00 stays one evening."""
    day = today() + datetime.timedelta(days=3)
    next_day = day + datetime.timedelta(days=1)
    url = add_event(client, "Overnight hackathon", day=day, ends_on=next_day.isoformat(), start_time="18:00",
                    end_time="17:00")
    add_event(client, "Hack night", day=day, start_time="20:00", end_time="02:00")
    assert f"{day:%A %-d %B %Y} to {next_day:%A %-d %B %Y}, 18:00–17:00" in client.get(url).get_data(as_text=True)
    assert f'name="ends_on" type="date" value="{next_day.isoformat()}"' in client.get(
        url + "/edit").get_data(as_text=True)
    rows = dict(re.findall(r'event-row-name">([^<]*)</span>\s*<span class="event-row-meta">([^<]*)</span>',
                           client.get("/events/").get_data(as_text=True)))
    assert rows["Overnight hackathon"] == f"{day:%a %-d %b %Y} to {next_day:%a %-d %b}, 18:00"
    assert rows["Hack night"] == f"{day:%a %-d %b %Y}, 20:00"
    with db.database().connection_context():
        listed = dict(Event.select(Event.name, Event.last_day_listed).tuples())
        assert {name: as_date(listed_on) for name, listed_on in listed.items()} == {
            "Overnight hackathon": next_day, "Hack night": day}
        assert {e.name: e.last_day_listed for e in Event.select()} == {"Overnight hackathon": next_day,
                                                                       "Hack night": day}


def as_date(value):
    """A date as the database hands back an expression's value: a date, or on SQLite its text."""
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


@pytest.mark.parametrize("times, message", [
    ({"start_time": "19:00", "end_time": "19:00"}, "The end must be after the start."),
    ({"end_time": "21:00"}, "Set when it starts too, or leave the end empty."),
    ({"start_time": "19:00", "end_time": "9pm"}, "Not a valid time value."),
])
def test_an_end_that_cannot_be_the_events_gets_a_message(client, user, times, message):
    response = client.post("/events/new", data={"name": "PyData", "starts_on": today().isoformat(),
                                                 "kind": "meetup", "goal": "3", **times})
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    with db.database().connection_context():
        assert Event.select().count() == 0


def test_deleting_an_event_says_whose_notes_go_and_that_undo_brings_them_back(client, user):
    """The question says how many people's notes go with it, who is left with no meeting at all, and that the
    message's Undo brings them back for a few minutes."""
    add_event(client, "PyData", day=today() - datetime.timedelta(days=7))
    url = add_event(client, "Rust Berlin")
    for name in ("Grace Hopper", "Alan Turing", "Ada Byron"):
        client.post(url + "/people/new", data={"name": name, "notes": "Talked about compilers"})
    with db.database().connection_context():  # Grace was met at PyData too
        Conversation.create(person=Person.get(Person.name == "Grace Hopper"), event=Event.get(Event.name == "PyData"))
    page = client.get(url + "/delete").get_data(as_text=True)
    assert ("Your notes from meeting 3 people here are deleted with it. For a few minutes after, Undo brings them "
            "back.") in page
    assert "2 of them were met at no other event, so their pages will show “No meeting logged”." in page
    empty = add_event(client, "Empty evening")
    assert "No one was logged here.</p>" in client.get(empty + "/delete").get_data(as_text=True)


@pytest.mark.parametrize("typed, zone", [("Tokyo", "Asia/Tokyo"), ("berlin", "Europe/Berlin"),
                                         ("Los Angeles", "America/Los_Angeles"), ("  new   york ", "America/New_York"),
                                         ("Buenos Aires", "America/Argentina/Buenos_Aires"),
                                         ("asia/tokyo", "Asia/Tokyo"), ("Zürich", "Europe/Zurich"),
                                         ("São Paulo", "America/Sao_Paulo"), ("bogotá", "America/Bogota")])
def test_a_city_alone_is_taken_for_its_time_zone(client, user, typed, zone):
    """The hint says to type the city its zone is named after: the city alone is enough, in any case, with spaces
    and with or without its accents."""
    assert "Type the city its zone is named after" in client.get("/events/new").get_data(as_text=True)
    url = add_event(client, "DevConf", start_time="09:00", timezone=typed)
    assert f"({zone})" in client.get(url).get_data(as_text=True)


@pytest.mark.parametrize("typed, zone", [("Tokyo, Japan", "Asia/Tokyo"), ("Dublin, Ireland", "Europe/Dublin"),
                                         ("St. John's", "America/St_Johns"), ("St John’s, Canada", "America/St_Johns"),
                                         ("Port au Prince", "America/Port-au-Prince"),
                                         ("Paris, Île-de-France, France", "Europe/Paris")])
def test_a_city_with_its_country_or_its_own_punctuation_is_taken_for_its_time_zone(client, user, typed, zone):
    """As people write where they are: the country after a comma; hyphens, dots and apostrophes as they like."""
    url = add_event(client, "DevConf", start_time="09:00", timezone=typed)
    assert f"({zone})" in client.get(url).get_data(as_text=True)


@pytest.mark.parametrize("typed", ["Pacific", "Eastern", "Atlantis", "San Francisco", "Munich", "Munich, Germany"])
def test_a_region_or_an_unknown_city_says_what_to_type(client, user, typed):
    response = client.post("/events/new", data={"name": "DevConf", "starts_on": today().isoformat(),
                                                 "kind": "meetup", "goal": "3", "timezone": typed})
    assert "Type the city its zone is named after (Los Angeles for San Francisco, Berlin for Munich) or the zone " \
           "itself, such as America/New_York." in response.get_data(as_text=True)


@pytest.mark.parametrize("typed", ["localtime", "Factory"])
def test_the_servers_own_zone_and_the_zone_not_set_yet_are_nobodys_time_zone(client, user, typed):
    """"localtime" is wherever the server is, "Factory" the zone a computer has before it is set: an event there,
    a profile there, or a phone saying so, is refused or ignored, never on the server's clock."""
    response = client.post("/events/new", data={"name": "DevConf", "starts_on": today().isoformat(),
                                                 "kind": "meetup", "goal": "3", "timezone": typed})
    assert "That time zone is not known" in response.get_data(as_text=True)
    response = client.post("/profile", data={"display_name": "Ada", "timezone": typed})
    assert "That time zone is not known" in response.get_data(as_text=True)
    with db.database().connection_context():
        assert Event.select().count() == 0 and User.get().timezone == "Europe/London"
        me = User.get()
        me.phone_zone = typed
        assert me.zone.key == "Europe/London"


@pytest.mark.parametrize("typed, meant", [("Tokio", "Asia/Tokyo"), ("Los Angles", "America/Los_Angeles"),
                                          ("Amsterdm", "Europe/Amsterdam")])
def test_a_misspelt_city_is_told_the_zone_it_is_spelled_like(client, user, typed, meant):
    response = client.post("/events/new", data={"name": "DevConf", "starts_on": today().isoformat(),
                                                 "kind": "meetup", "goal": "3", "timezone": typed})
    assert f"Did you mean {meant}" in response.get_data(as_text=True)
