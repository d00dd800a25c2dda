"""Importing a Meetup calendar file on a phone: choose the file, pick the events, find them on the home page."""

from pathlib import Path

import pytest
from playwright.sync_api import expect
from steps import log_person, no_horizontal_scroll, sign_up, small_tap_targets

pytestmark = pytest.mark.browser

MEETUP = Path(__file__).parent / "data" / "meetup-pydata-berlin.ics"


def test_importing_a_meetup_calendar_file_on_a_phone(page, live_server, shots):
    base = live_server.url
    sign_up(page, base, through_the_form=True)
    page.get_by_role("link", name="Export & import").click()
    expect(page).to_have_url(base + "/export")
    assert no_horizontal_scroll(page) and small_tap_targets(page) == []
    shots(page, "1-export-and-import")

    page.get_by_role("link", name="Import events from a calendar file").click()
    page.get_by_role("button", name="Read the file").click()
    expect(page.get_by_text("Choose the .ics file you downloaded")).to_be_visible()
    page.get_by_label("Calendar file (.ics)").set_input_files(str(MEETUP))
    shots(page, "2-file-chosen")
    page.get_by_role("button", name="Read the file").click()

    expect(page.get_by_role("heading", name="Pick the events to add")).to_be_visible()
    december = page.get_by_role("checkbox", name="PyData Berlin: December meetup")
    january = page.get_by_role("checkbox", name="PyData Berlin: New Year lightning talks")
    october = page.get_by_role("checkbox", name="PyData Berlin: October meetup")
    assert december.is_checked() and january.is_checked() and not october.is_checked()
    assert no_horizontal_scroll(page) and small_tap_targets(page) == []
    shots(page, "3-pick", full_page=True)

    january.uncheck()  # tapping the label's text works as well as the box
    page.get_by_text("PyData Berlin: October meetup").click()
    assert october.is_checked() and not january.is_checked()
    page.get_by_role("button", name="Add the ticked events").click()

    expect(page).to_have_url(base + "/")
    expect(page.get_by_text("2 events added.")).to_be_visible()
    expect(page.get_by_role("link", name="PyData Berlin: December meetup, talks & pizza")).to_be_visible()
    expect(page.get_by_text("PyData Berlin: October meetup")).to_be_visible()
    assert page.get_by_text("New Year lightning talks").count() == 0
    shots(page, "4-home", full_page=True)

    page.get_by_role("link", name="PyData Berlin: December meetup, talks & pizza").click()
    expect(page.get_by_text("Wednesday 3 December 2036, 18:30–21:30 (Europe/Berlin)")).to_be_visible()
    expect(page.get_by_role("link", name="Contacts (vCard)")).to_have_count(0)  # nobody met there yet
    log_person(page, page.url, "Grace Hopper")
    with page.expect_download() as download:
        page.get_by_role("link", name="Contacts (vCard)").click()
    assert download.value.suggested_filename == "PyData Berlin December meetup, talks & pizza 2036-12-03.vcf"
    page.get_by_text("Export the people met here").scroll_into_view_if_needed()
    shots(page, "5-event")


def test_the_restore_page_on_a_phone_refuses_a_file_that_is_not_a_backup(page, live_server, shots, tmp_path):
    sign_up(page, live_server.url)
    page.goto(live_server.url + "/import/backup")
    assert no_horizontal_scroll(page) and small_tap_targets(page) == []
    not_a_backup = tmp_path / "contacts.json"
    not_a_backup.write_text('{"contacts": []}')
    page.get_by_label("Backup file (.json)").set_input_files(str(not_a_backup))
    page.get_by_role("button", name="Restore").click()
    expect(page.get_by_text("This is not a Hallway backup")).to_be_visible()
    shots(page, "restore-refused")
