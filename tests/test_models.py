"""Questions asked of the models: whose is this, and which follow-ups are still open."""

import datetime

import pytest
from werkzeug.exceptions import NotFound

from webapp import db
from webapp.models import Conversation, Event, FollowUp, Person, User

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def two_users(app):
    """Ada and Bob, each with an event, a person met there and a follow-up for them."""
    database = db.database()
    with database.connection_context():
        made = {}
        for email in ("ada@example.com", "bob@example.com"):
            user = User.create(email=email, password_hash="x")
            event = Event.create(owner=user, name=f"{email}'s meetup", starts_on=TODAY)
            person = Person.create(owner=user, name=f"met by {email}")
            follow_up = FollowUp.create(person=person, event=event, reason="send the slides", due_on=TODAY)
            made[email] = (user, event, person, follow_up)
        yield made["ada@example.com"], made["bob@example.com"]


def test_a_user_gets_their_own_event_person_and_follow_up(two_users):
    (ada, event, person, follow_up), _ = two_users
    assert ada.event_or_404(event.id) == event
    assert ada.person_or_404(person.id) == person
    found = ada.follow_up_or_404(follow_up.id)
    assert found == follow_up and found.person.name == "met by ada@example.com"


@pytest.mark.parametrize("ask", ["event_or_404", "person_or_404", "follow_up_or_404"])
def test_another_users_record_is_not_found_as_if_it_did_not_exist(two_users, ask):
    (ada, *_), (_, bobs_event, bobs_person, bobs_follow_up) = two_users
    bobs_id = {"event_or_404": bobs_event, "person_or_404": bobs_person,
               "follow_up_or_404": bobs_follow_up}[ask].id
    with pytest.raises(NotFound):
        getattr(ada, ask)(bobs_id)
    with pytest.raises(NotFound):
        getattr(ada, ask)(10_000)  # no such record at all: the same answer


def test_an_open_follow_up_means_the_same_in_python_and_in_sql(two_users):
    (ada, event, person, still_open), _ = two_users
    done = FollowUp.create(person=person, event=event, due_on=TODAY, done_on=TODAY)
    dropped = FollowUp.create(person=person, event=event, due_on=TODAY, dropped_on=TODAY)
    mine = FollowUp.select().where(FollowUp.person == person)
    assert [f.id for f in mine if f.is_open] == [still_open.id]
    assert [f.id for f in mine.where(FollowUp.is_open)] == [still_open.id]
    assert {f.id for f in mine.where(~FollowUp.is_open)} == {done.id, dropped.id}
    assert [f.id for f in ada.open_follow_ups()] == [still_open.id]
    assert person.open_follow_up() == still_open
    Conversation.create(person=person, event=event)
    assert event.people_to_follow_up() == {person.id}
    still_open.done_on = TODAY
    still_open.save()
    assert not still_open.is_open and event.people_to_follow_up() == set()
