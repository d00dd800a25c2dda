"""The People page: everyone you met across all events, the latest met first, with filters and pages."""

import datetime
import re

import pytest
from conftest import as_from_an_older_release, queries_run
from steps import account, add_event, today

from webapp import db, kept, schema
from webapp.models import Conversation, Event, FollowUp, Person


def log(client, event_url, **fields):
    response = client.post(event_url + "/people/new", data={**fields, "same_as": "new"})
    assert response.status_code == 302, response.get_data(as_text=True)


def listed(client, **args):
    response = client.get("/people", query_string=args)
    assert response.status_code == 200
    return re.findall(r'<span class="person-name">([^<]*)</span>', response.get_data(as_text=True))


def test_an_empty_account_gets_a_friendly_people_page(client, user):
    page = client.get("/people").get_data(as_text=True)
    assert "Everyone you met" in page
    assert "Nobody yet" in page
    assert 'class="error"' not in page and "<details class=\"more-fields\">" in page  # filters start closed


def test_the_people_page_lists_everyone_from_every_event_latest_met_first(client, user):
    first = add_event(client, name="PyData", day=today() - datetime.timedelta(days=10))
    second = add_event(client, name="FOSDEM")
    log(client, first, name="Ada")
    log(client, second, name="Brian")
    log(client, first, name="Cleo")  # met ten days ago, logged last: after Brian, met today
    assert listed(client) == ["Brian", "Cleo", "Ada"]
    page = client.get("/people").get_data(as_text=True)
    assert "Met at FOSDEM" in page and "Met at PyData" in page


def test_the_list_follows_when_they_were_met_not_when_they_were_typed_in(client, user):
    """Someone met four days ago comes before people met last year, however late they were logged; someone never
    met (imported) by the day they were added."""
    last_year = add_event(client, name="Jan meetup", day=today() - datetime.timedelta(days=400))
    this_week = add_event(client, name="Rust Night", day=today() - datetime.timedelta(days=4))
    log(client, this_week, name="Dana Recent")
    log(client, last_year, name="Ezra Backfilled")  # logged last, met a year ago
    with db.database().connection_context(), db.write():
        Person.create(owner=account(), name="Fay Imported",
                      created_at=datetime.datetime.now() - datetime.timedelta(days=30))
    assert listed(client) == ["Dana Recent", "Fay Imported", "Ezra Backfilled"]
    # Met again today, the backfilled one comes first.
    with db.database().connection_context():
        ezra = Person.get(Person.name == "Ezra Backfilled")
    today_url = add_event(client, name="Today's meetup")
    response = client.post(today_url + "/people/new", data={"name": "Ezra Backfilled", "same_as": str(ezra.id)})
    assert response.status_code == 302
    assert listed(client) == ["Ezra Backfilled", "Dana Recent", "Fay Imported"]


def test_the_day_last_met_stays_right_whoever_writes_the_person_or_the_event(client, user):
    """Written by the models, not the forms: the database keeps the day, whichever code writes."""
    rust = add_event(client, name="Rust Night", day=today() - datetime.timedelta(days=4))
    log(client, rust, name="Dana")
    log(client, add_event(client, name="Old one", day=today() - datetime.timedelta(days=40)), name="Ezra")
    with db.database().connection_context(), db.write():
        stale = Person.get(Person.name == "Ezra")  # read before their meeting today, saved after it
        Conversation.create(person=stale, event=Event.create(owner=account(), name="Today", starts_on=today()))
        stale.company = "Acme"
        stale.save()
    kept.forget_all()  # written behind the app's back: the page it kept would not know
    assert listed(client) == ["Ezra", "Dana"]
    with db.database().connection_context(), db.write():  # the event of the latest meeting moved to last year
        Event.update(starts_on=today() - datetime.timedelta(days=365)).where(Event.name == "Today").execute()
    kept.forget_all()
    assert listed(client) == ["Dana", "Ezra"]
    with db.database().connection_context(), db.write():  # Ezra's meetings all deleted: the day they were added
        Conversation.delete().where(Conversation.person == stale).execute()
    kept.forget_all()
    assert listed(client) == ["Ezra", "Dana"]


def test_people_saved_before_the_day_was_kept_get_it_at_the_next_start(client, user):
    log(client, add_event(client, name="Rust Night", day=today() - datetime.timedelta(days=4)), name="Dana")
    log(client, add_event(client, name="Old one", day=today() - datetime.timedelta(days=40)), name="Ezra")
    database = db.database()
    with database.connection_context():  # the person table as the release before made it
        for name, table in (("person_last_met_on", "person"), ("person_last_met_on_meetings", "conversation"),
                            ("person_last_met_on_event", "event"), ("person_last_met_added", ""),
                            ("person_last_met_saved", ""), ("person_last_met_meeting_added", ""),
                            ("person_last_met_meeting_moved", ""), ("person_last_met_meeting_deleted", ""),
                            ("person_last_met_event_moved", "")):
            if db.is_postgres() == bool(table):
                database.execute_sql(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if table else ""))
        database.execute_sql("DROP INDEX IF EXISTS person_owner_id_last_met_on_id")
        database.execute_sql("ALTER TABLE person DROP COLUMN last_met_on")
    as_from_an_older_release()
    schema.create_schema()
    kept.forget_all()
    assert listed(client) == ["Dana", "Ezra"]
    with database.connection_context():
        assert Person.select().where(Person.last_met_on.is_null()).count() == 0


def test_each_person_shows_the_last_event_they_were_met_at_and_how_many_more(client, user):
    pydata = add_event(client, name="PyData", day=datetime.date(2026, 3, 5))
    fosdem = add_event(client, name="FOSDEM", day=datetime.date(2026, 2, 1))
    rustconf = add_event(client, name="RustConf", day=datetime.date(2026, 9, 9))
    log(client, pydata, name="Jane Doe")
    jane = re.search(r'href="/people/(\d+)"', client.get("/people").get_data(as_text=True)).group(1)
    for again in (fosdem, rustconf):  # logged later, met at an earlier event too
        response = client.post(again + "/people/new", data={"name": "Jane Doe", "same_as": jane})
        assert response.status_code == 302, response.get_data(as_text=True)
    log(client, fosdem, name="Linus")
    page = client.get("/people").get_data(as_text=True)
    assert "Met at RustConf, 9 Sep 2026 (and 2 more events)" in page
    assert "Met at FOSDEM, 1 Feb 2026</span>" in page


def test_the_people_tab_is_in_the_tab_bar(client, user):
    page = client.get("/").get_data(as_text=True)
    tabbar = page.split('class="tabbar"')[1]
    assert 'href="/people"' in tabbar and ">People<" in tabbar


def test_filter_by_tag_and_by_hiring(client, user):
    event = add_event(client)
    log(client, event, name="Ada", tags="python, data")
    log(client, event, name="Brian", tags="rust", hiring="y")
    log(client, event, name="Cleo", tags="python", hiring="y")
    assert listed(client, tag="python") == ["Cleo", "Ada"]
    assert listed(client, hiring="y") == ["Cleo", "Brian"]
    assert listed(client, tag="python", hiring="y") == ["Cleo"]
    assert listed(client, q="cle", tag="rust") == []


def test_filter_by_follow_up_state(client, user):
    event = add_event(client)
    log(client, event, name="Open Olga", follow_up="y", follow_up_reason="send slides")
    log(client, event, name="Done Dan", follow_up="y", follow_up_reason="intro to Sam")
    log(client, event, name="Dropped Dora", follow_up="y", follow_up_reason="coffee")
    log(client, event, name="Never Ned")
    with db.database().connection_context():
        for name, field in (("Done Dan", "done_on"), ("Dropped Dora", "dropped_on")):
            FollowUp.update({getattr(FollowUp, field): today()}).where(
                FollowUp.person == Person.get(Person.name == name)).execute()
    assert listed(client, follow_up="open") == ["Open Olga"]
    assert listed(client, follow_up="done") == ["Done Dan"]
    assert listed(client, follow_up="none") == ["Never Ned", "Dropped Dora"]
    assert len(listed(client, follow_up="")) == 4


def test_people_come_twenty_to_a_page(client, user):
    event = add_event(client)
    for i in range(23):
        log(client, event, name=f"Person {i:02d}")
    client.get("/")  # shows (and clears) the "saved" messages
    first = client.get("/people").get_data(as_text=True)
    names = re.findall(r'<span class="person-name">([^<]*)</span>', first)
    assert names == [f"Person {i:02d}" for i in range(22, 2, -1)]
    assert 'href="/people?page=2"' in first and "Newer" not in first
    second = client.get("/people?page=2").get_data(as_text=True)
    assert re.findall(r'<span class="person-name">([^<]*)</span>', second) == ["Person 02", "Person 01", "Person 00"]
    assert "Older" not in second and 'href="/people?page=1"' in second


def test_the_pages_keep_the_search_and_filters(client, user):
    event = add_event(client)
    for i in range(21):
        log(client, event, name=f"Pythonista {i}", tags="python", hiring="y")
    page = client.get("/people?q=pyth&tag=python&hiring=y").get_data(as_text=True)
    link = re.search(r'href="(/people\?[^"]*page=2[^"]*)"', page).group(1).replace("&amp;", "&")
    assert "q=pyth" in link and "tag=python" in link and "hiring=y" in link


@pytest.mark.parametrize("args, message", [
    ({"tag": "no-such-tag"}, "That tag is not on anyone any more"),
    ({"follow_up": "maybe"}, "Pick a follow-up state from the list."),
    ({"q": "x" * 201}, "Keep the search under 200 characters."),
])
def test_bad_filters_get_a_clear_message_not_an_error(client, user, args, message):
    log(client, add_event(client), name="Ada")
    response = client.get("/people", query_string=args)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize("page", ["0", "-3", "abc", "99999999999999999999999999", "2.5", ""])
def test_any_page_number_gives_a_page(client, user, page):
    log(client, add_event(client), name="Ada")
    response = client.get("/people", query_string={"page": page})
    assert response.status_code == 200


def test_a_page_past_the_end_says_so(client, user):
    log(client, add_event(client), name="Ada")
    page = client.get("/people?page=7").get_data(as_text=True)
    assert "Back to the first page" in page


def test_nobody_matching_says_what_was_searched(client, user):
    log(client, add_event(client), name="Ada")
    page = client.get("/people?q=zebra").get_data(as_text=True)
    assert "Nobody matches “zebra”" in page


def test_search_as_you_type_gets_only_the_list(client, user):
    log(client, add_event(client), name="Ada Lovelace")
    response = client.get("/people?q=ada", headers={"X-Requested-With": "fetch"})
    body = response.get_data(as_text=True)
    assert "Ada Lovelace" in body
    assert "<html" not in body and "<form" not in body


def test_the_search_page_works_without_javascript(client, user):
    page = client.get("/people").get_data(as_text=True)
    form = re.search(r'<form method="get" action="/people".*?</form>', page, re.S).group(0)
    assert 'type="search"' in form and 'name="q"' in form and 'type="submit"' in form


def test_the_people_page_needs_a_login(client):
    response = client.get("/people")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_people_page_takes_three_queries_for_the_details_whatever_the_page_size(client, user, app):
    event = add_event(client)
    for i in range(20):
        log(client, event, name=f"P{i}", tags="a, b", follow_up="y", follow_up_reason="x")
    with queries_run() as executed:
        assert client.get("/people").status_code == 200
    people_queries = [q for q in executed if "person" in q.lower()]
    assert len(people_queries) < 10, people_queries


def test_the_filters_offer_a_new_tag_and_event_as_soon_as_they_are_saved(client, user):
    event = add_event(client, name="PyData")
    log(client, event, name="Ada", tags="python")
    page = client.get("/people").get_data(as_text=True)
    assert '<option value="python">python</option>' in page and "FOSDEM" not in page
    log(client, add_event(client, name="FOSDEM"), name="Brian", tags="rust")
    page = client.get("/people").get_data(as_text=True)
    assert '<option value="rust">rust</option>' in page and re.search(r'<option value="\d+">FOSDEM, ', page)
    assert listed(client, tag="rust") == ["Brian"]


def test_the_met_at_filter_lists_the_events_people_were_met_at_the_latest_first(client, user):
    """Months of meetups planned ahead find nobody yet: they are not what "Met at" offers first, or at all."""
    log(client, add_event(client, name="Last month", day=today() - datetime.timedelta(days=30)), name="Ada")
    log(client, add_event(client, name="Last week", day=today() - datetime.timedelta(days=7)), name="Brian")
    add_event(client, name="Nobody met there", day=today() - datetime.timedelta(days=3))
    with db.database().connection_context():
        for i in range(1, 250):
            Event.create(owner=account(), name=f"Planned {i}", starts_on=today() + datetime.timedelta(days=i))
    page = client.get("/people").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="event".*?</select>', page, re.S).group(0)
    assert re.findall(r'<option value="\d+">([^,<]*),', select) == ["Last week", "Last month"]


def test_an_account_made_after_another_was_deleted_never_sees_its_filters(app, client, user):
    from conftest import PASSWORD, Auth

    from webapp.models import User
    log(client, add_event(client, name="Secret Summit"), name="Ada", tags="secret-tag")
    assert "secret-tag" in client.get("/people").get_data(as_text=True)
    with db.database().connection_context():
        old = User.get()
    assert client.post("/account/delete", data={"password": PASSWORD}).status_code == 302
    fresh = app.test_client()
    assert Auth(fresh).signup(email="next@example.com").status_code == 302
    with db.database().connection_context():  # the new account has come as far in its own changes
        User.update(data_version=old.data_version).execute()
        same_id = User.get().id == old.id  # SQLite gives a deleted last id again; PostgreSQL never does
    page = fresh.get("/people").get_data(as_text=True)
    assert same_id or db.is_postgres()
    assert "secret-tag" not in page and "Secret Summit" not in page
