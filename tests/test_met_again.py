"""Meeting someone again: one person linked to several events instead of a duplicate, and the person page."""

import datetime
import re

import pytest
from conftest import Auth, csrf_token, make_app, signed_up_with_csrf
from steps import add_event, at_the_same_moment, today

from webapp import db
from webapp.models import Conversation, Person


def log(client, event_url, **fields):
    return client.post(event_url + "/people/new", data=fields)


@pytest.fixture
def jane(client, user):
    """Jane, met in March at PyData; the user is now at FOSDEM."""
    pydata = add_event(client, name="PyData", day=today().replace(month=3, day=14))
    response = log(client, pydata, name="Jane Doe", company="Acme", notes="CDC pipelines",
                   linkedin_url="linkedin.com/in/janedoe", tags="python")
    assert response.status_code == 302
    with db.database().connection_context():
        return Person.get(Person.name == "Jane Doe").id


def people_named(name):
    with db.database().connection_context():
        return list(Person.select().where(Person.name == name))


def test_logging_a_known_name_asks_whether_it_is_the_same_person(client, jane):
    fosdem = add_event(client, name="FOSDEM")
    response = log(client, fosdem, name="jane doe", notes="Rust in the kernel")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "You met <strong>Jane Doe</strong> (Acme)" in page and "at PyData in March" in page
    assert "is this them?" in page
    assert f'name="same_as" value="{jane}"' in page and "Yes, same person" in page
    assert 'name="same_as" value="new"' in page and "No, someone new" in page
    # What was typed is still in the form, ready to go with the answer.
    assert "Rust in the kernel" in page
    assert len(people_named("jane doe")) == 0


@pytest.mark.parametrize("stored, typed", [
    ("Élodie Martin", "élodie martin"), ("Élodie Martin", "ÉLODIE MARTIN"), ("élodie martin", "Élodie Martin"),
    ("Zoë Brandt", "ZOË BRANDT"), ("Øyvind Ås", "øyvind ås"), ("Jean-Élie Ødegård", "jean-élie ødegård"),
    ("Łukasz Żółkiewski", "łukasz żółkiewski"), ("ÖZGÜR ÇELIK", "Özgür Çelik"), ("Ольга Иванова", "ольга иванова"),
])
def test_a_name_typed_in_another_case_is_met_before_whatever_its_letters(client, user, stored, typed):
    # SQLite lowers only A to Z: "Élodie" stays "Élodie" there, where PostgreSQL makes it "élodie".
    pydata, fosdem = add_event(client, name="PyData"), add_event(client, name="FOSDEM")
    assert log(client, pydata, name=stored).status_code == 302
    response = log(client, fosdem, name=typed)
    assert response.status_code == 200 and "Yes, same person" in response.get_data(as_text=True), typed
    assert log(client, fosdem, name=typed, same_as="new").status_code == 302  # "No, someone new": two of them
    with db.database().connection_context():
        second = Person.get(Person.name == typed).id
    assert "Same person? Make them one" in client.get(f"/people/{second}").get_data(as_text=True)


def test_yes_same_person_links_the_new_event_to_the_person_already_known(client, jane):
    fosdem = add_event(client, name="FOSDEM")
    response = log(client, fosdem, name="Jane Doe", company="Initech", notes="Rust in the kernel", tags="rust",
                   same_as=str(jane))
    assert response.status_code == 302
    with db.database().connection_context():
        assert Person.select().count() == 1
        person = Person.get_by_id(jane)
        assert person.company == "Initech"  # the newest news wins
        assert person.linkedin_url == "https://www.linkedin.com/in/janedoe"  # left empty this time: kept
        assert person.tag_names() == ["python", "rust"]
        # Where she was at Acme says so: what was replaced is not lost.
        assert sorted(c.notes for c in person.conversations()) == ["CDC pipelines\n\nThen: at Acme.",
                                                                   "Rust in the kernel"]
    assert "1 of 3" in client.get(fosdem).get_data(as_text=True)


def test_a_meeting_written_up_at_an_earlier_event_keeps_the_latest_details_and_notes_its_own(client, user):
    autumn = add_event(client, name="Autumn Meetup", day=today() - datetime.timedelta(days=75))
    assert log(client, autumn, name="Kim Backfill", company="NewCo", role="CTO",
               notes="Scaling teams").status_code == 302
    kim = people_named("Kim Backfill")[0].id
    last_year = add_event(client, name="Last Year's Meetup", day=today() - datetime.timedelta(days=450))
    response = log(client, last_year, name="Kim Backfill", company="OldCo", role="Intern", email="kim@oldco.example",
                   notes="First job", same_as=str(kim))
    assert response.status_code == 302
    with db.database().connection_context():
        person = Person.get_by_id(kim)
        assert (person.company, person.role) == ("NewCo", "CTO")  # the latest meeting's details stay
        assert person.email == "kim@oldco.example"  # not known before: kept
        notes = {c.event.name: c.notes for c in person.conversations()}
    assert notes == {"Autumn Meetup": "Scaling teams",
                     "Last Year's Meetup": "First job\n\nThen: role Intern · at OldCo."}
    assert "CTO · NewCo" in client.get(f"/people/{kim}").get_data(as_text=True)


def test_the_person_page_lists_every_event_where_you_met_them_with_the_notes(client, jane):
    fosdem = add_event(client, name="FOSDEM")
    log(client, fosdem, name="Jane Doe", notes="Rust in the kernel", same_as=str(jane))
    page = client.get(f"/people/{jane}").get_data(as_text=True)
    where = page.split("Where you met")[1].split("What came of it")[0]
    assert where.index("FOSDEM") < where.index("Rust in the kernel") < where.index("PyData") < where.index(
        "CDC pipelines")


def test_no_someone_new_makes_a_second_person(client, jane):
    fosdem = add_event(client, name="FOSDEM")
    response = log(client, fosdem, name="Jane Doe", company="Other Corp", same_as="new")
    assert response.status_code == 302
    assert len(people_named("Jane Doe")) == 2


def test_a_known_linkedin_profile_is_recognised_whatever_the_name(client, jane):
    fosdem = add_event(client, name="FOSDEM")
    response = log(client, fosdem, name="J. Doe", linkedin_url="https://www.linkedin.com/in/JaneDoe/?trk=qr")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "You met <strong>Jane Doe</strong>" in page


def test_a_new_name_is_saved_straight_away(client, jane):
    response = log(client, add_event(client, name="FOSDEM"), name="Janet Doe")
    assert response.status_code == 302
    assert len(people_named("Janet Doe")) == 1


def test_meeting_them_again_at_the_same_event_adds_to_that_conversation(client, jane):
    with db.database().connection_context():
        event_id = Conversation.get(Conversation.person == jane).event_id
    page = log(client, f"/events/{event_id}", name="Jane Doe").get_data(as_text=True)
    assert "already logged at this event" in page
    response = log(client, f"/events/{event_id}", name="Jane Doe", notes="Second chat, by the coffee",
                   same_as=str(jane))
    assert response.status_code == 302
    with db.database().connection_context():
        [conversation] = Conversation.select().where(Conversation.person == jane)
        assert conversation.notes == "CDC pipelines\n\nSecond chat, by the coffee"


def test_someone_elses_person_cannot_be_picked_as_the_same_person(client, jane):
    auth = Auth(client)
    auth.logout()
    auth.signup(email="mallory@example.com", name="Mallory")
    event = add_event(client, name="Mallory's meetup")
    response = log(client, event, name="Jane Doe", notes="sneaky", same_as=str(jane))
    # Saved as Mallory's own someone new, as for a person deleted since: Jane is neither changed nor confirmed.
    assert response.status_code == 302
    with db.database().connection_context():
        [sneaky] = Conversation.select().where(Conversation.notes == "sneaky")
        assert sneaky.person_id != jane and sneaky.person.owner_id != Person.get_by_id(jane).owner_id
        assert Person.get_by_id(jane).meetings.count() == 1


def test_other_users_people_are_never_offered_as_a_match(client, jane):
    auth = Auth(client)
    auth.logout()
    auth.signup(email="mallory@example.com", name="Mallory")
    response = log(client, add_event(client, name="Mallory's meetup"), name="Jane Doe")
    assert response.status_code == 302


@pytest.mark.parametrize("same_as", ["", "maybe", "١٢", "99999999999999999999999", "-1"])
def test_a_garbled_answer_asks_again(client, jane, same_as):
    response = log(client, add_event(client, name="FOSDEM"), name="Jane Doe", same_as=same_as)
    assert response.status_code == 200 and "is this them?" in response.get_data(as_text=True)


def test_an_answer_pointing_at_someone_gone_saves_someone_new(client, jane):
    """"Same person" picked from the phone's index for someone deleted since (on another phone, say): the entry
    is not lost."""
    client.post(f"/people/{jane}/delete")
    response = log(client, add_event(client, name="FOSDEM"), name="Jane Doe", notes="Rust", same_as=str(jane))
    assert response.status_code == 302
    with db.database().connection_context():
        [jane_again] = Person.select()
        assert [c.notes for c in jane_again.meetings] == ["Rust"]


def test_met_again_works_with_csrf_protection_on(tmp_path):
    app = make_app("sqlite:///" + str(tmp_path / "csrf.sqlite3"), WTF_CSRF_ENABLED=True)
    client = signed_up_with_csrf(app)
    token = csrf_token(client.get("/events/new").get_data(as_text=True))
    event = client.post("/events/new", data={"name": "PyData", "starts_on": today().isoformat(), "kind": "meetup",
                                             "goal": "3", "csrf_token": token}).headers["Location"]
    for notes in ("first", "second"):
        form = client.get(event + "/people/new").get_data(as_text=True)
        response = client.post(event + "/people/new", data={"name": "Jane", "notes": notes,
                                                            "csrf_token": csrf_token(form)})
    page = response.get_data(as_text=True)
    assert "is this them?" in page
    person_id = re.search(r'name="same_as" value="(\d+)"', page).group(1)
    response = client.post(event + "/people/new", data={"name": "Jane", "notes": "second", "same_as": person_id,
                                                        "csrf_token": csrf_token(page)})
    assert response.status_code == 302
    with app.app_context(), db.database().connection_context():
        assert Person.select().count() == 1
        assert Conversation.get().notes == "first\n\nsecond"
    db.database().close()


def test_a_nul_character_typed_or_pasted_never_breaks_logging(client, jane):
    fosdem = add_event(client, name="FOSDEM")
    response = log(client, fosdem, name="Jane\x00 Doe", notes="pasted\x00 text", tags="go\x00lang",
                   same_as=str(jane))
    assert response.status_code == 302
    with db.database().connection_context():
        assert "pasted text" in [c.notes for c in Conversation.select()]
        assert "golang" in Person.get_by_id(jane).tag_names()


def open_follow_up_reason(person_id):
    with db.database().connection_context():
        follow_up = Person.get_by_id(person_id).open_follow_up()
        return follow_up and follow_up.reason


def test_met_again_with_follow_up_ticked_and_no_reason_keeps_the_reason_noted_before(client, jane):
    pydata_reason = log(client, add_event(client, name="Meetup"), name="Jane Doe", same_as=str(jane),
                        follow_up="y", follow_up_reason="intro to Sam")
    assert pydata_reason.status_code == 302 and open_follow_up_reason(jane) == "intro to Sam"
    fosdem = add_event(client, name="FOSDEM")
    assert log(client, fosdem, name="Jane Doe", same_as=str(jane), follow_up="y").status_code == 302
    assert open_follow_up_reason(jane) == "intro to Sam"  # the form starts empty: nothing was said of it
    log(client, fosdem, name="Jane Doe", same_as=str(jane), follow_up="y", follow_up_reason="send the slides")
    assert open_follow_up_reason(jane) == "send the slides"  # a new reason typed replaces it


def test_someone_new_saved_from_two_tabs_at_once_is_one_person_and_the_second_tab_asks(app, client, user):
    pydata = add_event(client, name="PyData")
    tab = lambda c: log(c, pydata, name="Jane Doe", linkedin_url="linkedin.com/in/janedoe")  # noqa: E731
    saved = at_the_same_moment(app, client, tab, tab)
    assert sorted(r.status_code for r in saved) == [200, 302]
    asked = next(r for r in saved if r.status_code == 200).get_data(as_text=True)
    assert "Met before?" in asked and "Yes, same person" in asked
    assert len(people_named("Jane Doe")) == 1
