"""The schema: made on start, grown on start when a release adds optional fields, with nothing lost."""

import datetime
import subprocess
import sys
import time

import pytest
from conftest import PASSWORD, ROOT, as_from_an_older_release, close_database, make_app, queries_run
from peewee import CharField, IntegrityError

from webapp import db, schema
from webapp.models import Conversation, Event, Person, User


def columns(table):
    with db.database().connection_context():
        return {c.name for c in db.database().get_columns(table)}


def drop_column(table, column):
    """Make the database look like one from a release before this column existed."""
    database = db.database()
    with database.connection_context():
        database.execute_sql(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
    as_from_an_older_release()


def test_the_database_module_knows_nothing_of_the_models():
    script = "import sys, webapp.db; assert 'webapp.models' not in sys.modules, 'db imports the models'; print('ok')"
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr


def test_the_schema_module_imports_without_a_circle():
    script = "import webapp.schema, webapp.search, webapp.models; print('ok')"
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr


def test_an_older_database_gets_the_missing_columns_on_start_and_keeps_its_data(app, user, client):
    client.post("/profile", data={"display_name": "Ada Lovelace", "headline": "Engines",
                                  "linkedin_url": "https://www.linkedin.com/in/ada", "timezone": "Europe/London"})
    client.post("/events/new", data={"name": "PyLondon", "starts_on": "2026-11-23", "goal": 3, "kind": "meetup",
                                     "start_time": "18:30", "end_time": "21:00"})
    with db.database().connection_context():
        event = Event.select().get()
    client.post(f"/events/{event.id}/people/new", data={"name": "Grace Hopper", "notes": "compilers"})
    with db.database().connection_context():
        assert Person.select().count() == 1
    # Written before these fields existed: one with a default, one nullable.
    drop_column("user", "headline")
    drop_column("event", "end_time")
    assert "headline" not in columns("user") and "end_time" not in columns("event")
    url = app.config["DATABASE_URL"]
    close_database()

    again = make_app(url)
    assert "headline" in columns("user") and "end_time" in columns("event")
    with db.database().connection_context():
        ada = User.get()
        assert (ada.display_name, ada.linkedin_url, ada.headline) == ("Ada Lovelace",
                                                                       "https://www.linkedin.com/in/ada", "")
        event = Event.get()
        assert (event.name, event.end_time) == ("PyLondon", None)
        assert [(c.person.name, c.notes) for c in Conversation.select()] == [("Grace Hopper", "compilers")]
    client = again.test_client()
    client.post("/login", data={"email": "ada@example.com", "password": PASSWORD})
    page = client.get(f"/events/{event.id}")
    assert page.status_code == 200 and "Grace Hopper" in page.get_data(as_text=True)
    close_database()


def test_starting_twice_adds_nothing_more(app):
    before = {table: columns(table) for table in ("user", "event", "person")}
    url = app.config["DATABASE_URL"]
    close_database()
    make_app(url)
    assert {table: columns(table) for table in ("user", "event", "person")} == before
    close_database()


def test_a_start_on_a_database_this_release_made_reads_its_fingerprint_and_nothing_else(app):
    with db.database().connection_context():
        stamped = schema.stamp(db.database())
        assert stamped == schema.fingerprint(db.database())
        with queries_run() as executed:
            schema.create_schema()
    assert len(executed) <= 2, executed
    assert not any(word in sql.upper() for sql in executed for word in ("CREATE", "ALTER", "INSERT", "UPDATE"))


def test_a_release_with_a_new_field_adds_its_column_on_start_although_the_database_was_stamped(app):
    Person._meta.add_field("pronouns", CharField(max_length=20, null=True))
    try:
        schema.create_schema()
        assert "pronouns" in columns("person")
        with db.database().connection_context():
            assert schema.stamp(db.database()) == schema.fingerprint(db.database())
    finally:
        Person._meta.remove_field("pronouns")
        drop_column("person", "pronouns")  # the next test's database is this release's again
    assert schema.stamp(db.database()) is None


def test_a_new_required_field_without_a_default_stops_the_start_with_a_clear_message(app):
    Person._meta.add_field("badge", CharField(max_length=20))
    try:
        with pytest.raises(RuntimeError, match="person.badge is missing"):
            schema.create_schema()
    finally:
        Person._meta.remove_field("badge")
    assert "badge" not in columns("person")


def test_follow_ups_saved_before_they_had_an_owner_take_their_persons_on_start(app, user, client):
    from webapp.models import FollowUp
    client.post("/events/new", data={"name": "PyLondon", "starts_on": "2026-11-23", "goal": 3, "kind": "meetup"})
    with db.database().connection_context():
        event = Event.select().get()
    client.post(f"/events/{event.id}/people/new", data={"name": "Grace Hopper", "follow_up": "y",
                                                        "follow_up_reason": "Send the slides"})
    with db.database().connection_context():
        assert FollowUp.get().owner_id == User.get().id
        FollowUp.update(owner=None).execute()  # as a database from before the column was
    as_from_an_older_release()
    assert "Send the slides" not in client.get("/follow-ups/").get_data(as_text=True)
    url = app.config["DATABASE_URL"]
    close_database()
    again = make_app(url)
    with db.database().connection_context():
        assert FollowUp.get().owner_id == User.get().id
    client = again.test_client()
    assert client.post("/login", data={"email": "ada@example.com", "password": PASSWORD}).status_code == 302
    assert "Send the slides" in client.get("/follow-ups/").get_data(as_text=True)


def test_people_with_two_follow_ups_to_do_from_an_older_release_keep_one_with_both_reasons(app, user, client):
    from webapp.models import FollowUp
    client.post("/events/new", data={"name": "PyLondon", "starts_on": "2026-11-23", "goal": 3, "kind": "meetup"})
    with db.database().connection_context():
        event = Event.select().get()
    for name, reason in (("Grace Hopper", "Send the slides"), ("Ada Lovelace", "")):
        client.post(f"/events/{event.id}/people/new", data={"name": name, "follow_up": "y",
                                                            "follow_up_reason": reason})
    with db.database().connection_context():
        grace = Person.get(Person.name == "Grace Hopper")
        first = FollowUp.get(FollowUp.person == grace)
        # As a release that allowed it: a second follow-up to do, due sooner, and one done.
        db.database().execute_sql("DROP INDEX followup_person_open")
        FollowUp.create(person=grace, owner=grace.owner_id, reason="Intro to Sam", due_on=first.due_on
                        - datetime.timedelta(days=3))
        FollowUp.create(person=grace, owner=grace.owner_id, reason="Said thanks", due_on=first.due_on,
                        done_on=first.due_on)
    as_from_an_older_release()
    url = app.config["DATABASE_URL"]
    close_database()
    make_app(url)
    with db.database().connection_context():
        follow_ups = FollowUp.select().where(FollowUp.person == grace).order_by(FollowUp.id)
        assert [(f.reason, f.is_open) for f in follow_ups] == [("Intro to Sam; Send the slides", True),
                                                               ("Said thanks", False)]
        assert FollowUp.select().where(FollowUp.is_open).count() == 2  # Ada's untouched
        with pytest.raises(IntegrityError), db.database().atomic():  # and the database holds it so from now on
            FollowUp.create(person=grace, owner=grace.owner_id, reason="Again", due_on=first.due_on)


def test_an_older_database_takes_a_linkedin_profile_in_any_script_after_the_start(app, user, client):
    """Profile addresses were kept in 200 characters, too few for a Cyrillic handle once percent-encoded: on
    PostgreSQL, which holds text to its length, the start makes the columns long enough and keeps what was in them."""
    client.post("/met", data={"name": "Grace Hopper", "linkedin_url": "linkedin.com/in/grace"})
    if db.is_postgres():
        with db.database().connection_context():
            for table in ("user", "person"):
                db.database().execute_sql(f'ALTER TABLE "{table}" ALTER COLUMN linkedin_url TYPE VARCHAR(200)')
        as_from_an_older_release()
    url = app.config["DATABASE_URL"]
    close_database()

    client = make_app(url).test_client()
    assert client.post("/login", data={"email": "ada@example.com", "password": PASSWORD}).status_code == 302
    cyrillic = "https://www.linkedin.com/in/александра-константинопольская-шереметьева-12345678"
    response = client.post("/profile", data={"display_name": "T", "timezone": "UTC", "linkedin_url": cyrillic})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert client.post("/met", data={"name": "Alexandra", "linkedin_url": cyrillic}).status_code == 302
    with db.database().connection_context():
        assert len(User.get().linkedin_url) > 200
        assert {p.name: len(p.linkedin_url) > 200 for p in Person.select()} == {"Grace Hopper": False,
                                                                                 "Alexandra": True}
        assert Person.get(Person.name == "Grace Hopper").linkedin_url == "https://www.linkedin.com/in/grace"
    close_database()


def test_accounts_stored_in_an_older_spelling_of_their_email_are_found_after_the_start(app, client):
    """Emails stored as typed (full-width letters) take their one spelling on start; of two accounts that fold to
    one address, the one already spelled so keeps it and the other keeps its own."""
    url = app.config["DATABASE_URL"]
    client.post("/signup", data={"email": "ada@example.com", "password": PASSWORD, "timezone": "UTC"})
    with db.database().connection_context():
        hashed = User.get().password_hash
        for email in ("taro@ｅｘａｍｐｌｅ.jp", "ｋｅｎ@example.jp", "ada@ｅxample.com"):
            User.create(email=email, password_hash=hashed)
    as_from_an_older_release()
    close_database()

    again = make_app(url)
    with db.database().connection_context():
        assert {u.email for u in User.select()} == {"taro@example.jp", "ken@example.jp", "ada@example.com",
                                                   "ada@ｅxample.com"}
    client = again.test_client()
    for email in ("taro@example.jp", "ｋｅｎ@ｅｘａｍｐｌｅ.jp"):
        assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302, email
        client.post("/logout")
    close_database()


def test_a_login_from_before_each_device_had_its_own_goes_on_after_the_upgrade(app, user, client):
    """An older release kept one session token per account: the upgrade keeps it as a login, so nobody is logged
    out, and its cookie still ends SESSION_MAX_AGE after it was made."""
    database = db.database()
    with database.connection_context():
        database.execute_sql('DROP TABLE "login"')
        database.execute_sql('ALTER TABLE "user" ADD COLUMN session_token VARCHAR(64)')
        database.execute_sql(f'UPDATE "user" SET session_token = {database.param}', ("token-from-before",))
    as_from_an_older_release()
    url = app.config["DATABASE_URL"]
    close_database()
    try:
        again = make_app(url)
        phone, too_old = again.test_client(), again.test_client()
        with phone.session_transaction() as s:
            s["_user_id"] = f"token-from-before.{int(time.time()) - 60}"
        with too_old.session_transaction() as s:
            s["_user_id"] = f"token-from-before.{int(time.time()) - 31 * 24 * 3600}"
        page = phone.get("/profile")
        assert page.status_code == 200 and "This device · Devices logged in before this list" in page.get_data(
            as_text=True)
        assert too_old.get("/profile").status_code == 302
        with db.database().connection_context():
            assert db.database().execute_sql('SELECT session_token FROM "user"').fetchall() == [(None,)]
        assert phone.post("/logout").status_code == 302
        assert phone.get("/profile").status_code == 302
    finally:
        with db.database().connection_context():
            db.database().execute_sql('ALTER TABLE "user" DROP COLUMN session_token')
        close_database()
