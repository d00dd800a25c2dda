"""Steps a person takes in the browser before and at an event, shared by the offline and scanning tests."""

import re
import sqlite3
import uuid
from pathlib import Path

from conftest import PASSWORD, ROOT

CACHE_VERSION = re.search(r'const CACHE_VERSION = "([^"]+)"', (ROOT / "static/js/sw.js").read_text()).group(1)
PAGES_CACHE = CACHE_VERSION + "-pages"


def sign_up(page, base_url, name, linkedin=None):
    """A new account through the real forms; returns its email."""
    email = f"{name.split()[0].lower()}-{uuid.uuid4().hex[:8]}@example.com"
    page.goto(base_url + "/signup")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.fill("#display_name", name)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/profile$"))
    if linkedin:
        page.fill("#display_name", name)
        page.fill("#linkedin_url", linkedin)
        page.click("form.stack button[type=submit]")
        page.wait_for_url(re.compile(r".*/card$"))
    return email


def log_in(page, base_url, email):
    page.goto(base_url + "/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base_url + "/")


def add_event_today(page, base_url, name):
    """Plan today's event (the date defaults to today); returns its id."""
    page.goto(base_url + "/events/new")
    page.fill("#name", name)
    page.click("form.stack button[type=submit]")
    page.wait_for_url(re.compile(r".*/events/\d+$"))
    return int(page.url.rsplit("/", 1)[1])


def kept_pages(page):
    return page.evaluate(
        """name => caches.has(name).then(has => has ? caches.open(name).then(c => c.keys()) : [])
                .then(keys => keys.map(r => new URL(r.url).pathname))""", PAGES_CACHE)


def visit_home_until_kept(page, base_url, paths):
    """A first visit: the service worker installs and keeps the event-day pages on the phone."""
    page.goto(base_url + "/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("Boolean(navigator.serviceWorker.controller)"):
        page.reload()
    for _ in range(100):
        if set(paths) <= set(kept_pages(page)):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"pages not kept: {set(paths) - set(kept_pages(page))}")


def waiting_entries(page):
    return page.evaluate("HallwayQueue.entries(null)")


def stored_meetings(database, event_id):
    """(uuid, name, notes, linkedin) of everyone stored at the event, read straight from the server's file."""
    with sqlite3.connect(database) as conn:
        rows = conn.execute(
            "SELECT c.uuid, p.name, c.notes, p.linkedin_url, p.company, p.role, p.email FROM conversation c "
            "JOIN person p ON p.id = c.person_id WHERE c.event_id = ? ORDER BY c.id", (event_id,)).fetchall()
    conn.close()
    return rows


def hex_uuid(text):
    return uuid.UUID(text).hex


def qr_png(text, path: Path, code_size=560, frame=(640, 600)):
    """A QR code of text, code_size pixels wide, centred on a white image (a photo, or a camera's frame)."""
    import qrcode
    from PIL import Image

    code = qrcode.QRCode(border=4, box_size=10, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(text)
    code.make(fit=True)
    image = code.make_image(fill_color="black", back_color="white").convert("RGB")
    image = image.resize((code_size, code_size), Image.NEAREST)
    canvas = Image.new("RGB", frame, "white")
    canvas.paste(image, ((canvas.width - image.width) // 2, (canvas.height - image.height) // 2))
    canvas.save(path)
    return path
