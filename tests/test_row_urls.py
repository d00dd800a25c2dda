"""The links repeated on every row of a list (people met, follow-ups, photos) are built once per page: each is
the address url_for gives, wherever the app is mounted."""

import pytest
from conftest import app_for_test
from flask import url_for

from webapp.web import row_url

ROWS = [("people.show", "person_id"), ("people.connected", "person_id"), ("followups.done", "follow_up_id"),
        ("followups.drop", "follow_up_id"), ("followups.reschedule", "follow_up_id"),
        ("attachments.show", "attachment_id"), ("attachments.small", "attachment_id"),
        ("attachments.delete", "attachment_id")]


@pytest.fixture
def app(tmp_path):
    with app_for_test("sqlite:///" + str(tmp_path / "hallway.sqlite3"), tmp_path) as app:
        yield app


@pytest.mark.parametrize("mounted_at", ["", "/hallway", "/2147483648"])  # the last holds row_url's own number
def test_each_rows_link_is_the_address_url_for_gives(app, mounted_at):
    with app.test_request_context("/people", base_url="http://phone.test" + mounted_at):
        for endpoint, name in ROWS:
            for row_id in (1, 7, 42, 2147483647):
                assert row_url(endpoint, **{name: row_id}) == url_for(endpoint, **{name: row_id})
            assert row_url(endpoint, **{name: 7}).startswith(mounted_at + "/")


def test_a_list_page_builds_each_kind_of_link_once(app):
    with app.test_request_context("/follow-ups/"):
        built = []
        original = app.url_for

        def counting(endpoint, **values):
            built.append(endpoint)
            return original(endpoint, **values)

        app.url_for = counting
        links = [row_url("people.show", person_id=i) for i in range(1, 31)]
    assert links == [f"/people/{i}" for i in range(1, 31)]
    assert built == ["people.show"]
