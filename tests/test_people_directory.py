"""The People page: everyone you met across all events, newest first, with filters and pages."""

import datetime
import re

import pytest
from conftest import queries_run
from steps import add_event, today

from webapp import db
from webapp.models import FollowUp, Person


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


def test_the_people_page_lists_everyone_from_every_event_newest_first(client, user):
    first = add_event(client, name="PyData", day=today().replace(day=1))
    second = add_event(client, name="FOSDEM")
    log(client, first, name="Ada")
    log(client, second, name="Brian")
    log(client, first, name="Cleo")
    assert listed(client) == ["Cleo", "Brian", "Ada"]
    page = client.get("/people").get_data(as_text=True)
    assert "Met at FOSDEM" in page and "Met at PyData" in page


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
