"""Logging the people met at an event, and fixing the details later."""

import datetime
import html

import pytest
from conftest import csrf_token, signed_up_with_csrf
from steps import add_event, edit_form_of, form_as_opened, today

from webapp import db
from webapp.models import Conversation, FollowUp, Person, User


@pytest.fixture
def event_url(client, user):
    return add_event(client, goal="3")


def log(client, event_url, **fields):
    return client.post(event_url + "/people/new", data=fields)


def test_logging_a_person_moves_the_goal_forward(client, event_url):
    response = log(client, event_url, name="Grace Hopper", company="US Navy")
    assert response.status_code == 302 and response.headers["Location"] == event_url
    page = client.get(event_url).get_data(as_text=True)
    assert "1 of 3" in page and "Grace Hopper" in page and "US Navy" in page
    assert "Grace Hopper saved. 1 of 3 met." in page


def test_the_third_person_reaches_the_goal(client, event_url):
    for name in ("Grace", "Alan", "Barbara"):
        log(client, event_url, name=name)
    page = client.get(event_url).get_data(as_text=True)
    assert "3 of 3" in page and "Goal reached!" in page


def test_people_met_are_listed_newest_first(client, event_url):
    for name in ("First Person", "Second Person", "Third Person"):
        log(client, event_url, name=name)
    listed = client.get(event_url).get_data(as_text=True).split("People met here")[1]
    assert listed.index("Third Person") < listed.index("Second Person") < listed.index("First Person")


def test_a_description_is_enough_when_the_name_was_not_caught(client, event_url):
    log(client, event_url, description="red jacket, Postgres talk")
    assert "red jacket, Postgres talk" in client.get(event_url).get_data(as_text=True)


def test_a_person_needs_a_name_or_a_description(client, event_url):
    response = log(client, event_url, company="Acme")
    assert response.status_code == 200
    assert "Add a name, or a few words to recognise them by." in response.get_data(as_text=True)
    with db.database().connection_context():
        assert Person.select().count() == 0


def test_everything_the_quick_form_takes_is_kept(client, event_url):
    log(client, event_url, name="Linus", description="penguin t-shirt", company="Linux Foundation", role="Fellow",
        notes="Talked about git internals", linkedin_url="www.linkedin.com/in/linus/?trk=x", email="l@example.org",
        hiring="y", follow_up="y", follow_up_reason="send the article on CDC", tags="kernel, Git, kernel")
    with db.database().connection_context():
        person = Person.get()
        assert (person.name, person.description, person.company, person.role, person.email) == (
            "Linus", "penguin t-shirt", "Linux Foundation", "Fellow", "l@example.org")
        assert person.linkedin_url == "https://www.linkedin.com/in/linus"
        assert person.hiring is True
        assert person.tag_names() == ["git", "kernel"]
        assert Conversation.get().notes == "Talked about git internals"
        follow_up = FollowUp.get()
        assert follow_up.reason == "send the article on CDC"
        assert (follow_up.due_on - today()).days == 2
    page = client.get(event_url).get_data(as_text=True)
    assert "Hiring" in page and "Follow up" in page


def test_follow_up_is_one_tap_and_the_reason_can_wait(client, event_url):
    response = log(client, event_url, name="Sam", follow_up="y")
    assert response.status_code == 302
    with db.database().connection_context():
        follow_up = FollowUp.get()
        assert follow_up.reason == "" and follow_up.is_open


def test_their_linkedin_must_be_a_profile(client, event_url):
    response = log(client, event_url, name="Sam", linkedin_url="https://www.linkedin.com/company/acme")
    assert response.status_code == 200
    assert "not a person&#39;s profile" in response.get_data(as_text=True)


def test_the_log_form_is_made_for_one_thumb(client, event_url):
    page = client.get(event_url + "/people/new").get_data(as_text=True)
    assert 'autocapitalize="words"' in page and 'inputmode="url"' in page and 'inputmode="email"' in page
    for field in ("name", "description", "company", "role", "notes", "hiring", "follow_up", "follow_up_reason",
                  "linkedin_url", "email", "tags"):
        assert f'for="{field}"' in page, field


def test_editing_a_person_changes_their_details_and_the_notes_from_this_event(client, event_url):
    log(client, event_url, name="Grace", notes="COBOL", follow_up="y", follow_up_reason="send the paper")
    with db.database().connection_context():
        person_id = Person.get().id
    edit_url = f"{event_url}/people/{person_id}/edit"
    page = client.get(edit_url).get_data(as_text=True)
    assert 'value="Grace"' in page and "COBOL" in page and 'value="send the paper"' in page
    response = client.post(edit_url, data={"name": "Grace Hopper", "notes": "COBOL and compilers", "tags": "navy"})
    assert response.status_code == 302
    with db.database().connection_context():
        person = Person.get()
        assert person.name == "Grace Hopper"
        assert person.tag_names() == ["navy"]
        assert Conversation.get().notes == "COBOL and compilers"
        # Unticking "follow up" drops the follow-up rather than forgetting it was planned.
        follow_up = FollowUp.get()
        assert follow_up.dropped_on is not None and not follow_up.is_open


def grace_logged(client, event_url):
    log(client, event_url, name="Grace Hopper", company="Navy", notes="COBOL")
    with db.database().connection_context():
        return Person.get().id


def test_a_save_from_a_form_opened_before_the_other_devices_save_keeps_both_changes(client, event_url):
    edit_url = f"{event_url}/people/{grace_logged(client, event_url)}/edit"
    laptop, phone = form_as_opened(client, edit_url), form_as_opened(client, edit_url)
    assert client.post(edit_url, data={**laptop, "company": "US Navy Reserve"}).status_code == 302
    assert client.post(edit_url, data={**phone, "notes": "COBOL and compilers"}).status_code == 302
    assert "Grace Hopper updated." in client.get(event_url).get_data(as_text=True)
    with db.database().connection_context():
        assert (Person.get().company, Conversation.get().notes) == ("US Navy Reserve", "COBOL and compilers")


def test_editing_someone_from_their_page_on_two_devices_keeps_both_changes(client, event_url):
    grace = grace_logged(client, event_url)
    laptop = form_as_opened(client, f"/people/{grace}/edit")
    phone = form_as_opened(client, f"{event_url}/people/{grace}/edit")
    assert client.post(f"{event_url}/people/{grace}/edit", data={**phone, "tags": "navy, cobol"}).status_code == 302
    assert client.post(f"/people/{grace}/edit", data={**laptop, "role": "Rear admiral"}).status_code == 302
    with db.database().connection_context():
        grace = Person.get()
        assert (grace.role, grace.company, grace.tag_names()) == ("Rear admiral", "Navy", ["cobol", "navy"])


def test_a_field_changed_on_both_devices_is_shown_again_with_what_it_says_now_and_what_was_typed(client, event_url):
    edit_url = f"{event_url}/people/{grace_logged(client, event_url)}/edit"
    laptop, phone = form_as_opened(client, edit_url), form_as_opened(client, edit_url)
    assert client.post(edit_url, data={**laptop, "company": "US Navy Reserve"}).status_code == 302
    response = client.post(edit_url, data={**phone, "company": "Navy (retired)", "notes": "COBOL, compilers"})
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "Changed on your other device since you opened this: Company is now “US Navy Reserve”." in page
    assert 'value="Navy (retired)"' in page and "COBOL, compilers" in page  # nothing typed is lost
    with db.database().connection_context():
        assert (Person.get().company, Conversation.get().notes) == ("US Navy Reserve", "COBOL")
    shown_again = edit_form_of(response.get_data(as_text=True))
    assert client.post(edit_url, data=shown_again).status_code == 302  # saved again: what was typed is kept
    with db.database().connection_context():
        assert (Person.get().company, Conversation.get().notes) == ("Navy (retired)", "COBOL, compilers")


def test_a_follow_up_done_on_another_device_while_its_reason_changed_here_says_so_and_saves_a_new_one(client,
                                                                                                     event_url):
    log(client, event_url, name="Grace Hopper", follow_up="y", follow_up_reason="send article")
    with db.database().connection_context():
        grace, follow_up = Person.get().id, FollowUp.get()
    phone = form_as_opened(client, f"/people/{grace}/edit")
    client.post(f"/follow-ups/{follow_up.id}/done")
    response = client.post(f"/people/{grace}/edit", data={**phone, "follow_up_reason": "coffee next week"})
    page = html.unescape(response.get_data(as_text=True))
    assert "Changed on your other device since you opened this: the follow-up was marked done." in page
    shown_again = edit_form_of(response.get_data(as_text=True))
    assert (shown_again.get("follow_up"), shown_again["follow_up_reason"]) == ("y", "coffee next week")
    assert client.post(f"/people/{grace}/edit", data=shown_again).status_code == 302
    with db.database().connection_context():
        assert [(f.reason, f.is_open) for f in FollowUp.select().order_by(FollowUp.id)] == [
            ("send article", False), ("coffee next week", True)]


def test_a_name_cleared_on_one_device_and_the_description_on_the_other_leaves_neither_empty(client, event_url):
    log(client, event_url, name="Grace Hopper", description="red jacket")
    with db.database().connection_context():
        grace = Person.get().id
    laptop, phone = form_as_opened(client, f"/people/{grace}/edit"), form_as_opened(client, f"/people/{grace}/edit")
    assert client.post(f"/people/{grace}/edit", data={**laptop, "name": ""}).status_code == 302
    assert client.post(f"/people/{grace}/edit", data={**phone, "description": ""}).status_code == 200
    with db.database().connection_context():
        assert (Person.get().name, Person.get().description) == ("", "red jacket")


@pytest.mark.parametrize("as_opened", ["[" * 100_000, "[" * 900])
def test_an_edit_with_a_made_up_as_opened_saves_what_it_holds(client, event_url, as_opened):
    """What the form was opened with is the page's own; anything else is read as a form sent without it."""
    grace = grace_logged(client, event_url)
    laptop = form_as_opened(client, f"/people/{grace}/edit")
    response = client.post(f"/people/{grace}/edit", data={**laptop, "as_opened": as_opened, "role": "Admiral"})
    assert response.status_code == 302
    with db.database().connection_context():
        assert (Person.get().role, Person.get().company) == ("Admiral", "Navy")


def test_deleting_a_person_asks_first_then_forgets_them(client, event_url):
    log(client, event_url, name="Grace")
    with db.database().connection_context():
        person_id = Person.get().id
    assert "Delete Grace?" in client.get(f"/people/{person_id}/delete").get_data(as_text=True)
    response = client.post(f"/people/{person_id}/delete")
    assert response.status_code == 302 and response.headers["Location"] == event_url
    assert "0 of 3" in client.get(event_url).get_data(as_text=True)
    assert client.get(f"/people/{person_id}").status_code == 404


def test_a_persons_page_shows_where_you_met_them(client, event_url):
    log(client, event_url, name="Grace", notes="COBOL")
    with db.database().connection_context():
        person_id = Person.get().id
    page = client.get(f"/people/{person_id}").get_data(as_text=True)
    assert "PyData Berlin" in page and "COBOL" in page


def test_logging_at_an_unknown_event_is_404(client, user):
    assert client.get("/events/999/people/new").status_code == 404
    assert client.post("/events/999/people/new", data={"name": "X"}).status_code == 404


def entry_of(page):
    import re

    return re.search(r'name="entry" type="hidden" value="([0-9a-f-]{36})"', page).group(1)


def test_sending_the_same_log_form_twice_stores_the_person_once(client, event_url):
    """A save whose answer was lost on a weak signal is sent again: the form's entry id keeps it single."""
    entry = entry_of(client.get(event_url + "/people/new").get_data(as_text=True))
    assert entry != entry_of(client.get(event_url + "/people/new").get_data(as_text=True))  # fresh per form
    first = log(client, event_url, name="Radia Perlman", notes="Spanning tree", entry=entry)
    again = log(client, event_url, name="Radia Perlman", notes="Spanning tree", entry=entry)
    assert first.status_code == again.status_code == 302
    assert "Radia Perlman is already saved." in client.get(event_url).get_data(as_text=True)
    with db.database().connection_context():
        assert Person.select().count() == 1
        assert str(Conversation.get().uuid) == entry


def test_an_entry_id_of_another_account_is_neither_confirmed_nor_reused(client, auth, event_url):
    entry = entry_of(client.get(event_url + "/people/new").get_data(as_text=True))
    log(client, event_url, name="Ada's contact", entry=entry)
    auth.logout()
    auth.signup(email="mallory@example.com")
    mallory_event = add_event(client, "Mallory's meetup")
    response = log(client, mallory_event, name="Probe", entry=entry)
    assert response.status_code == 302 and response.headers["Location"] == mallory_event
    assert "already saved" not in client.get(mallory_event).get_data(as_text=True)
    with db.database().connection_context():
        assert Person.select().count() == 2
        assert len({str(c.uuid) for c in Conversation.select()}) == 2


def saved_form_cookie(response):
    return [h for h in response.headers.getlist("Set-Cookie") if h.startswith("form_saved=")]


def test_a_saved_log_form_is_named_in_a_cookie_its_page_reads_to_end_its_draft(client, auth, event_url):
    """The phone ends a posted draft on the next page; the cookie lets the form's own page end it too."""
    saved = log(client, event_url, name="Grace Hopper")
    (cookie,) = saved_form_cookie(saved)
    assert cookie.startswith(f"form_saved={event_url}/people/new;") and "HttpOnly" not in cookie
    assert "SameSite=Lax" in cookie and "Max-Age=600" in cookie
    with db.database().connection_context():
        person_id = Person.get().id
    edited = client.post(f"{event_url}/people/{person_id}/edit", data={"name": "Grace M. Hopper"})
    assert saved_form_cookie(edited)[0].startswith(f"form_saved={event_url}/people/{person_id}/edit;")
    assert saved_form_cookie(client.post("/met", data={"name": "Alan Kay"}))[0].startswith("form_saved=/met;")
    # The event form keeps a draft too; forms the phone keeps no draft of need none (the profile here).
    renamed = client.post(event_url + "/edit", data={"name": "Renamed", "starts_on": today().isoformat(),
                                                     "kind": "meetup", "goal": "3"})
    assert renamed.status_code == 302 and saved_form_cookie(renamed)[0].startswith(f"form_saved={event_url}/edit;")
    profile = client.post("/profile", data={"display_name": "Ada", "timezone": "Europe/Berlin"})
    assert profile.status_code == 302 and saved_form_cookie(profile) == []
    # Not saved: the form comes back with its message, and no cookie says otherwise.
    assert saved_form_cookie(log(client, event_url, company="Acme")) == []
    assert saved_form_cookie(client.get(event_url + "/people/new")) == []
    # Sent by someone logged out, it goes to the login page unsaved.
    auth.logout()
    refused = log(client, event_url, name="Alan Turing")
    assert "/login" in refused.headers["Location"] and saved_form_cookie(refused) == []


def imported(email="", phone="", **fields):
    """Someone brought in by an import, with no meeting logged."""
    with db.database().connection_context():
        return Person.create(owner=User.get(), email=email, phone=phone, **fields).id


def test_someone_with_no_meeting_logged_shows_how_to_reach_them_and_why_no_meeting(client, user):
    kim = imported(email="kim@example.com", phone="+44 (0)20 7946 0958")
    page = client.get(f"/people/{kim}").get_data(as_text=True)
    assert "<h1>kim@example.com</h1>" in page and "<title>kim@example.com" in page
    assert '<a href="tel:+442079460958">+44 (0)20 7946 0958</a>' in page
    assert "No meeting logged: imported, or the event where you met was deleted." in page
    assert f'href="/people/{kim}/edit">Edit kim@example.com</a>' in page


def test_someone_with_no_meeting_logged_can_be_edited_from_their_page(client, user):
    kim = imported(email="kim@example.com", phone="+49 30 1234567")
    form = client.get(f"/people/{kim}/edit").get_data(as_text=True)
    for field in ("name", "description", "company", "role", "email", "phone", "linkedin_url", "tags", "hiring",
                  "follow_up", "follow_up_reason"):
        assert f'for="{field}"' in form, field
    assert 'for="notes"' not in form  # notes belong to a meeting, and there is none
    assert 'value="kim@example.com"' in form and 'value="+49 30 1234567"' in form
    response = client.post(f"/people/{kim}/edit", data={
        "name": "Kim Lee", "company": "Acme", "role": "CTO", "email": "kim@example.com", "phone": "+49 30 1234567",
        "linkedin_url": "linkedin.com/in/kimlee", "tags": "rust, founder", "hiring": "y", "follow_up": "y",
        "follow_up_reason": "ask about the CTO role"})
    assert response.status_code == 302 and response.headers["Location"] == f"/people/{kim}"
    with db.database().connection_context():
        person = Person.get_by_id(kim)
        assert (person.name, person.company, person.role, person.hiring) == ("Kim Lee", "Acme", "CTO", True)
        assert person.linkedin_url == "https://www.linkedin.com/in/kimlee"
        assert person.tag_names() == ["founder", "rust"]
        follow_up = person.open_follow_up()
        assert (follow_up.reason, follow_up.event_id) == ("ask about the CTO role", None)
        assert follow_up.due_on == today() + datetime.timedelta(days=2)
    assert "Kim Lee updated." in client.get(f"/people/{kim}").get_data(as_text=True)


def test_editing_someone_from_their_page_keeps_their_meetings_notes(client, event_url):
    log(client, event_url, name="Grace", notes="COBOL")
    with db.database().connection_context():
        grace = Person.get().id
    assert client.post(f"/people/{grace}/edit", data={"name": "Grace Hopper"}).status_code == 302
    with db.database().connection_context():
        assert (Person.get().name, Conversation.get().notes) == ("Grace Hopper", "COBOL")


def test_editing_someone_from_their_page_needs_its_csrf_token(csrf_app):
    client = signed_up_with_csrf(csrf_app)
    kim = imported(email="kim@example.com")
    assert client.post(f"/people/{kim}/edit", data={"name": "Kim Lee"}).status_code == 400
    token = csrf_token(client.get(f"/people/{kim}/edit").get_data(as_text=True))
    assert client.post(f"/people/{kim}/edit", data={"name": "Kim Lee", "csrf_token": token}).status_code == 302
    with db.database().connection_context():
        assert Person.get_by_id(kim).name == "Kim Lee"
