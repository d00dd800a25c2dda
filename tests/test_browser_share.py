"""Shared with Hallway: "Share profile" in the LinkedIn app, or any link or text shared to the installed app,
opens the log form with it filled in (the manifest's share_target), with a signal or without."""

import json
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect
from steps import add_event_today, sign_up, stored_meetings, visit_home_until_kept

pytestmark = pytest.mark.browser

LINKS = json.loads((Path(__file__).parent / "data" / "linkedin-links.json").read_text())["links"]
# What the LinkedIn app shares: its links carry utm_source=share / share_via (from public code, see the file).
SHARED_BY_THE_APP = [entry for entry in LINKS if "share" in entry["link"] and "profile" in entry]


def event_day_pages(event_id):
    return {"/", "/card", f"/events/{event_id}", f"/events/{event_id}/people/new"}


def shared(base, **params):
    return base + "/met?" + urlencode({f"shared_{name}": value for name, value in params.items()})


def test_chromium_reads_the_share_target_from_the_manifest(live_server, page, context):
    sign_up(page, live_server.url, "Ada Share")
    page.goto(live_server.url + "/")
    cdp = context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == []
    target = json.loads(manifest["data"])["share_target"]
    assert target["action"] == "/met" and target["method"] == "GET"
    assert target["params"] == {"title": "shared_title", "text": "shared_text", "url": "shared_url"}


def test_a_profile_shared_from_the_linkedin_app_fills_their_linkedin(live_server, page, shots):
    assert len(SHARED_BY_THE_APP) >= 5
    base = live_server.url
    sign_up(page, base, "Ada Share")
    event_id = add_event_today(page, base, "Share meetup")
    for entry in SHARED_BY_THE_APP:
        # Apps put words around the link, in the text, the title or the link field itself.
        page.goto(shared(base, title="LinkedIn", text=f"Check out this profile on LinkedIn: {entry['link'].strip()}"))
        expect(page.locator("#linkedin_url")).to_have_value(entry["profile"])
        assert page.url == base + "/met"  # a reload does not fill it in again
    page.goto(shared(base, url=SHARED_BY_THE_APP[0]["link"]))
    expect(page.locator("#linkedin_url")).to_have_value(SHARED_BY_THE_APP[0]["profile"])
    expect(page.locator("[data-scan-status]")).to_contain_text("Their LinkedIn is filled in")
    # Said as a person reads it, as the server writes it; the field keeps the address that opens.
    page.goto(shared(base, url="https://de.linkedin.com/in/j%C3%BCrgen-m%C3%BCller-1a2b3c"))
    expect(page.locator("[data-scan-status]")).to_have_text(
        "Their LinkedIn is filled in (linkedin.com/in/jürgen-müller-1a2b3c). Now their name.")
    expect(page.locator("#linkedin_url")).to_have_value("https://www.linkedin.com/in/j%C3%BCrgen-m%C3%BCller-1a2b3c")
    page.goto(shared(base, url=SHARED_BY_THE_APP[0]["link"]))
    expect(page.locator("#linkedin_url")).to_have_value(SHARED_BY_THE_APP[0]["profile"])
    shots(page, "1-shared-profile")
    page.fill("#name", "Nikhil")
    page.click("form.person-form button[type=submit]")
    page.wait_for_url(re.compile(r"/events/\d+$"))
    [meeting] = stored_meetings(live_server.database, event_id)
    assert meeting[1:4:2] == ("Nikhil", SHARED_BY_THE_APP[0]["profile"])


def test_with_no_signal_the_form_kept_on_the_phone_takes_what_was_shared(live_server, page, context):
    base = live_server.url
    sign_up(page, base, "Ada Offline Share")
    event_id = add_event_today(page, base, "Basement share")
    visit_home_until_kept(page, base, event_day_pages(event_id) | {"/met"})
    context.set_offline(True)
    page.goto(shared(base, text=f"({SHARED_BY_THE_APP[1]['link']})."))
    expect(page.locator("html")).to_have_attribute("data-saved-copy", re.compile("instant|offline"))
    expect(page.locator("#linkedin_url")).to_have_value(SHARED_BY_THE_APP[1]["profile"])
    context.set_offline(False)


def test_a_contact_card_or_any_other_text_shared_fills_the_contact_fields_or_the_notes(live_server, page):
    base = live_server.url
    sign_up(page, base, "Ada Card Share")
    add_event_today(page, base, "Card share")
    card = "BEGIN:VCARD\nVERSION:3.0\nFN:Grace Hopper\nORG:US Navy\nEMAIL:grace@example.org\nEND:VCARD"
    page.goto(shared(base, text=card))
    expect(page.locator("#name")).to_have_value("Grace Hopper")
    expect(page.locator("#company")).to_have_value("US Navy")
    page.goto(shared(base, title="Slides: CDC at scale", url="https://example.com/talks/cdc"))
    expect(page.locator("#notes")).to_have_value("Slides: CDC at scale\nhttps://example.com/talks/cdc")
    assert page.input_value("#linkedin_url") == ""
    # Their name above their link (which says none) suggests their name, as the scanner reads a code's text.
    forget_drafts(page, base)
    page.goto(shared(base, text="Jürgen Müller\nhttps://de.linkedin.com/in/jm42"))
    expect(page.locator("#linkedin_url")).to_have_value("https://www.linkedin.com/in/jm42")
    expect(page.locator("#name")).to_have_value("Jürgen Müller")
    forget_drafts(page, base)
    page.goto(shared(base, text="https://lnkd.in/dXyZ123"))
    expect(page.locator("[data-scan-status]")).to_contain_text("That is a short link: open it")
    expect(page.locator("#notes")).to_have_value("https://lnkd.in/dXyZ123")
    # ZXing's MeCard: its website, written without https://, and its address go to the notes with its note.
    forget_drafts(page, base)
    page.goto(shared(base, text="MECARD:N:Owen,Sean;TEL:+12125551212;URL:google.com;EMAIL:srowen@example.org;"
                                "ADR:76 9th Ave, New York, NY 10011;NOTE:ZXing Team;;"))
    expect(page.locator("#notes")).to_have_value("google.com\n76 9th Ave, New York, NY 10011\nZXing Team")
    assert page.input_value("#email") == "srowen@example.org"


def forget_drafts(page, base):
    """Off the form (leaving it keeps what it holds as a draft), the drafts kept on the phone are dropped."""
    page.goto(base + "/static/css/app.css")
    page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('hallway:draft:'))"
                  ".forEach(k => localStorage.removeItem(k))")
