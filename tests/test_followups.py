"""Follow-ups: overdue, due today and upcoming, a message to copy for each, done or dropped one at a time."""

import datetime
import re

import pytest
from conftest import Auth, csrf_token, make_app, signed_up_with_csrf
from steps import add_event, today

from webapp import db
from webapp.followups import message
from webapp.models import Event, FollowUp, Person, User

DAY = datetime.timedelta(days=1)


def log(client, event_url, **fields):
    response = client.post(event_url + "/people/new", data={**fields, "same_as": "new"})
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


def test_each_follow_up_has_a_drafted_message_to_copy(client, three):
    page = client.get("/follow-ups/").get_data(as_text=True)
    dan = follow_up_of("Dan Due")
    text = re.search(rf'<textarea id="message-{dan.id}"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert text.startswith("Hi Dan,")
    assert "Meetup 2" in text and "CDC pipelines" in text and "intro to Sam" in text
    assert text.rstrip().endswith("Ada")
    assert f'data-copy="message-{dan.id}"' in page  # the Copy button, shown by JavaScript
    assert "Long-press the text to select and copy it." in page  # without JavaScript


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


# --- The drafted message ------------------------------------------------------------------------------

class Row:
    def __init__(self, **fields):
        self.__dict__.update(fields)


def draft(name="Jane Doe", event="PyData London", notes="", reason="send the article on CDC", sender="Ada L"):
    return message.draft(Row(reason=reason), Row(name=name), Row(name=event) if event else None, notes, sender)


def test_the_message_greets_them_names_the_event_a_topic_and_the_reason():
    text = draft(notes="Talked about CDC pipelines at Acme. Then the weather.")
    assert text == ("Hi Jane,\nGreat to meet you at PyData London. I enjoyed our chat about CDC pipelines at Acme.\n"
                    "As promised: send the article on CDC.\nAda")


@pytest.mark.parametrize("notes, topic", [
    ("The future of Postgres; hiring", "the future of Postgres"),
    ("Kafka vs Pulsar", "Kafka vs Pulsar"),
    ("discussed: observability budgets", "observability budgets"),
    ("\n\n  Rust at work\nmore", "Rust at work"),
])
def test_the_topic_is_the_first_thing_noted(notes, topic):
    assert message.topic_from(notes) == topic


def test_a_message_without_notes_name_or_event_still_reads_well():
    assert draft(name="", event=None, notes="", reason="", sender="") == (
        "Hi,\nGreat to meet you.\nI'd like to stay in touch.")


def test_the_message_fits_a_linkedin_invitation_note():
    text = draft(name="Bartholomew " * 5, event="A very long conference name " * 4, notes="word " * 400,
                 reason="r" * 200)
    assert len(text) <= message.LIMIT
    assert len(draft(notes="x " * 200)) <= message.LIMIT
