"""Voice notes and photos in Debian's Chromium at iPhone 13 size, with a fake microphone playing a tone: recorded in
four taps from home, saved with the person, played back from the server; made with no signal they wait on the phone
with their entry and reach the server once; a note half-recorded when the page reloads is not lost."""

import io
import math
import re
import sqlite3
import struct
import wave
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect
from steps import Taps, add_event_today, back_online, open_page, sign_up, visit_home_until_kept, wait_for_promise

pytestmark = pytest.mark.browser

PHOTO = Path(__file__).parent / "data" / "media" / "pillow-flower2.jpg"
HEIC_PHOTO = Path(__file__).parent / "data" / "media" / "pillow_heif-xiaomi.heic"
WEBM = b"\x1a\x45\xdf\xa3"


def tone(path, seconds=8, rate=48000):
    """A 440 Hz tone, what the fake microphone hears."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"".join(struct.pack("<h", int(12000 * math.sin(2 * math.pi * 440 * i / rate)))
                                 for i in range(rate * seconds)))
    return path


@pytest.fixture
def phone_with_microphone(phone_with_devices, tmp_path, live_server):
    return phone_with_devices(["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                               f"--use-file-for-fake-audio-capture={tone(tmp_path / 'tone.wav')}"],
                              origin=live_server.url, permissions=["microphone"])


def record(page, taps, seconds):
    taps.tap("[data-voice-start]")
    page.wait_for_function(f"() => document.querySelector('[data-voice-time]').textContent >= '0:0{seconds}'",
                           timeout=20_000)
    taps.tap("[data-voice-stop]")
    page.wait_for_selector("[data-capture-kind=voice] audio")


def files_of(database, event_id):
    """(kind, content type, first bytes, person's label) of every file stored at the event, from the server's file."""
    with sqlite3.connect(database) as conn:
        rows = conn.execute(
            "SELECT a.kind, a.content_type, substr(a.content, 1, 4), p.name || p.description FROM attachment a "
            "JOIN conversation c ON c.id = a.conversation_id JOIN person p ON p.id = a.person_id "
            "WHERE c.event_id = ? ORDER BY a.kind DESC", (event_id,)).fetchall()
    conn.close()
    return rows


def test_a_five_second_voice_note_for_a_new_person_takes_four_taps_and_plays_back(live_server,
                                                                                  phone_with_microphone, shots):
    page = phone_with_microphone
    sign_up(page, live_server.url, "Ada Lovelace")
    event_id = add_event_today(page, live_server.url, "Analytical engines")
    page.goto(live_server.url + "/")
    taps = Taps(page)
    taps.tap("a.tab-primary")  # Met someone
    page.wait_for_selector("form.person-form")
    record(page, taps, 5)
    shots(page, "1-recorded")
    taps.tap("form.person-form button[type=submit]")  # Save
    page.wait_for_url(live_server.url + f"/events/{event_id}")
    assert taps.count <= 4, taps.count
    [(kind, content_type, start, label)] = files_of(live_server.database, event_id)
    assert (kind, content_type, start) == ("voice", "audio/webm", WEBM)
    assert re.fullmatch(r"Voice note at \d\d:\d\d", label)
    # The event's list plays it, from the server.
    audio = page.locator(".person-row audio").first
    duration = audio.evaluate("a => new Promise(done => { a.onloadedmetadata = () => done(a.duration);"
                              " a.preload = 'metadata'; a.load(); })")
    assert duration > 4 or duration == float("inf"), duration  # Chromium's WebM may not say its length
    shots(page, "2-on-the-event")
    assert not page.js_errors, page.js_errors


def photo_picked_for_grace(page, base, photo):
    """Signed up, today's event planned, Grace's name typed and a photo picked in the log form: the event's id."""
    sign_up(page, base, "Ada Lovelace")
    event_id = add_event_today(page, base, "Badges and slides")
    page.goto(base + f"/events/{event_id}/people/new")
    page.fill("#name", "Grace Hopper")
    page.set_input_files("[data-photo-input]", str(photo))
    return event_id


def saved_as_a_jpeg_and_shown(page, live_server, event_id):
    """Save: the server keeps the photo as a JPEG with Grace, and the event's list shows it, from the server."""
    page.click("form.person-form button[type=submit]")
    page.wait_for_url(live_server.url + f"/events/{event_id}")
    [(kind, content_type, start, label)] = files_of(live_server.database, event_id)
    assert (kind, content_type, start[:2], label) == ("photo", "image/jpeg", b"\xff\xd8", "Grace Hopper")
    page.wait_for_function("() => document.querySelector('.person-row img.attachment-thumb').complete")
    assert page.locator(".person-row img.attachment-thumb").evaluate("img => img.naturalWidth") > 0


def test_a_photo_is_shrunk_on_the_phone_and_shown_on_the_event(live_server, phone_with_microphone, shots):
    page = phone_with_microphone
    event_id = photo_picked_for_grace(page, live_server.url, PHOTO)
    page.wait_for_selector("[data-capture-kind=photo] img")
    shots(page, "1-photo-ready")
    saved_as_a_jpeg_and_shown(page, live_server, event_id)
    shots(page, "2-on-the-event")
    page.click(".person-row .person-name")
    page.wait_for_selector("#attachments img.attachment-thumb")
    page.locator("#attachments").scroll_into_view_if_needed()
    shots(page, "3-on-their-page")
    assert not page.js_errors, page.js_errors


def test_an_iphones_heic_photo_the_browser_cannot_show_is_saved_and_shown_as_a_jpeg(live_server, phone_with_microphone,
                                                                                 shots):
    page = phone_with_microphone
    event_id = photo_picked_for_grace(page, live_server.url, HEIC_PHOTO)
    expect(page.locator("[data-capture-kind=photo]")).to_contain_text("Photo (shown once saved)")
    assert page.locator("[data-capture-kind=photo] img").count() == 0  # no broken picture
    page.locator("[data-capture-kind=photo]").scroll_into_view_if_needed()
    shots(page, "1-heic-ready", full_page=True)
    saved_as_a_jpeg_and_shown(page, live_server, event_id)
    shots(page, "2-on-the-event")
    assert not page.js_errors, page.js_errors


def test_a_photo_the_phone_cannot_read_is_said_so_and_a_refused_one_keeps_what_was_typed(live_server, page, errors,
                                                                                        shots):
    """A photo in the phone's cloud comes with no bytes, a file renamed .jpg is no picture: neither is "ready". One
    saved with no signal is refused when it is sent: the person is saved, and home says which photo was not kept."""
    event_id = photo_picked_for_grace(page, live_server.url, PHOTO)
    status = page.locator("[data-capture-status]")
    expect(status).to_have_text("Photo ready. It is saved with the person.")
    page.set_input_files("[data-photo-input]", {"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": b""})
    expect(status).to_have_text("The photo is empty: take it again.")
    expect(page.locator("[data-capture-kind=photo]")).to_have_count(0)
    assert page.evaluate("document.querySelector('[data-photo-input]').files.length") == 0
    page.set_input_files("[data-photo-input]", {"name": "IMG_0002.jpg", "mimeType": "image/jpeg",
                                                "buffer": b"Not a picture, whatever its name says."})
    expect(status).to_contain_text("This phone cannot read the photo")
    page.click("form.person-form button[type=submit]")
    expect(page.locator("#photo-error")).to_contain_text("This is not a photo this app can read")
    # Everything typed is still there, and the refused file is not brought back to be refused again.
    expect(page.locator("#name")).to_have_value("Grace Hopper")
    expect(page.locator("[data-capture-kind=photo]")).to_have_count(0)
    assert files_of(live_server.database, event_id) == []
    # With no signal, a TIFF (which this phone cannot read either) waits with Grace; the server refuses it later.
    visit_home_until_kept(page, live_server.url, {"/", f"/events/{event_id}", f"/events/{event_id}/people/new"})
    page.goto(live_server.url + f"/events/{event_id}/people/new")
    page.fill("#name", "Grace Hopper")
    tiff = io.BytesIO()
    Image.new("RGB", (300, 200), "navy").save(tiff, "TIFF")
    page.set_input_files("[data-photo-input]", {"name": "photo.tiff", "mimeType": "image/tiff",
                                                "buffer": tiff.getvalue()})
    expect(status).to_contain_text("This phone cannot read the photo")
    page.context.set_offline(True)
    page.click("form.person-form button[type=submit]")
    page.wait_for_selector("[data-waiting-list] .person-name:text-is('Grace Hopper')")
    back_online(page)
    wait_for_promise(page, "HallwayQueue.entries(null).then(e => e.length === 1 && e[0].state === 'stored')")
    open_page(page, live_server.url + "/")
    row = page.locator("[data-not-kept-list] .person-row")
    expect(row).to_contain_text("Grace Hopper")
    expect(row).to_contain_text("Photo not kept")
    expect(row).to_contain_text("This is not a photo this app can read")
    expect(page.locator("[data-sync-status]")).to_have_text("1 file not kept")
    shots(page, "1-home-says-the-photo-was-not-kept")
    grace = page.get_attribute("[data-not-kept-list] a[data-add-another]", "href")
    assert re.fullmatch(r"/people/\d+#attachments", grace), grace
    page.click("button:text('Dismiss Grace Hopper')")
    expect(row).to_have_count(0)
    expect(page.locator("[data-sync-status]")).to_be_hidden()
    page.goto(live_server.url + grace)
    expect(page.locator("h1")).to_have_text("Grace Hopper")
    assert files_of(live_server.database, event_id) == []


def test_a_voice_note_and_a_photo_made_with_no_signal_reach_the_server_once(live_server, phone_with_microphone,
                                                                            shots):
    page = phone_with_microphone
    context = page.context
    sign_up(page, live_server.url, "Ada Lovelace")
    event_id = add_event_today(page, live_server.url, "Basement meetup")
    visit_home_until_kept(page, live_server.url, {"/", f"/events/{event_id}", f"/events/{event_id}/people/new"})
    context.set_offline(True)
    page.goto(live_server.url + f"/events/{event_id}/people/new")
    page.fill("#name", "Charles Babbage")
    taps = Taps(page)
    record(page, taps, 2)
    page.set_input_files("[data-photo-input]", str(PHOTO))
    page.wait_for_selector("[data-capture-kind=photo] img")
    page.click("form.person-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/events/\d+$"))
    page.wait_for_selector("[data-waiting-list] .person-name:text-is('Charles Babbage')")
    [entry] = page.evaluate("HallwayQueue.entries(null).then(list => list.map(e => ({n: e.attachments.length, "
                            "kinds: e.attachments.map(a => a.kind).sort(), "
                            "bytes: e.attachments.map(a => a.blob.size)})))")
    assert entry["n"] == 2 and entry["kinds"] == ["photo", "voice"] and min(entry["bytes"]) > 1000
    shots(page, "1-waiting-on-the-phone")
    assert files_of(live_server.database, event_id) == []
    back_online(page)
    wait_for_promise(page, "HallwayQueue.entries(null).then(list => list.length === 0)", timeout=30_000)
    stored = files_of(live_server.database, event_id)
    assert [(k, t, s[:2]) for k, t, s, _ in stored] == [("voice", "audio/webm", WEBM[:2]), ("photo", "image/jpeg",
                                                                                            b"\xff\xd8")]
    assert {label for *_, label in stored} == {"Charles Babbage"}
    # Sending again (a second tab, a retried Background Sync) stores nothing twice. The page reloads itself once
    # what waited is sent: ask on the server's fresh copy.
    open_page(page, live_server.url + f"/events/{event_id}")
    page.evaluate("HallwayQueue.syncAll({session: '/sync/session', sync: '/sync/meetings', "
                  "attachments: '/sync/attachments'})")
    assert len(files_of(live_server.database, event_id)) == 2
    shots(page, "2-synced")
    # Later, on his page: a voice note and a photo added there with no signal wait on the phone too.
    page.click(".person-row .person-name:text-is('Charles Babbage')")
    page.wait_for_selector("form[data-capture-form]")
    context.set_offline(True)
    record(page, taps, 2)
    page.set_input_files("[data-photo-input]", str(PHOTO))
    page.wait_for_selector("[data-capture-kind=photo] img")
    page.click("form[data-capture-form] button[type=submit]")
    expect(page.locator("[data-capture-status]")).to_have_text(
        "Your voice note and photo for Charles Babbage are saved on this phone. They will be sent when the signal is "
        "back.")
    expect(page.locator("[data-capture-kind]")).to_have_count(0)
    shots(page, "3-added-with-no-signal")
    back_online(page)
    wait_for_promise(page, "HallwayQueue.entries(null).then(list => list.length === 0)", timeout=30_000)
    assert [k for k, *_ in files_of(live_server.database, event_id)] == ["voice", "voice", "photo", "photo"]
    # A weak signal: the form's post gets no answer. What was recorded is still there when his page opens again,
    # and is kept once the server has answered.
    person_url = page.url
    context.route(re.compile(r".*/people/\d+/attachments$"), lambda route: route.abort("internetdisconnected"))
    page.set_input_files("[data-photo-input]", str(PHOTO))
    page.wait_for_selector("[data-capture-kind=photo] img")
    page.click("form[data-capture-form] button[type=submit]")
    expect(page.locator("h1")).to_have_text("No signal")
    context.unroute(re.compile(r".*/people/\d+/attachments$"))
    page.goto(person_url)
    page.wait_for_selector("[data-capture-kind=photo] img")
    page.click("form[data-capture-form] button[type=submit]")
    expect(page.locator(".flash-success")).to_contain_text("Photo added to Charles Babbage")
    assert len(files_of(live_server.database, event_id)) == 5
    page.reload()
    page.wait_for_load_state("load")
    expect(page.locator("[data-capture-kind]")).to_have_count(0)


def test_a_half_recorded_voice_note_survives_a_reload(live_server, phone_with_microphone, shots):
    page = phone_with_microphone
    sign_up(page, live_server.url, "Ada Lovelace")
    event_id = add_event_today(page, live_server.url, "Interrupted")
    page.goto(live_server.url + f"/events/{event_id}/people/new")
    page.fill("#name", "Ada")  # a draft exists, so the entry's id comes back with it
    page.click("[data-voice-start]")
    page.wait_for_function("() => document.querySelector('[data-voice-time]').textContent >= '0:03'",
                           timeout=20_000)
    page.reload()  # the phone locks, the tab is killed, the page reloads
    page.wait_for_selector("[data-capture-kind=voice] audio")
    assert "Your voice note from before is back." in page.inner_text("[data-capture-status]")
    shots(page, "1-back-after-reload")
    page.click("form.person-form button[type=submit]")
    page.wait_for_url(live_server.url + f"/events/{event_id}")
    [(kind, _, start, label)] = files_of(live_server.database, event_id)
    assert (kind, start, label) == ("voice", WEBM, "Ada")
