"""Which event am I at: "Met someone", the header and home agree on one event, whatever the calendar says."""

import datetime
import re
import uuid
from zoneinfo import ZoneInfo

import pytest
from conftest import at_the_hour, queries_run

from webapp import db
from webapp.models import AFTER_THE_END, Conversation, Event, FollowUp, Person, User

LONDON = ZoneInfo("Europe/London")  # the test user's zone


def today():
    return datetime.datetime.now(LONDON).date()


DAY = datetime.timedelta(days=1)


def add_event(client, name, day=None, **fields):
    data = {"name": name, "starts_on": (day or today()).isoformat(), "kind": "meetup", "goal": "3"}
    data.update({k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in fields.items()})
    response = client.post("/events/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def event_named(name):
    with db.database().connection_context():
        return Event.get(Event.name == name)


def met_at(name):
    with db.database().connection_context():
        return [c.person.label for c in Event.get(Event.name == name).conversations()]


def tab_bar(page):
    return page.split('class="tabbar"')[1].split("</nav>")[0]


def header(page):
    return page.split('class="topbar"')[1].split("</header>")[0]


def test_every_day_of_a_conference_is_today(client, user):
    add_event(client, "PyCon", today() - DAY, ends_on=today() + DAY, kind="conference")
    home = client.get("/").get_data(as_text=True)
    assert "Today" in home and "PyCon" in home.split('class="tonight"')[1]
    assert "0/3" in header(home) and "at PyCon" in header(home)
    events = client.get("/events/").get_data(as_text=True)
    assert "Past" not in events.split("PyCon")[0] or "PyCon" not in events.split("Past")[-1]
    form = client.get("/met").get_data(as_text=True)
    assert "at <a href" in form and ">PyCon</a>" in form
    assert client.post("/met", data={"name": "Guido"}).status_code == 302
    assert met_at("PyCon") == ["Guido"]


def test_met_someone_says_how_far_the_goal_has_come_counting_the_person_just_saved(client, user):
    add_event(client, "PyLondon", today(), goal="2")
    said = []
    for name in ["Ada Lovelace", "Grace Hopper"]:
        page = client.post("/met", data={"name": name}, follow_redirects=True).get_data(as_text=True)
        said.append(re.search(r"[^>]* saved\. [^<]* met\.[^<]*", page)[0])
    assert said == ["Ada Lovelace saved. 1 of 2 met.", "Grace Hopper saved. 2 of 2 met. Goal reached!"]


def test_day_two_of_a_conference_is_not_listed_as_past(client, user):
    add_event(client, "PyCon", today() - DAY, ends_on=today() + DAY)
    with db.database().connection_context():
        me = User.get()
        assert [e.name for e in me.upcoming_events()] == ["PyCon"]
        assert list(me.past_events()) == []


def test_the_last_day_cannot_be_before_the_first(client, user):
    response = client.post("/events/new", data={"name": "X", "starts_on": today().isoformat(),
                                                "ends_on": (today() - DAY).isoformat(), "kind": "meetup",
                                                "goal": "3"})
    assert response.status_code == 200
    assert "The last day cannot be before the first." in response.get_data(as_text=True)
    with db.database().connection_context():
        assert Event.select().count() == 0


def test_with_no_event_today_met_someone_never_files_under_tomorrows_event(client, user):
    add_event(client, "Tomorrow's meetup", today() + DAY)
    form = client.get("/met").get_data(as_text=True)
    quick_name = today().strftime(f"Met on %a {today().day} %b")
    assert f"saved under “{quick_name}”" in form
    tomorrow = event_named("Tomorrow's meetup")
    assert f'href="/events/{tomorrow.id}/people/new"' in form  # the nearest event, one tap away
    response = client.post("/met", data={"name": "Grace Hopper"})
    assert response.status_code == 302
    assert met_at("Tomorrow's meetup") == []
    assert met_at(quick_name) == ["Grace Hopper"]
    quick = event_named(quick_name)
    assert quick.quick and quick.goal == 3 and quick.starts_on == today()
    # The quick event is today's event from now on: the next person goes there too, and the header says so.
    client.post("/met", data={"name": "Alan Turing"})
    assert met_at(quick_name) == ["Alan Turing", "Grace Hopper"]
    page = client.get("/").get_data(as_text=True)
    assert "2/3" in header(page) and f"at {quick_name}" in header(page)


def test_met_someone_offers_a_planned_event_never_a_quick_day_still_to_come_where_the_phone_is(client, user):
    # Kiritimati's date is always a day or two ahead of Pago Pago's: the quick day made there is still to come.
    client.set_cookie("phone_zone", "Pacific/Kiritimati")
    client.post("/met", data={"name": "Kiri"})
    client.set_cookie("phone_zone", "Pacific/Pago_Pago")
    form = client.get("/met").get_data(as_text=True)
    assert "No event today" in form and "Log at" not in form
    pago_pago_today = datetime.datetime.now(ZoneInfo("Pacific/Pago_Pago")).date()
    add_event(client, "Next week", pago_pago_today + 7 * DAY)
    form = client.get("/met").get_data(as_text=True)
    assert re.findall(r"Log at ([^(<]*)", form) == ["Next week "]


def test_a_new_user_with_no_event_at_all_can_log_someone(client, user):
    page = client.get("/").get_data(as_text=True)
    assert 'href="/met"' in tab_bar(page) and "Met someone" in tab_bar(page)
    form = client.get("/met")
    assert form.status_code == 200 and "No event today" in form.get_data(as_text=True)
    assert client.post("/met", data={"description": "red jacket, Postgres talk"}).status_code == 302
    with db.database().connection_context():
        assert Person.get().description == "red jacket, Postgres talk"


def test_with_two_events_today_the_one_in_progress_wins(client, user):
    add_event(client, "Breakfast", today(), start_time="08:00")
    add_event(client, "Evening meetup", today(), start_time="18:30")
    with db.database().connection_context():
        me = User.get()
        at = datetime.datetime.combine(today(), datetime.time(9, 0), LONDON)
        assert me.event_for_logging(now=at).name == "Breakfast"
        at = datetime.datetime.combine(today(), datetime.time(19, 0), LONDON)
        assert me.event_for_logging(now=at).name == "Evening meetup"


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), LONDON)


def test_an_evening_goes_on_past_midnight_until_the_small_hours(client, user):
    """At 00:30 the person just met is at last night's meetup, not in a new quick event for the new day nor at
    tonight's event; from 05:00 the new day is the new day."""
    add_event(client, "Late meetup", today() - DAY, start_time="19:00")
    add_event(client, "Tonight", today(), start_time="18:30")
    with db.database().connection_context():
        me = User.get()
        assert me.event_for_logging(now=at(today(), 0, 30)).name == "Late meetup"
        assert me.event_for_logging(now=at(today(), 4, 59)).name == "Late meetup"
        assert me.event_for_logging(now=at(today(), 5, 0)).name == "Tonight"


def test_an_evening_that_says_when_it_ended_is_over_three_hours_later(client, user):
    add_event(client, "Talk night", today() - DAY, start_time="18:00")
    with db.database().connection_context():
        Event.update(end_time=datetime.time(23, 0)).execute()
        me = User.get()
        assert me.event_for_logging(now=at(today(), 1, 30)).name == "Talk night"  # still chatting outside
        Event.update(end_time=datetime.time(21, 0)).execute()
        User.update(data_version=User.data_version + 1).execute()  # as every change does: pages are made again
        me = User.get()
        assert me.event_for_logging(now=at(today(), 0, 30)) is None  # a quick event for the new day


def test_an_imported_event_from_22_to_02_is_over_by_the_next_afternoon(client, user):
    """A calendar's 22:00-02:00 is two days long: on its second day it is the event until the small hours, and
    not all afternoon."""
    add_event(client, "Hack night", today() - DAY, start_time="22:00", ends_on=today())
    with db.database().connection_context():
        Event.update(end_time=datetime.time(2, 0)).execute()
        me = User.get()
        assert me.event_for_logging(now=at(today(), 1, 30)).name == "Hack night"
        assert me.event_for_logging(now=at(today(), 15, 0)) is None


def test_with_two_events_today_the_one_last_logged_into_wins(client, user):
    first = add_event(client, "Workshop")
    second = add_event(client, "Hack night")
    client.post(second + "/people/new", data={"name": "Ada"})
    client.post(first + "/people/new", data={"name": "Grace"})
    form = client.get("/met").get_data(as_text=True)
    assert ">Workshop</a>" in form.split("Not here?")[0]
    # The other one is one tap away, and logging there makes it the one "Met someone" uses next.
    assert f'href="{second}/people/new">Hack night</a>' in form
    client.post(second + "/people/new", data={"name": "Barbara"})
    assert ">Hack night</a>" in client.get("/met").get_data(as_text=True).split("Not here?")[0]


def test_the_header_and_the_tab_bar_refer_to_the_same_event(client, user):
    add_event(client, "Workshop")
    second = add_event(client, "Hack night")
    client.post(second + "/people/new", data={"name": "Ada"})
    page = client.get("/").get_data(as_text=True)
    hack_night = event_named("Hack night")
    assert f'href="/events/{hack_night.id}"' in header(page) and "1/3" in header(page)
    assert "at Hack night" in header(page)
    assert "at Hack night" in tab_bar(page) and f'href="/events/{hack_night.id}/people/new"' in tab_bar(page)
    assert "Hack night" in page.split('class="tonight"')[1].split("</section>")[0]


def test_a_past_event_offers_a_small_add_instead_of_the_big_button(client, user):
    past = add_event(client, "Last week", today() - 7 * DAY)
    page = client.get(past).get_data(as_text=True)
    assert "Add someone you met here" in page
    assert "button-big" not in page.split('class="event-head"')[1].split("</section>")[0]
    assert client.post(past + "/people/new", data={"name": "Remembered later"}).status_code == 302
    assert met_at("Last week") == ["Remembered later"]


def test_tapping_a_person_on_an_event_page_opens_them_and_edit_is_one_tap_away(client, user):
    url = add_event(client, "Meetup")
    client.post(url + "/people/new", data={"name": "Grace"})
    with db.database().connection_context():
        grace = Person.get()
    assert f'href="/people/{grace.id}"' in client.get(url).get_data(as_text=True)
    person_page = client.get(f"/people/{grace.id}").get_data(as_text=True)
    assert f'href="{url}/people/{grace.id}/edit">Edit Grace</a>' in person_page


def test_the_header_asks_one_query_for_todays_event_however_many_events(client, user):
    for i in range(3):
        add_event(client, f"Day {i}", today())
    with queries_run() as few:
        client.get("/people")
    for i in range(10):
        add_event(client, f"More {i}", today() + (i % 3 - 1) * DAY)
    with queries_run() as many:
        client.get("/people")
    assert len(many) == len(few)


def test_confirming_someone_already_logged_here_does_not_reach_the_goal_twice(client, user):
    url = add_event(client, "Meetup", goal="2")
    client.post(url + "/people/new", data={"name": "Grace"})
    response = client.post(url + "/people/new", data={"name": "Jane Doe"}, follow_redirects=True)
    assert "Goal reached!" in response.get_data(as_text=True)
    # Jane again, later in the evening: asked, and Save does what the prompt recommends (the same person).
    asked = client.post(url + "/people/new", data={"name": "jane doe", "notes": "second chat"})
    page = asked.get_data(as_text=True)
    with db.database().connection_context():
        jane = Person.get(Person.name == "Jane Doe")
    assert "Met before?" in page and "Save keeps them as the same person" in page
    save = re.search(r'<button type="submit" class="button button-primary button-block button-big"[^>]*>', page)
    assert f'name="same_as" value="{jane.id}"' in save.group(0)
    confirmed = client.post(url + "/people/new", data={"name": "jane doe", "notes": "second chat",
                                                       "same_as": str(jane.id)}, follow_redirects=True)
    flashed = confirmed.get_data(as_text=True).split('class="flashes"')[1].split("</div>")[0]
    assert "Jane Doe saved. 2 of 2 met." in flashed and "Goal reached!" not in flashed
    with db.database().connection_context():
        assert Person.select().count() == 2
        assert "second chat" in Conversation.get(Conversation.person == jane).notes


def test_a_name_met_at_another_event_is_saved_as_someone_new_by_default(client, user):
    before = add_event(client, "Before", today() - 30 * DAY)
    client.post(before + "/people/new", data={"name": "Sam Lee"})
    url = add_event(client, "Now")
    page = client.post(url + "/people/new", data={"name": "Sam Lee"}).get_data(as_text=True)
    assert "Save adds them as someone new" in page and 'name="same_as" value="new">Save' in page


def test_a_refused_field_gets_focus_and_its_message_is_announced(client, user):
    url = add_event(client, "Meetup")
    page = client.post(url + "/people/new", data={"notes": "no name"}).get_data(as_text=True)
    summary = re.search(r'<p class="error-summary" role="alert"[^>]*>([^<]+)</p>', page)
    assert summary and "Add a name" in summary.group(1)
    name_input = re.search(r'<input[^>]*id="name"[^>]*>', page).group(0)
    assert "autofocus" in name_input and 'aria-invalid="true"' in name_input
    page = client.post(url + "/people/new", data={"name": "Sam", "email": "nope"}).get_data(as_text=True)
    assert "<details class=\"more-fields\" open" in page
    assert "autofocus" in re.search(r'<input[^>]*id="email"[^>]*>', page).group(0)
    assert "autofocus" not in re.search(r'<input[^>]*id="name"[^>]*>', page).group(0)


@pytest.mark.parametrize("path", ["/met"])
def test_met_someone_needs_a_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_quick_event_can_be_merged_into_the_real_event(client, user, auth):
    real = add_event(client, "PyData Berlin", today())
    with db.database().connection_context():
        real_id = event_named("PyData Berlin").id
        # Logged before the real event was added: the quick event of the day.
        Event.update(starts_on=today() + DAY).where(Event.id == real_id).execute()
    client.post("/met", data={"name": "Grace", "notes": "CDC"})
    client.post(real + "/people/new", data={"name": "Alan"})
    with db.database().connection_context():
        alan = Person.get(Person.name == "Alan")
    client.post("/met", data={"name": "Alan", "notes": "again", "same_as": str(alan.id)})
    quick = event_named(today().strftime(f"Met on %a {today().day} %b"))
    page = client.get(f"/events/{quick.id}").get_data(as_text=True)
    assert "Move them there" in page and f'value="{real_id}"' in page
    response = client.post(f"/events/{quick.id}/merge", data={"into": str(real_id)})
    assert response.status_code == 302 and response.headers["Location"] == real
    assert sorted(met_at("PyData Berlin")) == ["Alan", "Grace"]
    with db.database().connection_context():
        assert Event.get_or_none(Event.id == quick.id) is None
        assert Conversation.get(Conversation.person == alan).notes == "again"
    assert client.get(f"/events/{quick.id}").status_code == 404


def test_a_quick_event_is_never_merged_into_another_users_event(client, user, auth):
    client.post("/met", data={"name": "Grace"})
    quick = event_named(today().strftime(f"Met on %a {today().day} %b"))
    auth.logout()
    auth.signup(email="eve@example.com")
    add_event(client, "Eve's event")
    eves = event_named("Eve's event")
    assert client.post(f"/events/{quick.id}/merge", data={"into": str(eves.id)}).status_code == 404
    auth.logout()
    auth.login()
    client.post(f"/events/{quick.id}/merge", data={"into": str(eves.id)})
    assert met_at(quick.name) == ["Grace"] and met_at("Eve's event") == []


def merge_choices(client, quick_id):
    """The events a quick event's page offers to move its people to, as (id, label), in order."""
    page = client.get(f"/events/{quick_id}").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="into".*?</select>', page, re.S).group(0)
    return [(int(i), label) for i, label in re.findall(r'<option[^>]*value="(\d+)"[^>]*>([^<]*)</option>', select)]


def test_a_quick_event_is_offered_the_planned_events_nearest_its_day_with_their_year(client, user):
    """Years of meetups planned ahead: the people met with nothing planned are offered the events of that day
    and the days before it, the nearest first, then those of the next few days; never a day far ahead, nor
    another quick day."""
    with db.database().connection_context():
        owner = User.get()
        past = [Event.create(owner=owner, name=f"Past meetup {i}", starts_on=today() - 2 * i * DAY)
                for i in range(1, 80)]
        coming = [Event.create(owner=owner, name=f"Future meetup {i}", starts_on=today() + 3 * i * DAY)
                  for i in range(1, 80)]
        owner.quick_event(today() - 5 * DAY)
    client.post("/met", data={"name": "Grace Hopper"})
    quick = event_named(quick_name_today())
    choices = merge_choices(client, quick.id)
    first = past[0].starts_on
    assert choices[0] == (past[0].id, f"Past meetup 1, {first.day} {first.strftime('%b')} {first.year}")
    assert [i for i, _ in choices[:5]] == [e.id for e in past[:5]]
    assert choices[-1][0] == coming[0].id  # three days after: the eve of an event may be logged early
    assert {i for i, _ in choices} <= {e.id for e in past + coming[:1]}
    assert not any("Met on" in label for _, label in choices)


def test_a_quick_event_can_be_merged_into_any_planned_event_not_only_those_listed(client, user, auth):
    with db.database().connection_context():
        owner = User.get()
        for i in range(1, 60):
            Event.create(owner=owner, name=f"Meetup {i}", starts_on=today() - i * DAY)
        long_ago = Event.create(owner=owner, name="Long ago", starts_on=today() - 400 * DAY)
        other_day = owner.quick_event(today() - 5 * DAY)
    client.post("/met", data={"name": "Grace Hopper"})
    quick = event_named(quick_name_today())
    assert long_ago.id not in dict(merge_choices(client, quick.id))
    refused = client.post(f"/events/{quick.id}/merge", data={"into": str(other_day.id)}, follow_redirects=True)
    assert "can be moved to an event you planned" in refused.get_data(as_text=True)
    assert client.post(f"/events/{quick.id}/merge", data={"into": str(2**63)}).status_code == 302
    assert met_at(quick.name) == ["Grace Hopper"]
    moved = client.post(f"/events/{quick.id}/merge", data={"into": str(long_ago.id)})
    assert moved.headers["Location"] == f"/events/{long_ago.id}" and met_at("Long ago") == ["Grace Hopper"]


PAGO_PAGO, KIRITIMATI = ZoneInfo("Pacific/Pago_Pago"), ZoneInfo("Pacific/Kiritimati")  # 25 hours apart


def somewhere_else():
    """A zone where it is another day than in London now (one of these two always is)."""
    return next(zone for zone in (PAGO_PAGO, KIRITIMATI) if datetime.datetime.now(zone).date() != today())


def test_today_is_where_the_phone_is_for_a_traveller(client, user):
    """Signed up in London, at a conference on the other side of the world: the phone's zone (a cookie its pages
    set) says which day it is, so the evening's event there is today's, not yesterday's or tomorrow's."""
    zone = somewhere_else()
    there = datetime.datetime.now(zone).date()
    client.set_cookie("phone_zone", zone.key)
    conference = add_event(client, "Conference there", there)
    assert event_named("Conference there").timezone == zone.key  # planned there: its times are that zone's
    page = client.get("/").get_data(as_text=True)
    assert "at Conference there" in header(page)
    assert client.post("/met", data={"name": "Grace Hopper"}).status_code == 302
    assert met_at("Conference there") == ["Grace Hopper"]
    # With no event there today, the quick event is dated there too.
    moved = client.post(conference + "/edit", data={"name": "Conference there", "starts_on": (there + 3 * DAY)
                                                    .isoformat(), "kind": "meetup", "goal": "3"})
    assert moved.status_code == 302
    assert client.post("/met", data={"name": "Alan Turing"}).status_code == 302
    quick_name = there.strftime(f"Met on %a {there.day} %b")
    assert met_at(quick_name) == ["Alan Turing"] and event_named(quick_name).starts_on == there
    assert event_named(quick_name).timezone == zone.key
    # Back on a device that does not say where it is, the account's zone is used.
    client.delete_cookie("phone_zone")
    assert client.post("/met", data={"name": "Ada Lovelace"}).status_code == 302
    home_name = today().strftime(f"Met on %a {today().day} %b")
    assert met_at(home_name) == ["Ada Lovelace"] and event_named(home_name).timezone == ""
    client.set_cookie("phone_zone", "Europe/London")  # a phone at home: its events are in the account's zone
    add_event(client, "At home")
    assert event_named("At home").timezone == ""


@pytest.mark.parametrize("sent", ["Mars/Olympus_Mons", "", "../../etc/passwd", "America", "Europe/London\x00",
                                  "x" * 4000, "UTC+14", "%2F"])
def test_a_zone_the_server_does_not_know_is_ignored(client, user, sent):
    client.set_cookie("phone_zone", sent)
    add_event(client, "Tonight")
    page = client.get("/")
    assert page.status_code == 200 and "at Tonight" in header(page.get_data(as_text=True))


def test_a_page_says_which_zone_it_was_made_for_except_the_answer_to_a_form(client, user):
    """The phone asks a page again when it was made for another zone (static/js/phone-zone.js): never a form's
    answer, which would be posted again."""
    event = add_event(client, "Tonight")
    client.set_cookie("phone_zone", "Asia/Tokyo")
    assert 'data-zone="Asia/Tokyo"' in client.get("/").get_data(as_text=True)
    client.delete_cookie("phone_zone")
    assert 'data-zone="Europe/London"' in client.get(event).get_data(as_text=True)
    refused = client.post(event + "/people/new", data={"company": "Acme"})  # no name: the form comes back
    assert refused.status_code == 200 and 'data-zone=""' in refused.get_data(as_text=True)


def test_a_time_zone_changed_in_the_profile_is_this_devices_from_then_on(client, user):
    def saved(zone):
        response = client.post("/profile", data={"display_name": "Ada", "timezone": zone})
        assert response.status_code == 302
        return [h for h in response.headers.getlist("Set-Cookie") if h.startswith("phone_zone=")]

    (cookie,) = saved("Asia/Tokyo")  # changed here: this device's zone now, whatever its clock says
    assert cookie.startswith("phone_zone=Asia/Tokyo;") and "SameSite=Lax" in cookie and "HttpOnly" not in cookie
    # Saved again without changing it (a new headline, abroad): the device keeps the zone it is in.
    assert saved("Asia/Tokyo") == []


def a_zone_where_it_is_the_small_hours():
    """A phone's zone where it is between 01:00 and 03:00 now (some whole-hour zone always is)."""
    now = datetime.datetime.now(datetime.UTC)
    for hours in range(-12, 15):
        zone = ZoneInfo(f"Etc/GMT{-hours:+d}")  # the Etc names count the other way: Etc/GMT-9 is UTC+9
        if 1 <= now.astimezone(zone).hour < 3:
            return zone
    raise AssertionError("no zone is in the small hours")


def test_after_midnight_last_nights_event_is_shown_once_as_todays(client, user):
    """At 00:20 the evening that began at 19:00 is still today's event on home, not also one of the past ones."""
    zone = a_zone_where_it_is_the_small_hours()
    there = datetime.datetime.now(zone).date()
    client.set_cookie("phone_zone", zone.key)
    add_event(client, "Last week's meetup", there - 7 * DAY)
    add_event(client, "Tokyo Night", there - DAY, start_time="19:00")
    home = client.get("/").get_data(as_text=True)
    tonight = home.split('class="tonight"')[1].split("</section>")[0]
    assert "Today" in tonight and "Tokyo Night" in tonight
    past = home.split('id="past-title"')[1].split("</section>")[0]
    assert "Last week&#39;s meetup" in past and "Tokyo Night" not in past
    # "Met someone" there is today's form: a copy the phone keeps for tomorrow does not name last night's event.
    form = client.get("/met").get_data(as_text=True)
    assert ">Tokyo Night</a>" in form and f'data-day="{there.isoformat()}"' in form


def test_after_midnight_the_events_list_has_last_nights_event_still_going_not_among_the_past(client, user):
    """At 01:15 the hack night that began at 19:00 is where "Met someone" logs: the events list agrees."""
    zone = a_zone_where_it_is_the_small_hours()
    there = datetime.datetime.now(zone).date()
    client.set_cookie("phone_zone", zone.key)
    add_event(client, "Last week's meetup", there - 7 * DAY)
    add_event(client, "Late Night Hack", there - DAY, start_time="19:00")
    client.post("/met", data={"name": "Grace Hopper"})
    assert met_at("Late Night Hack") == ["Grace Hopper"]
    events = client.get("/events/").get_data(as_text=True)
    upcoming, past = events.split("<h2>Upcoming</h2>")[1].split("</main>")[0].split("<h2>Past</h2>")
    assert "Late Night Hack" in upcoming and "Nothing planned yet" not in upcoming
    assert "Last week&#39;s meetup" in past and "Late Night Hack" not in past


def test_an_evening_past_midnight_is_going_on_on_its_page_and_in_insights_until_it_is_over(client, user):
    """At 01:20 the hack night from 22:00 to 04:00 is where "Met someone" logged: its page offers the big "Met
    someone" and Insights does not count it as finished; once it is over, it is a past event like any other."""
    zone = a_zone_where_it_is_the_small_hours()
    there = datetime.datetime.now(zone).date()
    client.set_cookie("phone_zone", zone.key)
    add_event(client, "Late Night Hack", there - DAY, start_time="22:00", end_time="04:00", goal="1")
    saved = client.post("/met", data={"name": "Nia"}, follow_redirects=True).get_data(as_text=True)
    assert met_at("Late Night Hack") == ["Nia"] and "Late Night Hack" in saved
    head = saved.split('class="event-head"')[1].split("</section>")[0]
    assert "button-big" in head and "Add someone you met here" not in saved
    assert "no finished event yet" in client.get("/insights/").get_data(as_text=True)
    with db.database().connection_context():
        hack = event_named("Late Night Hack")
        assert not hack.is_past(datetime.datetime.combine(there, datetime.time(4, 0), zone))
        assert hack.is_past(datetime.datetime.combine(there, datetime.time(4, 0), zone) + AFTER_THE_END + DAY / 24)


def test_after_midnight_the_latest_of_last_nights_events_is_where_met_someone_logs_and_none_is_past(client, user):
    """At 01:30 the afterparty that began at 21:00 is where people are, not the meetup it followed at 18:00; both
    still count as today's until the night is over."""
    zone = a_zone_where_it_is_the_small_hours()
    there = datetime.datetime.now(zone).date()
    client.set_cookie("phone_zone", zone.key)
    add_event(client, "Last week's meetup", there - 7 * DAY)
    add_event(client, "Meetup", there - DAY, start_time="18:00")
    add_event(client, "Afterparty", there - DAY, start_time="21:00")
    client.post("/met", data={"name": "Grace Hopper"})
    assert met_at("Afterparty") == ["Grace Hopper"] and met_at("Meetup") == []
    events = client.get("/events/").get_data(as_text=True)
    upcoming, past = events.split("<h2>Upcoming</h2>")[1].split("</main>")[0].split("<h2>Past</h2>")
    assert "Afterparty" in upcoming and ">Meetup<" in upcoming and "Afterparty" not in past and ">Meetup<" not in past
    home = client.get("/").get_data(as_text=True)
    past = home.split('id="past-title"')[1].split("</section>")[0]
    assert "Last week&#39;s meetup" in past and "Afterparty" not in past and ">Meetup<" not in past


def quick_name_today():
    return today().strftime(f"Met on %a {today().day} %b")


def test_an_event_planned_for_today_takes_over_from_the_quick_event_once_it_begins(client, user):
    """Grace was logged before anything was planned (a quick event for the day); then the evening's event is
    planned, and it has begun: "Met someone" logs there now, however recently the quick event was used."""
    client.post("/met", data={"name": "Grace Hopper"})
    real = add_event(client, "Berlin Tech Night", today(), start_time="00:00")
    form = client.get("/met").get_data(as_text=True)
    assert ">Berlin Tech Night</a>" in form.split("Not here?")[0]
    assert client.post("/met", data={"name": "Alan Turing"}).status_code == 302
    assert met_at("Berlin Tech Night") == ["Alan Turing"] and met_at(quick_name_today()) == ["Grace Hopper"]
    home = client.get("/").get_data(as_text=True)
    assert "at Berlin Tech Night" in header(home)
    assert "Berlin Tech Night" in home.split('class="tonight"')[1].split("</section>")[0]
    assert "Upcoming" not in home  # today's events are not to come, the quick one neither
    assert f'href="{real}/people/new"' in tab_bar(home)


def test_the_people_of_the_days_quick_event_are_offered_to_move_to_the_event_planned_later(client, user):
    client.post("/met", data={"name": "Grace Hopper"})
    client.post("/met", data={"name": "Ada Lovelace"})
    real = add_event(client, "Berlin Tech Night", today(), start_time="00:00")
    quick = event_named(quick_name_today())
    real_id = event_named("Berlin Tech Night").id
    for page in (client.get(real).get_data(as_text=True), client.get("/").get_data(as_text=True)):
        offer = re.search(r"<form[^>]*data-moved-here.*?</form>", page, re.S).group(0)
        assert f"2 people were logged under <a href=\"/events/{quick.id}\">{quick_name_today()}</a> today" in offer
        assert f'action="/events/{quick.id}/merge"' in offer and f'name="into" value="{real_id}"' in offer
        assert "Move them here" in offer
    moved = client.post(f"/events/{quick.id}/merge", data={"into": str(real_id)})
    assert moved.headers["Location"] == real
    assert sorted(met_at("Berlin Tech Night")) == ["Ada Lovelace", "Grace Hopper"]
    assert "data-moved-here" not in client.get(real).get_data(as_text=True)


def test_follow_ups_moved_to_a_conference_are_due_after_its_last_day(client, user):
    """Linus was logged before the conference was planned: once moved there, his follow-up is for after it, as
    if he had been logged there; a day the user picked by hand stays."""
    client.post("/met", data={"name": "Linus T", "follow_up": "y", "follow_up_reason": "send the slides"})
    client.post("/met", data={"name": "Ken T", "follow_up": "y", "follow_up_reason": "ask about Plan 9"})
    with db.database().connection_context():
        picked = today() + 2 * DAY
        FollowUp.update(due_on=picked, moved_by_hand=True).where(
            FollowUp.person == Person.get(Person.name == "Ken T").id).execute()
    add_event(client, "DevConf", today(), ends_on=today() + 3 * DAY, start_time="00:00", kind="conference")
    quick = event_named(quick_name_today())
    client.post(f"/events/{quick.id}/merge", data={"into": str(event_named("DevConf").id)})
    with db.database().connection_context():
        due = {f.person.name: f.due_on for f in FollowUp.select()}
    assert due == {"Linus T": today() + 4 * DAY, "Ken T": picked}


def test_an_event_planned_for_tonight_does_not_take_the_mornings_people(client, user):
    """Until it is about to begin, people met during the day are not at the evening's event."""
    client.post("/met", data={"name": "Grace Hopper"})
    add_event(client, "Berlin Tech Night", today(), start_time="15:00")
    with db.database().connection_context():
        me = User.get()
        assert me.event_for_logging(now=at(today(), 10, 0)).name == quick_name_today()
        assert me.event_for_logging(now=at(today(), 14, 40)).name == "Berlin Tech Night"  # doors open
        assert me.event_for_logging(now=at(today(), 16, 35)).name == "Berlin Tech Night"


def test_an_evening_event_still_to_come_does_not_take_the_people_met_after_the_mornings_workshop(client, user):
    """The workshop ended at 12:00, someone was logged there at 11:30: at 14:40 the people met are still the
    workshop's, not the evening meetup's hours before it begins; from its doors opening, the meetup's."""
    add_event(client, "Morning workshop", start_time="09:00", end_time="12:00")
    add_event(client, "Evening meetup", start_time="18:00", end_time="21:00")
    workshop = event_named("Morning workshop").id
    with at_the_hour(datetime.time(14, 40)):
        assert sent_from_the_phone(client, at(today(), 11, 30), name="Ada Lovelace",
                                   event_id=workshop) == "Morning workshop"
        form = client.get("/met").get_data(as_text=True)
        assert ">Morning workshop</a>" in form.split("Not here?")[0]
        assert "at Morning workshop" in header(client.get("/").get_data(as_text=True))
        assert sent_from_the_phone(client, datetime.datetime.now(LONDON), name="Grace Hopper") == "Morning workshop"
    with db.database().connection_context():
        me = User.get()
        assert me.event_for_logging(now=at(today(), 17, 40)).name == "Evening meetup"  # doors open
        assert me.event_for_logging(now=at(today(), 18, 30)).name == "Evening meetup"


def test_with_two_events_still_to_come_today_met_someone_logs_into_the_earliest(client, user):
    add_event(client, "Evening meetup", start_time="18:00")
    add_event(client, "Lunch talk", start_time="13:00")
    with db.database().connection_context():
        me = User.get()
        assert me.event_for_logging(now=at(today(), 9, 0)).name == "Lunch talk"
        assert me.event_for_logging(now=at(today(), 15, 0)).name == "Lunch talk"


def test_an_event_planned_for_today_with_no_start_time_takes_over_from_the_quick_event(client, user):
    client.post("/met", data={"name": "Grace Hopper"})
    add_event(client, "All-day unconference", today())
    assert client.post("/met", data={"name": "Alan Turing"}).status_code == 302
    assert met_at("All-day unconference") == ["Alan Turing"]


def sent_from_the_phone(client, met, **fields):
    """An entry logged on the phone with no event on its form, sent later with the time it was met."""
    body = {"uuid": str(uuid.uuid4()), "event_id": None, "quick_day": met.date().isoformat(), "name": "Grace Hopper",
            "met_at": met.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z"), **fields}
    response = client.post("/sync/meetings", json=body)
    assert response.status_code == 201, response.json
    with db.database().connection_context():
        return Event.get_by_id(response.json["event_id"]).name

def test_an_event_in_its_own_time_zone_begins_at_its_time_there(client, user):
    """Planned from Los Angeles for Berlin: its 18:00 is 09:00 on the phone, so at 09:15 it has begun and takes
    over from the day's quick event. "Met someone", the header and an entry sent later by the phone agree."""
    la, berlin = ZoneInfo("America/Los_Angeles"), ZoneInfo("Europe/Berlin")
    client.set_cookie("phone_zone", la.key)
    client.post("/met", data={"name": "Grace Hopper"})  # nothing planned yet: the day's quick event
    begun = datetime.datetime.now(berlin) - datetime.timedelta(minutes=15)  # on the clock where it is held
    add_event(client, "Berlin JS", begun.date(), start_time=begun.strftime("%H:%M"), timezone=berlin.key)
    form = client.get("/met").get_data(as_text=True)
    assert ">Berlin JS</a>" in form.split("Not here?")[0]
    assert f'data-day="{datetime.datetime.now(la).date().isoformat()}"' in form  # today's form, on the phone
    assert "at Berlin JS" in header(client.get("/").get_data(as_text=True))
    assert client.post("/met", data={"name": "Alan Turing"}).status_code == 302
    assert met_at("Berlin JS") == ["Alan Turing"]
    assert sent_from_the_phone(client, datetime.datetime.now(la), name="Ada Lovelace") == "Berlin JS"


def test_an_entry_from_a_form_made_before_the_event_was_planned_goes_to_the_event(client, user):
    """The phone's copy of "Met someone" was made with nothing planned; the event was planned since."""
    add_event(client, "Planned Tonight")
    assert sent_from_the_phone(client, datetime.datetime.now(LONDON)) == "Planned Tonight"


def test_an_entry_sent_days_later_goes_to_the_event_it_was_met_at(client, user):
    add_event(client, "Monday Meetup", today() - 3 * DAY, start_time="19:00")
    assert sent_from_the_phone(client, at(today() - 3 * DAY, 21, 0)) == "Monday Meetup"
    assert sent_from_the_phone(client, at(today() - 2 * DAY, 0, 30)) == "Monday Meetup"  # the evening went on
    assert sent_from_the_phone(client, at(today() - 2 * DAY, 12, 0)) == quick_name_for(today() - 2 * DAY)


def test_an_entry_met_the_day_after_an_event_never_goes_to_it(client, user):
    """A copy of "Met someone" kept from Monday's event, used on Tuesday: the day it was met decides."""
    add_event(client, "Monday Meetup", today() - DAY, start_time="19:00")
    assert sent_from_the_phone(client, at(today(), 12, 0)) == quick_name_today()


def test_a_met_time_from_a_phone_whose_clock_is_far_off_is_not_used(client, user):
    add_event(client, "Monday Meetup", today() - DAY)
    wrong = datetime.datetime(2001, 1, 1, 12, tzinfo=LONDON)
    assert sent_from_the_phone(client, wrong, quick_day=today().isoformat()) == quick_name_today()


def test_a_phone_clock_a_little_fast_before_midnight_files_the_person_under_todays_quick_event(client, user):
    """At 23:41 the phone says 00:02 and tomorrow's date: nobody was met tomorrow. The person goes to today's quick
    event, met at 23:41, where the next person saved on the web at the same moment goes too: one evening."""
    with at_the_hour(datetime.time(23, 41)):
        fast = datetime.datetime.now(LONDON) + datetime.timedelta(minutes=21)
        assert fast.date() == today() + DAY
        assert sent_from_the_phone(client, fast, name="Fast Clock Fay") == quick_name_today()
        assert client.post("/met", data={"name": "Web Will"}).status_code == 302
        assert sorted(met_at(quick_name_today())) == ["Fast Clock Fay", "Web Will"]
        with db.database().connection_context():
            assert Event.select().count() == 1
            met = Conversation.get().created_at.replace(tzinfo=datetime.UTC).astimezone(LONDON)
            assert met.date() == today()
        assert quick_name_for(today() + DAY) not in client.get("/events/").get_data(as_text=True)


def test_a_traveller_east_of_home_whose_phone_is_on_tomorrow_already_gets_tomorrows_quick_event(client, user):
    """The account says London, where it is 23:41; the phone is in Berlin, where it is 00:41 the next day: its
    clock is right, and so is its day."""
    with at_the_hour(datetime.time(23, 41)):
        berlin = datetime.datetime.now(ZoneInfo("Europe/Berlin"))
        assert sent_from_the_phone(client, berlin, name="Berlin Ben") == quick_name_for(berlin.date())
        assert berlin.date() == today() + DAY


def quick_name_for(day):
    return day.strftime(f"Met on %a {day.day} %b")


TOKYO = ZoneInfo("Asia/Tokyo")


def last_night_in_tokyo(hour, minute=0):
    yesterday = datetime.datetime.now(TOKYO).date() - DAY
    return datetime.datetime.combine(yesterday, datetime.time(hour, minute), TOKYO)


def test_people_met_at_the_second_event_of_an_evening_go_there_when_those_met_earlier_are_sent_first(client, user):
    """Both planned in the morning, the evening spent in a basement with no signal, everything sent at night: the
    person met at 19:00 was at the early meetup, the one met at 21:30 at the late party, as the phone said then;
    the one sent first (stored later than the party began) does not pull the second one to the meetup."""
    client.set_cookie("phone_zone", TOKYO.key)
    evening = last_night_in_tokyo(0).date()
    add_event(client, "Early meetup", evening, start_time="18:00")
    add_event(client, "Late party", evening, start_time="20:30")
    assert sent_from_the_phone(client, last_night_in_tokyo(19, 0), name="Met at 19:00") == "Early meetup"
    assert sent_from_the_phone(client, last_night_in_tokyo(21, 30), name="Met at 21:30") == "Late party"


def test_someone_met_before_an_entry_at_the_other_event_goes_where_the_phone_was_when_they_met(client, user):
    """At 21:00 the user went back to the meetup and logged someone there (the event on the form): the person met
    at 20:45, sent after, was at the party, which had begun and was the one the phone showed then; the one met at
    21:15 was at the meetup, where the phone was from 21:00."""
    client.set_cookie("phone_zone", TOKYO.key)
    evening = last_night_in_tokyo(0).date()
    add_event(client, "Early meetup", evening, start_time="18:00")
    add_event(client, "Late party", evening, start_time="20:30")
    meetup = event_named("Early meetup").id
    assert sent_from_the_phone(client, last_night_in_tokyo(21, 0), name="Back at the meetup",
                               event_id=meetup) == "Early meetup"
    assert sent_from_the_phone(client, last_night_in_tokyo(20, 45), name="Met at 20:45") == "Late party"
    assert sent_from_the_phone(client, last_night_in_tokyo(21, 15), name="Met at 21:15") == "Early meetup"


def upcoming_on(home):
    return home.split('id="upcoming-title"')[1].split("</section>")[0] if 'id="upcoming-title"' in home else ""


def test_a_workshop_over_this_morning_is_not_upcoming_on_home_that_evening(client, user):
    """Workshop 09:00-12:00 and meetup 18:30-21:00: in the evening, the meetup is home's event and the workshop,
    over since noon, is not one to come; an event later in the week is."""
    add_event(client, "Morning Workshop", start_time="09:00", end_time="12:00")
    add_event(client, "Evening Meetup", start_time="18:30", end_time="21:00")
    add_event(client, "Rust Dublin", today() + 7 * DAY)
    for hour in (19, 23):
        with at_the_hour(datetime.time(hour)):
            home = client.get("/").get_data(as_text=True)
            assert "Evening Meetup" in home.split('class="tonight"')[1].split("</section>")[0]
            assert "Morning Workshop" not in upcoming_on(home)
            assert "Rust Dublin" in upcoming_on(home)
