"""Which event "Met someone" files a person under when the form was kept on the phone, in Chromium at iPhone size:
a copy from another day, or from before an event was planned, never decides it."""

import datetime
import re
import sqlite3
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from steps import (
    PAGES_CACHE,
    add_event_today,
    back_online,
    open_page,
    sign_up,
    visit_home_until_kept,
    wait_for_promise,
    waiting_entries,
    watch_errors,
)

pytestmark = pytest.mark.browser


MONDAY, TUESDAY = "Pacific/Pago_Pago", "Pacific/Kiritimati"  # 25 hours apart: always another day


def sent_and_filed(page, database, email):
    """Back online: everything waiting on the phone is sent; the event each of the account's people was filed
    under (the live server is shared with the other browser tests)."""
    back_online(page)
    wait_for_promise(page, "HallwayQueue.entries(null).then(list => list.length === 0)", timeout=30_000)
    with sqlite3.connect(database) as conn:
        rows = conn.execute("SELECT p.name, e.name FROM conversation c JOIN person p ON p.id = c.person_id "
                            "JOIN event e ON e.id = c.event_id JOIN user u ON u.id = p.owner_id "
                            "WHERE u.email = ? ORDER BY c.id", (email,)).fetchall()
    conn.close()
    return dict(rows)


def log_on_the_phone(page, name):
    page.fill("#name", name)
    page.click("form.person-form button[type=submit]")
    expect(page.locator("form.person-form")).to_have_count(0)
    assert [e["fields"]["name"] for e in waiting_entries(page)] == [name]


def test_met_someone_kept_from_mondays_event_does_not_file_tuesdays_people_there(
        browser, browser_context_args, live_server):
    # The phone's clock is a day ahead of the zone the server is told (as with a zone chosen in the profile): its
    # pages are Monday's, and the phone's own date is Tuesday's.
    context = browser.new_context(**{**browser_context_args, "timezone_id": TUESDAY})
    page = context.new_page()
    errors = watch_errors(page)
    email = sign_up(page, live_server.url, "Ada Lovelace")
    context.add_cookies([{"name": "phone_zone", "value": MONDAY, "url": live_server.url},
                         {"name": "zone_seen", "value": TUESDAY, "url": live_server.url}])
    event_id = add_event_today(page, live_server.url, "Monday Meetup")
    # It ends within the hour: on Tuesday it is over, even in the small hours. The "next day" is the phone's zone
    # moved on, not a day gone by: the event keeps no zone of its own (planned where Monday's zone is, it would
    # still be on there, as it would be for a phone moved a day ahead), so it is read on the phone's clock.
    ends = min(datetime.datetime.now(ZoneInfo(MONDAY)) + datetime.timedelta(hours=1),
               datetime.datetime.now(ZoneInfo(MONDAY)).replace(hour=23, minute=59))
    with sqlite3.connect(live_server.database) as conn:
        conn.execute("UPDATE event SET end_time = ?, timezone = '' WHERE id = ?", (ends.strftime("%H:%M:00"),
                                                                                    event_id))
        conn.execute("UPDATE user SET data_version = data_version + 1")
    conn.close()
    visit_home_until_kept(page, live_server.url, {"/", "/met"})
    page.goto(live_server.url + "/met")
    expect(page.locator(".log-event").first).to_contain_text("at Monday Meetup")

    # The next day, with no signal since: the copy of Monday's form opens, and says it cannot name the event.
    page.evaluate(f"document.cookie = 'phone_zone={TUESDAY}; path=/; max-age=31536000; samesite=lax'")
    context.set_offline(True)
    page.goto(live_server.url + "/")  # made for Monday's zone: asked again once (phone-zone.js), from the copy
    page.wait_for_function(f"sessionStorage.getItem('hallway:zone-reloaded') === {TUESDAY!r}")
    open_page(page, live_server.url + "/met")
    expect(page.locator(".log-event:visible")).to_have_count(1)
    # What happened is the day (no event changed): it says so.
    expect(page.locator(".log-event:visible")).to_contain_text("This page was kept on your phone on another day")
    log_on_the_phone(page, "Grace Hopper")
    filed = sent_and_filed(page, live_server.database, email)
    assert filed["Grace Hopper"].startswith("Met on ")  # Tuesday's quick event, as the server's own /met says

    assert errors == []
    context.close()


# The phone's kept copy of "Met someone": [its cache, its page, its headers]; and the same put back, out of date.
KEPT_MET_SOMEONE = """async () => {
    for (const name of await caches.keys()) {
        const copy = await (await caches.open(name)).match("/met");
        if (copy) return [name, await copy.text(), [...copy.headers]];
    }
    return null;
}"""
KEEP_OUT_OF_DATE = """async ([name, page, headers]) => {
    const marked = new Headers(headers);
    marked.set("X-Hallway-Out-Of-Date", "1");
    await (await caches.open(name)).put("/met", new Response(page, { status: 200, headers: marked }));
}"""


def test_a_person_logged_offline_after_planning_tonights_event_goes_to_it(live_server, page, context, errors):
    email = sign_up(page, live_server.url, "Ada Lovelace")
    visit_home_until_kept(page, live_server.url, {"/", "/met"})
    page.goto(live_server.url + "/met")  # kept while nothing is planned
    expect(page.locator(".log-event").first).to_contain_text("No event today")
    kept_before = page.evaluate(KEPT_MET_SOMEONE)
    event_id = add_event_today(page, live_server.url, "Planned Tonight")
    context.set_offline(True)
    # The signal dropped before the phone could ask for "Met someone" again (with signal it does, and its copy then
    # names the event): what it keeps is the copy from before the event was planned, marked out of date.
    for _ in range(5):
        page.evaluate(KEEP_OUT_OF_DATE, kept_before)
        page.wait_for_timeout(200)  # a fetch that was under way as the signal dropped may still land
        if page.evaluate(KEPT_MET_SOMEONE)[1] == kept_before[1]:
            break
    page.goto(live_server.url + "/met")
    expect(page.locator(".log-event:visible")).not_to_contain_text("No event today")
    expect(page.locator(".log-event:visible")).to_contain_text("before your latest change to events")
    log_on_the_phone(page, "Grace Hopper")
    assert sent_and_filed(page, live_server.database, email) == {"Grace Hopper": "Planned Tonight"}
    assert page.evaluate(f"fetch('/events/{event_id}').then(r => r.text())").count("1 of 3") >= 1


def test_right_after_planning_an_event_met_someone_names_it(live_server, page, errors):
    """So does the phone's copy of "Met someone" once the first person saved there made the day's quick event."""
    sign_up(page, live_server.url, "Ada Lovelace")
    visit_home_until_kept(page, live_server.url, {"/", "/met"})
    page.goto(live_server.url + "/met")
    expect(page.locator(".log-event").first).to_contain_text("No event today")
    page.fill("#name", "Zelda Quartz")
    page.click("form.person-form button[type=submit]")
    page.wait_for_url(re.compile(r"/events/\d+$"))
    quick_id = page.locator("[data-event-id]").get_attribute("data-event-id")
    wait_for_promise(page, f"""caches.open({PAGES_CACHE!r}).then(c => c.match("/met")).then(r => r.text())
        .then(html => html.includes('data-event-id="{quick_id}"'))""")
    add_event_today(page, live_server.url, "Planned Tonight")
    page.goto(live_server.url + "/met")
    expect(page.locator(".log-event:visible")).to_contain_text("at Planned Tonight")
    page.fill("#name", "Grace Hopper")
    page.click("form.person-form button[type=submit]")
    page.wait_for_url(re.compile(r"/events/\d+$"))
    expect(page.locator("h1")).to_have_text("Planned Tonight")
