"""Scan their QR, in Debian's Chromium at iPhone 13 size: a fake rear camera shows a QR code of a LinkedIn profile
or a vCard, the log form fills itself, and saving puts the person on the event. Without a camera a photo works."""

import shutil
import subprocess
from pathlib import Path

import pytest
import vobject
from conftest import CHROMIUM, IN_CI
from playwright.sync_api import expect
from steps import add_event_today, qr_png, sign_up, stored_meetings

pytestmark = pytest.mark.browser

BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def phone(playwright):
    return {k: v for k, v in playwright.devices["iPhone 13"].items() if k != "default_browser_type"}


@pytest.fixture
def camera_pointed_at(playwright, tmp_path):
    """Launch Chromium with a fake camera that films a QR code of the given text; returns a new phone page."""
    if not Path(CHROMIUM).exists():
        reason = f"Chromium not found at {CHROMIUM}: apt-get install -y chromium"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    if not shutil.which("ffmpeg"):
        pytest.skip("ffmpeg is needed to make the fake camera's video: apt-get install -y ffmpeg")
    browsers = []

    def launch(text, extra_args=(), origin=None, picture=None):
        # A QR code of text filling the middle of the picture, as someone aims a phone at a code; or a picture
        # (a photo from a corpus) fitted into the camera's 640x480 frame.
        png = picture or qr_png(text, tmp_path / f"qr-{len(browsers)}.png", code_size=300, frame=(640, 480))
        video = tmp_path / f"qr-{len(browsers)}.y4m"
        fit = ("scale=640:480:force_original_aspect_ratio=decrease:force_divisible_by=2,"
               "pad=640:480:(ow-iw)/2:(oh-ih)/2:white")
        subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-loop", "1", "-i", str(png), "-vf", fit, "-r", "5",
                        "-t", "2", "-pix_fmt", "yuv420p", str(video)], check=True)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS + [
            "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}", *extra_args])
        browsers.append(browser)
        context = browser.new_context(**phone(playwright))
        if origin:
            context.grant_permissions(["camera"], origin=origin)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        # Content-Security-Policy refusals show up only in the console.
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.js_errors = errors
        return page

    yield launch
    for browser in browsers:
        browser.close()


def open_log_form(page, base_url, who, event_name):
    sign_up(page, base_url, who)
    event_id = add_event_today(page, base_url, event_name)
    page.goto(base_url + f"/events/{event_id}/people/new")
    return event_id


def save_and_return_to_event(page, base_url, event_id):
    page.click("form.person-form button[type=submit]")
    page.wait_for_url(base_url + f"/events/{event_id}")


def test_scanning_a_linkedin_qr_fills_their_linkedin_and_moves_to_the_name(live_server, camera_pointed_at, shots):
    page = camera_pointed_at("https://www.linkedin.com/in/Linus-Torvalds-42/?utm_source=share&utm_medium=qr",
                             origin=live_server.url)
    event_id = open_log_form(page, live_server.url, "Ada Scanner", "Kernel meetup")
    page.click("text=Scan their QR")
    page.wait_for_function("() => document.querySelector('#linkedin_url').value !== ''", timeout=15000)
    assert page.input_value("#linkedin_url") == "https://www.linkedin.com/in/linus-torvalds-42"
    assert page.evaluate("document.activeElement.id") == "name"
    assert page.locator("[data-scan-view]").is_hidden()  # the camera stops once it has read a code
    shots(page, "1-scanned-linkedin")
    page.keyboard.type("Linus")
    save_and_return_to_event(page, live_server.url, event_id)
    assert page.locator(".person-row .person-name").all_inner_texts() == ["Linus"]
    [(_, name, _, linkedin, *_)] = stored_meetings(live_server.database, event_id)
    assert (name, linkedin) == ("Linus", "https://www.linkedin.com/in/linus-torvalds-42")
    assert page.js_errors == []


def test_scanning_a_vcard_qr_fills_name_company_role_and_email(live_server, camera_pointed_at, shots):
    card = vobject.vCard()
    card.add("n").value = vobject.vcard.Name(family="Hopper", given="Grace")
    card.add("fn").value = "Grace Hopper"
    card.add("org").value = ["US Navy", "Computing"]
    card.add("title").value = "Rear Admiral"
    card.add("email").value = "grace@navy.example"
    card.add("url").value = "https://www.linkedin.com/in/grace-hopper"
    card.add("note").value = "Ask me about nanoseconds, COBOL; and compilers"
    page = camera_pointed_at(card.serialize(), origin=live_server.url)
    event_id = open_log_form(page, live_server.url, "Ada Scanner", "Navy yard")
    page.click("text=Scan their QR")
    page.wait_for_function("() => document.querySelector('#name').value !== ''", timeout=15000)
    filled = {f: page.input_value(f"#{f}") for f in ("name", "company", "role", "email", "linkedin_url", "notes")}
    assert filled == {"name": "Grace Hopper", "company": "US Navy", "role": "Rear Admiral",
                      "email": "grace@navy.example", "linkedin_url": "https://www.linkedin.com/in/grace-hopper",
                      "notes": "Ask me about nanoseconds, COBOL; and compilers"}
    shots(page, "1-scanned-vcard")
    save_and_return_to_event(page, live_server.url, event_id)
    assert page.locator(".person-row .person-name").all_inner_texts() == ["Grace Hopper"]
    [(_, name, notes, linkedin, company, role, email)] = stored_meetings(live_server.database, event_id)
    assert (name, company, role, email, linkedin) == ("Grace Hopper", "US Navy", "Rear Admiral",
                                                      "grace@navy.example", "https://www.linkedin.com/in/grace-hopper")
    assert page.js_errors == []


def test_over_plain_http_on_a_network_the_app_explains_why_there_is_no_camera(live_server, camera_pointed_at, shots):
    port = live_server.url.rsplit(":", 1)[1]
    page = camera_pointed_at("https://www.linkedin.com/in/anyone",
                             extra_args=["--host-resolver-rules=MAP hallway.test 127.0.0.1"])
    base_url = f"http://hallway.test:{port}"  # what a phone on the venue's Wi-Fi would open
    open_log_form(page, base_url, "Ada Http", "LAN party")
    assert page.evaluate("window.isSecureContext") is False
    page.click("text=Scan their QR")
    status = page.locator("[data-scan-status]")
    expect(status).to_contain_text("camera over https")  # the scanner is downloaded at the first tap
    assert "photo of their QR" in status.inner_text()
    shots(page, "1-no-camera-on-http")
    assert page.js_errors == []


@pytest.mark.parametrize("text, expected", [
    ("MECARD:N:Lovelace,Ada;ORG:Analytical Engines;EMAIL:ada@example.com;URL:https://example.com/notes;;",
     {"name": "Ada Lovelace", "company": "Analytical Engines", "email": "ada@example.com",
      "notes": "https://example.com/notes"}),
    ("Find me at the Postgres talk, room 4", {"name": "", "notes": "Find me at the Postgres talk, room 4"}),
], ids=["mecard", "plain-text"])
def test_a_photo_of_their_qr_works_when_there_is_no_camera(live_server, page, context, tmp_path, shots, text,
                                                          expected):
    event_id = open_log_form(page, live_server.url, "Ada Photo", "Photo meetup")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    context.set_offline(True)  # in the basement: the QR reader comes from the phone's cache
    page.set_input_files("[data-scan-photo]", str(qr_png(text, tmp_path / "photo.png")))
    field = "name" if expected["name"] else "notes"
    page.wait_for_function(f"() => document.querySelector('#{field}').value !== ''")
    assert {f: page.input_value(f"#{f}") for f in expected} == expected
    shots(page, "1-from-photo")
    context.set_offline(False)
    if not expected["name"]:
        page.fill("#description", "Postgres talk")
    save_and_return_to_event(page, live_server.url, event_id)
    assert len(stored_meetings(live_server.database, event_id)) == 1


def test_a_denied_or_missing_camera_points_to_the_photo(live_server, page, shots):
    open_log_form(page, live_server.url, "Ada Nocam", "No camera meetup")
    page.click("text=Scan their QR")
    status = page.locator("[data-scan-status].error")
    status.wait_for()
    assert "photo of their QR" in status.inner_text()
    assert page.locator(".scan-photo").is_visible()
    shots(page, "1-no-camera")


CORPUS = Path(__file__).parent / "data" / "qr"


@pytest.mark.parametrize("image", ["zxing/qrcode-2/18.png", "zxing-cpp/qrcode-2/10.png", "zxing/qrcode-5/04.png"])
def test_the_camera_reads_corpus_codes_with_their_text_intact(live_server, camera_pointed_at, image):
    """Photos from ZXing's and zxing-cpp's test sets filmed by the camera, Japanese text included."""
    page = camera_pointed_at(None, origin=live_server.url, picture=CORPUS / image)
    open_log_form(page, live_server.url, "Ada Camera", "Corpus on camera")
    page.click("text=Scan their QR")
    page.wait_for_function("() => document.querySelector('[name=scanned_text]').value !== ''", timeout=10000)
    expected = (CORPUS / image).with_suffix(".txt").read_bytes().decode("utf-8")
    assert page.input_value("[name=scanned_text]") == expected
    assert page.locator("[data-scan-view]").is_hidden()
    assert page.js_errors == []


def test_the_camera_says_within_3_seconds_when_no_code_is_in_view(live_server, camera_pointed_at, tmp_path, shots):
    from PIL import Image

    blank = tmp_path / "wall.png"
    Image.new("RGB", (640, 480), (200, 190, 180)).save(blank)
    page = camera_pointed_at(None, origin=live_server.url, picture=blank)
    open_log_form(page, live_server.url, "Ada Wall", "Nothing to read")
    page.click("text=Scan their QR")
    status = page.locator("[data-scan-status]")
    expect(status).to_have_text("Point the camera at their QR code.")
    expect(status).to_contain_text("No QR code in view yet", timeout=3500)
    shots(page, "1-no-code-in-view")
    assert page.locator("[data-scan-view]").is_visible()  # still looking
    assert page.js_errors == []


def test_a_photo_that_is_not_a_picture_or_holds_no_code_gets_a_clear_message(live_server, page, tmp_path):
    from PIL import Image

    open_log_form(page, live_server.url, "Ada Wrong", "Wrong files")
    status = page.locator("[data-scan-status]")
    not_a_picture = tmp_path / "notes.png"
    not_a_picture.write_text("just some text")
    page.set_input_files("[data-scan-photo]", str(not_a_picture))
    expect(status).to_contain_text("not a picture this phone can open")
    blank = tmp_path / "blank.png"
    Image.new("RGB", (800, 600), "white").save(blank)
    page.set_input_files("[data-scan-photo]", str(blank))
    expect(status).to_contain_text("No QR code found in that photo")
    empty = qr_png("   ", tmp_path / "empty.png")  # zxing-cpp reports no code at all for a zero-length one
    page.set_input_files("[data-scan-photo]", str(empty))
    expect(status).to_contain_text("That QR code is empty")
