"""Importing LinkedIn connections and contacts on a phone (Chromium at iPhone 13 size): the preview shows who
matches, and "Add an event" leads to the calendar import."""

from pathlib import Path

import pytest
from playwright.sync_api import expect
from steps import add_event_today, sign_up

pytestmark = pytest.mark.browser

CONNECTIONS = Path(__file__).parent / "data" / "linkedin-connections.csv"
GOOGLE_CSV = Path(__file__).parent / "data" / "contacts" / "csv" / "google-csv-2023.csv"


def test_linkedin_connections_are_previewed_then_matched_on_a_phone(page, live_server, shots):
    sign_up(page, live_server.url, "Ada Connections")
    event_id = add_event_today(page, live_server.url, "Navy yard")
    page.goto(live_server.url + f"/events/{event_id}/people/new")
    page.fill("#name", "Grace Hopper")
    page.click("summary")
    page.fill("#linkedin_url", "linkedin.com/in/grace-hopper")
    page.click("form.person-form button[type=submit]")
    page.wait_for_url(live_server.url + f"/events/{event_id}")
    page.goto(live_server.url + "/export")
    page.click("text=Import your LinkedIn connections")
    page.get_by_label("LinkedIn connections (Connections.csv)").set_input_files(str(CONNECTIONS))
    page.click("text=Read the file")
    expect(page.locator("h1")).to_have_text("Check who matches")
    expect(page.locator(".lead")).to_contain_text("5 people in this file; 1 already in Hallway.")
    assert page.locator("#matches-0").is_checked()
    assert not page.locator("#others-0").is_checked()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], "nothing overflows the phone's screen"
    shots(page, "1-preview", full_page=True)
    page.click("text=Update and add the ticked people")
    page.wait_for_url(live_server.url + "/people")
    expect(page.locator(".flash")).to_contain_text("1 updated, 0 added")
    shots(page, "2-after")


def test_contacts_exported_from_google_contacts_are_previewed_and_added_on_a_phone(page, live_server, shots):
    sign_up(page, live_server.url, "Ada Contacts")
    page.goto(live_server.url + "/export")
    page.click("text=Import your contacts")
    shots(page, "1-upload")
    page.get_by_label("Contacts file (.vcf or .csv)").set_input_files(str(GOOGLE_CSV))
    page.click("text=Read the file")
    expect(page.locator("h1")).to_have_text("Check who matches")
    expect(page.locator(".lead")).to_contain_text("4 people in this file; 0 already in Hallway.")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    shots(page, "2-preview", full_page=True)
    page.get_by_label("Zoë Ægirsdóttir").check()
    page.click("text=Update and add the ticked people")
    page.wait_for_url(live_server.url + "/people")
    expect(page.locator(".flash")).to_contain_text("0 updated, 1 added")
    page.locator(".person-row a", has_text="Zoë Ægirsdóttir").click()
    expect(page.locator("main")).to_contain_text("Data, Streams & Co")


def test_the_add_an_event_page_leads_to_the_calendar_import(page, live_server, shots):
    sign_up(page, live_server.url, "Ada Calendar")
    page.goto(live_server.url + "/events/new")
    shots(page, "1-new-event")
    page.click("text=or import from a calendar file")
    page.wait_for_url(live_server.url + "/import/calendar")
