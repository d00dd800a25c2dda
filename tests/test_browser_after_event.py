"""After the event, in a real browser on a phone: a follow-up done, the People search, outcomes, insights."""

import re

import pytest
from playwright.sync_api import expect
from steps import log_person, no_horizontal_scroll, plan_event, sign_up, small_tap_targets

pytestmark = pytest.mark.browser


def test_searching_the_people_page_as_you_type(page, live_server, shots):
    base = live_server.url
    sign_up(page, base)
    spring = plan_event(page, base, "PyData Berlin", days_ago=40)
    autumn = plan_event(page, base, "FOSDEM", days_ago=3)
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
    first = plan_event(page, base, "PyData Berlin", days_ago=40)
    log_person(page, first, "Jane Doe", company="Acme", notes="CDC pipelines")
    second = plan_event(page, base, "FOSDEM", days_ago=1)
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
    pub = plan_event(page, base, "Python Pub with a rather long name for a meetup", days_ago=30)
    conf = plan_event(page, base, "BigConf", days_ago=10, kind="Conference")
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
