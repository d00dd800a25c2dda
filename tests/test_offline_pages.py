"""The pages' hooks for the offline and scanning scripts: present for the scripts, invisible without them."""

import datetime
import re
from http.cookies import SimpleCookie

from webapp import db, web
from webapp.models import Conversation


def add_event(client):
    response = client.post("/events/new", data={"name": "PyData", "starts_on": datetime.date.today().isoformat(),
                                                "kind": "meetup", "goal": "3"})
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def test_the_log_form_offers_scanning_only_where_javascript_can_run_it(client, user):
    event_id = add_event(client)
    page = client.get(f"/events/{event_id}/people/new").get_data(as_text=True)
    assert re.search(r'<div class="scan" data-scan hidden', page)
    # The buttons' module is on the page; the scanner itself is named there, to download at the first tap.
    assert re.search(r'src="/static/js/on-demand\.[0-9a-f]{12}\.js"', page)
    assert re.search(r'data-scan-script="/static/js/scan\.[0-9a-f]{12}\.js"', page)
    assert re.search(r'data-reader-wasm="/static/vendor/zxing-wasm/zxing_reader\.[0-9a-f]{12}\.wasm"', page)
    form_tag = re.search(r'<form method="post"[^>]*person-form[^>]*>', page).group(0)
    assert "data-draft" in form_tag and "data-offline-log" in form_tag
    assert f'data-event-url="/events/{event_id}"' in form_tag and f'data-event-id="{event_id}"' in form_tag
    # Without JavaScript the same form posts to the server as before.
    response = client.post(f"/events/{event_id}/people/new", data={"name": "Grace", "notes": "COBOL"})
    assert response.status_code == 302
    with db.database().connection_context():
        person_id = Conversation.get().person_id
    edit = client.get(f"/events/{event_id}/people/{person_id}/edit").get_data(as_text=True)
    edit_tag = re.search(r'<form method="post"[^>]*person-form[^>]*>', edit).group(0)
    assert "data-draft" in edit_tag and "data-offline-log" not in edit_tag


def test_the_event_home_and_header_carry_the_progress_the_phone_adds_to(client, user):
    event_id = add_event(client)
    client.post(f"/events/{event_id}/people/new", data={"name": "Grace"})
    hook = f'data-progress-for="{event_id}" data-met="1" data-goal="3"'
    event_page = client.get(f"/events/{event_id}").get_data(as_text=True)
    assert event_page.count(hook) == 2  # the header and the event's own progress
    assert f'data-waiting-list="{event_id}" hidden' in event_page
    assert hook in client.get("/").get_data(as_text=True)
    assert '<span class="offline-badge" data-sync-status role="status" hidden></span>' in event_page


def test_the_card_offers_share_link_only_where_javascript_can_run_it(client, user):
    client.post("/profile", data={"display_name": "Ada", "linkedin_url": "linkedin.com/in/ada", "timezone": "UTC"})
    page = client.get("/card").get_data(as_text=True)
    assert re.search(r'<button type="button"[^>]*data-share hidden', page)
    assert 'data-share-url="https://www.linkedin.com/in/ada"' in page
    assert re.search(r'src="/static/js/card\.[0-9a-f]{12}\.js"', page) and "data-card" in page


def test_the_page_scripts_know_the_account_but_a_logged_out_page_names_none(client, user):
    page = client.get("/").get_data(as_text=True)
    assert re.search(r'data-account="\d+\.\d+"', page)  # its key: its id alone is given again (SQLite)
    client.post("/logout")
    assert 'data-account=""' in client.get("/login").get_data(as_text=True)


def test_a_page_the_phone_keeps_in_the_background_leaves_the_message_just_flashed_for_the_page_the_user_sees(
        client, user):
    """The service worker keeps home, the card and "Met someone" fresh behind the pages the user opens: had one of
    its fetches come between a save and the page after it, it took "Profile saved." and the user saw nothing."""
    assert web.KEPT_COPY_HEADER in client.get("/sw.js").get_data(as_text=True)
    saved = client.post("/profile", data={"display_name": "Ada", "timezone": "Europe/Berlin"})
    assert saved.status_code == 302
    for kept in ("/", "/card", "/met"):
        copy = client.get(kept, headers={web.KEPT_COPY_HEADER: "1"}).get_data(as_text=True)
        assert "Profile saved." not in copy
    assert "Profile saved." in client.get(saved.headers["Location"]).get_data(as_text=True)


def test_a_page_kept_in_the_background_never_sets_the_session_so_a_message_seen_never_shows_again(app, client, user):
    """The service worker's fetch of the card goes out with the cookie of before "Event saved." was seen, beside
    the page that showed it, and may answer last: the message must not come back on the next page."""
    name = app.config["SESSION_COOKIE_NAME"]
    saved = client.post("/events/new", data={"name": "PyData", "starts_on": datetime.date.today().isoformat(),
                                             "kind": "meetup", "goal": "3"})
    before = client.get_cookie(name).value
    assert "Event saved" in client.get(saved.headers["Location"]).get_data(as_text=True)
    seen = client.get_cookie(name).value
    client.set_cookie(name, before)
    card = client.get("/card", headers={web.KEPT_COPY_HEADER: "1"})
    assert card.status_code == 200 and "Event saved" not in card.get_data(as_text=True)
    client.set_cookie(name, seen)
    for header in card.headers.getlist("Set-Cookie"):  # the slower answer's cookie, applied last
        if name in (later := SimpleCookie(header)):
            client.set_cookie(name, later[name].value)
    assert "Event saved" not in client.get("/").get_data(as_text=True)
    assert "Cookie" in card.headers.get("Vary", "")  # the copy is still this session's page
