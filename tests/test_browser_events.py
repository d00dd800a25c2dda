"""The events list in Chromium at iPhone 13 size: years of past events come fifty to a page, and one deleted by a
wrong tap comes back with the message's Undo."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from conftest import csrf_token
from playwright.sync_api import expect
from steps import no_horizontal_scroll, sign_up

pytestmark = pytest.mark.browser


def test_past_events_come_fifty_to_a_page_with_older_ones_a_tap_away(page, live_server, shots):
    base = live_server.url
    sign_up(page, base, "Ada Events")
    token = csrf_token(page.request.get(base + "/events/new").text())
    zone = page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") or "UTC"  # the account's, from signup
    today = datetime.datetime.now(ZoneInfo(zone)).date()
    for day in range(1, 56):  # through the form's own POST, with its CSRF token
        response = page.request.post(base + "/events/new", form={
            "csrf_token": token, "name": f"Meetup {day} days ago", "kind": "meetup", "goal": "3",
            "starts_on": (today - datetime.timedelta(days=day)).isoformat(),
            # An evening's times: yesterday's is over at any hour the test runs (with none, it could still be
            # going on in the small hours, and listed as today's).
            "start_time": "18:30", "end_time": "20:30"}, max_redirects=0)
        assert response.status == 302, response.text()
    page.goto(base + "/events/")
    rows = page.locator(".event-row")
    expect(rows).to_have_count(50)
    expect(rows.first).to_contain_text("Meetup 1 days ago")
    older = page.get_by_role("link", name="Older events")
    older.scroll_into_view_if_needed()
    shots(page, "1-first-page-end")
    assert no_horizontal_scroll(page)
    older.click()
    page.wait_for_url(re.compile(r"/events/\?page=2$"))
    expect(rows).to_have_count(5)
    expect(rows.first).to_contain_text("Meetup 51 days ago")
    expect(page.get_by_role("heading", name="Past, page 2")).to_be_visible()
    shots(page, "2-older-page")
    page.get_by_role("link", name="Newer events").click()
    page.wait_for_url(base + "/events/")
    expect(rows).to_have_count(50)
    # Deleted by a wrong tap: the message on home brings it back.
    rows.first.locator("a").first.click()
    event_url = page.url
    page.goto(event_url + "/delete")
    page.get_by_role("button", name="Delete event").click()
    page.wait_for_url(base + "/")
    undo = page.locator(".flash-undo")
    expect(undo).to_contain_text("“Meetup 1 days ago” was deleted.")
    shots(page, "3-deleted-with-undo")
    assert no_horizontal_scroll(page)
    undo.get_by_role("button", name="Undo").click()
    page.wait_for_url(event_url)
    expect(page.locator(".flash-success")).to_contain_text("“Meetup 1 days ago” is back.")


def test_a_phone_abroad_logs_into_the_event_that_is_today_where_it_is(browser, browser_context_args, live_server,
                                                                      shots):
    """Signed up at home; the same account on a phone 25 hours of time zones away. Each sees its own today."""
    base = live_server.url
    home = browser.new_context(**{**browser_context_args, "timezone_id": "Pacific/Pago_Pago"})
    page = home.new_page()
    sign_up(page, base, "Ada Abroad")
    there = datetime.datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    assert there != datetime.datetime.now(ZoneInfo("Pacific/Pago_Pago")).date()
    page.goto(base + "/events/new")  # planned at home, for its day there
    page.get_by_label("Event name").fill("Kiritimati Tech Night")
    page.get_by_label("Date").fill(there.isoformat())
    page.get_by_role("button", name="Save event").click()
    page.wait_for_url(re.compile(r"/events/\d+$"))

    abroad = browser.new_context(**{**browser_context_args, "timezone_id": "Pacific/Kiritimati"},
                                 storage_state=home.storage_state())
    phone = abroad.new_page()
    loads = []
    phone.on("request", lambda r: loads.append(r.url) if r.is_navigation_request() else None)
    # The first page there was made for home's day; it tells the server where the phone is and is asked again.
    phone.goto(base + "/")
    expect(phone.locator(".topbar")).to_contain_text("at Kiritimati Tech Night")
    assert "phone_zone=Pacific/Kiritimati" in phone.evaluate("document.cookie")
    phone.goto(base + "/events/new")
    assert phone.get_by_label("Date").input_value() == there.isoformat()  # the form's "today" is the phone's
    assert len(loads) == 3, loads  # home twice (once made for home's day), then the form: asked again only once
    phone.goto(base + "/")
    phone.get_by_role("link", name="Met someone").first.click()
    phone.get_by_label("Name").fill("Grace Hopper")
    phone.get_by_role("button", name="Save").click()
    expect(phone.locator(".flash-success")).to_contain_text("Grace Hopper saved. 1 of 3 met.")
    shots(phone, "1-abroad")
    # At home the same evening is another day: tonight's event there is not today's here.
    page.goto(base + "/")
    expect(page.locator(".topbar")).not_to_contain_text("Kiritimati Tech Night")
    shots(page, "2-at-home")
    abroad.close()
    home.close()


def test_a_time_zone_chosen_in_the_profile_is_this_devices_until_the_device_moves(browser, browser_context_args,
                                                                                  live_server):
    """A laptop whose clock is set to the wrong zone: the zone chosen in the profile is the one its pages use, and
    the next page does not put the clock's back. Taken somewhere else, the device's own zone is used again."""
    base = live_server.url
    laptop = browser.new_context(**{**browser_context_args, "timezone_id": "Pacific/Pago_Pago"})
    page = laptop.new_page()
    sign_up(page, base, "Ada Laptop")
    page.goto(base + "/profile")
    page.get_by_label("Time zone").fill("Pacific/Kiritimati")
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator(".flash-success")).to_contain_text("Profile saved.")
    for _ in range(2):  # and on every page after it
        page.goto(base + "/events/new")
        kiritimati = datetime.datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
        assert page.get_by_label("Date").input_value() == kiritimati.isoformat()
    assert "phone_zone=Pacific/Kiritimati" in page.evaluate("document.cookie")
    moved = browser.new_context(**{**browser_context_args, "timezone_id": "Asia/Tokyo"},
                                storage_state=laptop.storage_state())
    there = moved.new_page()
    there.goto(base + "/events/new")
    expect(there.get_by_label("Date")).to_have_value(datetime.datetime.now(ZoneInfo("Asia/Tokyo")).date().isoformat())
    assert "phone_zone=Asia/Tokyo" in there.evaluate("document.cookie")
    moved.close()
    laptop.close()


def test_a_time_zone_saved_before_the_pages_script_ran_stays_this_devices(browser, browser_context_args,
                                                                         live_server):
    """On a slow phone the profile can be saved before its page's script has ever run on this device: the zone
    chosen is still the one its pages use, not put back to the clock's by the first script that runs."""
    base = live_server.url
    laptop = browser.new_context(**{**browser_context_args, "timezone_id": "Pacific/Pago_Pago"})
    page = laptop.new_page()
    sign_up(page, base, "Ada Hurried")
    form = page.request.get(base + "/profile").text()
    fields = {name: value for name, value in re.findall(r'name="(\w+)"[^>]*value="([^"]*)"', form)}
    saved = page.request.post(base + "/profile", form={
        "csrf_token": re.search(r'<meta name="csrf-token" content="([^"]+)"', form).group(1),
        "display_name": fields.get("display_name", "Ada Hurried"), "timezone": "Pacific/Kiritimati"})
    assert saved.ok
    page.goto(base + "/events/new")
    expect(page.locator("body")).to_have_attribute("data-zone", "Pacific/Kiritimati")
    page.reload()  # and once the script has run, on the next page too
    kiritimati = datetime.datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    expect(page.get_by_label("Date")).to_have_value(kiritimati.isoformat())
    assert "phone_zone=Pacific/Kiritimati" in page.evaluate("document.cookie")
    laptop.close()
