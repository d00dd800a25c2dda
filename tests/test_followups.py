"""Follow-ups: overdue, due today and upcoming, a message to copy for each, done or dropped one at a time."""

import datetime
import html
import re
import uuid
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from conftest import Auth, csrf_token, make_app, queries_run, signed_up_with_csrf
from peewee import IntegrityError
from steps import add_event, form_as_opened, today

from webapp import db, kept
from webapp.models import Conversation, Event, FollowUp, Person, User

DAY = datetime.timedelta(days=1)


def log(client, event_url, **fields):
    response = client.post(event_url + "/people/new", data={"same_as": "new", **fields})
    assert response.status_code == 302, response.get_data(as_text=True)


def follow_up_of(name):
    with db.database().connection_context():
        return FollowUp.select().join(Person).where(Person.name == name).get()


@pytest.fixture
def three(client, user):
    """Three follow-ups: from an event five days ago (overdue), two days ago (due today), today (upcoming)."""
    for name, days_ago, reason in (("Olga Overdue", 5, "send the slides"), ("Dan Due", 2, "intro to Sam"),
                                   ("Uma Upcoming", 0, "share the CDC article")):
        event = add_event(client, name=f"Meetup {days_ago}", day=today() - days_ago * DAY)
        log(client, event, name=name, company="Acme", notes="Talked about CDC pipelines. And cats.",
            follow_up="y", follow_up_reason=reason)
    client.get("/")  # clears the "saved" messages


def section(page, title):
    start = page.index(f">{title} <")
    end = page.find('<section class="follow-up-group', start)
    return page[start:end if end > 0 else len(page)]


def test_an_empty_account_gets_an_explanation(client, user):
    page = client.get("/follow-ups/").get_data(as_text=True)
    assert "Nothing to follow up" in page


def test_the_empty_page_says_someone_ticked_shows_up_at_once_under_coming_up_due_two_days_later(client, user):
    said = html.unescape(client.get("/follow-ups/").get_data(as_text=True))
    assert "show up here at once, under “Coming up”, due two days after you meet them" in said
    log(client, add_event(client, name="Meetup"), name="Mo Met", follow_up="y", follow_up_reason="slides")
    page = client.get("/follow-ups/").get_data(as_text=True)
    assert "Mo Met" in section(page, "Coming up")
    assert follow_up_of("Mo Met").due_on == today() + 2 * DAY


def test_follow_ups_are_grouped_overdue_due_today_and_upcoming(client, three):
    page = client.get("/follow-ups/").get_data(as_text=True)
    assert page.index("Overdue") < page.index("Due today") < page.index("Coming up")
    assert "Olga Overdue" in section(page, "Overdue") and "Dan Due" not in section(page, "Overdue")
    assert "Dan Due" in section(page, "Due today") and "Uma Upcoming" not in section(page, "Due today")
    assert "Uma Upcoming" in section(page, "Coming up")
    assert "send the slides" in page and "Meetup 5" in page


def test_the_home_page_shows_how_many_follow_ups_are_due(client, three):
    page = client.get("/").get_data(as_text=True)
    assert "2 follow-ups due" in page and 'href="/follow-ups/"' in page


def test_the_home_page_says_nothing_when_no_follow_up_is_due(client, user):
    log(client, add_event(client), name="Uma", follow_up="y", follow_up_reason="later")
    assert "follow-ups due" not in client.get("/").get_data(as_text=True)
    assert "follow-up due" not in client.get("/").get_data(as_text=True)


def test_each_card_has_a_drafted_message_with_the_reason_and_never_the_notes(client, three):
    page = client.get("/follow-ups/").get_data(as_text=True)
    dan = follow_up_of("Dan Due")
    text = html.unescape(re.search(rf'<textarea id="message-{dan.id}"[^>]*>(.*?)</textarea>', page, re.S).group(1))
    assert text == ("Hi Dan,\nGreat to meet you at Meetup 2. I'd be glad to make the introduction to Sam we talked "
                    "about: shall I?\nBest,\nAda")
    assert "CDC pipelines" not in text and "cats" not in text  # notes to self stay out of the message
    email = html.unescape(re.search(rf'<textarea id="email-{dan.id}"[^>]*>(.*?)</textarea>', page, re.S).group(1))
    assert email.startswith("Hi Dan,\n\nIt was great to meet you at Meetup 2 on ")
    assert email.endswith("Best,\nAda Lovelace")
    assert "Long-press to copy it." in page  # without JavaScript
    # The message stays folded until the card is opened, so a page of cards stays short.
    card = page[page.index(f'id="follow-up-{dan.id}"'):]
    assert card.index("<details class=\"follow-up-message\">") < card.index(f'id="message-{dan.id}"')


def test_the_email_link_carries_the_subject_and_the_longer_message(client, user):
    log(client, add_event(client, name="PyData"), name="Eve Email", email="eve@example.com", follow_up="y",
        follow_up_reason="send the article on CDC")
    page = client.get("/follow-ups/").get_data(as_text=True)
    href = html.unescape(re.search(r'href="(mailto:[^"]+)"', page).group(1))
    parts = urlsplit(href)
    assert parts.path == "eve@example.com"
    query = parse_qs(parts.query)
    assert query["subject"] == ["Great to meet you at PyData"]
    assert query["body"][0].startswith("Hi Eve,\r\n\r\nIt was great to meet you at PyData on ")
    assert "As promised, here is the article on CDC I mentioned." in query["body"][0]


def drafted_email(client, name):
    follow_up = follow_up_of(name)
    page = client.get("/follow-ups/").get_data(as_text=True)
    return html.unescape(re.search(rf'<textarea id="email-{follow_up.id}"[^>]*>(.*?)</textarea>', page, re.S).group(1))


def test_the_email_names_the_day_of_a_conference_they_were_met_on(client, user):
    log(client, conference(client, -1, 1, name="DevConf SF"), name="Dee Daytwo", follow_up="y",
        follow_up_reason="send the slides")
    met = f"It was great to meet you at DevConf SF on {today():%-d %B}.\n"
    assert met in drafted_email(client, "Dee Daytwo")


def test_someone_noted_after_a_conference_is_met_there_on_no_day_in_particular(client, user):
    log(client, conference(client, -6, -4, name="DevConf SF"), name="Carl Card", follow_up="y",
        follow_up_reason="send the slides")
    email = drafted_email(client, "Carl Card")
    assert "\n\nGreat to meet you at DevConf SF.\n\n" in email and "DevConf SF on" not in email


def test_someone_noted_after_a_one_day_meetup_was_met_on_its_day(client, user):
    log(client, add_event(client, name="Meetup", day=today() - 5 * DAY), name="Mia Late", follow_up="y",
        follow_up_reason="send the slides")
    met = f"It was great to meet you at Meetup on {today() - 5 * DAY:%-d %B}.\n"
    assert met in drafted_email(client, "Mia Late")


def test_someone_met_after_midnight_at_an_evening_that_ran_past_it_was_met_on_the_evenings_day(client, user):
    day = today() - 5 * DAY
    url = add_event(client, name="Late party", day=day, start_time="20:00", end_time="02:00")
    log(client, url, name="Nina Night", follow_up="y", follow_up_reason="send the slides")
    with db.database().connection_context():  # noted at 00:30, the next day on the calendar
        met_at = datetime.datetime.combine(day + DAY, datetime.time(0, 30), ZoneInfo("Europe/London"))
        Conversation.update(created_at=met_at.astimezone(datetime.UTC).replace(tzinfo=None)).execute()
    assert f"It was great to meet you at Late party on {day:%-d %B}.\n" in drafted_email(client, "Nina Night")


def test_the_greeting_and_sign_off_set_once_on_the_profile_shape_every_message(client, three):
    response = client.post("/follow-ups/settings", data={"greeting": "Hej", "sign_off": "Cheers,"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/profile#message-settings")
    page = html.unescape(client.get("/follow-ups/").get_data(as_text=True))
    assert "Hej Dan,\n" in page and "\nCheers,\nAda</textarea>" in page
    profile = client.get("/profile").get_data(as_text=True)
    assert 'value="Hej"' in profile and 'value="Cheers,"' in profile
    client.post("/follow-ups/settings", data={"greeting": "x" * 41, "sign_off": ""})
    assert "Hej Dan" in html.unescape(client.get("/follow-ups/").get_data(as_text=True))  # nothing saved


def conference(client, first_day, last_day, name="DevConf"):
    """An event from first_day to last_day, in days from today (0: today)."""
    return add_event(client, name=name, day=today() + first_day * DAY, ends_on=(today() + last_day * DAY).isoformat())


@pytest.mark.parametrize("first_day, last_day, due_in", [
    (0, 0, 2),  # a meetup tonight: two days after
    (-4, 1, 2),  # day 5 of a six-day conference: two days after, not overdue at once
    (-1, 1, 2),  # day 2 of 3: not "due tomorrow" while still there
    (0, 5, 6),  # the first day of six: the day after it is over, not while still there
    (-2, 0, 2),  # its last day
    (-9, -5, -3),  # noted after it was over: counted from its last day, so already late
])
def test_a_follow_up_is_due_two_days_after_meeting_them_and_not_before_the_event_is_over(client, user, first_day,
                                                                                        last_day, due_in):
    log(client, conference(client, first_day, last_day), name="Mo Met", follow_up="y", follow_up_reason="slides")
    assert follow_up_of("Mo Met").due_on == today() + due_in * DAY


def test_met_again_on_day_two_of_a_conference_is_due_two_days_later(client, user):
    log(client, add_event(client, name="Meetup", day=today() - 90 * DAY), name="Jo Again")
    jo = follow_up_person_id("Jo Again")
    log(client, conference(client, -1, 1), name="Jo Again", same_as=str(jo), follow_up="y")
    assert follow_up_of("Jo Again").due_on == today() + 2 * DAY


def test_ticking_follow_up_when_editing_on_day_two_of_a_conference_is_due_two_days_later(client, user):
    event = conference(client, -1, 1)
    log(client, event, name="Ed Later")
    response = client.post(f"{event}/people/{follow_up_person_id('Ed Later')}/edit",
                           data={"name": "Ed Later", "follow_up": "y", "follow_up_reason": "intro to Sam"})
    assert response.status_code == 302
    assert follow_up_of("Ed Later").due_on == today() + 2 * DAY


def test_someone_sent_from_the_phone_on_day_five_of_six_is_not_overdue(client, user):
    event_id = int(conference(client, -4, 1).rstrip("/").split("/")[-1])
    response = client.post("/sync/meetings", json={"uuid": str(uuid.uuid4()), "event_id": event_id,
                                                   "name": "Phil Phone", "follow_up": True,
                                                   "follow_up_reason": "Send the slides"})
    assert response.status_code == 201, response.json
    assert follow_up_of("Phil Phone").due_on == today() + 2 * DAY


@pytest.mark.parametrize("sent_from", ["form", "phone"])
def test_a_follow_up_promised_again_at_a_later_meeting_moves_to_it_and_is_due_from_it(client, user, sent_from):
    react = add_event(client, name="React Berlin", day=today() - 500 * DAY)
    log(client, react, name="Jonas Weber", follow_up="y", follow_up_reason="talk about giving a talk")
    jonas = follow_up_person_id("Jonas Weber")
    meetup = add_event(client, name="Berlin JS Meetup", day=today() - DAY)
    again = {"name": "Jonas Weber", "same_as": str(jonas), "follow_up_reason": "confirm the talk date"}
    if sent_from == "form":
        assert client.post(meetup + "/people/new", data={**again, "follow_up": "y"}).status_code == 302
    else:
        response = client.post("/sync/meetings", json={**again, "uuid": str(uuid.uuid4()), "follow_up": True,
                                                       "event_id": int(meetup.rsplit("/", 1)[1])})
        assert response.status_code == 201, response.json
    renewed = follow_up_of("Jonas Weber")
    assert (renewed.event_id, renewed.due_on) == (int(meetup.rsplit("/", 1)[1]), today() + DAY)
    assert renewed.reason == "confirm the talk date"
    card = section(client.get("/follow-ups/").get_data(as_text=True), "Coming up")
    assert "Berlin JS Meetup" in card and "React Berlin" not in card


def test_a_meeting_written_up_later_at_an_earlier_event_leaves_the_follow_up_where_it_was(client, user):
    meetup = add_event(client, name="Berlin JS Meetup", day=today() - DAY)
    log(client, meetup, name="Jonas Weber", follow_up="y", follow_up_reason="confirm the talk date")
    before = follow_up_of("Jonas Weber")
    react = add_event(client, name="React Berlin", day=today() - 500 * DAY)
    log(client, react, name="Jonas Weber", same_as=str(before.person_id), follow_up="y")
    after = follow_up_of("Jonas Weber")
    assert (after.event_id, after.due_on, after.reason) == (before.event_id, before.due_on, "confirm the talk date")


def test_the_person_page_says_the_year_of_a_follow_up_due_in_another_and_that_it_is_overdue(client, user):
    log(client, add_event(client, name="Old Meetup", day=today() - 500 * DAY), name="Olly Old", follow_up="y")
    page = client.get(f"/people/{follow_up_person_id('Olly Old')}").get_data(as_text=True)
    due = follow_up_of("Olly Old").due_on
    assert f"Follow up by {due:%-d %b %Y} (overdue):</strong> <a" in page  # no reason: no dangling " ·"
    log(client, add_event(client, name="Tonight"), name="Nia New", follow_up="y", follow_up_reason="send the slides")
    page = client.get(f"/people/{follow_up_person_id('Nia New')}").get_data(as_text=True)
    due = follow_up_of("Nia New").due_on
    when = f"{due:%a %-d %b}" if due.year == today().year else f"{due:%-d %b %Y}"
    assert f"Follow up by {when}:</strong> send the slides · <a" in page


def test_an_event_moved_or_made_longer_moves_its_follow_ups_but_not_one_moved_by_hand(client, user):
    event = add_event(client, name="Berlin JS Meetup")
    for name in ("Ann Auto", "Hal Hand"):
        log(client, event, name=name, follow_up="y", follow_up_reason="send the slides")
    picked = today() + 9 * DAY
    client.post(f"/follow-ups/{follow_up_of('Hal Hand').id}/due", data={"due_on": picked.isoformat()})
    edited = {"name": "Berlin JS Meetup", "kind": "meetup", "goal": "3"}

    def dates(starts_on, ends_on=None):
        response = client.post(event + "/edit", data={**edited, "starts_on": starts_on.isoformat(),
                                                      "ends_on": ends_on.isoformat() if ends_on else ""})
        assert response.status_code == 302, response.get_data(as_text=True)
        return follow_up_of("Ann Auto").due_on, follow_up_of("Hal Hand").due_on

    assert dates(today(), today() + 3 * DAY) == (today() + 4 * DAY, picked)  # the day after its new last day
    assert dates(today() + 13 * DAY) == (today() + 15 * DAY, picked)  # two days after its new day
    assert dates(today()) == (today() + 2 * DAY, picked)  # back where it was
    assert "Ann Auto" in section(client.get("/follow-ups/").get_data(as_text=True), "Coming up")


def three_months_after(day):
    """The same day three months on, or that month's last day (30 November -> 28 February)."""
    year, month = (day.year, day.month + 3) if day.month <= 9 else (day.year + 1, day.month - 9)
    last = (datetime.date(year + (month == 12), month % 12 + 1, 1) - DAY).day
    return datetime.date(year, month, min(day.day, last))


@pytest.mark.parametrize("reason, due", [
    ("check in in 3 months", lambda met: three_months_after(met)),
    ("ping her in a couple of weeks about the role", lambda met: met + 14 * DAY),
    ("coffee in 10 days", lambda met: met + 10 * DAY),
    ("send the slides", lambda met: met + 2 * DAY),  # says no time: two days after
    ("call tomorrow", lambda met: met + 2 * DAY),  # sooner than two days: not while the event is still on
])
def test_a_reason_that_says_when_makes_the_follow_up_due_then(client, user, reason, due):
    met = today().replace(day=min(today().day, 28))  # a day every month has
    event = add_event(client, name="Meetup", day=met)
    log(client, event, name="Rae Reason", follow_up="y", follow_up_reason=reason)
    assert follow_up_of("Rae Reason").due_on == due(met)
    # The event moved: counted again from its new day, still as said.
    client.post(event + "/edit", data={"name": "Meetup", "kind": "meetup", "goal": "3",
                                       "starts_on": (met - 7 * DAY).isoformat()})
    assert follow_up_of("Rae Reason").due_on == max(due(met - 7 * DAY), today() - 7 * DAY + 2 * DAY)


def test_a_reason_reworded_to_say_when_moves_the_day(client, user):
    event = add_event(client, name="Meetup")
    person = "Wes Reworded"
    log(client, event, name=person, follow_up="y", follow_up_reason="send the slides")
    assert follow_up_of(person).due_on == today() + 2 * DAY
    client.post(f"{event}/people/{follow_up_person_id(person)}/edit",
                data={"name": person, "follow_up": "y", "follow_up_reason": "send the slides in 2 weeks"})
    assert follow_up_of(person).due_on == today() + 14 * DAY


def test_a_reason_says_when_by_one_rule_whether_typed_first_or_reworded(client, user):
    """At a conference still running, "ping in 2 days" is due the day after it, however it was written down."""
    event = conference(client, 0, 4)
    log(client, event, name="Ann Edited", follow_up="y", follow_up_reason="send slides")
    log(client, event, name="Bob Typed", follow_up="y", follow_up_reason="ping in 2 days")
    assert follow_up_of("Ann Edited").due_on == follow_up_of("Bob Typed").due_on == today() + 5 * DAY
    response = client.post(f"{event}/people/{follow_up_person_id('Ann Edited')}/edit",
                           data={"name": "Ann Edited", "follow_up": "y", "follow_up_reason": "ping in 2 days"})
    assert response.status_code == 302
    assert follow_up_of("Ann Edited").due_on == today() + 5 * DAY


def test_a_reason_reworded_to_say_no_time_is_due_as_if_it_never_had(client, user):
    event = add_event(client, name="Meetup")
    for person in ("Wes Reworded", "Hal Hand"):
        log(client, event, name=person, follow_up="y", follow_up_reason="check in in 3 months")
    assert follow_up_of("Wes Reworded").due_on == three_months_after(today())
    picked = today() + 40 * DAY
    client.post(f"/follow-ups/{follow_up_of('Hal Hand').id}/due", data={"due_on": picked.isoformat()})
    for person in ("Wes Reworded", "Hal Hand"):
        client.post(f"{event}/people/{follow_up_person_id(person)}/edit",
                    data={"name": person, "follow_up": "y", "follow_up_reason": "send the slides"})
    assert follow_up_of("Wes Reworded").due_on == today() + 2 * DAY
    assert follow_up_of("Hal Hand").due_on == picked  # the day the user picked stays


def follow_up_person_id(name):
    with db.database().connection_context():
        return Person.get(Person.name == name).id


def test_a_person_has_one_follow_up_to_do_and_the_database_refuses_a_second(client, user):
    event = add_event(client, day=today() - 5 * DAY)
    log(client, event, name="Pat Twice", follow_up="y", follow_up_reason="send the slides")
    pat = follow_up_of("Pat Twice")
    with db.database().connection_context():
        with pytest.raises(IntegrityError), db.database().atomic():
            FollowUp.create(person=pat.person_id, owner=pat.owner_id, reason="coffee", due_on=today() + 9 * DAY)
        # Done or dropped ones are history: as many as there were.
        for closed in ("done_on", "dropped_on"):
            FollowUp.create(person=pat.person_id, owner=pat.owner_id, reason="said thanks", due_on=today(),
                            **{closed: today()})
    page = client.get("/follow-ups/").get_data(as_text=True)
    assert page.count('data-follow-up>') == 1 and "send the slides" in page


def test_a_save_that_finds_a_follow_up_made_since_it_looked_rewords_it_instead_of_adding_one(client, user):
    # Two saves of the same person at once (the phone's and the web's, on PostgreSQL) both read "no follow-up"
    # and both add one: the second adds to the first's.
    from webapp.people.logbook import _new_follow_up

    event = add_event(client, day=today() - 5 * DAY)
    log(client, event, name="Pat Racing", follow_up="y", follow_up_reason="send the slides")
    first = follow_up_of("Pat Racing")
    with db.database().connection_context(), db.write():
        _new_follow_up(first.person, first.event, "coffee next month")
    with db.database().connection_context():
        (only,) = FollowUp.select().where(FollowUp.person == first.person_id)
        assert (only.id, only.reason, only.due_on) == (first.id, "coffee next month", first.due_on)


def test_the_page_shows_ten_cards_at_a_time_with_a_fixed_number_of_queries(client, user):
    event = add_event(client, day=today() - 3 * DAY)
    with db.database().connection_context():
        owner = User.get()
        ids = [Person.create(owner=owner, name=f"Person {i:02}", email=f"p{i}@example.com").id for i in range(25)]
        for i, pid in enumerate(ids):
            FollowUp.create(person=pid, event=event.rsplit("/", 1)[1], reason="send the slides",
                            due_on=today() + (i - 12) * DAY)
    client.get("/follow-ups/")  # warm: the user and the header are loaded the same way on each page
    counts = []
    for page in (1, 2, 3):
        kept.forget_all()  # each worker's first look at a page does the queries
        with queries_run() as queries:
            body = client.get(f"/follow-ups/?page={page}").get_data(as_text=True)
        counts.append(len(queries))
        assert body.count("data-follow-up>") == (10 if page < 3 else 5)
    assert counts[0] == counts[1] == counts[2]
    first = client.get("/follow-ups/").get_data(as_text=True)
    assert "Overdue <span class=\"count\">(12)</span>" in first and 'rel="next"' in first
    assert "Person 00" in first and "Person 10" not in first
    last = client.get("/follow-ups/?page=3").get_data(as_text=True)
    assert "Person 24" in last and 'rel="next"' not in last and "Coming up <span class=\"count\">(12)</span>" in last
    with db.database().connection_context():
        for i in range(25, 125):
            FollowUp.create(person=Person.create(owner=owner, name=f"More {i}"), reason="x", due_on=today())
    kept.forget_all()  # written behind the app's back: no change of the account's version to tell the pages
    with queries_run() as queries:
        client.get("/follow-ups/?page=2")
    assert len(queries) == counts[1]  # five times the follow-ups, the same queries
    assert len(client.get("/follow-ups/?page=2").get_data()) < 60_000  # ten cards (~44 KB), whatever the total


def test_a_link_to_a_follow_up_finds_its_card_on_whichever_page_it_is(client, user):
    event = add_event(client, day=today() - 3 * DAY)
    with db.database().connection_context():
        owner = User.get()
        ids = [FollowUp.create(person=Person.create(owner=owner, name=f"Person {i:02}"), event=event.rsplit("/", 1)[1],
                               reason="send the slides", due_on=today() + (i - 12) * DAY).id for i in range(25)]
    counts = []
    for position, page in ((3, ""), (14, "?page=2"), (24, "?page=3")):
        follow_up = ids[position]
        with queries_run() as queries:
            response = client.get(f"/follow-ups/{follow_up}")
        counts.append(len(queries))
        assert response.headers["Location"] == f"/follow-ups/{page}#follow-up-{follow_up}"
        assert f'id="follow-up-{follow_up}"' in client.get(response.headers["Location"]).get_data(as_text=True)
    assert counts[0] == counts[1] == counts[2]  # one count, wherever the card is
    person_id = follow_up_of("Person 14").person_id
    person_page = client.get(f"/people/{person_id}").get_data(as_text=True)
    assert f'href="/follow-ups/{ids[14]}">Write the message</a>' in person_page
    # Moved (or put back with Undo), it is found on its new page.
    moved = client.post(f"/follow-ups/{ids[0]}/due", data={"due_on": (today() + 30 * DAY).isoformat()})
    assert moved.headers["Location"] == f"/follow-ups/?page=3#follow-up-{ids[0]}"
    done = client.post(f"/follow-ups/{ids[20]}/done")
    note = client.get("/follow-ups/").get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', note).group(1)
    undone = client.post(f"/follow-ups/{ids[20]}/undo", data={"token": token})
    # Back on the list after the nineteen due before it (the first one moved to the end): on page 2.
    assert done.status_code == 302 and undone.headers["Location"] == f"/follow-ups/?page=2#follow-up-{ids[20]}"


def test_a_link_to_another_accounts_follow_up_is_not_found(client, three):
    olga = follow_up_of("Olga Overdue")
    Auth(client).logout()
    Auth(client).signup(email="mallory@example.com", name="Mallory")
    assert client.get(f"/follow-ups/{olga.id}").status_code == 404


def test_a_page_past_the_end_offers_the_first_page(client, three):
    page = client.get("/follow-ups/?page=99").get_data(as_text=True)
    assert "Back to the first page" in page and "data-follow-up>" not in page
    assert client.get("/follow-ups/?page=-3").status_code == 200
    assert client.get("/follow-ups/?page=99999999999999999999").status_code == 200


def test_the_linkedin_link_goes_to_the_profile_or_to_a_search_for_them(client, user):
    event = add_event(client)
    log(client, event, name="Pat Profile", linkedin_url="linkedin.com/in/pat", follow_up="y", follow_up_reason="x")
    log(client, event, name="Sam Search", company="Globex", follow_up="y", follow_up_reason="y")
    page = client.get("/follow-ups/").get_data(as_text=True)
    assert 'href="https://www.linkedin.com/in/pat"' in page
    assert 'href="https://www.linkedin.com/search/results/people/?keywords=Sam+Search+Globex"' in page


def test_marking_a_follow_up_done_keeps_the_date_and_takes_it_off_the_list(client, three):
    dan = follow_up_of("Dan Due")
    response = client.post(f"/follow-ups/{dan.id}/done")
    assert response.status_code == 302
    assert follow_up_of("Dan Due").done_on == today()
    page = client.get("/follow-ups/").get_data(as_text=True)
    assert "Dan Due: follow-up done." in page
    assert 'id="group-due"' not in page
    assert "Done lately" in page and "intro to Sam" in page.split("Done lately")[1]
    person_page = client.get(f"/people/{dan.person_id}").get_data(as_text=True)
    assert f"Done {today().strftime('%-d %b %Y')}: intro to Sam" in person_page
    assert "1 follow-up due" in client.get("/").get_data(as_text=True)


def test_dropping_a_follow_up_takes_it_off_the_list(client, three):
    olga = follow_up_of("Olga Overdue")
    assert client.post(f"/follow-ups/{olga.id}/drop").status_code == 302
    assert follow_up_of("Olga Overdue").dropped_on == today()
    page = client.get("/follow-ups/").get_data(as_text=True)
    assert 'id="group-overdue"' not in page and "Olga Overdue: follow-up dropped." in page


def test_done_can_be_undone_for_a_few_minutes_without_javascript(client, three):
    dan = follow_up_of("Dan Due")
    client.post(f"/follow-ups/{dan.id}/done")
    page = client.get("/follow-ups/").get_data(as_text=True)
    note = page[page.index('class="follow-up-closed"'):]
    assert "Dan Due: follow-up done. Nice." in note
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', note).group(1)
    response = client.post(f"/follow-ups/{dan.id}/undo", data={"token": token})
    assert response.status_code == 302 and follow_up_of("Dan Due").is_open
    assert "Dan Due: back on your list." in client.get("/follow-ups/").get_data(as_text=True)
    assert 'class="follow-up-closed"' not in client.get("/follow-ups/").get_data(as_text=True)  # said once
    # Undo tapped twice (or sent again from the page before): it is back, and says so, not "already has one".
    again = client.post(f"/follow-ups/{dan.id}/undo", data={"token": token}, follow_redirects=True)
    assert "Dan Due: back on your list." in again.get_data(as_text=True)
    assert "already has a follow-up" not in again.get_data(as_text=True)


def test_dropped_can_be_undone_but_not_once_the_minutes_are_up(client, three, monkeypatch):
    olga = follow_up_of("Olga Overdue")
    client.post(f"/follow-ups/{olga.id}/drop")
    token = re.search(r'name="token" type="hidden" value="([^"]+)"',
                      client.get("/follow-ups/").get_data(as_text=True)).group(1)
    from webapp import followups
    monkeypatch.setattr(followups, "UNDO_SECONDS", -1)
    client.post(f"/follow-ups/{olga.id}/undo", data={"token": token})
    assert follow_up_of("Olga Overdue").dropped_on == today()
    assert "Too late to undo that" in client.get("/follow-ups/").get_data(as_text=True)
    monkeypatch.setattr(followups, "UNDO_SECONDS", 600)
    client.post(f"/follow-ups/{olga.id}/undo", data={"token": token})
    assert follow_up_of("Olga Overdue").is_open


def test_undo_never_leaves_a_person_with_two_follow_ups_on_the_list(client, three):
    """Done, then met again with "follow up" ticked (a new follow-up), then Undo on the old one: it stays done."""
    dan = follow_up_of("Dan Due")
    client.post(f"/follow-ups/{dan.id}/done")
    token = re.search(r'name="token" type="hidden" value="([^"]+)"',
                      client.get("/follow-ups/").get_data(as_text=True)).group(1)
    with db.database().connection_context():
        person = Person.get(Person.name == "Dan Due")
    again = add_event(client, name="Second meetup")
    client.post(again + "/people/new", data={"name": "Dan Due", "same_as": str(person.id), "follow_up": "y",
                                             "follow_up_reason": "send the repo"})
    response = client.post(f"/follow-ups/{dan.id}/undo", data={"token": token})
    assert response.status_code == 302
    with db.database().connection_context():
        still_open = [f.reason for f in FollowUp.select().where(FollowUp.person == person, FollowUp.is_open)]
    assert still_open == ["send the repo"]
    page = client.get("/follow-ups/").get_data(as_text=True)
    assert "Dan Due already has a follow-up on your list (send the repo): this one stays done." in html.unescape(page)


def test_undo_racing_a_new_follow_up_for_the_same_person_keeps_one_and_says_so(client, three, monkeypatch):
    """On PostgreSQL the Undo and a save of the same person can both read "no follow-up to do": the database
    refuses the second, and the Undo says the other is on the list, with no error page."""
    dan = follow_up_of("Dan Due")
    client.post(f"/follow-ups/{dan.id}/done")
    token = re.search(r'name="token" type="hidden" value="([^"]+)"',
                      client.get("/follow-ups/").get_data(as_text=True)).group(1)
    with db.database().connection_context():
        FollowUp.create(person=dan.person_id, owner=dan.owner_id, reason="send the repo", due_on=today())
    looked = []

    def read_before_the_other_was_made(person):  # what the Undo read, a moment before the save committed
        looked.append(person.id)
        return None if len(looked) == 1 else FollowUp.get(FollowUp.person == person, FollowUp.is_open)

    monkeypatch.setattr(Person, "open_follow_up", read_before_the_other_was_made)
    response = client.post(f"/follow-ups/{dan.id}/undo", data={"token": token})
    assert response.status_code == 302 and len(looked) == 2
    monkeypatch.undo()
    with db.database().connection_context():
        assert [f.reason for f in FollowUp.select().where(FollowUp.person == dan.person_id, FollowUp.is_open)] == [
            "send the repo"]
    page = html.unescape(client.get("/follow-ups/").get_data(as_text=True))
    assert "Dan Due already has a follow-up on your list (send the repo): this one stays done." in page


def test_an_undo_token_works_only_for_its_own_follow_up_and_account(client, three):
    dan, olga = follow_up_of("Dan Due"), follow_up_of("Olga Overdue")
    client.post(f"/follow-ups/{dan.id}/done")
    client.post(f"/follow-ups/{olga.id}/done")
    token = re.search(r'name="token" type="hidden" value="([^"]+)"',
                      client.get("/follow-ups/").get_data(as_text=True)).group(1)  # Olga's
    client.post(f"/follow-ups/{dan.id}/undo", data={"token": token})
    client.post(f"/follow-ups/{dan.id}/undo", data={"token": "forged"})
    assert not follow_up_of("Dan Due").is_open
    auth = Auth(client)
    auth.logout()
    auth.signup(email="mallory@example.com", name="Mallory")
    assert client.post(f"/follow-ups/{olga.id}/undo", data={"token": token}).status_code == 404
    assert not follow_up_of("Olga Overdue").is_open


def test_a_send_button_marks_done_and_gets_the_note_with_undo_back(client, three):
    uma = follow_up_of("Uma Upcoming")
    response = client.post(f"/follow-ups/{uma.id}/done", data={"via": "email"},
                           headers={"X-Requested-With": "fetch"})
    assert response.status_code == 200
    note = response.get_data(as_text=True)
    assert "Uma Upcoming: Emailed: follow-up done." in note and ">Undo</button>" in note and "<html" not in note
    assert follow_up_of("Uma Upcoming").done_on == today()


def test_a_closed_follow_up_cannot_be_closed_again(client, three):
    dan = follow_up_of("Dan Due")
    client.post(f"/follow-ups/{dan.id}/done")
    client.get("/follow-ups/")
    client.post(f"/follow-ups/{dan.id}/drop")
    assert follow_up_of("Dan Due").dropped_on is None
    assert "already closed" in client.get("/follow-ups/").get_data(as_text=True)


def test_moving_the_due_date(client, three):
    olga = follow_up_of("Olga Overdue")
    later = today() + 7 * DAY
    response = client.post(f"/follow-ups/{olga.id}/due", data={"due_on": later.isoformat()})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#follow-up-{olga.id}")
    assert follow_up_of("Olga Overdue").due_on == later
    page = client.get("/follow-ups/").get_data(as_text=True)
    assert "Olga Overdue" in section(page, "Coming up")


@pytest.mark.parametrize("value, message_text", [("", "Enter a date"), ("next tuesday", "Not a valid date value"),
                                                 ("2026-02-30", "Not a valid date value"),
                                                 ("2999-01-01", "within the next three years")])
def test_a_bad_due_date_gets_a_clear_message_and_changes_nothing(client, three, value, message_text):
    olga = follow_up_of("Olga Overdue")
    response = client.post(f"/follow-ups/{olga.id}/due", data={"due_on": value})
    assert response.status_code == 302
    assert follow_up_of("Olga Overdue").due_on == olga.due_on
    assert message_text in client.get("/follow-ups/").get_data(as_text=True)


def test_connected_on_linkedin_can_be_ticked_and_unticked(client, three):
    dan = follow_up_of("Dan Due")
    response = client.post(f"/people/{dan.person_id}/connected",
                           data={"connected": "y", "next": f"/follow-ups/#follow-up-{dan.id}"})
    assert response.status_code == 302 and response.headers["Location"] == f"/follow-ups/#follow-up-{dan.id}"
    with db.database().connection_context():
        assert Person.get_by_id(dan.person_id).connected_on_linkedin
    page = client.get("/follow-ups/").get_data(as_text=True)
    assert "✓ Connected on LinkedIn" in page
    client.post(f"/people/{dan.person_id}/connected", data={})
    with db.database().connection_context():
        assert not Person.get_by_id(dan.person_id).connected_on_linkedin


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)",
                                    "/\\evil.example"])
def test_the_way_back_after_ticking_never_leaves_the_site(client, three, target):
    dan = follow_up_of("Dan Due")
    response = client.post(f"/people/{dan.person_id}/connected", data={"connected": "y", "next": target})
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//") and "evil" not in location


def test_other_users_follow_ups_and_people_are_not_found(client, three):
    olga = follow_up_of("Olga Overdue")
    auth = Auth(client)
    auth.logout()
    auth.signup(email="mallory@example.com", name="Mallory")
    assert "Olga" not in client.get("/follow-ups/").get_data(as_text=True)
    assert client.post(f"/follow-ups/{olga.id}/done").status_code == 404
    assert client.post(f"/follow-ups/{olga.id}/drop").status_code == 404
    assert client.post(f"/follow-ups/{olga.id}/due", data={"due_on": today().isoformat()}).status_code == 404
    assert client.post(f"/people/{olga.person_id}/connected", data={"connected": "y"}).status_code == 404
    assert client.post("/follow-ups/424242/done").status_code == 404
    after = follow_up_of("Olga Overdue")
    assert after.is_open and after.due_on == olga.due_on


def test_follow_up_buttons_need_their_csrf_token(tmp_path):
    app = make_app("sqlite:///" + str(tmp_path / "csrf.sqlite3"), WTF_CSRF_ENABLED=True)
    client = signed_up_with_csrf(app)
    with app.app_context(), db.database().connection_context():
        user = User.get()
        event = Event.create(owner=user, name="PyData", starts_on=today())
        person = Person.create(owner=user, name="Grace")
        follow_up = FollowUp.create(person=person, event=event, reason="slides", due_on=today())
    for action in ("done", "drop", "due"):
        assert client.post(f"/follow-ups/{follow_up.id}/{action}").status_code == 400
    assert client.post(f"/people/{person.id}/connected", data={"connected": "y"}).status_code == 400
    page = client.get("/follow-ups/").get_data(as_text=True)
    assert client.post(f"/follow-ups/{follow_up.id}/done", data={"csrf_token": csrf_token(page)}).status_code == 302
    with app.app_context(), db.database().connection_context():
        assert FollowUp.get_by_id(follow_up.id).done_on is not None
        assert not Person.get_by_id(person.id).connected_on_linkedin
    db.database().close()


def undo_form_in(page):
    """The token and way back of the Undo in the note said after closing a follow-up."""
    note = page[page.index('class="follow-up-closed"'):]
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', note).group(1)
    back = html.unescape(re.search(r'name="next" type="hidden" value="([^"]*)"', note).group(1))
    return token, back


@pytest.mark.parametrize("action, said, field", [("done", "follow-up done. Nice.", "done_on"),
                                                 ("drop", "follow-up dropped.", "dropped_on")])
def test_closing_a_follow_up_on_the_person_page_stays_there_with_an_undo_that_reopens_it(client, three, action,
                                                                                        said, field):
    dan = follow_up_of("Dan Due")
    person_url = f"/people/{dan.person_id}"
    moved = today() + 9 * DAY  # a due date of the user's own, not the one given when logged
    client.post(f"/follow-ups/{dan.id}/due", data={"due_on": moved.isoformat()})
    with db.database().connection_context(), db.write():  # an older follow-up of Dan's, done long ago
        older = FollowUp.create(person=dan.person_id, reason="coffee", due_on=today() - 90 * DAY,
                                done_on=today() - 80 * DAY)
    page = client.get(person_url).get_data(as_text=True)
    assert f'action="/follow-ups/{dan.id}/{action}"' in page
    assert f'<input type="hidden" name="next" value="{person_url}">' in page
    response = client.post(f"/follow-ups/{dan.id}/{action}", data={"next": person_url})
    assert response.status_code == 302 and response.headers["Location"] == person_url
    assert getattr(follow_up_of_id(dan.id), field) == today()
    page = client.get(person_url).get_data(as_text=True)
    assert f"Dan Due: {said}" in page and ">Undo</button>" in page
    assert f'action="/follow-ups/{dan.id}/done"' not in page  # no longer open
    token, back = undo_form_in(page)
    assert back == person_url
    assert 'class="follow-up-closed"' not in client.get("/follow-ups/").get_data(as_text=True)  # said once, there
    response = client.post(f"/follow-ups/{dan.id}/undo", data={"token": token, "next": back})
    assert response.status_code == 302 and response.headers["Location"] == person_url
    reopened = follow_up_of_id(dan.id)
    assert reopened.is_open
    assert (reopened.reason, reopened.due_on, reopened.event_id, reopened.person_id) == (
        "intro to Sam", moved, dan.event_id, dan.person_id)
    assert follow_up_of_id(older.id).done_on == today() - 80 * DAY  # only that follow-up comes back
    page = client.get(person_url).get_data(as_text=True)
    assert "Dan Due: back on your list." in page
    assert f'action="/follow-ups/{dan.id}/{action}"' in page and "intro to Sam" in page
    assert "Dan Due" in section(client.get("/follow-ups/").get_data(as_text=True), "Coming up")


def follow_up_of_id(follow_up_id):
    with db.database().connection_context():
        return FollowUp.get_by_id(follow_up_id)


def test_the_person_pages_undo_is_too_late_after_the_minutes_are_up(client, three, monkeypatch):
    olga = follow_up_of("Olga Overdue")
    person_url = f"/people/{olga.person_id}"
    client.post(f"/follow-ups/{olga.id}/drop", data={"next": person_url})
    token, back = undo_form_in(client.get(person_url).get_data(as_text=True))
    from webapp import followups
    monkeypatch.setattr(followups, "UNDO_SECONDS", -1)
    response = client.post(f"/follow-ups/{olga.id}/undo", data={"token": token, "next": back})
    assert response.headers["Location"] == person_url
    assert "Too late to undo that" in client.get(person_url).get_data(as_text=True)
    assert follow_up_of_id(olga.id).dropped_on == today()


def test_a_closing_note_for_one_person_is_not_shown_on_anothers_page(client, three):
    dan, olga = follow_up_of("Dan Due"), follow_up_of("Olga Overdue")
    client.post(f"/follow-ups/{dan.id}/done", data={"next": f"/people/{olga.person_id}"})
    assert 'class="follow-up-closed"' not in client.get(f"/people/{olga.person_id}").get_data(as_text=True)
    assert "Dan Due: follow-up done." in client.get(f"/people/{dan.person_id}").get_data(as_text=True)


def test_another_users_follow_up_is_not_found_from_the_person_page_either(client, three):
    dan = follow_up_of("Dan Due")
    person_url = f"/people/{dan.person_id}"
    client.post(f"/follow-ups/{dan.id}/done", data={"next": person_url})
    token, back = undo_form_in(client.get(person_url).get_data(as_text=True))
    client.post(f"/follow-ups/{dan.id}/undo", data={"token": token, "next": back})
    auth = Auth(client)
    auth.logout()
    auth.signup(email="mallory@example.com", name="Mallory")
    assert client.get(person_url).status_code == 404
    for action in ("done", "drop"):
        assert client.post(f"/follow-ups/{dan.id}/{action}", data={"next": person_url}).status_code == 404
    assert client.post(f"/follow-ups/{dan.id}/undo", data={"token": token, "next": person_url}).status_code == 404
    assert follow_up_of_id(dan.id).is_open
    page = client.get("/follow-ups/").get_data(as_text=True)
    assert "Dan" not in page and 'class="follow-up-closed"' not in page


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_the_way_back_after_done_or_undo_never_leaves_the_site(client, three, target):
    dan = follow_up_of("Dan Due")
    response = client.post(f"/follow-ups/{dan.id}/done", data={"next": target})
    assert response.headers["Location"] == "/follow-ups/"
    token, back = undo_form_in(client.get("/follow-ups/").get_data(as_text=True))
    assert back == ""
    response = client.post(f"/follow-ups/{dan.id}/undo", data={"token": token, "next": target})
    assert response.headers["Location"] == f"/follow-ups/#follow-up-{dan.id}"
    assert follow_up_of_id(dan.id).is_open


def test_a_follow_up_from_a_day_with_no_event_planned_does_not_name_the_quick_event(client, user):
    assert client.post("/met", data={"name": "Quick Quinn", "follow_up": "y",
                                     "follow_up_reason": "thanks for the tip"}).status_code == 302
    page = html.unescape(client.get("/follow-ups/").get_data(as_text=True))
    assert "Great to meet you. Thanks again for the tip." in page and "meet you at Met on" not in page


def test_a_follow_up_done_on_one_device_stays_done_when_the_other_saves_a_form_opened_before(client, user):
    event = add_event(client, name="PyData Dublin")
    log(client, event, name="Grace Hopper", follow_up="y", follow_up_reason="send the COBOL paper")
    grace = follow_up_of("Grace Hopper").person_id
    laptop = form_as_opened(client, f"{event}/people/{grace}/edit")
    assert laptop["follow_up"] == "y"
    client.post(f"/follow-ups/{follow_up_of('Grace Hopper').id}/done")
    assert client.post(f"{event}/people/{grace}/edit", data={**laptop, "role": "Rear admiral"}).status_code == 302
    with db.database().connection_context():
        follow_ups = list(FollowUp.select())
        assert len(follow_ups) == 1 and follow_ups[0].done_on == today()
        assert Person.get().role == "Rear admiral"


def test_a_follow_up_added_on_one_device_stays_when_the_other_saves_a_form_opened_before(client, user):
    event = add_event(client, name="PyData Dublin")
    log(client, event, name="Grace Hopper")
    with db.database().connection_context():
        grace = Person.get().id
    laptop = form_as_opened(client, f"/people/{grace}/edit")
    phone = form_as_opened(client, f"{event}/people/{grace}/edit")
    assert "follow_up" not in laptop
    assert client.post(f"{event}/people/{grace}/edit", data={
        **phone, "follow_up": "y", "follow_up_reason": "send the COBOL paper"}).status_code == 302
    assert client.post(f"/people/{grace}/edit", data={**laptop, "role": "Rear admiral"}).status_code == 302
    assert follow_up_of("Grace Hopper").is_open and follow_up_of("Grace Hopper").reason == "send the COBOL paper"
