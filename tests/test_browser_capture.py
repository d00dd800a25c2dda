"""The ten-second capture in a real browser, on an iPhone 13 and a 360 x 740 Android phone: Save in view,
the taps it takes, which event it goes to, no layout shift, and the tab bar at 200% text."""

import re
import uuid

import pytest
from conftest import PASSWORD
from playwright.sync_api import expect
from steps import Taps, add_event_today

pytestmark = pytest.mark.browser

PHONES = {
    "iphone13": None,  # the session's default context (tests/conftest.py)
    "android360": {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 3, "is_mobile": True,
                   "has_touch": True},
}


@pytest.fixture(params=list(PHONES))
def phone_page(request, browser, page):
    """A page on each phone size: the iPhone 13 of every browser test, and a small Android screen."""
    size = PHONES[request.param]
    if size is None:
        yield page
        return
    context = browser.new_context(**size)
    yield context.new_page()
    context.close()


def sign_up(page, base):
    page.goto(base + "/signup")
    page.fill("#email", f"ada-{uuid.uuid4().hex[:8]}@example.com")
    page.fill("#password", PASSWORD)
    page.fill("#display_name", "Ada Lovelace")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/profile$"))


def fully_in_view_above_the_tab_bar(page, selector):
    return page.evaluate("""sel => {
        const r = document.querySelector(sel).getBoundingClientRect();
        const bar = document.querySelector('.tabbar').getBoundingClientRect();
        return r.top >= 0 && r.bottom <= bar.top && r.height > 0;
    }""", selector)


def hidden_by_the_bars(page):
    """The focused field or button, if any part of it is under the header, the Save bar or the tab bar."""
    return page.evaluate("""() => {
        const focused = document.activeElement, r = focused.getBoundingClientRect();
        const top = document.querySelector('.topbar').getBoundingClientRect().bottom;
        const bottom = Math.min(...[...document.querySelectorAll('.action-bar, .tabbar')]
            .filter(bar => !bar.contains(focused)).map(bar => bar.getBoundingClientRect().top));
        return r.top < top || r.bottom > bottom ? `${focused.id || focused.textContent.trim()} at ${Math.round(r.top)}`
            + `-${Math.round(r.bottom)}, shown ${Math.round(top)}-${Math.round(bottom)}` : null;
    }""")


def hidden_when_reached_with_tab(page, first):
    """Each field and button of the page from `first` on, reached as the keyboard's Tab or "next" reaches it,
    that shows partly or wholly under the bars."""
    page.evaluate("window.scrollTo(0, 0)")
    page.focus(first)
    hidden = [hidden_by_the_bars(page)]
    while True:
        page.keyboard.press("Tab")
        if not page.evaluate("document.activeElement.closest('main')"):
            break
        hidden.append(hidden_by_the_bars(page))
    return [h for h in hidden if h]


SAVE = "form.person-form button[type=submit]"


def test_save_is_in_view_and_stays_in_reach_on_a_small_phone(phone_page, live_server, shots):
    page = phone_page
    sign_up(page, live_server.url)
    add_event_today(page, live_server.url, "PyData Berlin")
    page.goto(live_server.url + "/met")
    page.wait_for_selector("form.person-form")
    # The first screen: name, "what they look like", notes, the two toggles, and Save, keyboard closed.
    for selector in ("#name", "#description", "#notes", "#hiring", "#follow_up", SAVE):
        assert fully_in_view_above_the_tab_bar(page, selector), selector
    assert page.evaluate("window.scrollY") == 0
    shots(page, "1-first-screen")
    # Everything open and the page scrolled: Save stays in reach, above the tab bar.
    page.click("summary")
    page.check("#follow_up")
    expect(page.locator("#follow_up_reason")).to_be_visible()
    page.focus("#tags")
    page.keyboard.type("python")
    assert fully_in_view_above_the_tab_bar(page, SAVE)
    shots(page, "2-everything-open")
    page.evaluate("window.scrollTo(0, 0)")
    assert fully_in_view_above_the_tab_bar(page, SAVE)
    # Moving from field to field, the next one is scrolled clear of Save and the tab bar, not left under them.
    assert hidden_when_reached_with_tab(page, "#name") == []
    # With the keyboard open only a few hundred pixels show: the first field still comes out from under Save.
    page.set_viewport_size({"width": page.viewport_size["width"], "height": 400})
    page.evaluate("window.scrollTo(0, 0)")
    page.focus("#name")
    assert hidden_by_the_bars(page) is None


def test_a_refused_save_moves_focus_to_the_field_and_says_why(phone_page, live_server, shots):
    page = phone_page
    sign_up(page, live_server.url)
    add_event_today(page, live_server.url, "Meetup")
    page.goto(live_server.url + "/met")
    page.fill("#notes", "Talked about Postgres")
    page.click("summary")
    page.fill("#email", "not an email")
    page.click(SAVE)
    page.wait_for_selector(".error-summary")
    assert page.evaluate("document.activeElement.id") == "name"
    assert fully_in_view_above_the_tab_bar(page, "#name")
    assert "Add a name" in page.locator("[role=alert]").first.inner_text()
    shots(page, "refused")


def test_the_log_form_does_not_shift_when_the_scan_buttons_appear(page, live_server):
    sign_up(page, live_server.url)
    add_event_today(page, live_server.url, "Meetup")
    page.goto(live_server.url + "/met")
    page.wait_for_selector("[data-scan]:not([hidden])")
    shift = page.evaluate("""() => new Promise(done => {
        let total = 0;
        new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value; })
            .observe({type: 'layout-shift', buffered: true});
        setTimeout(() => done(total), 500);
    })""")
    assert shift == 0


def test_the_taps_it_takes_to_log_people_from_home(page, live_server, shots):
    """The issue's table: log by name <= 2 taps; name + company + follow up <= 4; first person from the
    welcome page <= 8 (plus typing each time)."""
    base = live_server.url
    page.context.clear_cookies()
    page.goto(base + "/")
    first_time = Taps(page)
    first_time.tap("text=Create an account")
    page.fill("#display_name", "Ada Lovelace")
    page.fill("#email", f"ada-{uuid.uuid4().hex[:8]}@example.com")
    page.fill("#password", PASSWORD)
    first_time.tap("button[type=submit]")
    page.wait_for_url(re.compile(r".*/profile$"))
    first_time.tap("a.tab-primary")  # no event yet: it still works, into today's quick event
    page.fill("#name", "Grace Hopper")
    first_time.tap(SAVE)
    page.wait_for_url(re.compile(r".*/events/\d+$"))
    assert page.locator(".person-row .person-name").all_inner_texts() == ["Grace Hopper"]
    shots(page, "first-person-logged")
    assert first_time.count <= 8

    add_event_today(page, base, "PyData Berlin")
    page.goto(base + "/")
    by_name = Taps(page)
    by_name.tap("text=Met someone")
    page.fill("#name", "Alan Turing")
    by_name.tap(SAVE)
    page.wait_for_url(re.compile(r".*/events/\d+$"))
    assert "Alan Turing saved" in page.locator(".flashes").inner_text()
    assert by_name.count <= 2

    page.goto(base + "/")
    full = Taps(page)
    full.tap("text=Met someone")
    page.fill("#name", "Barbara Liskov")
    full.tap("summary")
    page.fill("#company", "MIT")
    full.tap("label[for=follow_up]")
    full.tap(SAVE)
    page.wait_for_url(re.compile(r".*/events/\d+$"))
    row = page.locator(".person-row", has_text="Barbara Liskov")
    assert "MIT" in row.inner_text() and "Follow up" in row.inner_text()
    assert full.count <= 4
    print(f"\ntaps: by name {by_name.count}, name+company+follow up {full.count}, "
          f"first-time user {first_time.count}")


def test_a_linkedin_profile_suggests_a_name_that_typing_replaces(page, live_server, shots):
    sign_up(page, live_server.url)
    add_event_today(page, live_server.url, "Meetup")
    page.goto(live_server.url + "/met")
    page.click("summary")
    page.fill("#linkedin_url", "https://www.linkedin.com/in/jordan-kim-data")
    expect(page.locator("#name")).to_have_value("Jordan Kim")  # its code loads on the first address
    expect(page.locator("#name-suggested")).to_be_visible()
    shots(page, "suggested")
    page.fill("#name", "Jordan")  # never forced: what is typed stays
    page.fill("#linkedin_url", "https://www.linkedin.com/in/someone-else")
    assert page.input_value("#name") == "Jordan"


def test_the_tab_bar_stays_readable_at_200_percent_text(phone_page, live_server, shots):
    page = phone_page
    sign_up(page, live_server.url)
    page.evaluate("document.documentElement.style.fontSize = '200%'; document.body.style.fontSize = '34px'")
    shots(page, "tabbar-200")
    broken = page.evaluate("""() => [...document.querySelectorAll('.tabbar a')].filter(a => {
        // A label overflowing its tab, or any word split over two lines, is broken.
        if (a.scrollWidth > a.clientWidth + 1) return true;
        const range = document.createRange();
        const text = a.firstChild;
        let offset = 0;
        for (const word of text.textContent.split(' ')) {
            range.setStart(text, offset); range.setEnd(text, offset + word.length);
            if (range.getClientRects().length > 1) return true;
            offset += word.length + 1;
        }
        return false;
    }).map(a => a.textContent)""")
    assert broken == []


def test_dark_mode_follows_the_phone_and_the_card_stays_black_on_white(browser, live_server, shots):
    import io

    import zxingcpp
    from PIL import Image

    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True,
                                  has_touch=True, color_scheme="dark")
    page = context.new_page()
    sign_up(page, live_server.url)
    page.fill("#linkedin_url", "https://www.linkedin.com/in/ada-lovelace")
    page.click("form.stack button[type=submit]")
    page.wait_for_url(re.compile(r".*/card$"))
    page.goto(live_server.url + "/")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(15, 18, 23)"
    shots(page, "1-home-dark")
    page.goto(live_server.url + "/card")
    assert "brightness up" in page.locator(".card-brightness").inner_text()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"

    def decoded():
        return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(page.screenshot())))]

    assert decoded() == ["https://www.linkedin.com/in/ada-lovelace"]
    shots(page, "2-card-dark")
    on_the_card = page.locator("svg.qr").bounding_box()
    page.click("[data-qr-full]")
    frame = page.locator("[data-qr-full]")
    box = frame.bounding_box()
    assert "qr-full" in frame.get_attribute("class") and box["width"] >= 389
    # "Tap the code to fill the screen": it never gets smaller for it.
    assert page.locator("svg.qr").bounding_box()["width"] >= on_the_card["width"]
    assert decoded() == ["https://www.linkedin.com/in/ada-lovelace"]
    shots(page, "3-qr-full-screen")
    page.click("[data-qr-full]")
    expect(frame).not_to_have_class(re.compile(r"\bqr-full\b"))
    # Held sideways, the whole code is on the screen, clear of the header and the tab bar, and reads.
    for width, height in ((844, 390), (568, 320)):
        page.set_viewport_size({"width": width, "height": height})
        page.evaluate("window.scrollTo(0, 0)")
        code = page.locator("svg.qr").bounding_box()
        header = page.locator(".topbar").bounding_box()
        tabbar = page.locator(".tabbar").bounding_box()
        assert code["y"] >= header["y"] + header["height"] and code["y"] + code["height"] <= tabbar["y"], (
            width, code)
        assert decoded() == ["https://www.linkedin.com/in/ada-lovelace"], (width, height)
        shots(page, f"4-card-sideways-{width}")
    context.close()
