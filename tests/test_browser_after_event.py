"""After the event, in a real browser on a phone: a follow-up done, the People search, outcomes, insights."""

import datetime
import re
import uuid
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from steps import small_tap_targets

pytestmark = pytest.mark.browser


def no_horizontal_scroll(page):
    """Nothing wider than the phone: the layout viewport has not grown past 390 px to fit something."""
    return page.evaluate("[window.innerWidth, document.documentElement.scrollWidth]") == [390, 390]


def sign_up(page, base):
    page.goto(base + "/signup")
    page.get_by_label("Your name").fill("Ada Lovelace")
    page.get_by_label("Email").fill(f"ada-{uuid.uuid4().hex[:8]}@example.com")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url(re.compile(r"/profile$"))


def add_event(page, base, name, days_ago=0, kind=None):
    zone = page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") or "UTC"
    day = datetime.datetime.now(ZoneInfo(zone)).date() - datetime.timedelta(days=days_ago)
    page.goto(base + "/events/new")
    page.get_by_label("Event name").fill(name)
    page.get_by_label("Date").fill(day.isoformat())
    if kind:
        page.get_by_label("Kind of event").select_option(label=kind)
    page.get_by_role("button", name="Save event").click()
    page.wait_for_url(re.compile(r"/events/\d+$"))
    return page.url


def log_person(page, event_url, name, company="", notes="", follow_up="", tags="", hiring=False):
    page.goto(event_url + "/people/new")
    page.get_by_label("Name").fill(name)
    page.locator("summary", has_text="Company, role").click()  # the fields beyond the first screen
    page.get_by_label("Company").fill(company)
    page.get_by_label("What you talked about").fill(notes)
    if hiring:
        page.get_by_label("They are hiring").check()
    if follow_up:
        page.get_by_label("Follow up", exact=True).check()
        page.get_by_label("Why follow up").fill(follow_up)
    if tags:
        page.get_by_label("Tags").fill(tags)
    page.get_by_role("button", name="Save").click()
    # Saved (back on the event with a message), or asked whether this is someone met before.
    expect(page.locator(".flash-success, .met-again").first).to_be_visible()


def test_searching_the_people_page_as_you_type(page, live_server, shots):
    base = live_server.url
    sign_up(page, base)
    spring = add_event(page, base, "PyData Berlin", days_ago=40)
    autumn = add_event(page, base, "FOSDEM", days_ago=3)
    log_person(page, spring, "Jane Doe", company="Acme Analytics", notes="Kafka and CDC", tags="python, streaming")
    log_person(page, spring, "Janek Nowak", company="Globex", hiring=True)
    log_person(page, autumn, "Zoë Ødegård", company="Initech", notes="Rust in the kernel", tags="rust")
    log_person(page, autumn, "Marcus Aurelius", company="Rome", follow_up="send the book")

    page.get_by_role("link", name="People", exact=True).click()
    expect(page).to_have_url(re.compile(r"/people$"))
    names = page.locator(".person-name")
    expect(names).to_have_text(["Marcus Aurelius", "Zoë Ødegård", "Janek Nowak", "Jane Doe"])
    shots(page, "1-everyone")

    search = page.get_by_label("Search people")
    search.press_sequentially("jan", delay=60)
    expect(names).to_have_text(["Janek Nowak", "Jane Doe"])
    expect(page).to_have_url(re.compile(r"/people\?q=jan&tag=&follow_up=&event=&when=&kind=$"))
    shots(page, "2-typed-jan")
    search.press_sequentially("e d", delay=60)
    expect(names).to_have_text(["Jane Doe"])

    search.fill("")
    search.press_sequentially("zoe", delay=60)
    expect(names).to_have_text(["Zoë Ødegård"])

    search.fill('"kafka*(OR')
    expect(page.locator("#people-results")).to_contain_text("Nobody matches")

    # Filters, and the Search button for when JavaScript is off or slow.
    search.fill("")
    page.locator("summary", has_text="Filters").click()
    for left, right in (("#tag", "#follow_up"), ("#when", "#kind")):  # side by side, level with each other
        assert page.locator(left).bounding_box()["y"] == page.locator(right).bounding_box()["y"], (left, right)
    page.get_by_label("Hiring").check()
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"hiring=y"))
    expect(names).to_have_text(["Janek Nowak"])
    page.get_by_label("Hiring").uncheck()
    page.get_by_label("Follow-up").select_option(label="Still to do")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"follow_up=open"))
    expect(names).to_have_text(["Marcus Aurelius"])
    assert no_horizontal_scroll(page)
    assert small_tap_targets(page) == []
    shots(page, "3-filtered")

    names.first.click()
    expect(page.get_by_role("heading", name="Marcus Aurelius")).to_be_visible()


def test_meeting_someone_again_and_recording_what_came_of_it(page, live_server, shots):
    base = live_server.url
    sign_up(page, base)
    first = add_event(page, base, "PyData Berlin", days_ago=40)
    log_person(page, first, "Jane Doe", company="Acme", notes="CDC pipelines")
    second = add_event(page, base, "FOSDEM", days_ago=1)
    log_person(page, second, "jane doe", notes="Rust in the kernel")
    expect(page.get_by_role("heading", name="Met before?")).to_be_visible()
    assert "You met Jane Doe (Acme) at PyData Berlin" in page.locator(".met-again").inner_text()
    assert no_horizontal_scroll(page)
    shots(page, "1-met-again")
    page.get_by_role("button", name="Yes, same person").click()
    expect(page.locator(".progress-count")).to_have_text("1 of 3")

    page.get_by_role("link", name="People", exact=True).click()
    expect(page.locator(".person-name")).to_have_text(["Jane Doe"])
    page.locator(".person-name").first.click()
    expect(page.get_by_role("heading", name="Jane Doe")).to_be_visible()
    where = page.locator("ul.people-list").inner_text()
    assert "FOSDEM" in where and "Rust in the kernel" in where and "PyData Berlin" in where and "CDC" in where

    page.get_by_label("Kind of outcome").select_option(label="Referral")
    page.get_by_label("In a line").fill("Intro to the data team at Acme")
    page.get_by_role("button", name="Add outcome").click()
    expect(page.get_by_text("Outcome saved: Referral.")).to_be_visible()
    assert page.locator(".outcome").inner_text().startswith("Referral")
    assert no_horizontal_scroll(page)
    assert small_tap_targets(page) == []
    shots(page, "2-person-page", full_page=True)
    page.locator(".outcome").scroll_into_view_if_needed()
    shots(page, "3-outcome")
    page.locator(".outcome").get_by_role("button", name="Delete").click()
    expect(page.get_by_text("Outcome deleted.")).to_be_visible()
    expect(page.locator(".outcome")).to_have_count(0)


def test_insights_are_readable_on_a_phone(page, live_server, shots):
    base = live_server.url
    sign_up(page, base)
    pub = add_event(page, base, "Python Pub with a rather long name for a meetup", days_ago=30)
    conf = add_event(page, base, "BigConf", days_ago=10, kind="Conference")
    for name in ("Ann", "Bob", "Cid"):
        log_person(page, pub, name, company="Acme", hiring=True)
    log_person(page, conf, "Dee", company="Globex", hiring=True)
    page.goto(base + "/")
    page.get_by_role("link", name="Insights").click()
    expect(page.get_by_role("heading", name="Which events pay off")).to_be_visible()
    assert "50%" in page.locator(".insight-summary").inner_text()
    # The charts fit the screen, and their numbers are there as a table for screen readers.
    assert no_horizontal_scroll(page)
    width = page.evaluate("document.querySelector('#chart-events svg').getBoundingClientRect().width")
    assert 300 <= width <= 390
    table = page.get_by_role("table", name="People met, follow-ups done and outcomes per event, newest first")
    assert "BigConf" in table.inner_text()
    shots(page, "1-insights", full_page=True)
