"""The event-day loop in a real browser on a phone: sign up, set a goal, log three people, show the card."""

import io
import re

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect
from steps import (
    LOW_CONTRAST_TEXT,
    UNMARKED_FOCUS,
    log_person,
    no_horizontal_scroll,
    plan_event,
    sign_up,
    small_tap_targets,
)

pytestmark = pytest.mark.browser


def decode_qr(png_bytes):
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png_bytes)))]


def test_a_night_out_from_signup_to_goal_reached_and_the_card(page, live_server, shots):
    base = live_server.url
    sign_up(page, base, through_the_form=True)
    assert page.url.endswith("/profile")
    shots(page, "1-profile")

    page.get_by_label("Headline").fill("Analyst at Babbage & Co")
    page.get_by_label("LinkedIn profile").fill("https://www.linkedin.com/in/ada-lovelace?trk=public_profile")
    page.get_by_role("button", name="Save profile").click()
    expect(page).to_have_url(base + "/card")

    page.goto(base + "/")
    shots(page, "2-home-empty")
    page.get_by_role("link", name="Add an event").first.click()
    page.get_by_label("Event name").fill("PyData Berlin")
    page.get_by_label("Place").fill("Factory Görlitzer Park")
    assert page.get_by_label("Goal: new people to meet").input_value() == "3"
    shots(page, "3-new-event")
    page.get_by_role("button", name="Save event").click()
    expect(page.locator(".progress-count")).to_have_text("0 of 3")

    for name, company in (("Grace Hopper", "US Navy"), ("", "Postgres Inc"), ("Barbara Liskov", "MIT")):
        page.get_by_role("link", name="Met someone").first.click()
        if name:
            page.get_by_label("Name").fill(name)
        else:
            page.get_by_label("Or how to recognise them").fill("red jacket, Postgres talk")
        page.locator("summary", has_text="Company, role").click()  # the fields beyond the first screen
        page.get_by_label("Company").fill(company)
        if company == "MIT":
            page.get_by_label("They are hiring").check()
            page.get_by_label("Follow up", exact=True).check()
            page.get_by_label("Why follow up").fill("send the article on CDC")
            shots(page, "4-log-form")
        page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Goal reached!").first).to_be_visible()
    assert page.locator(".progress-count").inner_text() == "3 of 3"
    people = page.locator(".person-name").all_inner_texts()
    assert people == ["Barbara Liskov", "red jacket, Postgres talk", "Grace Hopper"]
    assert no_horizontal_scroll(page)
    assert page.locator(".topbar-progress").inner_text().replace("\n", " ").startswith("3/3")
    shots(page, "5-goal-reached", full_page=True)

    page.get_by_role("link", name="My card").first.click()
    png = shots(page, "6-card").read_bytes()
    assert decode_qr(png) == ["https://www.linkedin.com/in/ada-lovelace"]
    qr_box = page.locator("svg.qr").bounding_box()
    assert qr_box["width"] >= 0.85 * 390
    expect(page.get_by_text("Analyst at Babbage & Co")).to_be_visible()


@pytest.mark.parametrize("width", [320, 360, 390, 1024])
def test_pages_fit_the_screen_with_big_tap_targets_and_readable_text(page, live_server, width):
    base = live_server.url
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(base + "/")
    sign_up(page, base)
    page.goto(base + "/events/new")
    page.get_by_label("Event name").fill("Width test")
    page.get_by_label("Event page").fill("https://example.com/width-test")
    page.get_by_role("button", name="Save event").click()
    page.wait_for_url(re.compile(r"/events/\d+$"))
    event_url = page.url
    log_person(page, event_url, "Ada", follow_up="coffee")  # an open follow-up: its card and its row of actions
    page.get_by_role("link", name="Ada").first.click()
    person_url = page.url
    for path in ("/", "/profile", "/card", "/events/new", "/events/", event_url, event_url + "/people/new", "/met",
                 person_url, "/follow-ups/", "/import/calendar"):
        page.goto(path if path.startswith("http") else base + path)
        assert no_horizontal_scroll(page), path
        assert small_tap_targets(page) == [], path
        smallest_input_font = page.evaluate(
            "Math.min(...[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]"
            ".map(e => parseFloat(getComputedStyle(e).fontSize)), 99)")
        assert smallest_input_font >= 16, path
        body_font = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        assert body_font >= 16
        unlabeled = page.evaluate("""[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
            .filter(e => !(e.labels && e.labels.length)).map(e => e.name)""")
        assert unlabeled == [], path


def test_every_page_works_without_javascript(browser, live_server, playwright):
    phone = {k: v for k, v in playwright.devices["iPhone 13"].items() if k != "default_browser_type"}
    context = browser.new_context(**phone, java_script_enabled=False)
    page = context.new_page()
    base = live_server.url
    sign_up(page, base, through_the_form=True)
    page.goto(base + "/events/new")
    page.get_by_label("Event name").fill("No-JS meetup")
    page.get_by_role("button", name="Save event").click()
    page.get_by_role("link", name="Met someone").first.click()
    page.get_by_label("Name").fill("Tim Berners-Lee")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".progress-count")).to_have_text("1 of 3")
    context.close()


def test_nothing_is_loaded_from_another_host(page, live_server):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    sign_up(page, live_server.url, through_the_form=True)
    page.goto(live_server.url + "/card")
    assert requests and all(u.startswith(live_server.url) or u.startswith("data:") for u in requests), requests


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_is_readable_and_marks_the_keyboards_focus_in_the_phones_light_and_dark_mode(
        page, live_server, scheme):
    base = live_server.url
    sign_up(page, base, "Ada Contrast")
    spring = plan_event(page, base, "PyData spring", days_ago=30, kind="Technical meetup")
    log_person(page, spring, "Grace Hopper", company="US Navy", notes="COBOL", follow_up="send the slides",
               tags="compilers", hiring=True)
    log_person(page, spring, "Alan Kay", notes="Smalltalk")
    log_person(page, spring, "Maria Lopez")
    tonight = plan_event(page, base, "Basement meetup")
    log_person(page, tonight, "Barbara Liskov", notes="Substitution")
    page.get_by_role("link", name="Barbara Liskov").first.click()
    person = page.url
    log_person(page, tonight, "Maria Lopez")  # another Maria: "Same person?" on her page
    page.get_by_role("button", name="No, someone new").click()
    page.get_by_role("link", name="Maria Lopez").first.click()
    twin = page.url
    page.emulate_media(color_scheme=scheme)
    problems = {}

    def check(where):
        page.keyboard.press("Tab")  # the skip link, read as it shows once focused; the keyboard's focus from now
        found = page.evaluate(LOW_CONTRAST_TEXT) + [f"no focus mark: {e}" for e in page.evaluate(UNMARKED_FOCUS)]
        if found:
            problems[where] = found

    for path in ("/", "/events/", spring, tonight, tonight + "/people/new", "/people", "/people?q=grace", person,
                 twin, "/follow-ups/", "/insights/", "/export", "/import", "/profile", "/card"):
        page.goto(path if path.startswith("http") else base + path)
        check(path)
    # What a step shows: a form sent back with its errors, a follow-up just done.
    page.goto(base + "/profile")
    page.get_by_label("Your name").fill("")
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator(".error-summary")).to_be_visible()
    check("/profile sent back")
    page.goto(base + "/follow-ups/")
    page.get_by_role("button", name="Done").first.click()
    expect(page.locator(".follow-up-closed")).to_be_visible()
    check("/follow-ups/ after Done")
    assert problems == {}
