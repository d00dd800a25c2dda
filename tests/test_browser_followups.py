"""Follow-ups and finding people again, in a real browser at phone size: send a message, undo, search with typos
with and without signal."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect
from steps import log_person, no_horizontal_scroll, plan_event, sign_up

pytestmark = pytest.mark.browser
SCREEN = 844  # iPhone 13


def test_ten_follow_ups_fit_in_three_screens_and_one_is_sent_through_the_share_sheet_fallback(
        page, context, live_server, shots):
    base = live_server.url
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    sign_up(page, base)
    event = plan_event(page, base, "PyData London", days_ago=2)
    reasons = ["send the article on CDC", "Intro to Sam.", "They are hiring for a senior role.",
               "Ask about the conference CFP.", "thank them for the advice", "Coffee next month.",
               "https://example.com/cdc-article", "Share the slides.", "Runs their Postgres team", ""]
    for i, reason in enumerate(reasons):
        log_person(page, event, f"Person {i} Lastname", company="Acme", notes="Notes to self: runs a team",
                   follow_up=reason or "later")
    page.goto(base + "/follow-ups/")
    cards = page.locator("article.follow-up")
    expect(cards).to_have_count(10)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 3.3 * SCREEN, f"{height} px for ten follow-ups"
    assert no_horizontal_scroll(page)
    shots(page, "1-ten-follow-ups", full_page=True)

    jane = cards.first
    jane.locator("summary", has_text="Message").click()
    short = jane.get_by_label("Short message")
    expect(short).to_be_visible()
    assert short.input_value() == ("Hi Person,\nGreat to meet you at PyData London. As promised, here is the "
                                   "article on CDC I mentioned.\nBest,\nAda")
    short.fill(short.input_value().replace("Great to meet you", "Lovely to meet you"))
    expect(jane.locator("[data-count]")).to_have_text(str(len(short.input_value())))
    shots(page, "2-message-open")
    # No Web Share API on this browser: the button copies the message instead, then marks it done.
    share = jane.get_by_role("button", name="Copy message")
    share.click()
    note = page.locator(".follow-up-closed")
    expect(note).to_contain_text("Person 0 Lastname: Copied to send: follow-up done.")
    assert page.evaluate("navigator.clipboard.readText()").startswith("Hi Person,\nLovely to meet you at PyData")
    expect(cards).to_have_count(9)
    shots(page, "3-sent-with-undo")
    note.get_by_role("button", name="Undo").click()
    expect(page.get_by_text("Person 0 Lastname: back on your list.")).to_be_visible()
    expect(page.locator("article.follow-up")).to_have_count(10)


def test_the_share_sheet_gets_the_edited_message(page, context, live_server):
    base = live_server.url
    # This browser has no share sheet; the page is given one that keeps what it was asked to share.
    context.add_init_script("navigator.share = (data) => { window.shared = data; return Promise.resolve(); };")
    sign_up(page, base)
    log_person(page, plan_event(page, base, "FOSDEM", days_ago=2), "Zoë Ødegård", follow_up="Intro to Sam.")
    page.goto(base + "/follow-ups/")
    page.locator("summary", has_text="Message").click()
    page.get_by_role("button", name="Share…").click()
    expect(page.locator(".follow-up-closed")).to_contain_text("Zoë Ødegård: Shared: follow-up done.")
    assert page.evaluate("window.shared.text") == (
        "Hi Zoë,\nGreat to meet you at FOSDEM. I'd be glad to make the introduction to Sam we talked about: "
        "shall I?\nBest,\nAda")


def test_sending_by_email_opens_a_message_with_subject_and_body_and_marks_it_done(page, live_server, shots):
    base = live_server.url
    sign_up(page, base)
    event = plan_event(page, base, "Rust Meetup", days_ago=3)
    address = "christopher.montgomery-featherstonehaugh@engineering.example.com"
    log_person(page, event, "李小龍", email=address, follow_up="Coffee in June.")
    page.goto(base + "/follow-ups/")
    page.locator("summary", has_text="Message").click()
    page.locator("summary", has_text="Longer, for email").click()
    page.get_by_label("Subject").fill("Coffee?")
    email = page.get_by_role("link", name=f"Email {address}")
    # However long their address, the page does not scroll sideways and the whole button is on the screen.
    assert no_horizontal_scroll(page)
    box = email.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]
    href = email.get_attribute("href")
    parts = urlsplit(href)
    assert parts.scheme == "mailto" and parts.path == address
    query = parse_qs(parts.query)
    assert query["subject"] == ["Coffee?"]
    assert query["body"][0].startswith("Hi 李小龍,\r\n\r\nIt was great to meet you at Rust Meetup on ")
    assert "Would you be up for a coffee in June?" in query["body"][0]
    shots(page, "1-email-version", full_page=True)
    opened = []
    page.on("framenavigated", lambda frame: opened.append(frame.url))
    email.click()
    expect(page.locator(".follow-up-closed")).to_contain_text("李小龍: Emailed: follow-up done.")
    assert page.url == base + "/follow-ups/"  # the mail app opened; the page stayed
    shots(page, "2-emailed")


def test_finding_someone_with_a_typo_online_and_offline(page, context, live_server, shots):
    base = live_server.url
    sign_up(page, base)
    spring = plan_event(page, base, "KubeCon", days_ago=200)
    log_person(page, spring, "Anna Kowalski", company="Initech", notes="Migrating to Kubernetes", tags="kubernetes")
    log_person(page, spring, "Jane Doe", company="Postgres Inc")
    page.goto(base + "/people")
    search = page.get_by_label("Search people")
    names = page.locator("#people-results .person-name")
    search.press_sequentially("kubernets", delay=40)
    expect(names).to_have_text(["Anna Kowalski"])
    search.fill("")
    search.press_sequentially("ana", delay=40)
    expect(names).to_have_text(["Anna Kowalski"])
    shots(page, "1-typo-online")
    # The phone has kept its index of people: with no signal it answers from that.
    page.wait_for_function("""() => new Promise((resolve) => {
        const open = indexedDB.open("hallway-met-before");
        open.onsuccess = () => { const db = open.result;
          if (!db.objectStoreNames.contains("index")) return resolve(false);
          const get = db.transaction("index").objectStore("index").get("kept");
          get.onsuccess = () => resolve(Boolean(get.result && get.result.index.people.length === 2)); };
        open.onerror = () => resolve(false); })""")
    context.set_offline(True)
    search.fill("")
    search.press_sequentially("postgress", delay=40)
    phone = page.locator("[data-met-before-for=people]")
    expect(phone).to_be_visible()
    expect(phone.locator(".person-name")).to_have_text(["Jane Doe"])
    expect(page.locator("#people-results")).to_be_hidden()
    search.fill("kowalsky")
    expect(phone.locator(".person-name")).to_have_text(["Anna Kowalski"])
    assert "KubeCon" in phone.inner_text() and "kubernetes" in phone.inner_text()
    assert no_horizontal_scroll(page)
    shots(page, "2-typo-offline")

    # The log form, kept on the phone for the venue, asks too.
    context.set_offline(False)
    page.goto(spring + "/people/new")
    context.set_offline(True)
    page.get_by_label("Name").press_sequentially("Ana Kowal", delay=40)
    already = page.get_by_role("region", name="Already met?")
    expect(already).to_be_visible()
    expect(already.locator(".person-name")).to_have_text(["Anna Kowalski"])
    shots(page, "3-log-form-already-met")
    context.set_offline(False)

    # Logging out forgets the index.
    page.goto(base + "/profile")
    page.get_by_role("button", name="Log out", exact=True).click()
    page.wait_for_url(re.compile(r"/login"))
    page.wait_for_function("""() => indexedDB.databases().then(
        (all) => !all.some((d) => d.name === "hallway-met-before"))""")


def test_the_calendar_feed_is_set_up_from_the_profile(page, live_server, shots):
    import icalendar

    base = live_server.url
    sign_up(page, base)
    log_person(page, plan_event(page, base, "PyData London", days_ago=2), "Jane Doe", follow_up="Intro to Sam.")
    page.goto(base + "/profile")
    page.get_by_label("Greeting").fill("Hej")
    page.get_by_role("button", name="Save greeting and sign-off").click()
    expect(page.get_by_text("Greeting and sign-off saved.")).to_be_visible()
    page.get_by_role("button", name="Make my calendar address").click()
    address = page.get_by_label("Your calendar address")
    expect(address).to_have_value(re.compile(r"^http://127\.0\.0\.1:\d+/calendar/[\w-]{40,}\.ics$"))
    page.locator("summary", has_text="How to add it").click()
    expect(page.get_by_role("link", name="Subscribe in Apple Calendar")).to_have_attribute(
        "href", re.compile(r"^webcal://127\.0\.0\.1:\d+/calendar/"))
    assert no_horizontal_scroll(page)
    page.locator("#calendar-feed").scroll_into_view_if_needed()
    shots(page, "1-calendar-feed-on-profile")
    feed = page.request.get(address.input_value())
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    entries = icalendar.Calendar.from_ical(feed.body()).walk("VEVENT")
    assert "Follow up: Jane Doe" in [str(e["summary"]) for e in entries]
    page.goto(base + "/follow-ups/")
    page.locator("summary", has_text="Message").click()
    assert page.get_by_label("Short message").input_value().startswith("Hej Jane,\n")


@pytest.mark.parametrize("button, said", [("Done", "follow-up done. Nice."), ("Drop", "follow-up dropped.")])
def test_done_or_drop_on_the_person_page_stays_there_and_undo_reopens_it(page, live_server, shots, button, said):
    base = live_server.url
    sign_up(page, base)
    event = plan_event(page, base, "PyData London", days_ago=2)
    log_person(page, event, "Grace Hopper", company="Navy", follow_up="Send the COBOL slides.")
    page.goto(base + "/people")
    page.get_by_role("link", name=re.compile("Grace Hopper")).first.click()
    page.wait_for_url(re.compile(r"/people/\d+$"))
    person_url = page.url
    line = page.locator(".follow-up-line")
    expect(line).to_contain_text("Send the COBOL slides.")
    due = line.locator("strong").inner_text()
    shots(page, "1-person-with-follow-up")
    line.get_by_role("button", name=button).click()
    note = page.locator(".follow-up-closed")
    expect(note).to_contain_text(f"Grace Hopper: {said}")
    assert page.url == person_url
    expect(line).to_have_count(0)
    assert no_horizontal_scroll(page)
    shots(page, f"2-{button.lower()}-with-undo")
    note.get_by_role("button", name="Undo").click()
    expect(page.get_by_text("Grace Hopper: back on your list.")).to_be_visible()
    assert page.url == person_url
    expect(line).to_contain_text("Send the COBOL slides.")
    assert line.locator("strong").inner_text() == due
    expect(page.locator(".follow-up-closed")).to_have_count(0)
    page.goto(base + "/follow-ups/")
    expect(page.locator("article.follow-up")).to_have_count(1)
    expect(page.locator("article.follow-up")).to_contain_text("Send the COBOL slides.")
