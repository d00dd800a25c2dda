"""At the venue with no signal, in Debian's Chromium at iPhone 13 size: the card and the event open, people
logged offline wait on the phone and reach the server exactly once, drafts survive a reload, and logging out
leaves nothing of one account for the next."""

import re
import sqlite3
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect
from steps import (
    CACHE_VERSION,
    LOW_CONTRAST_TEXT,
    PAGES_CACHE,
    add_event_today,
    back_online,
    hex_uuid,
    kept_pages,
    log_in,
    log_person,
    no_horizontal_scroll,
    open_page,
    plan_event,
    sign_up,
    stored_meetings,
    visit_home_until_kept,
    wait_for_promise,
    waiting_entries,
    watch_errors,
)

from webapp import create_app

pytestmark = pytest.mark.browser

PHOTO = Path(__file__).parent / "data" / "media" / "pillow-flower2.jpg"


@pytest.fixture
def awake_page(full_page):
    """A page in the full Chromium (the headless shell has no screen wake lock); JavaScript errors fail the test."""
    seen = watch_errors(full_page)
    yield full_page
    assert not seen, seen


def event_day_pages(event_id):
    return {"/", "/card", f"/events/{event_id}", f"/events/{event_id}/people/new"}


def log_offline(page, name, notes):
    page.click("a.tab-primary")  # "Met someone" in the tab bar
    page.wait_for_selector("form.person-form")
    page.fill("#name", name)
    page.fill("#notes", notes)
    page.click("form.person-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/events/\d+$"))
    page.wait_for_selector(f"[data-waiting-list] .person-name:text-is('{name}')")


def card_qr(page, shots, name):
    return [r.text for r in zxingcpp.read_barcodes(Image.open(shots(page, name)))]


def test_after_a_first_visit_the_card_and_todays_event_open_with_no_signal_and_follow_a_change_made_elsewhere(
        live_server, page, context, browser, browser_context_args, shots, errors):
    ada = sign_up(page, live_server.url, "Ada Lovelace", linkedin="linkedin.com/in/Ada-Lovelace/")
    event_id = add_event_today(page, live_server.url, "Basement meetup")
    visit_home_until_kept(page, live_server.url, event_day_pages(event_id) | {"/met"})
    page.goto(live_server.url + "/people")  # opened with signal: still a page that needs it
    cdp = context.new_cdp_session(page)
    # It installs to the home screen: Chromium's only objection is the test's private (incognito) profile.
    installability = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert [e["errorId"] for e in installability if e["errorId"] != "in-incognito"] == []
    assert cdp.send("Page.getAppManifest")["errors"] == []

    context.set_offline(True)
    page.goto(live_server.url + "/card")
    assert page.locator("#card-name").inner_text() == "Ada Lovelace"
    image = Image.open(shots(page, "1-card-offline"))
    decoded = zxingcpp.read_barcodes(image)
    assert [r.text for r in decoded] == ["https://www.linkedin.com/in/ada-lovelace"]

    page.goto(live_server.url + f"/events/{event_id}")
    assert page.locator("h1").inner_text() == "Basement meetup"
    expect(page.locator("[data-sync-status]")).to_have_text("Offline")
    assert page.locator(".progress-count").inner_text() == "0 of 3"
    shots(page, "2-event-offline")

    page.goto(live_server.url + "/")
    assert page.locator(".tonight h1").inner_text() == "Basement meetup"

    page.goto(live_server.url + "/people")  # the People tab: the offline page says which pages open instead
    assert page.locator("h1").inner_text() == "No signal"
    expect(page.locator("main")).to_contain_text("This page needs the signal")
    expect(page.locator("main")).not_to_contain_text("yet")
    shots(page, "3-not-kept-offline")
    page.click("main a:text-is('Met someone')")
    expect(page.locator("form.person-form")).to_have_attribute("data-event-id", str(event_id))
    context.set_offline(False)

    # A new LinkedIn saved on the laptop: the next page the phone opens says the account changed, and the card
    # kept from before is not shown at once.
    laptop = browser.new_context(**browser_context_args)
    other = laptop.new_page()
    log_in(other, live_server.url, ada)

    def saved_on_the_laptop(linkedin):
        other.goto(live_server.url + "/profile")
        other.fill("#linkedin_url", linkedin)
        with other.expect_navigation():
            other.click("form.stack button[type=submit]")

    saved_on_the_laptop("linkedin.com/in/ada-third-handle")
    page.goto(live_server.url + "/")
    page.goto(live_server.url + "/card")
    expect(page.locator(".card-url")).to_contain_text("ada-third-handle")
    assert card_qr(page, shots, "4-card-after-a-change-elsewhere") == ["https://www.linkedin.com/in/ada-third-handle"]
    # Opened straight from the tab bar, before any page said so: the copy shown at once gives way to the new card.
    saved_on_the_laptop("")
    page.goto(live_server.url + "/card")
    expect(page.locator("h1")).to_have_text("Your card needs your LinkedIn")
    assert card_qr(page, shots, "5-card-after-its-linkedin-went") == []
    laptop.close()


def test_three_people_logged_offline_are_stored_exactly_once(live_server, page, context, shots, errors):
    sign_up(page, live_server.url, "Grace Hopper")
    event_id = add_event_today(page, live_server.url, "Conference hall")
    visit_home_until_kept(page, live_server.url, event_day_pages(event_id))
    page.goto(live_server.url + f"/events/{event_id}")

    context.set_offline(True)
    people = [("Linus", "Kernel talk, wants feedback"), ("Margaret", "Apollo stories"), ("Barbara", "CLU")]
    for count, (name, notes) in enumerate(people, start=1):
        log_offline(page, name, notes)
        assert page.locator(".progress-count").inner_text() == f"{count} of 3"
        assert page.locator("[data-waiting-note]").inner_text() == (
            f"{count} {'person' if count == 1 else 'people'} waiting to sync")
        assert page.locator("[data-sync-status]").inner_text() == f"Offline · {count} waiting to sync"
        assert page.locator(".topbar-count").inner_text() == f"{count}/3"
    shots(page, "1-three-waiting")
    # The strip under the header makes it taller: what the keyboard reaches going up is not hidden under it.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.locator("h1").evaluate("h => h.closest('.event-head, main').querySelector('a, button').focus()")
    header = page.locator(".topbar").bounding_box()
    assert page.evaluate("document.activeElement.getBoundingClientRect().top") >= header["y"] + header["height"]
    for scheme in ("light", "dark"):  # and the people waiting are readable in both
        page.emulate_media(color_scheme=scheme)
        assert page.evaluate(LOW_CONTRAST_TEXT) == [], scheme
    waiting = waiting_entries(page)
    assert sorted(e["fields"]["name"] for e in waiting) == ["Barbara", "Linus", "Margaret"]
    assert stored_meetings(live_server.database, event_id) == []

    # Back online: the first request reaches the server but its answer is cut off; the next one is sent twice.
    # The context's route also sees what the service worker sends by Background Sync.
    seen = {"requests": 0, "cut off": 0, "sent twice": 0, "stored when cut off": None}

    def flaky_network(route):
        seen["requests"] += 1
        turn = seen["requests"]  # decided before any wait: the page and the worker may both be sending
        if turn == 1:
            route.fetch()
            seen["stored when cut off"] = len(stored_meetings(live_server.database, event_id))
            seen["cut off"] += 1
            route.abort("connectionreset")
        elif turn == 2:
            route.fetch()
            seen["sent twice"] += 1
            route.fulfill(response=route.fetch())
        else:
            route.continue_()

    context.route("**/sync/meetings", flaky_network)
    # The online event and Background Sync send at once; what they could not send goes on the next page load.
    with context.expect_event("requestfailed", lambda r: r.url.endswith("/sync/meetings")):
        context.set_offline(False)
    open_page(page, live_server.url + f"/events/{event_id}")
    wait_for_promise(page, "HallwayQueue.entries(null).then(e => e.length === 0)")
    assert seen["cut off"] == 1 and seen["stored when cut off"] >= 1
    assert seen["sent twice"] == 1
    stored = stored_meetings(live_server.database, event_id)
    assert sorted((s[1], s[2]) for s in stored) == sorted(people)
    assert sorted(s[0].replace("-", "") for s in stored) == sorted(hex_uuid(e["uuid"]) for e in waiting)
    # The page reloads itself once what waited is sent; that reload may cut into this visit.
    open_page(page, live_server.url + f"/events/{event_id}")
    assert page.locator(".progress-count").inner_text() == "3 of 3"
    assert page.locator(".person-row:not(.person-waiting)").count() == 3
    assert page.locator("[data-sync-status]").is_hidden()
    shots(page, "3-synced")


def test_a_note_being_typed_comes_back_after_a_reload_or_a_killed_tab(live_server, page, context, shots, errors):
    sign_up(page, live_server.url, "Katherine Johnson")
    event_id = add_event_today(page, live_server.url, "Orbit meetup")
    form_url = live_server.url + f"/events/{event_id}/people/new"
    page.goto(form_url)
    page.fill("#name", "Dorothy")
    page.locator("#notes").press_sequentially("Runs the FORTRAN study group", delay=5)
    page.reload()
    assert page.input_value("#name") == "Dorothy"
    assert page.input_value("#notes") == "Runs the FORTRAN study group"
    expect(page.locator(".draft-note")).to_be_visible()
    shots(page, "1-draft-back", full_page=True)

    page.close()  # the tab is killed; a new one opens the form again
    again = context.new_page()
    again.goto(form_url)
    assert again.input_value("#notes") == "Runs the FORTRAN study group"
    again.click(".draft-note button")
    expect(again.locator("#notes")).to_have_value("")
    again.reload()
    assert again.input_value("#notes") == "" and again.locator(".draft-note").count() == 0

    # A draft ends when it is saved.
    again.fill("#name", "Mary")
    again.fill("#notes", "Wind tunnels")
    again.click("form.person-form button[type=submit]")
    again.wait_for_url(live_server.url + f"/events/{event_id}")
    again.goto(form_url)
    assert again.input_value("#notes") == "" and again.locator(".draft-note").count() == 0
    assert [m[1] for m in stored_meetings(live_server.database, event_id)] == ["Mary"]


def test_logging_out_forgets_the_pages_and_keeps_waiting_people_for_their_own_account(live_server, page,
                                                                                      context, shots, errors):
    ada = sign_up(page, live_server.url, "Ada Lovelace", linkedin="linkedin.com/in/ada-lovelace")
    event_id = add_event_today(page, live_server.url, "Analytical engines")
    visit_home_until_kept(page, live_server.url, event_day_pages(event_id))
    page.goto(live_server.url + f"/events/{event_id}")
    context.set_offline(True)
    log_offline(page, "Charles", "Difference engine")
    context.route("**/sync/meetings", lambda route: route.abort())  # the signal is too weak to send it
    context.set_offline(False)

    page.goto(live_server.url + "/profile")
    page.click("form[action='/logout'] button")
    warning = page.locator("[data-logout-warning]")
    assert "1 person is still waiting to sync" in warning.inner_text()
    shots(page, "1-logout-warning")
    assert page.url.endswith("/profile")
    page.click("form[action='/logout'] button:text('Log out anyway')")
    page.wait_for_url(re.compile(r".*/login\?logged_out=1$"))
    wait_for_promise(page, f"caches.open('{PAGES_CACHE}').then(c => c.keys()).then(k => k.length === 0)")
    context.unroute("**/sync/meetings")

    # Someone else logs in on the same phone: Ada's pages never open from the cache, her entry is not sent.
    sign_up(page, live_server.url, "Mallory")
    their_event = add_event_today(page, live_server.url, "Mallory's meetup")
    visit_home_until_kept(page, live_server.url, event_day_pages(their_event))
    assert f"/events/{event_id}" not in kept_pages(page)
    context.set_offline(True)
    for path in ("/card", f"/events/{event_id}", "/"):
        page.goto(live_server.url + path)
        assert "Ada" not in page.content() and "Analytical engines" not in page.content()
    shots(page, "2-next-user-offline")
    context.set_offline(False)
    sent = []
    context.on("request", lambda r: sent.append(r.url) if r.url.endswith("/sync/meetings") else None)
    # A sync asks the server who is logged in, then sends nothing: nothing waiting is Mallory's. (Asked here
    # rather than waited for: the page, the "online" event and Background Sync may each have asked already.)
    page.goto(live_server.url + f"/events/{their_event}")
    result = page.evaluate("HallwayQueue.syncAll({session: '/sync/session', sync: '/sync/meetings', "
                           "attachments: '/sync/attachments'})")
    assert (result["sent"], result["waiting"], result["retry"]) == (0, 1, False), result
    page.wait_for_load_state("networkidle")
    assert sent == []
    assert stored_meetings(live_server.database, their_event) == []
    assert stored_meetings(live_server.database, event_id) == []
    assert [e["fields"]["name"] for e in waiting_entries(page)] == ["Charles"]

    # Ada comes back: her entry goes to her event.
    page.goto(live_server.url + "/profile")
    page.click("form[action='/logout'] button")
    page.wait_for_url(re.compile(r".*/login\?logged_out=1$"))
    log_in(page, live_server.url, ada)
    wait_for_promise(page, "HallwayQueue.entries(null).then(e => e.length === 0)")
    assert [m[1] for m in stored_meetings(live_server.database, event_id)] == ["Charles"]


def test_a_reset_link_that_logs_another_account_in_forgets_the_pages_kept_for_the_first(
        live_server, page, browser, browser_context_args, errors):
    """A shared phone: Ada is logged in when Grace opens her own reset link on it. Setting the new password logs
    Grace in, which is a login: Ada's card and "Met someone" never open for her from the phone's copies."""
    sign_up(page, live_server.url, "Ada Lovelace", linkedin="linkedin.com/in/ada-lovelace")
    event_id = add_event_today(page, live_server.url, "Analytical engines")
    visit_home_until_kept(page, live_server.url, event_day_pages(event_id))
    assert "/card" in kept_pages(page)
    other = browser.new_context(**browser_context_args)
    grace = sign_up(other.new_page(), live_server.url, "Grace Hopper")
    other.close()
    app = create_app({"DATABASE_URL": "sqlite:///" + live_server.database, "SECRET_KEY": "live-test-key"})
    link = app.test_cli_runner().invoke(args=["reset-link", grace]).output.strip()
    page.goto(live_server.url + link[link.index("/account/reset/"):])
    page.fill("#new_password", "a brand new password")
    page.click("form button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    for path in ("/card", "/met"):
        page.goto(live_server.url + path)
        assert "Ada" not in page.content() and "Analytical engines" not in page.content(), path


def test_logged_out_from_another_device_while_people_wait_the_phone_says_to_log_in_once_the_signal_is_back(
        live_server, page, context, browser, browser_context_args, errors):
    ada = sign_up(page, live_server.url, "Ada Everywhere")
    event_id = add_event_today(page, live_server.url, "Basement meetup")
    visit_home_until_kept(page, live_server.url, event_day_pages(event_id))
    page.goto(live_server.url + f"/events/{event_id}")
    context.set_offline(True)
    log_offline(page, "Charles", "Difference engine")  # the event's page now comes from the phone's copy
    laptop = browser.new_context(**browser_context_args)
    other = laptop.new_page()
    log_in(other, live_server.url, ada)
    other.goto(live_server.url + "/profile")
    # The phone, alone, from the laptop's list of devices: the laptop stays logged in.
    other.locator(".device-row").get_by_role("button", name="Log out").click()
    expect(other.locator(".flash-info")).to_contain_text("is logged out.")
    expect(other.locator(".device-row")).to_have_count(1)
    laptop.close()

    back_online(page)
    # The server answered that nobody is logged in: not "Offline", and not "sent when the signal is back".
    expect(page.locator(".flash-info")).to_have_text("Log in to send what was saved on this phone.")
    expect(page.locator("[data-sync-status]")).to_have_text("1 waiting to sync")
    log_in(page, live_server.url, ada)
    wait_for_promise(page, "HallwayQueue.entries(null).then(e => e.length === 0)")
    assert [m[1] for m in stored_meetings(live_server.database, event_id)] == ["Charles"]


def test_the_card_keeps_the_screen_awake_and_copies_its_link(live_server, awake_page, shots):
    page = awake_page
    sign_up(page, live_server.url, "Ada Card", linkedin="https://www.linkedin.com/in/ada-card")
    page.goto(live_server.url + "/card")
    page.locator("[data-card][data-awake]").wait_for()  # Screen Wake Lock held while the card is shown
    # Granting these denies every other permission, wake lock included: so only after it is held.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    share = page.locator("button[data-share]")
    expect(share).to_be_visible()
    box = share.bounding_box()
    assert box["height"] >= 44
    if page.evaluate("'share' in navigator"):
        pytest.skip("this Chromium has the Web Share API; the copy fallback is what runs on Linux")
    share.click()
    expect(page.locator("[data-share-status]")).to_have_text("Link copied. Paste it in a message.")
    assert page.evaluate("navigator.clipboard.readText()") == "https://www.linkedin.com/in/ada-card"
    shots(page, "1-card-link-copied")


def test_a_screen_wake_lock_refused_at_first_is_asked_again(live_server, awake_page):
    page = awake_page
    # The browser's own wake lock, but its first three answers refusals, as when the page is not quite shown yet
    # on a busy phone.
    page.add_init_script("""(() => {
      if (!navigator.wakeLock) return;
      const real = navigator.wakeLock.request.bind(navigator.wakeLock);
      let asked = 0;
      navigator.wakeLock.request = (type) => (++asked <= 3
        ? Promise.reject(new DOMException("The page is not visible.", "NotAllowedError")) : real(type));
    })()""")
    sign_up(page, live_server.url, "Ada Awake", linkedin="https://www.linkedin.com/in/ada-awake")
    page.goto(live_server.url + "/card")
    page.locator("[data-card][data-awake]").wait_for(timeout=10_000)


@pytest.mark.parametrize("limits", [{"java_script_enabled": False}, {"service_workers": "block"}],
                         ids=["no-javascript", "no-service-worker"])
def test_without_javascript_or_a_service_worker_the_forms_still_work_online(live_server, browser,
                                                                          browser_context_args, limits, shots):
    context = browser.new_context(**browser_context_args, **limits)
    page = context.new_page()
    sign_up(page, live_server.url, "Plain Forms", through_the_form=True)
    event_id = add_event_today(page, live_server.url, "Old phone meetup")
    page.goto(live_server.url + f"/events/{event_id}/people/new")
    # Without JavaScript there is no scanner button that could not work; without a worker it still scans.
    assert page.locator("[data-scan]").is_visible() == limits.get("java_script_enabled", True)
    page.fill("#name", "Dennis")
    page.fill("#notes", "Wrote the C book")
    page.click("form.person-form button[type=submit]")
    page.wait_for_url(live_server.url + f"/events/{event_id}")
    assert page.locator(".person-row .person-name").all_inner_texts() == ["Dennis"]
    assert page.locator(".progress-count").inner_text() == "1 of 3"
    shots(page, "1-saved")
    assert [m[1:3] for m in stored_meetings(live_server.database, event_id)] == [("Dennis", "Wrote the C book")]
    context.close()


def test_an_entry_the_server_refuses_stays_on_the_phone_with_the_reason_and_its_whole_notes_until_discarded(
        live_server, page, shots, errors):
    """Someone met at an event deleted since is saved, as if no event was named; what a deleted account with the
    same id left on the phone (queued under the id alone, before accounts had keys) is neither sent nor shown."""
    sign_up(page, live_server.url, "Ada Refused")
    event_id = add_event_today(page, live_server.url, "Refusals")
    page.goto(live_server.url + "/")
    account = page.locator("body").get_attribute("data-account")
    account_id, made = account.split(".")
    long_notes = "Runs the platform team at Acme; wants the talk's slides and an intro to our SRE lead. " * 2
    now = "new Date().toISOString()"
    before_the_account = f"new Date({int(made) - 3_600_000}).toISOString()"
    for owner, event, name, linkedin, notes, created in (
            (account, 999_999, "Gone Event", "", "keep this note", now),
            (account, event_id, "Bad Link", "linkedin.com/company/acme", long_notes, now),
            (account_id, event_id, "Early Eve", "", "queued before account keys", now),
            (account_id, event_id, "Secret Contact of X", "", "X's private note", before_the_account)):
        page.evaluate(f"""([owner, event, name, linkedin, notes]) => HallwayQueue.add({{
            uuid: HallwayQueue.uuid4(), account: owner, event_id: event, state: "waiting", created_at: {created},
            fields: {{name: name, description: "", notes: notes, linkedin_url: linkedin}}}})""",
                      [owner, event, name, linkedin, notes])
    page.reload()  # the page load sends them; the server says no to one
    wait_for_promise(page, "HallwayQueue.entries(null).then(e => e.length === 2 && e.some(x => x.state === 'refused'))")
    page.reload()
    rows = page.locator("[data-refused-list] .person-waiting")
    expect(rows).to_have_count(1)  # filled from IndexedDB once the page has loaded
    assert "not a person's profile" in rows.inner_text()
    assert rows.locator(".person-notes").inner_text() == long_notes.strip()  # to read before discarding
    expect(page.locator("[data-sync-status]")).to_have_text("1 not saved")
    shots(page, "1-refused-on-home")
    # Gone Event's event is no more: they were met while Refusals ran, so they are filed there, as with no event named.
    assert sorted(m[1:3] for m in stored_meetings(live_server.database, event_id)) == [
        ("Early Eve", "queued before account keys"), ("Gone Event", "keep this note")]
    assert "Secret Contact" not in page.content()
    page.click("button:text('Discard Bad Link')")
    expect(page.locator("[data-refused-list] .person-waiting")).to_have_count(0)
    expect(page.locator("[data-sync-status]")).to_be_hidden()
    assert [(e["fields"]["name"], e["state"]) for e in waiting_entries(page)] == [("Secret Contact of X", "waiting")]


def test_a_new_service_worker_deletes_the_caches_of_older_versions(live_server, page, errors):
    page.goto(live_server.url + "/login")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.evaluate("""caches.open('hallway-v0-pages').then(c => c.put('/card', new Response('an old card')))
                     .then(() => navigator.serviceWorker.getRegistration()).then(r => r.unregister())""")
    page.reload()  # a worker of another version installs and activates
    wait_for_promise(page, "navigator.serviceWorker.ready.then(() => caches.keys())"
                     ".then(k => !k.includes('hallway-v0-pages'))")
    assert f"{CACHE_VERSION}-shell" in page.evaluate("caches.keys()")


def test_a_save_that_gets_no_answer_comes_back_to_the_form_and_waits_on_the_phone(live_server, page, context,
                                                                                 shots, errors):
    sign_up(page, live_server.url, "Ada Weak Signal")
    event_id = add_event_today(page, live_server.url, "Weak signal meetup")
    form_url = live_server.url + f"/events/{event_id}/people/new"
    visit_home_until_kept(page, live_server.url, event_day_pages(event_id) | {"/met"})
    # The phone thinks it is online, but the venue's network drops the POST.
    def weak_signal(route):
        if route.request.method == "POST":
            route.abort("internetdisconnected")
        else:
            route.continue_()

    context.route(form_url, weak_signal)
    context.route("**/sync/*", weak_signal)
    # "Met someone" in the tab bar: /met, whose form posts to today's event's form.
    page.goto(live_server.url + "/met")
    assert page.get_attribute("form.person-form", "action").endswith(f"/events/{event_id}/people/new")
    page.fill("#name", "Radia")
    page.fill("#notes", "Spanning tree protocol")
    page.set_input_files("[data-photo-input]", str(PHOTO))
    page.wait_for_selector("[data-capture-kind=photo] img")
    page.click("form.person-form button[type=submit]")
    page.wait_for_url(live_server.url + "/met")  # back on the form it was typed on, not on the browser's error page
    expect(page.locator("#name")).to_have_value("Radia")
    expect(page.locator("#notes")).to_have_value("Spanning tree protocol")
    expect(page.locator("[data-capture-kind=photo] img")).to_have_count(1)
    expect(page.locator(".flash")).to_contain_text("did not answer")
    shots(page, "1-back-on-the-form")
    page.click("form.person-form button[type=submit]")
    page.wait_for_url(live_server.url + f"/events/{event_id}")
    page.wait_for_selector("[data-waiting-list] .person-name:text-is('Radia')")
    context.unroute(form_url)
    context.unroute("**/sync/*")
    open_page(page, page.url)  # the signal is back: the next page load sends it
    wait_for_promise(page, "HallwayQueue.entries(null).then(e => e.length === 0)")
    assert [m[1:3] for m in stored_meetings(live_server.database, event_id)] == [("Radia", "Spanning tree protocol")]
    with sqlite3.connect(live_server.database) as conn:
        assert conn.execute("SELECT p.name, a.kind FROM attachment a JOIN person p ON p.id = a.person_id").fetchall() \
            == [("Radia", "photo")]
    conn.close()


def reached_the_server_only(route, context):
    """The request is stored by the server, and nothing of its answer reaches the phone: route.fetch() keeps the
    answer's cookies in the browser's jar, so the cookie naming a saved form (web.py) goes again."""
    route.fetch()
    context.clear_cookies(name="form_saved")


def answers_lost(context, first=None):
    """A route handler: each POST (or the first `first` of them) is stored by the server, and its answer never
    makes it back to the phone; everything else goes through."""
    lost = []

    def handle(route):
        if route.request.method != "POST" or (first is not None and len(lost) >= first):
            route.continue_()
            return
        lost.append(route.request.url)
        reached_the_server_only(route, context)
        try:
            route.abort("internetdisconnected")
        except PlaywrightError as e:  # the phone gave up waiting first: the answer is lost all the same
            if "already handled" not in str(e):
                raise

    return handle


def saved_with_its_answer_lost(page, database, form_url, event_id, name, notes):
    """Save someone while the route loses the answer: the server has them, and the phone is back on the form
    with what was typed."""
    page.goto(form_url)
    page.fill("#name", name)
    page.fill("#notes", notes)
    page.click("form.person-form button[type=submit]")
    page.wait_for_url(form_url)
    expect(page.locator("#name")).to_have_value(name)
    expect(page.locator("#notes")).to_have_value(notes)
    assert len(stored_meetings(database, event_id)) == 1  # it did arrive


def test_a_save_that_reached_the_server_but_lost_its_answer_is_stored_once(live_server, page, context, errors):
    sign_up(page, live_server.url, "Ada Lost Answer")
    event_id = add_event_today(page, live_server.url, "Lost answer meetup")
    form_url = live_server.url + f"/events/{event_id}/people/new"
    visit_home_until_kept(page, live_server.url, event_day_pages(event_id))

    # The server gets the POST and stores the person; the answer never makes it back to the phone.
    answer_lost = answers_lost(context)
    context.route(form_url, answer_lost)
    context.route("**/sync/meetings", answer_lost)
    saved_with_its_answer_lost(page, live_server.database, form_url, event_id, "Barbara",
                               "Abstraction and substitution")
    # Saving again keeps it on the phone; once the signal is back it is sent with the same entry id.
    page.click("form.person-form button[type=submit]")
    page.wait_for_url(live_server.url + f"/events/{event_id}")
    context.unroute(form_url)
    context.unroute("**/sync/meetings")
    open_page(page, page.url)  # the phone's Background Sync may be reloading it already
    wait_for_promise(page, "HallwayQueue.entries(null).then(e => e.length === 0)")
    assert [m[1:3] for m in stored_meetings(live_server.database, event_id)] == [
        ("Barbara", "Abstraction and substitution")]


def test_a_line_added_after_a_lost_answer_is_saved_with_the_person(live_server, page, context, errors):
    """The answer lost, the form back with Barbara: a line added before saving again is kept, and nobody is
    said to be "not saved" (the server took the changed copy for a conflict and the phone showed it refused)."""
    sign_up(page, live_server.url, "Ada Added Line")
    event_id = add_event_today(page, live_server.url, "Added line meetup")
    form_url = live_server.url + f"/events/{event_id}/people/new"
    visit_home_until_kept(page, live_server.url, event_day_pages(event_id))

    context.route(form_url, answers_lost(context, first=1))
    saved_with_its_answer_lost(page, live_server.database, form_url, event_id, "Barbara", "Abstraction")
    page.fill("#notes", "Abstraction, and the substitution principle")
    page.click("form.person-form button[type=submit]")
    page.wait_for_url(live_server.url + f"/events/{event_id}")
    context.unroute(form_url)
    open_page(page, page.url)  # the phone's Background Sync may be reloading it already
    wait_for_promise(page, "HallwayQueue.entries(null).then(e => e.length === 0)")
    assert [m[1:3] for m in stored_meetings(live_server.database, event_id)] == [
        ("Barbara", "Abstraction, and the substitution principle")]
    expect(page.locator("body")).not_to_contain_text("not saved")


def test_with_no_event_today_met_someone_saves_on_the_phone_into_the_days_quick_event(live_server, page, context,
                                                                                      shots, errors):
    """Counted at once, towards the quick event the first one sent will make, in the header and on home. And once
    the quick event is made, someone logged on the form the phone kept from before is counted and listed as waiting
    on the quick event's page and in the header at once."""
    sign_up(page, live_server.url, "Ada Lovelace")
    visit_home_until_kept(page, live_server.url, {"/", "/card", "/met"})
    context.set_offline(True)
    page.goto(live_server.url + "/")
    page.click("a.tab-primary")  # "Met someone": no event today
    page.wait_for_selector("form.person-form")
    assert "No event today" in page.inner_text(".log-event")
    page.fill("#name", "Grace Hopper")
    page.click("form.person-form button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    [entry] = waiting_entries(page)
    assert entry["event_id"] is None and entry["quick_day"] == page.evaluate("new Date().toLocaleDateString('sv')")
    expect(page.locator(".topbar-count")).to_have_text("1/3")
    expect(page.locator(".topbar-event")).to_have_text(re.compile(r"^at Met on "))
    expect(page.locator(".progress-count")).to_have_text("1 of 3")
    expect(page.locator("[data-waiting-note]")).to_have_text("1 person waiting to sync")
    shots(page, "1-waiting-on-the-phone")
    back_online(page)
    wait_for_promise(page, "HallwayQueue.entries(null).then(list => list.length === 0)", timeout=30_000)
    with sqlite3.connect(live_server.database) as conn:
        rows = conn.execute("SELECT p.name, e.name, e.quick, e.id FROM conversation c "
                            "JOIN person p ON p.id = c.person_id JOIN event e ON e.id = c.event_id WHERE c.uuid = ?",
                            (hex_uuid(entry["uuid"]),)).fetchall()
    conn.close()
    assert len(rows) == 1 and rows[0][0] == "Grace Hopper" and rows[0][1].startswith("Met on ") and rows[0][2]
    quick_url = f"/events/{rows[0][3]}"
    open_page(page, live_server.url + "/")  # the header counts the quick event; its page is kept on the phone
    expect(page.locator(".topbar-count")).to_have_text("1/3")
    wait_for_promise(page, f"caches.open({PAGES_CACHE!r}).then(c => c.match({quick_url!r})).then(Boolean)")
    context.set_offline(True)
    page.goto(live_server.url + "/met")  # the copy kept before the quick event was made: it names no event
    expect(page.locator("form.person-form")).not_to_have_attribute("data-event-id", re.compile(".*"))
    page.fill("#name", "Offline Olga")
    page.click("form.person-form button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    expect(page.locator(".topbar-count")).to_have_text("2/3")
    page.goto(live_server.url + quick_url)
    expect(page.locator(".progress-count")).to_have_text("2 of 3")
    expect(page.locator("[data-waiting-note]")).to_have_text("1 person waiting to sync")
    expect(page.locator("[data-waiting-list] .person-name")).to_have_text(["Offline Olga"])
    shots(page, "2-waiting-on-the-quick-events-page")


def test_a_draft_discarded_in_a_second_tab_leaves_the_next_person_an_entry_of_their_own(live_server, page, context,
                                                                                         errors):
    """Ada typed in one tab shows up as a draft in another; saved in the first, discarded in the second, whose
    next person went out under Ada's entry id: the server took Bob for a repeat of Ada and kept only her."""
    sign_up(page, live_server.url, "Ada Tabs")
    event_id = add_event_today(page, live_server.url, "Two tabs meetup")
    form_url = live_server.url + f"/events/{event_id}/people/new"
    page.goto(form_url)
    page.fill("#name", "Ada")
    second = context.new_page()
    second.goto(form_url)
    expect(second.locator(".draft-note")).to_be_visible()
    assert second.input_value("#name") == "Ada"
    page.click("form.person-form button[type=submit]")
    page.wait_for_url(live_server.url + f"/events/{event_id}")
    second.click("[data-discard-draft]")
    expect(second.locator("#name")).to_have_value("")
    second.fill("#name", "Bob")
    second.click("form.person-form button[type=submit]")
    second.wait_for_url(live_server.url + f"/events/{event_id}")
    assert sorted(m[1] for m in stored_meetings(live_server.database, event_id)) == ["Ada", "Bob"]
    expect(second.locator(".topbar-count")).to_have_text("2/3")


def test_an_edit_whose_post_failed_comes_back_on_its_form(live_server, page, context, errors):
    """Edited with no signal, Save led to the browser's own error page; back on the person's page with signal
    again, the edit was gone. Now the app says it was not sent, and a posted draft ends only once the server says
    it saved it."""
    sign_up(page, live_server.url, "Ada Edits")
    event_id = add_event_today(page, live_server.url, "Edit meetup")
    visit_home_until_kept(page, live_server.url, event_day_pages(event_id))  # the service worker at work
    page.goto(live_server.url + f"/events/{event_id}/people/new")
    page.fill("#name", "Grace")
    page.click("form.person-form button[type=submit]")
    page.wait_for_url(live_server.url + f"/events/{event_id}")
    page.click(".person-row a >> nth=0")
    person_url = page.url
    page.click("a[href$='/edit']")
    edit_url = page.url
    page.fill("#notes", "Send her the COBOL paper")
    context.set_offline(True)
    page.click("form.person-form button[type=submit]")
    # The app's own answer, not the browser's error page.
    expect(page.locator("h1")).to_have_text("No signal")
    expect(page.locator("main")).to_contain_text("If you had just tapped Save or Delete, it did not go through")
    context.set_offline(False)
    # Meanwhile her company is saved on another device: the draft, saved later, keeps it, as it began before it.
    other_device = context.new_page()
    other_device.goto(person_url + "/edit")
    other_device.get_by_text("Company, role and more").click()
    other_device.fill("#company", "US Navy Reserve")
    other_device.click("form.person-form button[type=submit]")
    other_device.wait_for_url(person_url)
    other_device.close()
    page.goto(person_url)  # another page of the app, with signal
    page.goto(edit_url)
    expect(page.locator(".draft-note")).to_be_visible()
    assert page.input_value("#notes") == "Send her the COBOL paper"
    page.click("form.person-form button[type=submit]")
    page.wait_for_url(live_server.url + f"/events/{event_id}")
    page.goto(person_url)
    expect(page.locator("main")).to_contain_text("US Navy Reserve")
    expect(page.locator("main")).to_contain_text("Send her the COBOL paper")

    # So does a new event planned with no signal, with everything typed; and once saved, its form starts empty.
    page.goto(live_server.url + "/events/new")
    page.get_by_label("Event name").fill("Rust meetup")
    page.get_by_label("Place").fill("Basement bar")
    context.set_offline(True)
    page.get_by_role("button", name="Save event").click()
    expect(page.locator("h1")).to_have_text("No signal")
    expect(page.locator("main")).to_contain_text("What you typed about a person or an event is kept on its form.")
    context.set_offline(False)
    page.goto(live_server.url + "/events/new")
    expect(page.locator(".draft-note")).to_be_visible()
    expect(page.get_by_label("Event name")).to_have_value("Rust meetup")
    expect(page.get_by_label("Place")).to_have_value("Basement bar")
    page.get_by_role("button", name="Save event").click()
    expect(page.locator("h1")).to_have_text("Rust meetup")
    page.goto(live_server.url + "/events/new")
    expect(page.get_by_label("Event name")).to_have_value("")
    expect(page.locator(".draft-note")).to_have_count(0)


def test_fifty_saves_with_a_flickering_signal_bounce_none_and_lose_or_double_nothing(live_server, page, context,
                                                                                     errors):
    sign_up(page, live_server.url, "Ada Flicker")
    event_id = add_event_today(page, live_server.url, "Flickering basement")
    form_url = live_server.url + f"/events/{event_id}/people/new"
    event_url = live_server.url + f"/events/{event_id}"
    visit_home_until_kept(page, live_server.url, event_day_pages(event_id))

    answer_lost = answers_lost(context)  # the save reaches the server, then the signal drops before its answer

    bounces, saves = 0, 50
    for i in range(saves):
        name = f"Flicker person {i}"
        mode = ("offline", "offline", "offline", "answer lost", "online")[i % 5]
        context.set_offline(mode == "offline")
        if mode == "answer lost":
            context.route(form_url, answer_lost)
        page.goto(form_url)
        page.fill("#name", name)
        for _ in range(3):
            page.click("form.person-form button[type=submit]")
            page.wait_for_url(re.compile(re.escape(form_url) + r"\?no_signal=1$|" + re.escape(event_url) + "$"))
            if page.url == event_url:
                break
            bounces += mode == "offline"
            # Back on the form with the entry filled in again. Saving again keeps it on the phone; if the phone
            # has heard from the server meanwhile (its queue synced), it posts it once more, and if that answer
            # is lost too it comes back here again. The entry id stores it once either way.
            expect(page.locator("#name")).to_have_value(name)
        assert page.url == event_url, (name, mode)
        if mode == "answer lost":
            context.unroute(form_url)
    assert bounces == 0
    context.set_offline(False)
    open_page(page, event_url)  # the queue may be syncing and reloading the page just then
    wait_for_promise(page, "HallwayQueue.entries(null).then(e => e.length === 0)", timeout=60_000)
    names = [m[1] for m in stored_meetings(live_server.database, event_id)]
    assert sorted(names) == sorted(f"Flicker person {i}" for i in range(saves))  # each once: none lost or doubled


def test_met_someone_opened_at_once_counts_everyone_saved_since_its_copy_was_kept(live_server, page, shots, errors):
    sign_up(page, live_server.url, "Ada Count")
    event_id = add_event_today(page, live_server.url, "Counting meetup")
    visit_home_until_kept(page, live_server.url, event_day_pages(event_id))  # the form kept at "0/3"
    for met in (1, 2, 3):
        page.click("a.tab-primary")  # "Met someone": the phone's copy, made before the last save
        expect(page.locator("html")).to_have_attribute("data-saved-copy", "instant")
        page.fill("#name", f"Person {met}")
        page.click("form.person-form button[type=submit]")
        page.wait_for_url(live_server.url + f"/events/{event_id}")
        expect(page.locator(".topbar-count")).to_have_text(f"{met}/3")
        page.click("a.tab-primary")
        expect(page.locator(".topbar-count")).to_have_text(f"{met}/3")
        shots(page, f"{met}-met-someone-after-{met}-saved")
        page.goto(live_server.url + f"/events/{event_id}")
    expect(page.locator(".topbar-progress")).to_have_class(re.compile(r"\breached\b"))
    # Fewer, too: a person deleted since is not counted by a copy made before, and the goal is not reached.
    page.click(".person-row a >> nth=0")
    page.click("text=Delete Person 3")
    page.click("form button.button-danger")
    page.goto(live_server.url + "/")
    expect(page.locator(".topbar-count")).to_have_text("2/3")
    page.click("a.tab-primary")
    expect(page.locator("html")).to_have_attribute("data-saved-copy", "instant")
    expect(page.locator(".topbar-count")).to_have_text("2/3")
    expect(page.locator(".topbar-progress")).not_to_have_class(re.compile(r"\breached\b"))


def test_people_sent_when_the_signal_returns_are_counted_on_a_page_kept_from_before(live_server, page, context,
                                                                                    shots, errors):
    sign_up(page, live_server.url, "Ada Weak")
    event_id = add_event_today(page, live_server.url, "Weak signal basement")
    event_url = live_server.url + f"/events/{event_id}"
    visit_home_until_kept(page, live_server.url, event_day_pages(event_id))  # the event's page kept at "0 of 3"
    context.set_offline(True)
    page.goto(event_url)
    log_offline(page, "Ada One", "Rust in the kernel")
    expect(page.locator(".goal-reached")).to_be_hidden()
    log_offline(page, "Bob Two", "Go at scale")
    log_offline(page, "Cy Three", "Zig")
    expect(page.locator(".progress-count")).to_have_text("3 of 3")
    expect(page.locator(".goal-reached")).to_be_visible()
    # The signal is back, too weak to bring the event's page: it opens from the phone's copy, made at 0 met.
    context.route(event_url, lambda route: route.abort("timedout") if route.request.method == "GET"
                  else route.continue_())
    back_online(page)
    wait_for_promise(page, "HallwayQueue.entries(null).then(e => e.length === 0)", timeout=30_000)
    assert len(stored_meetings(live_server.database, event_id)) == 3
    open_page(page, event_url)
    expect(page.locator("html")).to_have_attribute("data-saved-copy", "offline")
    expect(page.locator(".progress-count")).to_have_text("3 of 3")  # not "0 of 3": sent is not lost
    expect(page.locator(".topbar-count")).to_have_text("3/3")
    expect(page.locator(".goal-reached")).to_be_visible()
    # Counted, not listed: the copy says why its list is short, rather than "Nobody yet".
    expect(page.locator("[data-sent-since]")).to_be_visible()
    expect(page.locator("[data-nobody-yet]")).to_be_hidden()
    shots(page, "1-sent-and-counted-on-the-phones-copy")
    context.unroute(event_url)
    open_page(page, event_url)  # the signal brings the page: the three are listed, and the note goes
    expect(page.locator(".person-row .person-name")).to_have_text(["Cy Three", "Bob Two", "Ada One"])
    expect(page.locator("[data-sent-since]")).to_be_hidden()
    expect(page.locator(".progress-count")).to_have_text("3 of 3")


def test_when_the_signal_returns_to_two_open_tabs_each_person_is_sent_once_and_each_tab_reloads_once(
        live_server, page, context, shots, errors):
    sign_up(page, live_server.url, "Ada Tabs")
    event_id = add_event_today(page, live_server.url, "Two tabs meetup")
    event_url = live_server.url + f"/events/{event_id}"
    visit_home_until_kept(page, live_server.url, event_day_pages(event_id))
    context.set_offline(True)
    page.goto(event_url)
    log_offline(page, "Ada One", "Rust in the kernel")
    log_offline(page, "Bob Two", "Go at scale")
    other_tab = context.new_page()
    other_tab.goto(event_url)
    expect(other_tab.locator(".progress-count")).to_have_text("2 of 3")

    # Both tabs and the service worker's Background Sync start sending when the signal comes back.
    posts = []
    context.route("**/sync/meetings", lambda route: (posts.append(route.request.post_data_json["uuid"]),
                                                      route.continue_()))
    loads = {"this tab": 0, "other tab": 0}
    page.on("load", lambda _: loads.update({"this tab": loads["this tab"] + 1}))
    other_tab.on("load", lambda _: loads.update({"other tab": loads["other tab"] + 1}))
    context.set_offline(False)

    for tab in (page, other_tab):
        expect(tab.locator(".person-row:not(.person-waiting)")).to_have_count(2, timeout=20_000)
        expect(tab.locator(".progress-count")).to_have_text("2 of 3")
        # Nothing is left sending: every sync of this phone has let go of the lock they share.
        wait_for_promise(tab, "navigator.locks.request('hallway-sync', () => true)")
    assert len(stored_meetings(live_server.database, event_id)) == 2
    assert sorted(posts) == sorted(set(posts)) and len(posts) == 2, posts  # one POST per person
    assert loads == {"this tab": 1, "other tab": 1}
    shots(other_tab, "1-the-other-tab-after-the-sync")
    other_tab.close()


def test_someone_met_again_with_no_signal_is_logged_twice_then_made_one_person_from_their_page(
        live_server, page, context, shots, errors):
    sign_up(page, live_server.url, "Ada Twice")
    spring = plan_event(page, live_server.url, "PyData spring", days_ago=90)
    log_person(page, spring, "Grace Hopper", company="US Navy", notes="COBOL")
    event_id = add_event_today(page, live_server.url, "Basement meetup")
    event_url = live_server.url + f"/events/{event_id}"
    visit_home_until_kept(page, live_server.url, event_day_pages(event_id))
    context.set_offline(True)
    page.goto(event_url)
    log_offline(page, "Grace Hopper", "Nanoseconds, again")  # nobody could ask "Met before?"
    back_online(page)
    wait_for_promise(page, "HallwayQueue.entries(null).then(e => e.length === 0)", timeout=30_000)
    open_page(page, event_url)
    page.locator(".person-row:not(.person-waiting) a", has_text="Grace Hopper").first.click()
    expect(page.locator(".twin-line")).to_contain_text("You also have Grace Hopper (US Navy), met at PyData spring")
    shots(page, "1-her-second-page-says-so")

    page.get_by_role("link", name="Same person? Make them one").click()
    expect(page.locator("h1")).to_have_text("One person, logged twice?")
    expect(page.locator(".twin")).to_have_count(2)
    assert no_horizontal_scroll(page)
    shots(page, "2-both-side-by-side")
    page.get_by_role("button", name="Make them one person").click()
    expect(page.locator(".flash-success")).to_contain_text("Grace Hopper is one person now")
    expect(page.locator(".twin-line")).to_have_count(0)
    expect(page.locator(".people-list .person-name")).to_have_text(["Basement meetup", "PyData spring"])
    shots(page, "3-one-person-met-twice")
    page.goto(live_server.url + "/people")
    expect(page.locator(".person-name", has_text="Grace Hopper")).to_have_count(1)


# How many people the phone's index of people met holds (-1: it keeps none).
PEOPLE_IN_THE_KEPT_INDEX = """new Promise((resolve) => {
    const open = indexedDB.open("hallway-met-before");
    open.onsuccess = () => { const db = open.result;
      if (!db.objectStoreNames.contains("index")) { db.close(); return resolve(-1); }
      const get = db.transaction("index").objectStore("index").get("kept");
      get.onsuccess = () => { db.close(); resolve(get.result ? get.result.index.people.length : -1); }; };
    open.onerror = () => resolve(-1); })"""
INDEX_OF_PEOPLE_KEPT = PEOPLE_IN_THE_KEPT_INDEX + ".then((n) => n > 0)"


def test_already_met_with_no_signal_one_tap_saves_her_as_met_again_not_as_someone_new(live_server, page, context,
                                                                                      shots, errors):
    sign_up(page, live_server.url, "Ada Again")
    spring = plan_event(page, live_server.url, "PyData spring", days_ago=90)
    log_person(page, spring, "Grace Hopper", company="US Navy", notes="COBOL")
    event_id = add_event_today(page, live_server.url, "Basement meetup")
    event_url = live_server.url + f"/events/{event_id}"
    page.goto(live_server.url + "/people")  # with signal the phone keeps its index of the people met
    wait_for_promise(page, INDEX_OF_PEOPLE_KEPT)
    visit_home_until_kept(page, live_server.url, event_day_pages(event_id))
    context.set_offline(True)
    # A page the phone did not keep shows the offline page, which is the same for everyone: it forgets nobody.
    page.goto(live_server.url + "/insights")
    expect(page.locator("h1")).to_have_text("No signal")
    page.goto(event_url)
    page.click("a.tab-primary")  # "Met someone"
    page.get_by_label("Name").press_sequentially("grace hop", delay=30)
    already = page.get_by_role("region", name="Already met?")
    expect(already.locator(".person-name")).to_have_text(["Grace Hopper"])
    pick = already.get_by_role("button", name="Same person: Grace Hopper")
    pick.click()
    expect(pick).to_have_attribute("aria-pressed", "true")
    expect(pick).to_have_text("Same person ✓")
    assert no_horizontal_scroll(page)
    shots(page, "1-same-person-tapped-with-no-signal")
    page.fill("#notes", "Nanoseconds, again")
    page.click("form.person-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/events/\d+$"))
    expect(page.locator(".progress-count")).to_have_text("1 of 3")
    # Waiting on the phone under the name she is known by, not the letters typed to find her.
    expect(page.locator("[data-waiting-list] .person-name")).to_have_text(["Grace Hopper"])

    back_online(page)
    wait_for_promise(page, "HallwayQueue.entries(null).then(e => e.length === 0)", timeout=30_000)
    open_page(page, event_url)
    expect(page.locator(".person-row:not(.person-waiting) .person-name")).to_have_text(["Grace Hopper"])
    page.locator(".person-row a", has_text="Grace Hopper").click()
    # One person, met at both events, known by her full name; nothing to make one.
    expect(page.locator("h1")).to_have_text("Grace Hopper")
    expect(page.locator(".people-list .person-name")).to_have_text(["Basement meetup", "PyData spring"])
    expect(page.locator(".twin-line")).to_have_count(0)
    shots(page, "2-met-again-once")


def test_day_two_someone_met_again_at_the_same_event_with_no_signal_does_not_move_the_count(live_server, page,
                                                                                          context, errors):
    sign_up(page, live_server.url, "Ada Day Two")
    event_id = add_event_today(page, live_server.url, "Two-day conference")
    event_url = live_server.url + f"/events/{event_id}"
    page.goto(live_server.url + "/people")  # the phone keeps its index of people met: nobody yet
    wait_for_promise(page, PEOPLE_IN_THE_KEPT_INDEX + ".then((n) => n === 0)")
    log_person(page, event_url, "Grace Hopper", company="US Navy", notes="Day 1: COBOL")
    visit_home_until_kept(page, live_server.url, event_day_pages(event_id))
    wait_for_promise(page, INDEX_OF_PEOPLE_KEPT)  # while there is signal, it follows the people logged
    context.set_offline(True)
    page.goto(event_url)
    expect(page.locator(".progress-count")).to_have_text("1 of 3")
    page.click("a.tab-primary")  # "Met someone"
    page.get_by_label("Name").press_sequentially("grace", delay=30)
    page.get_by_role("region", name="Already met?").get_by_role("button", name="Same person: Grace Hopper").click()
    page.fill("#notes", "Day 2: her keynote")
    page.click("form.person-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/events/\d+$"))
    # Waiting to be sent, but not someone new here: still one met.
    expect(page.locator("[data-waiting-list] .person-name")).to_have_text(["Grace Hopper"])
    expect(page.locator("[data-waiting-note]")).to_have_text("1 person waiting to sync")
    expect(page.locator(".progress-count")).to_have_text("1 of 3")

    back_online(page)
    wait_for_promise(page, "HallwayQueue.entries(null).then(e => e.length === 0)", timeout=30_000)
    open_page(page, event_url)
    expect(page.locator(".progress-count")).to_have_text("1 of 3")
    page.locator(".person-row a", has_text="Grace Hopper").click()
    # One meeting there, with the notes of both days.
    expect(page.locator(".people-list li")).to_have_count(1)
    expect(page.locator(".people-list li")).to_contain_text("Day 1: COBOL Day 2: her keynote")


def test_with_signal_same_person_in_already_met_saves_her_as_met_again_without_asking(live_server, page, errors):
    sign_up(page, live_server.url, "Ada Online")
    spring = plan_event(page, live_server.url, "PyData spring", days_ago=90)
    log_person(page, spring, "Grace Hopper", company="US Navy")
    tonight = plan_event(page, live_server.url, "Tonight")
    page.goto(tonight + "/people/new")
    page.get_by_label("Name").press_sequentially("Grace", delay=30)
    already = page.get_by_role("region", name="Already met?")
    pick = already.get_by_role("button", name="Same person: Grace Hopper")
    pick.click()
    # Tapped again: someone new after all; and once more, her.
    pick.click()
    expect(pick).to_have_attribute("aria-pressed", "false")
    pick.click()
    expect(pick).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator(".met-again")).to_have_count(0)  # not asked "Met before?": she was picked
    page.locator(".person-row a", has_text="Grace Hopper").click()
    expect(page.locator(".people-list .person-name")).to_have_text(["Tonight", "PyData spring"])
