"""Every page asks the database the same few questions whatever the size of the account: a page's work
grows with the rows it shows, never with the number of people, events, tags or follow-ups behind it."""

import datetime
import io
import re
import uuid

import pytest
from conftest import queries_run

from webapp import db, kept
from webapp.models import Attachment, Conversation, Event, FollowUp, Outcome, Person, PersonTag, Tag, User


def _tiny_photo():
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 20, 30)).save(out, "JPEG")
    return out.getvalue()


PHOTO = _tiny_photo()
SMALL, BIG = 24, 90  # both fill more than one page of People (20 a page), so both have a page 2
# The most a page may ask. A page over its budget is doing per-row work or asking for something twice.
CEILING = 10

# Every GET page of a logged-in user, as (name, address made from the account's ids).
PAGES = [
    ("home", lambda a: "/"),
    ("events", lambda a: "/events/"),
    ("older events", lambda a: "/events/?page=2"),
    ("new event", lambda a: "/events/new"),
    ("event", lambda a: f"/events/{a['tonight']}"),
    ("past event", lambda a: f"/events/{a['past']}"),
    ("edit event", lambda a: f"/events/{a['tonight']}/edit"),
    ("delete event", lambda a: f"/events/{a['tonight']}/delete"),
    ("log form", lambda a: f"/events/{a['tonight']}/people/new"),
    ("met someone", lambda a: "/met"),
    ("edit person", lambda a: f"/events/{a['tonight']}/people/{a['regular']}/edit"),
    ("edit person from their page", lambda a: f"/people/{a['regular']}/edit"),
    ("person", lambda a: f"/people/{a['regular']}"),
    ("delete person", lambda a: f"/people/{a['regular']}/delete"),
    ("same person", lambda a: f"/people/{a['regular']}/same-as/{a['twin']}"),
    ("people", lambda a: "/people"),
    ("people page 2", lambda a: "/people?page=2"),
    ("search", lambda a: "/people?q=acme"),
    ("search as you type", lambda a: ("/people?q=ja", {"X-Requested-With": "fetch"})),
    ("tag filter", lambda a: "/people?tag=python"),
    ("hiring filter", lambda a: "/people?hiring=y"),
    ("open follow-up filter", lambda a: "/people?follow_up=open"),
    ("done follow-up filter", lambda a: "/people?follow_up=done"),
    ("no follow-up filter", lambda a: "/people?follow_up=none"),
    ("follow-ups", lambda a: "/follow-ups/"),
    ("insights", lambda a: "/insights/"),
    ("profile", lambda a: "/profile"),
    ("change password", lambda a: "/account/password"),
    ("delete account", lambda a: "/account/delete"),
    ("people met before", lambda a: "/people/met-before.json"),
    ("card", lambda a: "/card"),
    ("export page", lambda a: "/export"),
    ("contacts export", lambda a: "/export/contacts.vcf"),
    ("spreadsheet export", lambda a: "/export/people.csv"),
    ("backup export", lambda a: "/export/backup.json"),
    ("event contacts", lambda a: f"/events/{a['tonight']}/contacts.vcf"),
    ("event spreadsheet", lambda a: f"/events/{a['tonight']}/people.csv"),
    ("person contact", lambda a: f"/people/{a['regular']}/contact.vcf"),
    ("voice note", lambda a: f"/attachments/{a['voice']}"),
    ("small photo", lambda a: f"/attachments/{a['photo']}/small"),
    ("small copy of a voice note (the note itself)", lambda a: f"/attachments/{a['voice']}/small"),
    ("delete a voice note", lambda a: f"/attachments/{a['voice']}/delete"),
    ("calendar import", lambda a: "/import/calendar"),
    ("backup import", lambda a: "/import/backup"),
    ("contacts import", lambda a: "/import/contacts"),
    ("connections import", lambda a: "/import/connections"),
    ("offline page", lambda a: "/offline"),
    ("sync session", lambda a: "/sync/session"),
    ("manifest", lambda a: "/manifest.webmanifest"),
    ("service worker", lambda a: "/sw.js"),
    ("favicon", lambda a: "/favicon.ico"),
]
# GET addresses that are not a logged-in user's page: the forms before logging in, and static files.
NOT_PAGES = {"/login", "/signup", "/account/forgot-password", "/account/reset/<token>", "/static/<path:filename>",
             # read by calendar apps with the feed's secret address, not a logged-in page: tested on its own
             "/calendar/<token>.ics",
             # a redirect to the page a follow-up's card is on: its queries are counted in test_followups
             "/follow-ups/<int:follow_up_id>"}
TAG_NAMES = ["python", "rust", "data", "recruiter", "founder", "kafka", "postgres", "speaker", "hiring",
             "design", "ml", "berlin", "london", "remote", "student"]


def seed_account(email, people):
    """An account with `people` people over events past, tonight's and upcoming, tagged, with follow-ups in
    every state and outcomes; one regular is met at every past event and has many of each.

    Bulk inserts: a bigger account costs the test almost nothing more.
    """
    today = datetime.date.today()
    user = User.create(email=email, password_hash="x", display_name="Ada", timezone="UTC",
                       linkedin_url="https://www.linkedin.com/in/ada/")
    past_count = max(2, people // 8)
    Event.insert_many([{"owner": user.id, "name": f"Meetup #{i}", "kind": ["meetup", "conference", "paid"][i % 3],
                        "starts_on": today - datetime.timedelta(days=7 * (past_count - i))}
                       for i in range(past_count)]).execute()
    past = list(Event.select().where(Event.owner == user.id).order_by(Event.starts_on))
    tonight = Event.create(owner=user.id, name="Tonight", starts_on=today)
    Event.insert_many([{"owner": user.id, "name": f"Soon #{i}", "starts_on": today + datetime.timedelta(days=i + 1)}
                       for i in range(max(1, people // 30))]).execute()
    Tag.insert_many([{"owner": user.id, "name": name} for name in TAG_NAMES[:max(3, people // 6)]]).execute()
    tags = [t.id for t in Tag.select().where(Tag.owner == user.id).order_by(Tag.id)]

    Person.insert_many([{"owner": user.id, "name": f"Jane Person {i}", "company": "Acme" if i % 2 else "Initech",
                         "role": "Engineer", "hiring": i % 4 == 0, "email": f"p{i}@example.com",
                         "linkedin_url": f"https://www.linkedin.com/in/p-{user.id}-{i}/"}
                        for i in range(people)]).execute()
    ids = [p.id for p in Person.select(Person.id).where(Person.owner == user.id).order_by(Person.id)]
    regular, twin = ids[0], ids[1]
    # The regular, logged a second time (met again with no signal): their page offers to make them one.
    Person.update(name="Jane Person 0").where(Person.id == twin).execute()
    conversations = [{"person": regular, "event": e.id, "notes": f"Caught up at {e.name}"} for e in [*past, tonight]]
    conversations += [{"person": pid, "event": (tonight if i % 2 else past[i % len(past)]).id, "notes": "Kafka"}
                      for i, pid in enumerate(ids) if pid != regular]
    Conversation.insert_many(conversations).execute()
    PersonTag.insert_many([{"person": pid, "tag": tags[(i + k) % len(tags)]}
                           for i, pid in enumerate(ids) for k in range(1 + i % 3)]).execute()
    PersonTag.insert_many([{"person": regular, "tag": t} for t in tags[1:]]).execute()  # tags[0] given above
    # Every row names both dates: insert_many takes its columns from the first row.
    states = [{"done_on": None, "dropped_on": None}, {"done_on": today, "dropped_on": None},
              {"done_on": None, "dropped_on": today}]
    follow_ups = [{"person": pid, "owner": user.id, "event": tonight.id, "reason": "Send the slides",
                   "due_on": today + datetime.timedelta(days=i % 5 - 2), **states[i % 3]}
                  for i, pid in enumerate(ids[1:])]
    follow_ups += [{"person": regular, "owner": user.id, "event": e.id, "reason": "Coffee", "due_on": e.starts_on,
                    "done_on": today, "dropped_on": None}
                   for e in past]
    FollowUp.insert_many(follow_ups).execute()
    FollowUp.create(person=regular, event=tonight, reason="Intro to Sam", due_on=today)
    kinds = ["job_lead", "referral", "advice", "friendship"]
    Outcome.insert_many([{"person": pid, "kind": kinds[i % 4], "happened_on": today}
                         for i, pid in enumerate(ids) if i % 3 == 0]
                        + [{"person": regular, "kind": kinds[i % 4], "happened_on": today}
                           for i in range(len(past))]).execute()
    # Voice notes and photos for every third person met tonight, and the regular's: shown in the event's list.
    tonight_meetings = list(Conversation.select(Conversation.id, Conversation.person)
                            .where(Conversation.event == tonight.id).order_by(Conversation.id))
    Attachment.insert_many([{"owner": user.id, "person": c.person_id, "conversation": c.id, "kind": kind,
                             "content_type": "image/jpeg" if kind == "photo" else "audio/mp4",
                             "content": PHOTO if kind == "photo" else b"\0\0\0\x18ftypM4A ", "thumbnail": PHOTO,
                             "size": 10, "width": 8, "height": 8, "uuid": uuid.uuid4()}
                            for i, c in enumerate(tonight_meetings) if i % 3 == 0
                            for kind in ("voice", "photo")]).execute()
    voice, photo = (Attachment.get(Attachment.person == regular, Attachment.kind == kind).id
                    for kind in ("voice", "photo"))
    user.log_in()
    return {"user": user.id, "login": user.get_id(), "tonight": tonight.id, "past": past[-1].id, "regular": regular,
            "voice": voice, "photo": photo, "twin": twin}


@pytest.fixture
def accounts(app):
    """A small and a big account in the same database."""
    with db.database().connection_context(), db.write():
        return {"small": seed_account("small@example.com", SMALL), "big": seed_account("big@example.com", BIG)}


def request_of(target):
    """An address, or an address with the headers the page's script sends."""
    return target if isinstance(target, tuple) else (target, {})


def counts_for(app, account):
    """How many SQL statements each page runs for this account (after one visit, as a user would see it)."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = account["login"]  # what the login cookie holds: the login's token
        session["_fresh"] = True
    counts = {}
    for name, address in PAGES:
        path, headers = request_of(address(account))
        kept.forget_all()  # the page worked out, not read back from what a worker kept (webapp/kept.py)
        with queries_run() as executed:
            response = client.get(path, headers=headers)
        response.close()  # static files hand back an open file
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(executed)
    return counts


def test_no_page_asks_more_queries_for_a_bigger_account(app, accounts):
    small, big = counts_for(app, accounts["small"]), counts_for(app, accounts["big"])
    grown = {name: (small[name], big[name]) for name in small if small[name] != big[name]}
    assert not grown, f"queries with {SMALL} people vs {BIG}: {grown}"


def test_every_page_answers_in_a_handful_of_queries(app, accounts):
    counts = counts_for(app, accounts["big"])
    over = {name: n for name, n in counts.items() if n > CEILING}
    assert not over, f"over {CEILING} queries: {over}"


def test_every_page_of_the_app_is_counted(app, accounts):
    """A new page is added to PAGES above, so its query count is watched too."""
    counted = {request_of(address(accounts["small"]))[0].split("?")[0] for _, address in PAGES}
    ids = accounts["small"]
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.rule in NOT_PAGES:
            continue
        path = (rule.rule.replace("<int:event_id>", str(ids["tonight"]))
                .replace("<int:person_id>", str(ids["regular"])).replace("<int:attachment_id>", str(ids["voice"]))
                .replace("<int:other_id>", str(ids["twin"])))
        assert path in counted, f"{rule.rule} ({rule.endpoint}) is not in PAGES"


def add_many_events(account, past, upcoming):
    """Years of events on an account: `past` before today (one a day), `upcoming` after, people met at some."""
    today = datetime.date.today()
    with db.database().connection_context(), db.write():
        for start in range(0, past, 500):  # in batches: SQLite takes a limited number of values per statement
            Event.insert_many([{"owner": account["user"], "name": f"Old #{i}", "starts_on": today - datetime.timedelta(
                days=i + 1)} for i in range(start, min(past, start + 500))]).execute()
        Event.insert_many([{"owner": account["user"], "name": f"Later #{i}",
                            "starts_on": today + datetime.timedelta(days=i + 1)} for i in range(upcoming)]).execute()
        some = Event.select(Event.id).where(Event.owner == account["user"]).order_by(Event.id.desc()).limit(200)
        Conversation.insert_many([{"person": account["regular"], "event": e.id} for e in some]).execute()


def test_the_events_pages_ask_the_same_queries_with_thousands_of_events(app, accounts):
    """The events list pages the past events: the first, an older and the last page of 3,000 past events, and
    one past the end, ask what the few events of the small account do."""
    add_many_events(accounts["big"], past=3000, upcoming=150)
    small = counts_for(app, accounts["small"])
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = accounts["big"]["login"]
        session["_fresh"] = True
    counts, rows = {}, {}
    past = 3000 + (BIG // 8)  # and the account's own past meetups
    last = -(-past // 50)
    for path in ("/events/", "/events/?page=2", f"/events/?page={last}", f"/events/?page={last + 1}"):
        kept.forget_all()  # counted as counts_for() counts them: the page worked out
        with queries_run() as executed:
            response = client.get(path)
        assert response.status_code == 200, path
        counts[path] = len(executed)
        rows[path] = response.get_data(as_text=True).count('class="event-row"')
    # Older pages skip the upcoming events, so they ask one question less than the first.
    expected = {path: small["events" if path == "/events/" else "older events"] for path in counts}
    assert counts == expected, f"queries with 3,000 past events vs a few: {counts} vs {expected}"
    assert max(counts.values()) <= CEILING
    # A page of them, never all of them: the next hundred upcoming and fifty past, then fifty a page.
    assert rows == {"/events/": 150, "/events/?page=2": 50, f"/events/?page={last}": past - 50 * (last - 1),
                    f"/events/?page={last + 1}": 0}


def plan_of(query):
    """How the database means to answer a query: SQLite's EXPLAIN QUERY PLAN or PostgreSQL's EXPLAIN."""
    sql, params = query.sql()
    database = db.database()
    postgres = "%s" in sql
    cursor = database.execute_sql(("EXPLAIN " if postgres else "EXPLAIN QUERY PLAN ") + sql, params)
    return " ".join(str(part) for row in cursor.fetchall() for part in row)


def test_met_before_is_looked_up_by_index_not_by_reading_every_person(app, accounts):
    from peewee import fn

    from webapp.models import lowered_spellings
    from webapp.people import logbook
    from webapp.prepared import Param
    owner = accounts["big"]["user"]
    with db.database().connection_context():
        # With the table's statistics known the planner weighs the indexes as it would in use; without them
        # it may as well pick the index on the owner alone and filter by name.
        db.database().execute_sql("ANALYZE person")
        if db.is_postgres():
            db.database().execute_sql("SET enable_seqscan = off")  # a tiny table would be read whole anyway
        by_name = Person.select().where(Person.owner == owner,
                                        fn.LOWER(Person.name).in_(lowered_spellings("Jane Person 3")))
        by_profile = Person.select().where(Person.owner == owner, Person.linkedin_url == "https://x/")
        try:
            assert "person_owner_lower_name" in plan_of(by_name), plan_of(by_name)
            assert "person_owner_linkedin_url" in plan_of(by_profile), plan_of(by_profile)
            # As the app asks it (its SQL built once, the spellings bound as one value).
            values = {"owner": owner, **logbook._spellings("Zoë Jane Person 3"), "limit": 3}
            _, sql, params = logbook._named._query(db.database())
            explain = "EXPLAIN " if db.is_postgres() else "EXPLAIN QUERY PLAN "
            plan = " ".join(str(part) for row in db.database().execute_sql(
                explain + sql, [p.bind(values) if isinstance(p, Param) else p for p in params]).fetchall()
                for part in row)
            assert "person_owner_lower_name" in plan, plan
        finally:
            if db.is_postgres():
                db.database().execute_sql("RESET enable_seqscan")  # the connection goes back to the pool


def queries_to_log(app, account, name, tags):
    """How many SQL statements logging one person by the log form's POST runs."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = account["login"]
        session["_fresh"] = True
    with queries_run() as executed:
        response = client.post(f"/events/{account['tonight']}/people/new",
                               data={"name": name, "tags": tags, "follow_up": "y", "follow_up_reason": "Slides"})
    assert response.headers.get("Location") == f"/events/{account['tonight']}", response.get_data(as_text=True)
    return len(executed)


def test_logging_a_person_asks_the_same_queries_whatever_the_account_or_the_tags(app, accounts):
    small = queries_to_log(app, accounts["small"], "Grace Hopper", "python, navy")
    big = queries_to_log(app, accounts["big"], "Grace Hopper", "python, navy")
    many_tags = queries_to_log(app, accounts["big"], "Alan Turing", "python, navy, rust, math, kafka, chess")
    assert small == big == many_tags, (small, big, many_tags)


def test_logging_a_person_writes_in_one_transaction_the_accounts_new_version_included(app, accounts):
    """One commit per person logged: on SQLite each is a write to disk, and the account's version moving in a
    transaction of its own after the request was a second one."""
    database = db.database()
    commits, writes = [], []
    commit, execute_sql = database.commit, database.execute_sql

    def counted_commit():
        commits.append(1)
        return commit()

    def noted(sql, params=None, *args, **kwargs):
        if re.match(r"\s*(INSERT|UPDATE|DELETE)", sql):
            writes.append((sql.split(" WHERE")[0], database.in_transaction()))
        return execute_sql(sql, params, *args, **kwargs)

    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = accounts["small"]["login"]
    database.commit, database.execute_sql = counted_commit, noted
    try:
        response = client.post(f"/events/{accounts['small']['tonight']}/people/new",
                               data={"name": "Grace Hopper", "tags": "python", "follow_up": "y"})
    finally:
        del database.commit, database.execute_sql
    assert response.headers["Location"] == f"/events/{accounts['small']['tonight']}"
    assert any(sql.startswith('UPDATE "user" SET "data_version"') for sql, _ in writes), writes
    assert [sql for sql, in_transaction in writes if not in_transaction] == [] and len(commits) == 1


def test_an_accounts_follow_ups_are_read_from_its_own_index_whatever_else_the_server_holds(app, accounts):
    """A small account next to a big one reads only its own follow-ups: found through its people, a big account
    reads them all; found from every follow-up due, a small one reads the big one's too."""
    from webapp import models
    from webapp.followups import listing
    from webapp.prepared import Param

    database = db.database()
    values = {"owner": accounts["small"]["user"], "offset": 0, "limit": 11, "today": datetime.date.today()}
    with database.connection_context():
        database.execute_sql("ANALYZE")
        if db.is_postgres():
            database.execute_sql("SET enable_seqscan = off")  # small tables would be read whole anyway
        try:
            # By one of the indexes that start with the owner (on a small table either does).
            for name, prepared in (("cards", listing._cards), ("recently done", listing._recently_closed),
                                   ("due count", models._due_count)):
                _, sql, params = prepared._query(database)
                bound = [p.bind(values) if isinstance(p, Param) else p for p in params]
                explain = "EXPLAIN " if db.is_postgres() else "EXPLAIN QUERY PLAN "
                plan = " ".join(str(part) for row in database.execute_sql(explain + sql, bound).fetchall()
                                for part in row)
                assert re.search(r"followup_owner_(open_due_on|done_on|id)\b", plan), (name, plan)
        finally:
            if db.is_postgres():
                database.execute_sql("RESET enable_seqscan")


def test_todays_next_and_latest_events_are_read_by_their_last_day(app, accounts):
    """Every page's header asks for today's and the next events, home for the latest past ones: through the index
    on (owner, last day), not by testing each of years of events."""
    from webapp import models
    from webapp.prepared import Param

    database = db.database()
    values = {"owner": accounts["big"]["user"], "today": datetime.date.today(), "limit": 6}
    with database.connection_context():
        database.execute_sql("ANALYZE")
        if db.is_postgres():
            database.execute_sql("SET enable_seqscan = off")  # small tables would be read whole anyway
        try:
            for name, prepared in (("next", models._next_events), ("latest past", models._past_events)):
                _, sql, params = prepared._query(database)
                bound = [p.bind(values) if isinstance(p, Param) else p for p in params]
                explain = "EXPLAIN " if db.is_postgres() else "EXPLAIN QUERY PLAN "
                plan = " ".join(str(part) for row in database.execute_sql(explain + sql, bound).fetchall()
                                for part in row)
                assert "event_owner_last_day" in plan, (name, plan)
        finally:
            if db.is_postgres():
                database.execute_sql("RESET enable_seqscan")
