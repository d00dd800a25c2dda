"""Scan their QR, in Debian's Chromium at iPhone 13 size: a fake rear camera shows a QR code of a LinkedIn profile
or a vCard, the log form fills itself, and saving puts the person on the event. Without a camera a photo works."""

import shutil
import subprocess
from pathlib import Path

import pytest
import vobject
from playwright.sync_api import expect
from steps import add_event_today, qr_png, sign_up, stored_meetings

pytestmark = pytest.mark.browser

@pytest.fixture
def camera_pointed_at(phone_with_devices, tmp_path):
    """Launch Chromium with a fake camera that films a QR code of the given text; returns a new phone page."""
    if not shutil.which("ffmpeg"):
        pytest.skip("ffmpeg is needed to make the fake camera's video: apt-get install -y ffmpeg")
    made = []

    def launch(text, extra_args=(), origin=None, picture=None):
        # A QR code of text filling the middle of the picture, as someone aims a phone at a code; or a picture
        # (a photo from a corpus) fitted into the camera's 640x480 frame.
        png = picture or qr_png(text, tmp_path / f"qr-{len(made)}.png", code_size=300, frame=(640, 480))
        video = tmp_path / f"qr-{len(made)}.y4m"
        made.append(video)
        fit = ("scale=640:480:force_original_aspect_ratio=decrease:force_divisible_by=2,"
               "pad=640:480:(ow-iw)/2:(oh-ih)/2:white")
        subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-loop", "1", "-i", str(png), "-vf", fit, "-r", "5",
                        "-t", "2", "-pix_fmt", "yuv420p", str(video)], check=True)
        return phone_with_devices(["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                                   f"--use-file-for-fake-video-capture={video}", *extra_args],
                                  origin=origin, permissions=["camera"])

    return launch


def open_log_form(page, base_url, who, event_name, through_the_form=False):
    sign_up(page, base_url, who, through_the_form=through_the_form)
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


def test_scanning_a_vcard_qr_fills_name_company_role_and_email_and_what_is_emptied_stays_so(live_server,
                                                                                           camera_pointed_at, shots):
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
    page.fill("#email", "")  # not theirs to keep: the server, which reads the card again, leaves it out too
    save_and_return_to_event(page, live_server.url, event_id)
    assert page.locator(".person-row .person-name").all_inner_texts() == ["Grace Hopper"]
    [(_, name, notes, linkedin, company, role, email)] = stored_meetings(live_server.database, event_id)
    assert (name, company, role, email, linkedin) == ("Grace Hopper", "US Navy", "Rear Admiral", "",
                                                      "https://www.linkedin.com/in/grace-hopper")
    assert page.js_errors == []


def test_over_plain_http_on_a_network_the_app_explains_why_there_is_no_camera(live_server, camera_pointed_at, shots):
    port = live_server.url.rsplit(":", 1)[1]
    page = camera_pointed_at("https://www.linkedin.com/in/anyone",
                             extra_args=["--host-resolver-rules=MAP hallway.test 127.0.0.1"])
    base_url = f"http://hallway.test:{port}"  # what a phone on the venue's Wi-Fi would open
    # Only the browser knows where hallway.test is: the account is made through its forms.
    open_log_form(page, base_url, "Ada Http", "LAN party", through_the_form=True)
    assert page.evaluate("window.isSecureContext") is False
    page.click("text=Scan their QR")
    status = page.locator("[data-scan-status]")
    expect(status).to_contain_text("camera over https")  # the scanner is downloaded at the first tap
    assert "photo of their QR" in status.inner_text()
    shots(page, "1-no-camera-on-http")
    assert page.js_errors == []


@pytest.mark.parametrize("text, expected", [
    ("MECARD:N:Lovelace,Ada;ORG:Analytical Engines;TEL:+4915112345;EMAIL:ada@example.com;"
     "URL:https://example.com/notes;NOTE:Badge 42;;",
     {"name": "Ada Lovelace", "company": "Analytical Engines", "phone": "+4915112345", "email": "ada@example.com",
      "notes": "https://example.com/notes\nBadge 42"}),
    ("Find me at the Postgres talk, room 4", {"name": "", "notes": "Find me at the Postgres talk, room 4"}),
], ids=["mecard", "plain-text"])
def test_a_photo_of_their_qr_works_when_there_is_no_camera_and_a_second_replaces_what_the_first_filled_in(
        live_server, page, context, tmp_path, shots, text, expected):
    event_id = open_log_form(page, live_server.url, "Ada Photo", "Photo meetup")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    context.set_offline(True)  # in the basement: the QR reader comes from the phone's cache
    page.set_input_files("[data-scan-photo]", str(qr_png(text, tmp_path / "photo.png")))
    field = "name" if expected["name"] else "notes"
    page.wait_for_function(f"() => document.querySelector('#{field}').value !== ''")
    assert {f: page.input_value(f"#{f}") for f in expected} == expected
    shots(page, "1-from-photo")
    # The wrong person's code, or a second person met at once: the next code takes the first one's place,
    # and what the user typed stays.
    page.fill("#description", "Postgres talk")
    page.fill("#notes", page.input_value("#notes") + "\nWants the slides")
    card = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dr. Jürgen Müller\r\nORG:Größe GmbH\r\nTITLE:Geschäftsführer\r\n"
            "EMAIL:j@groesse.de\r\nEND:VCARD\r\n")
    page.set_input_files("[data-scan-photo]", str(qr_png(card, tmp_path / "second.png")))
    expect(page.locator("#name")).to_have_value("Dr. Jürgen Müller")
    assert {f: page.input_value(f"#{f}") for f in ("company", "email", "phone", "description", "notes")} == {
        "company": "Größe GmbH", "email": "j@groesse.de", "phone": "", "description": "Postgres talk",
        "notes": "Wants the slides"}
    context.set_offline(False)
    save_and_return_to_event(page, live_server.url, event_id)
    [(_, name, notes, _, company, _, email)] = stored_meetings(live_server.database, event_id)
    assert (name, notes, company, email) == ("Dr. Jürgen Müller", "Wants the slides", "Größe GmbH", "j@groesse.de")


def test_a_contact_card_is_read_whichever_of_its_readers_arrives_first(live_server, browser, browser_context_args,
                                                                       tmp_path):
    """linkedin.js and contact-card.js come down side by side at the first scan; on a busy phone either may
    arrive first. Here contact-card.js does, and the card with a LinkedIn address still fills the form."""
    context = browser.new_context(**browser_context_args, service_workers="block")  # every file from the network
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    held = []
    page.route("**/static/js/linkedin.*.js", lambda route: held.append(route))  # answered once contact-card.js is in
    open_log_form(page, live_server.url, "Ada Order", "Race meetup")
    card = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Hopper\r\nORG:US Navy\r\n"
            "URL:https://www.linkedin.com/in/grace-hopper\r\nEND:VCARD\r\n")
    with page.expect_event("requestfinished", lambda r: "/js/contact-card." in r.url):
        page.set_input_files("[data-scan-photo]", str(qr_png(card, tmp_path / "card.png")))
    page.wait_for_function("() => window.HallwayContactCard && !window.HallwayLinkedIn")
    [linkedin] = held
    linkedin.continue_()
    expect(page.locator("#name")).to_have_value("Grace Hopper")
    assert {f: page.input_value(f"#{f}") for f in ("company", "linkedin_url")} == {
        "company": "US Navy", "linkedin_url": "https://www.linkedin.com/in/grace-hopper"}
    assert errors == []
    context.close()


def test_a_denied_or_missing_camera_points_to_the_photo(live_server, page, shots):
    open_log_form(page, live_server.url, "Ada Nocam", "No camera meetup")
    page.click("text=Scan their QR")
    status = page.locator("[data-scan-status].error")
    status.wait_for()
    assert "photo of their QR" in status.inner_text()
    expect(page.locator(".scan-photo")).to_be_visible()
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


# When each thing the scanner says first shows, in the page's own clock.
NOTE_WHAT_IS_SAID = """() => {
  const status = document.querySelector('[data-scan-status]');
  window.saidAt = [];
  new MutationObserver(() => {
    const text = status.textContent;
    if (!window.saidAt.some(([said]) => said === text)) window.saidAt.push([text, performance.now()]);
  }).observe(status, { childList: true, characterData: true, subtree: true });
}"""
TIMER_SLACK_MS = 250  # a browser timer fires late on a busy machine


def test_the_camera_says_within_3_seconds_when_no_code_is_in_view(live_server, camera_pointed_at, tmp_path, shots):
    from PIL import Image

    blank = tmp_path / "wall.png"
    Image.new("RGB", (640, 480), (200, 190, 180)).save(blank)
    page = camera_pointed_at(None, origin=live_server.url, picture=blank)
    open_log_form(page, live_server.url, "Ada Wall", "Nothing to read")
    page.evaluate(NOTE_WHAT_IS_SAID)
    page.click("text=Scan their QR")
    status = page.locator("[data-scan-status]")
    expect(status).to_contain_text("No QR code in view yet")
    # Timed by the page itself, from the camera running to the hint: the test's own polling, slowed by
    # whatever else the machine runs, is not part of what the phone shows.
    said = dict(page.evaluate("window.saidAt"))
    pointing, hint = said["Point the camera at their QR code."], said[status.inner_text()]
    assert 0 < hint - pointing <= 3000 + TIMER_SLACK_MS, said
    shots(page, "1-no-code-in-view")
    expect(page.locator("[data-scan-view]")).to_be_visible()  # still looking
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


def bottom_bars(page):
    """The top edge of what is fixed or stuck to the bottom of the screen: the tab bar, and Save above it."""
    return page.evaluate("""() => Math.min(...['.tabbar', '.action-bar'].map(s => document.querySelector(s))
        .filter(Boolean).map(e => e.getBoundingClientRect().top))""")


@pytest.mark.parametrize("size", [(360, 740), (390, 844)], ids=["360x740", "390x844"])
def test_the_camera_view_keeps_its_status_and_stop_button_above_the_tab_bar(live_server, camera_pointed_at, tmp_path,
                                                                            shots, size):
    from PIL import Image

    blank = tmp_path / "wall.png"
    Image.new("RGB", (640, 480), (200, 190, 180)).save(blank)
    page = camera_pointed_at(None, origin=live_server.url, picture=blank)
    page.set_viewport_size({"width": size[0], "height": size[1]})
    open_log_form(page, live_server.url, "Ada Aim", "Aiming meetup")
    page.click("text=Scan their QR")
    status = page.locator("[data-scan-status]")
    stop = page.locator("[data-scan-stop]")
    header = page.locator(".topbar").bounding_box()
    expect(status).to_have_text("Point the camera at their QR code.")
    expect(page.locator("[data-scan-start]")).to_be_hidden()  # the picture takes its place
    for moment in ("start", "no-code-yet"):
        if moment == "no-code-yet":
            # The longest thing it says while the camera runs, three lines on a 360 px phone.
            expect(status).to_contain_text("No QR code in view yet", timeout=10_000)  # how soon is tested on its own
        shots(page, f"1-camera-{moment}-{size[0]}x{size[1]}")
        bars = page.locator(".tabbar").bounding_box()
        for element in (status, stop):
            box = element.bounding_box()
            assert box["y"] + box["height"] <= bottom_bars(page), (moment, element)
            assert box["y"] + box["height"] <= bars["y"], (moment, element)
        video = page.locator("[data-scan-view] video").bounding_box()
        assert video["y"] >= header["y"] + header["height"]  # and the picture is not under the header
    assert page.js_errors == []


def start_camera_on_a_wall(camera_pointed_at, live_server, tmp_path, who, init_script=None):
    """The log form with the camera running and filming a plain wall, so it keeps looking."""
    from PIL import Image

    blank = tmp_path / "wall.png"
    Image.new("RGB", (640, 480), (200, 190, 180)).save(blank)
    page = camera_pointed_at(None, origin=live_server.url, picture=blank)
    if init_script:
        page.add_init_script(init_script)
    open_log_form(page, live_server.url, who, "Aiming meetup")
    page.click("text=Scan their QR")
    expect(page.locator("[data-scan-status]")).to_have_text("Point the camera at their QR code.")
    return page


def box_of(page, selector):
    return page.locator(selector).bounding_box()


def test_a_square_in_the_middle_of_the_picture_shows_where_to_hold_the_code(live_server, camera_pointed_at,
                                                                           tmp_path, shots):
    page = start_camera_on_a_wall(camera_pointed_at, live_server, tmp_path, "Ada Aim")
    video, aim = box_of(page, "[data-scan-view] video"), box_of(page, ".scan-aim")
    assert aim["width"] == pytest.approx(aim["height"], abs=1)
    assert 0.5 * video["height"] < aim["height"] < video["height"]
    assert aim["x"] + aim["width"] / 2 == pytest.approx(video["x"] + video["width"] / 2, abs=1)
    assert aim["y"] + aim["height"] / 2 == pytest.approx(video["y"] + video["height"] / 2, abs=1)
    shots(page, "1-aiming-frame")
    # Purely drawn over the picture: without it nothing moves, and a tap in the middle reaches the video.
    before = [box_of(page, s) for s in ("[data-scan-view] video", "[data-scan-stop]", "[data-scan-status]")]
    assert page.evaluate("""() => { const v = document.querySelector('[data-scan-view] video').getBoundingClientRect();
        return document.elementFromPoint(v.x + v.width / 2, v.y + v.height / 2).tagName; }""") == "VIDEO"
    page.evaluate("document.querySelector('.scan-aim').remove()")
    after = [box_of(page, s) for s in ("[data-scan-view] video", "[data-scan-stop]", "[data-scan-status]")]
    assert after == before
    assert page.js_errors == []


def test_the_light_button_stays_hidden_where_the_camera_has_no_light(live_server, camera_pointed_at, tmp_path):
    page = start_camera_on_a_wall(camera_pointed_at, live_server, tmp_path, "Ada Dark")
    # Chromium's fake camera, like a laptop's, has no light to switch.
    assert page.evaluate("document.querySelector('[data-scan-view] video').srcObject.getVideoTracks()[0]"
                         ".getCapabilities().torch") is None
    expect(page.locator("[data-scan-torch]")).to_be_hidden()
    page.wait_for_timeout(300)  # still hidden once the camera has been running a moment
    expect(page.locator("[data-scan-torch]")).to_be_hidden()
    assert page.js_errors == []


# A phone camera with a light, as Android's Chrome reports it: the fake camera's own capabilities plus a torch.
CAMERA_REPORTING_A_LIGHT = """
const own = MediaStreamTrack.prototype.getCapabilities;
MediaStreamTrack.prototype.getCapabilities = function () {
  return this.kind === 'video' ? Object.assign({}, own.call(this), { torch: true }) : own.call(this);
};
"""
# ...and that switches it: Chromium refuses a torch on its fake camera (OverconstrainedError), so this phone's
# answer is recorded instead, the way a phone with a light answers: it takes the constraint.
CAMERA_WITH_A_LIGHT = CAMERA_REPORTING_A_LIGHT + """
window.lightAsked = [];
const apply = MediaStreamTrack.prototype.applyConstraints;
MediaStreamTrack.prototype.applyConstraints = function (constraints) {
  if (!JSON.stringify(constraints).includes('torch')) return apply.call(this, constraints);
  window.lightAsked.push(constraints);
  return Promise.resolve();
};
"""
LAYOUT = ("[data-scan-view] video", "[data-scan-stop]", "[data-scan-status]", ".scan-photo")


def test_a_camera_with_a_light_offers_a_button_that_switches_it_on_and_off(live_server, camera_pointed_at,
                                                                          tmp_path, shots):
    page = start_camera_on_a_wall(camera_pointed_at, live_server, tmp_path, "Ada Light",
                                  init_script=CAMERA_WITH_A_LIGHT)
    light = page.locator("[data-scan-torch]")
    expect(light).to_be_visible()
    expect(light).to_have_attribute("aria-pressed", "false")
    light.click()
    expect(light).to_have_attribute("aria-pressed", "true")
    shots(page, "1-light-on")
    light.click()
    expect(light).to_have_attribute("aria-pressed", "false")
    assert page.evaluate("window.lightAsked") == [{"advanced": [{"torch": True}]}, {"advanced": [{"torch": False}]}]
    # Drawn on the picture: showing it moves nothing.
    shown = [box_of(page, s) for s in LAYOUT]
    page.evaluate("document.querySelector('[data-scan-torch]').hidden = true")
    assert [box_of(page, s) for s in LAYOUT] == shown
    page.evaluate("document.querySelector('[data-scan-torch]').hidden = false")
    page.click("[data-scan-stop]")
    expect(light).to_be_hidden()
    assert page.js_errors == []


def test_a_light_the_camera_refuses_to_switch_hides_its_button_and_says_so(live_server, camera_pointed_at,
                                                                          tmp_path):
    # The camera reports a light but Chromium's real applyConstraints refuses it.
    page = start_camera_on_a_wall(camera_pointed_at, live_server, tmp_path, "Ada Refused",
                                  init_script=CAMERA_REPORTING_A_LIGHT)
    light = page.locator("[data-scan-torch]")
    light.click()
    expect(light).to_be_hidden()
    expect(page.locator("[data-scan-status]")).to_contain_text("The light could not be switched on")
    expect(page.locator("[data-scan-view]")).to_be_visible()  # still scanning
    assert page.js_errors == []


def test_starting_the_camera_on_a_scrolled_page_brings_the_whole_view_out_from_under_the_header(
        live_server, camera_pointed_at, tmp_path, shots):
    from PIL import Image

    blank = tmp_path / "wall.png"
    Image.new("RGB", (640, 480), (200, 190, 180)).save(blank)
    page = camera_pointed_at(None, origin=live_server.url, picture=blank)  # iPhone 13 with the browser's bars: 390x664
    open_log_form(page, live_server.url, "Ada Scroll", "Scrolled meetup")
    header = box_of(page, ".topbar")
    start = box_of(page, "[data-scan-start]")
    # Scrolled until the Scan button's top edge is under the header, its middle still there to tap.
    target = start["y"] + start["height"] / 2 - (header["y"] + header["height"]) - 4
    page.evaluate(f"window.scrollTo(0, {target})")
    assert box_of(page, "[data-scan-start]")["y"] < header["y"] + header["height"]
    page.click("text=Scan their QR")
    expect(page.locator("[data-scan-status]")).to_have_text("Point the camera at their QR code.")
    shots(page, "1-scrolled-start")
    header = box_of(page, ".topbar")
    assert box_of(page, "[data-scan-view] video")["y"] >= header["y"] + header["height"]
    for selector in ("[data-scan-stop]", "[data-scan-status]"):
        box = box_of(page, selector)
        assert box["y"] + box["height"] <= bottom_bars(page), selector
    assert page.js_errors == []
