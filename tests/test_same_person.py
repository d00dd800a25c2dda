"""One person logged twice becomes one. Met again with no signal, the phone cannot ask "Met before?", so a second
record of them is made: both pages say so, and after a look at both, one tap makes one person of them with
everything from both, nothing lost."""

import contextlib
import datetime
import re
import sqlite3
import threading
import time
import uuid

import psycopg2
from conftest import Auth, csrf_token, make_app, signed_up_with_csrf

from webapp import db
from webapp.models import Attachment, Conversation, Event, FollowUp, Outcome, Person, TwoPeople

TODAY = datetime.date.today()


def add_event(client, name, day):
    response = client.post("/events/new", data={"name": name, "starts_on": day.isoformat(), "kind": "meetup",
                                                "goal": "3"})
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def log_offline(client, event_id, **fields):
    """What a phone sends for someone logged with no signal: nobody could be asked "Met before?"."""
    response = client.post("/sync/meetings", json={"uuid": str(uuid.uuid4()), "event_id": event_id, **fields})
    assert response.status_code == 201, response.json
    return response.json["person_id"]


def ada_logged_twice(client):
    """Ada met at PyData in the spring (online, with a follow-up, an outcome and a photo), and again tonight in a
    basement: her second record, made offline, knows her new job."""
    spring = add_event(client, "PyData", TODAY - datetime.timedelta(days=200))
    tonight = add_event(client, "Basement meetup", TODAY)
    client.post(f"/events/{spring}/people/new", data={
        "name": "Ada Lovelace", "company": "Analytical Engines", "role": "Programmer", "email": "ada@engines.example",
        "notes": "Bernoulli numbers", "tags": "math, engines", "follow_up": "y", "follow_up_reason": "Send the notes",
        "same_as": "new"})
    with db.database().connection_context():
        first = Person.get(Person.name == "Ada Lovelace")
        Attachment.create(owner=first.owner_id, person=first, conversation=first.meetings.get(), kind="photo",
                          content_type="image/jpeg", content=b"badge photo", size=11)
    client.post(f"/people/{first.id}/outcomes", data={"kind": "advice", "happened_on": TODAY.isoformat(),
                                                      "text": "Career advice"})
    second = log_offline(client, tonight, name="ada lovelace", company="Babbage & Co", notes="Now at Babbage",
                         tags="engines, data", hiring=True, follow_up=True, follow_up_reason="Intro to Grace")
    return first.id, second, spring, tonight


def test_a_person_logged_again_with_no_signal_is_offered_as_the_same_person_on_both_pages(client, user):
    first, second, _, _ = ada_logged_twice(client)
    assert first != second
    page = client.get(f"/people/{second}").get_data(as_text=True)
    assert re.search(rf'You also have <a href="/people/{first}">Ada Lovelace</a> \(Analytical Engines\), '
                     rf"met at PyData on", page)
    assert f'href="/people/{second}/same-as/{first}"' in page
    page = client.get(f"/people/{first}").get_data(as_text=True)
    assert f'href="/people/{first}/same-as/{second}"' in page and "met at Basement meetup on" in page


def test_the_same_linkedin_profile_under_another_name_is_offered_too(client, user):
    spring = add_event(client, "PyData", TODAY - datetime.timedelta(days=30))
    tonight = add_event(client, "Basement meetup", TODAY)
    first = log_offline(client, spring, name="Grace Hopper", linkedin_url="linkedin.com/in/grace-hopper")
    by_name = log_offline(client, spring, name="grace hopper")
    later = log_offline(client, tonight, name="Amazing Grace", linkedin_url="https://www.linkedin.com/in/Grace-Hopper/")
    page = client.get(f"/people/{first}").get_data(as_text=True)
    # Newest first, each with where they were last met: one by her name, one by her profile.
    offered = re.findall(r'You also have <a href="/people/(\d+)">([^<]+)</a>, met at ([^<]+) on ([^<]+)\.', page)
    day = f"{TODAY.day} {TODAY:%b %Y}"
    spring_day = TODAY - datetime.timedelta(days=30)
    assert offered == [(str(later), "Amazing Grace", "Basement meetup", day),
                       (str(by_name), "grace hopper", "PyData", f"{spring_day.day} {spring_day:%b %Y}")]


def test_two_people_with_one_name_are_not_offered_again_once_the_user_says_so(client, user):
    event_id = add_event(client, "PyData", TODAY)
    alex, other_alex, third = (log_offline(client, event_id, name="Alex Kim", company=company)
                               for company in ("Acme", "Initech", "Globex"))
    page = client.get(f"/people/{other_alex}/same-as/{alex}").get_data(as_text=True)
    assert f'action="/people/{other_alex}/not-same-as/{alex}"' in page
    response = client.post(f"/people/{other_alex}/not-same-as/{alex}", follow_redirects=True)
    assert "Noted: Alex Kim and Alex Kim are two people." in response.get_data(as_text=True)
    # Neither page offers the other any more; the third Alex Kim is still offered on both.
    for person, not_offered in ((alex, other_alex), (other_alex, alex)):
        page = client.get(f"/people/{person}").get_data(as_text=True)
        assert f'same-as/{not_offered}"' not in page and f'same-as/{third}"' in page
    client.post(f"/people/{alex}/not-same-as/{other_alex}")  # said again: remembered once
    with db.database().connection_context():
        assert TwoPeople.select().count() == 1 and Person.select().count() == 3


def test_someone_with_another_name_is_not_offered(client, user):
    event_id = add_event(client, "PyData", TODAY)
    grace = log_offline(client, event_id, name="Grace Hopper")
    log_offline(client, event_id, name="Ada Lovelace")
    log_offline(client, event_id, description="red jacket, Postgres talk")
    assert "You also have" not in client.get(f"/people/{grace}").get_data(as_text=True)


def test_both_are_shown_before_anything_changes(client, user):
    first, second, _, _ = ada_logged_twice(client)
    page = client.get(f"/people/{second}/same-as/{first}").get_data(as_text=True)
    assert "Met at PyData" in page and "Met at Basement meetup" in page
    assert "Analytical Engines" in page and "Babbage &amp; Co" in page
    with db.database().connection_context():
        assert Person.select().count() == 2


def test_made_one_the_person_keeps_every_meeting_note_follow_up_outcome_photo_and_tag(client, user):
    first, second, spring, tonight = ada_logged_twice(client)
    response = client.post(f"/people/{second}/same-as/{first}")
    # The one met first keeps its page; the other's is gone.
    assert response.status_code == 302 and response.headers["Location"] == f"/people/{first}"
    assert client.get(f"/people/{second}").status_code == 404
    with db.database().connection_context():
        ada = Person.get_by_id(first)
        assert Person.select().count() == 1
        # The newer details win where both had one; the older ones go into the notes where she had them.
        # Her name as first typed stays: the same but for its case.
        assert (ada.name, ada.company, ada.role, ada.email, ada.hiring) == (
            "Ada Lovelace", "Babbage & Co", "Programmer", "ada@engines.example", True)
        notes = {c.event_id: c.notes for c in ada.conversations()}
        assert notes == {spring: "Bernoulli numbers\n\nThen: at Analytical Engines.", tonight: "Now at Babbage"}
        assert ada.tag_names() == ["data", "engines", "math"]
        # One follow-up to do, the one due first, with both reasons.
        assert [f.reason for f in FollowUp.select().where(FollowUp.person == ada)] == ["Send the notes; Intro to Grace"]
        assert [o.text for o in Outcome.select().where(Outcome.person == ada)] == ["Career advice"]
        (photo,) = Attachment.select().where(Attachment.person == ada)
        assert photo.conversation.event_id == spring
    page = client.get(f"/people/{first}").get_data(as_text=True)
    assert "You also have" not in page and "PyData" in page and "Basement meetup" in page
    # Found by what either record held, once.
    for words in ("Babbage", "Bernoulli", "Analytical", "data"):
        results = client.get("/people", query_string={"q": words}).get_data(as_text=True)
        assert results.count(f'href="/people/{first}"') == 1, words


def test_made_one_the_details_of_the_latest_meeting_win_however_late_the_earlier_one_was_sent(client, user):
    """Sam was logged at December's meetup on the web; October's meeting came in afterwards from a phone with no
    signal: made one, Sam is who they were in December, as "Met before?" would have made them."""
    october = add_event(client, "October Conf", TODAY - datetime.timedelta(days=58))
    december = add_event(client, "December Meetup", TODAY - datetime.timedelta(days=2))
    client.post(f"/events/{december}/people/new", data={
        "name": "Sam Lee", "company": "NewCo", "role": "Staff Engineer", "same_as": "new"})
    with db.database().connection_context():
        first = Person.get(Person.name == "Sam Lee").id
    second = log_offline(client, october, name="Sam Lee", company="OldCo", role="Intern")
    client.post(f"/people/{second}/same-as/{first}")
    with db.database().connection_context():
        (sam,) = Person.select()
        assert (sam.role, sam.company) == ("Staff Engineer", "NewCo")
        notes = {c.event_id: c.notes for c in sam.conversations()}
    assert notes == {october: "Then: role Intern · at OldCo.", december: ""}
    assert "Staff Engineer · NewCo" in client.get(f"/people/{sam.id}").get_data(as_text=True)


def test_made_one_the_follow_ups_of_both_become_one_and_a_reason_too_long_to_add_goes_into_the_notes(client, user):
    first, second, spring, _ = ada_logged_twice(client)
    long_reason = "Send her the slides, the paper on Bernoulli numbers and the notes on the engine; " * 3
    with db.database().connection_context():
        FollowUp.update(reason=long_reason[:200]).where(FollowUp.person == second).execute()
        done = FollowUp.create(person=second, event=spring, reason="Said thanks", due_on=TODAY, done_on=TODAY)
    client.post(f"/people/{second}/same-as/{first}")
    with db.database().connection_context():
        ada = Person.get_by_id(first)
        follow_ups = list(FollowUp.select().where(FollowUp.person == ada).order_by(FollowUp.id))
        assert [(f.reason, f.is_open) for f in follow_ups] == [("Send the notes", True), ("Said thanks", False)]
        assert follow_ups[1].id == done.id  # what was done stays done, and counted
        assert ada.conversations().first().notes == "Now at Babbage\n\nAlso to follow up: " + long_reason[:200].strip()
    assert client.get("/follow-ups/").get_data(as_text=True).count('class="follow-up-name"') == 1  # Ada, once


@contextlib.contextmanager
def another_writer_holding(url, person_ids):
    """Another request's transaction holding these people (SQLite: the write lock), so that taps made meanwhile
    all read them before any can write."""
    if url.startswith("sqlite"):
        connection = sqlite3.connect(url.split("///", 1)[1], isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
    else:
        connection = psycopg2.connect(url)
        connection.cursor().execute("SELECT id FROM person WHERE id = ANY(%s) FOR UPDATE", (person_ids,))
    try:
        yield
    finally:
        connection.rollback()
        connection.close()


def test_two_taps_racing_make_one_person_once(app, client, user):
    first, second, spring, tonight = ada_logged_twice(client)
    cookie = client.get_cookie("session").value
    start, answers = threading.Barrier(4), []

    def tap():
        phone = app.test_client()
        phone.set_cookie("session", cookie)
        start.wait()
        response = phone.post(f"/people/{second}/same-as/{first}")
        answers.append((response.status_code, response.headers.get("Location")))

    taps = [threading.Thread(target=tap) for _ in range(3)]
    with another_writer_holding(app.config["DATABASE_URL"], [first, second]):
        for t in taps:
            t.start()
        start.wait()
        time.sleep(0.5)  # each tap has read both people and waits for the lock
    for t in taps:
        t.join()
    # Each tap either made them one, or found them one already (or, once it is done, her second page gone).
    assert (302, f"/people/{first}") in answers
    assert set(answers) <= {(302, f"/people/{first}"), (404, None)}, answers
    with db.database().connection_context():
        assert Person.select().count() == 1
        notes = {c.event_id: c.notes for c in Person.get_by_id(first).conversations()}
        assert notes == {spring: "Bernoulli numbers\n\nThen: at Analytical Engines.", tonight: "Now at Babbage"}
        assert FollowUp.select().count() == 1
    assert client.post(f"/people/{second}/same-as/{first}").status_code == 404  # her second page is gone


def test_logged_twice_at_the_same_event_they_become_one_meeting_with_both_notes(client, user):
    event_id = add_event(client, "PyData", TODAY)
    first = log_offline(client, event_id, name="Grace Hopper", notes="COBOL")
    second = log_offline(client, event_id, name="Grace Hopper", notes="Nanoseconds")
    assert client.get(f"/events/{event_id}").get_data(as_text=True).count(">Grace Hopper<") == 2
    client.post(f"/people/{first}/same-as/{second}")
    with db.database().connection_context():
        (meeting,) = Conversation.select()
        assert meeting.person_id == first and meeting.notes == "COBOL\n\nNanoseconds"
    page = client.get(f"/events/{event_id}").get_data(as_text=True)
    assert page.count(">Grace Hopper<") == 1 and "1 of 3" in page


def test_another_accounts_person_is_never_confirmed_nor_changed(app, client, user):
    first, second, _, _ = ada_logged_twice(client)
    other = app.test_client()
    Auth(other).signup(email="eve@example.com")
    event_id = add_event(other, "Eve's meetup", TODAY)
    eves = log_offline(other, event_id, name="Ada Lovelace")
    for url in (f"/people/{first}/same-as/{eves}", f"/people/{eves}/same-as/{first}",
                f"/people/{first}/same-as/{first}", f"/people/{first}/same-as/999999"):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url
        assert client.post(url.replace("same-as", "not-same-as")).status_code == 404, url
    assert "You also have" not in other.get(f"/people/{eves}").get_data(as_text=True)
    with db.database().connection_context():
        assert Person.select().count() == 3


def test_making_one_needs_the_pages_csrf_token(tmp_path):
    app = make_app("sqlite:///" + str(tmp_path / "csrf.sqlite3"), WTF_CSRF_ENABLED=True)
    client = signed_up_with_csrf(app)
    page = client.get("/events/new").get_data(as_text=True)
    client.post("/events/new", data={"name": "PyData", "starts_on": TODAY.isoformat(), "kind": "meetup", "goal": "3",
                                     "csrf_token": csrf_token(page)})
    with app.app_context(), db.database().connection_context():
        event = Event.get()
        a, b = (Person.create(owner=event.owner_id, name="Grace") for _ in range(2))
        for person in (a, b):
            Conversation.create(person=person, event=event)
    url = f"/people/{b.id}/same-as/{a.id}"
    apart = f"/people/{b.id}/not-same-as/{a.id}"
    assert client.post(url).status_code == 400  # refused, nothing changed
    assert client.post(apart).status_code == 400
    with app.app_context(), db.database().connection_context():
        assert Person.select().count() == 2 and TwoPeople.select().count() == 0
    # Both forms of the page carry its token.
    page = client.get(url).get_data(as_text=True)
    assert len(re.findall(r'<form method="post"[^>]*>\s*<input[^>]+name="csrf_token"', page)) == 2
    assert client.post(url, data={"csrf_token": csrf_token(page)}).status_code == 302
    with app.app_context(), db.database().connection_context():
        assert Person.select().count() == 1
    db.database().close()
