"""Questions asked of the models: whose is this, and which follow-ups are still open."""

import datetime

import pytest
from conftest import queries_run
from werkzeug.exceptions import NotFound

from webapp import db
from webapp.models import Conversation, Event, FollowUp, Login, Person, PersonTag, Tag, User
from webapp.prepared import Param, Prepared, PreparedInsert

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


def test_a_prepared_insert_stores_what_create_would(two_users):
    """The SQL of a save is built once; the row it stores, and the model it gives back, are Model.create()'s."""
    (ada, event, _, _), _ = two_users
    new_person = PreparedInsert(Person)
    with db.database().connection_context():
        for name in ("Grace", "Linus"):  # the second time, the SQL built the first time
            fields = {"owner": ada, "name": name, "company": "Navy", "hiring": True}
            prepared, created = new_person.create(**fields), Person.create(**fields)
            assert prepared.id and prepared.id != created.id and not prepared.is_dirty()
            stored, expected = (Person.get_by_id(p.id).__data__ for p in (prepared, created))
            ignored = ("id", "created_at")
            assert {k: v for k, v in stored.items() if k not in ignored} == {
                k: v for k, v in expected.items() if k not in ignored}
            assert stored["created_at"] == prepared.created_at  # the default, filled in as create() does


def test_a_prepared_query_asked_again_gives_the_models_it_gave_the_first_time(two_users):
    """How its rows become models is worked out on the first run that finds any and reused: each later run,
    found nothing or found others, gives what the same query run afresh by peewee gives."""
    (ada, ada_event, _, _), (bob, bob_event, _, _) = two_users
    logins = Prepared(lambda: Login.select(Login, User).join(User).where(Login.user == Param("user")))
    with db.database().connection_context():
        assert logins.rows(user=ada.id) == []  # nothing found yet: nothing worked out to keep
        for user in (ada, bob, ada, bob):
            login = user.log_in("phone")
            for made, fresh in zip(logins.rows(user=user.id), Login.select(Login, User).join(User)
                                   .where(Login.user == user.id), strict=True):
                assert made.__data__ == fresh.__data__ and not made.is_dirty()
                assert made.user.__data__ == fresh.user.__data__ and made.user.email == user.email
            assert login.id in [m.id for m in logins.rows(user=user.id)]
        for user, event in ((ada, ada_event), (bob, bob_event), (ada, ada_event)):
            found = user.event_or_404(event.id)
            assert found.__data__ == Event.get_by_id(event.id).__data__ and found.starts_on == TODAY


def test_tags_are_made_once_per_owner_and_linked_in_two_queries(two_users):
    (ada, _, person, _), (bob, _, bobs_person, _) = two_users
    Tag.create(owner=ada, name="python")
    bobs_python = Tag.create(owner=bob, name="python")
    long_name = "x" * 39 + "İ"  # lower-cases to 41 characters: cut to 40, it is the same tag as the one below
    with queries_run() as queries:
        person.add_tags(["Python", " data ", "python", "", long_name, long_name.lower(), "Ünïcode"])
    assert len(queries) == 2
    assert sorted(person.tag_names()) == sorted(["python", "data", ("x" * 39 + "i̇")[:40], "ünïcode"])
    assert Tag.select().where(Tag.owner == ada).count() == 4  # "python" was known, three are new
    bobs_person.add_tags(["python"])
    assert bobs_person.tag_names() == ["python"] and bobs_person.tags().get().id == bobs_python.id
    assert PersonTag.select().where(PersonTag.person == bobs_person).count() == 1
    assert Tag.select().where(Tag.owner == bob).count() == 1  # Ada's names are not Bob's
    person.add_tags([])
    assert len(person.tag_names()) == 4
