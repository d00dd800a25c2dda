"""On a venue's weak signal, in Debian's Chromium at iPhone 13 size: the bytes each key page really transfers on a
first visit and a repeat visit (counted by Chromium's network layer), and how soon the card is drawn on a
400 kbit/s connection with 400 ms of latency."""

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from types import SimpleNamespace

import pytest
from conftest import ROOT, _free_port
from steps import add_event_today, sign_up, visit_home_until_kept

pytestmark = pytest.mark.browser

KB = 1024
# 400 kbit/s down and up, 400 ms round trips: Chromium's own throttling (bytes per second).
WEAK_SIGNAL = {"offline": False, "latency": 400, "downloadThroughput": 50_000, "uploadThroughput": 50_000}


@pytest.fixture(scope="module")
def evening(live_server, browser, browser_context_args):
    """An account on its event day, with a card and three people met: its login, and the key pages."""
    context = browser.new_context(**browser_context_args, service_workers="block")
    page = context.new_page()
    sign_up(page, live_server.url, "Ada Lovelace", linkedin="https://www.linkedin.com/in/ada-lovelace/")
    event_id = add_event_today(page, live_server.url, "PyData Berlin")
    for n in range(3):
        page.goto(f"{live_server.url}/events/{event_id}/people/new")
        page.fill("#name", f"Person {n}")
        page.fill("#notes", "Talked about streaming pipelines")
        page.click("form.person-form button[type=submit]")
        page.wait_for_url(re.compile(r".*/events/\d+$"))
    state = context.storage_state()
    context.close()
    pages = {"home": "/", "event": f"/events/{event_id}", "log form": f"/events/{event_id}/people/new",
             "card": "/card", "People": "/people", "Follow-ups": "/follow-ups/", "Insights": "/insights/",
             "Profile": "/profile"}
    return state, pages


class Wire:
    """Counts what reaches the page over the network: Chromium's encodedDataLength (headers and the body
    as sent) for every response not answered from the cache."""

    def __init__(self, page):
        self.cdp = page.context.new_cdp_session(page)
        self.sizes, self.cached = {}, set()
        self.cdp.on("Network.requestServedFromCache", lambda e: self.cached.add(e["requestId"]))
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.loadingFinished", lambda e: self.sizes.__setitem__(e["requestId"],
                                                                                  e["encodedDataLength"]))
        self.urls = {}
        self.cdp.send("Network.enable")

    def _response(self, event):
        self.urls[event["requestId"]] = event["response"]["url"]
        if event["response"].get("fromDiskCache") or event["response"].get("fromServiceWorker"):
            self.cached.add(event["requestId"])

    def transferred(self):
        return sum(size for rid, size in self.sizes.items() if rid not in self.cached)

    def loaded(self):
        return sorted(url for rid, url in self.urls.items() if rid not in self.cached)

    def wait_for(self, part, page, seconds=5):
        for _ in range(seconds * 10):
            if any(part in url for rid, url in self.urls.items() if rid in self.sizes):
                return
            page.wait_for_timeout(100)
        raise AssertionError(f"nothing loaded from {part}: {self.loaded()}")

    def reset(self):
        self.sizes.clear(), self.cached.clear(), self.urls.clear()


def open_fresh(browser, browser_context_args, state, **options):
    context = browser.new_context(**browser_context_args, storage_state=state, **options)
    return context, context.new_page()


@pytest.mark.parametrize("name", ["home", "event", "log form", "card", "People", "Follow-ups", "Insights",
                                  "Profile"])
def test_a_key_page_costs_at_most_30_kb_first_and_6_kb_again(live_server, full_browser, browser_context_args, evening,
                                                             name):
    state, pages = evening
    context, page = open_fresh(full_browser, browser_context_args, state, service_workers="block")
    wire = Wire(page)
    page.goto(live_server.url + pages[name], wait_until="networkidle")
    wire.wait_for("/static/icons/", page)  # the tab's icon is asked for after the page has loaded
    first, loaded = wire.transferred(), wire.loaded()
    assert not any("/vendor/" in url for url in loaded), loaded  # the QR reader waits for a scan
    wire.reset()
    page.goto(live_server.url + pages[name], wait_until="networkidle")
    again, reloaded = wire.transferred(), wire.loaded()
    context.close()
    print(f"{name}: first visit {first} B ({len(loaded)} requests), repeat {again} B ({reloaded})")
    assert first <= 30 * KB, loaded
    assert [url.removeprefix(live_server.url) for url in reloaded] == [pages[name]]
    assert again <= 6 * KB


def test_with_the_service_worker_a_repeat_visit_downloads_only_the_page(live_server, full_browser, browser_context_args,
                                                                       evening):
    state, pages = evening
    context, page = open_fresh(full_browser, browser_context_args, state)
    # The first visit: the worker installs and keeps the event-day pages for a visit with no signal (and /met,
    # where what is shared with the app lands).
    visit_home_until_kept(page, live_server.url, [pages[n] for n in ("home", "event", "log form", "card")] + ["/met"])
    fetched = []
    context.on("requestfinished", lambda request: fetched.append(request))
    page.goto(live_server.url + pages["event"], wait_until="networkidle")
    on_the_wire = [r for r in fetched if not (r.response() and r.response().from_service_worker)]
    sizes = {r.url.removeprefix(live_server.url): r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"]
             for r in on_the_wire}
    context.close()
    print(f"repeat visit with the service worker: {sizes}")
    # The worker asks the network for the page itself (network first); every file comes from its cache.
    assert set(sizes) <= {pages["event"], "/sw.js"}, sizes
    assert sum(sizes.values()) <= 6 * KB


def test_the_card_is_drawn_within_2_seconds_on_a_weak_signal(live_server, full_browser, browser_context_args, evening,
                                                            shots):
    state, _ = evening
    context, page = open_fresh(full_browser, browser_context_args, state, service_workers="block")
    wire = Wire(page)
    wire.cdp.send("Network.emulateNetworkConditions", WEAK_SIGNAL)
    page.goto(live_server.url + "/card", wait_until="load")
    paints = page.evaluate("Object.fromEntries(performance.getEntriesByType('paint')"
                           ".map(p => [p.name, Math.round(p.startTime)]))")
    shots(page, "card-on-a-weak-signal")
    context.close()
    print(f"card on 400 kbit/s, 400 ms: {paints}, {wire.transferred()} B")
    assert paints["first-contentful-paint"] < 2000, paints


@pytest.fixture
def own_server(tmp_path):
    """A copy of the app on a port of its own, to release a new version of it under the same address."""
    for part in ("webapp", "static", "templates"):
        shutil.copytree(ROOT / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
    port = _free_port()
    env = dict(os.environ, DATABASE_URL="sqlite:///" + str(tmp_path / "own.sqlite3"), SECRET_KEY="own-test-key")
    running = []

    def start():
        running.append(subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "webapp:create_app()", "--bind", f"127.0.0.1:{port}",
             "--workers", "1", "--log-level", "warning"], cwd=tmp_path, env=env))
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=1)
                return
            except OSError:
                time.sleep(0.1)
        pytest.fail("the server did not start")

    def stop():
        process = running.pop()
        process.terminate()
        process.wait(timeout=10)

    start()
    yield SimpleNamespace(url=f"http://127.0.0.1:{port}", folder=tmp_path, start=start, stop=stop)
    while running:
        process = running.pop()
        process.terminate()
        process.wait(timeout=10)


def shell_files(page):
    return set(page.evaluate(
        """() => caches.keys().then(names => caches.open(names.find(n => n.endsWith('-shell'))))
                 .then(c => c.keys()).then(keys => keys.map(r => new URL(r.url).pathname))"""))


def test_a_new_release_reaches_the_phone_without_a_version_bump(own_server, page):
    page.goto(own_server.url + "/login")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    before = shell_files(page)
    old_css = next(url for url in before if url.startswith("/static/css/app."))

    own_server.stop()
    stylesheet = own_server.folder / "static/css/app.css"
    stylesheet.write_text(stylesheet.read_text() + "\n.released { color: #0b3d91; }\n")
    own_server.start()

    page.goto(own_server.url + "/login")  # the browser checks /sw.js on each visit: its bytes changed
    for _ in range(100):
        now = shell_files(page)
        if old_css not in now:
            break
        page.wait_for_timeout(100)
    (new_css,) = [url for url in now if url.startswith("/static/css/app.")]
    assert new_css != old_css
    assert now - {new_css} == before - {old_css}  # every other file kept under the same URL
    assert ".released" in page.evaluate(f"caches.match('{new_css}').then(r => r.text())")
