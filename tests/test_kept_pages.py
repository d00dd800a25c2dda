"""People, Follow-ups and Insights are kept by each worker until the account changes or the day does:
a change made anywhere shows at once, every visit has its own CSRF token, and no account sees another's."""

import datetime
import re

from conftest import Auth
from steps import add_event, today

from webapp import db
from webapp.models import User

KEPT_PAGES = ["/people", "/people?q=grace", "/follow-ups/", "/insights/"]


def page(client, path):
    return client.get(path).get_data(as_text=True)


def csrf_tokens(html):
    return set(re.findall(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html))


def test_a_change_from_another_phone_shows_at_once_on_every_kept_page(app, client, user):
    event = add_event(client, name="PyLondon")
    client.post(f"{event}/people/new", data={"name": "Ada Lovelace", "follow_up": "y"})
    client.get("/")  # shows the flashed messages, which would be on the first page only
    first = {path: page(client, path) for path in KEPT_PAGES}
    assert "Grace Hopper" not in "".join(first.values())
    assert {path: page(client, path) for path in KEPT_PAGES} == first  # nothing changed: the kept parts

    other_phone = app.test_client()
    Auth(other_phone).login()
    response = other_phone.post(f"{event}/people/new", data={"name": "Grace Hopper", "company": "Navy",
                                                             "follow_up": "y", "follow_up_reason": "COBOL notes"})
    assert response.status_code == 302

    people, found, follow_ups, insights = (page(client, path) for path in KEPT_PAGES)
    assert "Grace Hopper" in people and "Grace Hopper" in found and "Ada Lovelace" not in found
    assert "Grace Hopper" in follow_ups and "COBOL notes" in follow_ups
    assert insights != first["/insights/"] and re.search(r"\b2\b", insights)


def test_each_visit_puts_its_own_token_in_a_kept_page(app, client, user):
    event = add_event(client, name="PyLondon")
    client.post(f"{event}/people/new", data={"name": "Ada Lovelace", "follow_up": "y"})
    other_phone = app.test_client()
    Auth(other_phone).login()

    mine, theirs = page(client, "/follow-ups/"), page(other_phone, "/follow-ups/")
    assert page(client, "/follow-ups/").count("Ada Lovelace") >= 1
    my_tokens, their_tokens = csrf_tokens(mine), csrf_tokens(theirs)
    assert len(my_tokens) == 1 and len(their_tokens) == 1 and my_tokens != their_tokens
    assert f'name="csrf-token" content="{my_tokens.pop()}"' in mine
    assert f'name="csrf-token" content="{their_tokens.pop()}"' in theirs

    done = re.search(r'<form method="post" action="([^"]+/done)"[^>]*>\s*<input type="hidden" name="csrf_token" '
                     r'value="([^"]+)"', theirs)
    response = other_phone.post(done[1], data={"csrf_token": done[2]})  # the kept page's form works
    assert response.status_code == 302
    assert "Ada Lovelace" not in page(client, "/follow-ups/").split("Done lately")[0]


def test_the_next_day_the_pages_are_worked_out_again(client, user, monkeypatch):
    event = add_event(client, name="PyLondon")
    client.post(f"{event}/people/new", data={"name": "Ada Lovelace", "follow_up": "y"})
    due = today() + datetime.timedelta(days=2)  # two days after the event
    assert "due today" not in page(client, "/follow-ups/")
    monkeypatch.setattr(User, "today", lambda self: due)
    assert "due today" in page(client, "/follow-ups/")


def test_an_account_never_sees_a_page_kept_for_another(app, client, user):
    event = add_event(client, name="Secret Summit")
    client.post(f"{event}/people/new", data={"name": "Ada Lovelace", "follow_up": "y"})
    mine = {path: page(client, path) for path in KEPT_PAGES}
    assert all("Ada Lovelace" in html or "Secret Summit" in html for path, html in mine.items() if "q=" not in path)

    stranger = app.test_client()
    assert Auth(stranger).signup(email="stranger@example.com").status_code == 302
    with db.database().connection_context():  # the stranger's account has come as far in its own changes
        User.update(data_version=User.select(User.data_version).where(User.email == "ada@example.com")).execute()
    for path in KEPT_PAGES:
        html = page(stranger, path)
        assert "Ada Lovelace" not in html and "Secret Summit" not in html, path

