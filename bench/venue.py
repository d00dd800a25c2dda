"""How fast the event-day pages open on a phone, with signal, without it, and with a signal too weak to answer,
and how long the phone takes to send what it logged offline once the signal is back.

    python bench/venue.py

Serves the app with gunicorn on 127.0.0.1 (its own SQLite file), drives Debian's Chromium at iPhone 13 size,
and prints the median of several runs: time from the start of the navigation to the page's DOMContentLoaded,
as the browser's Navigation Timing reports it.
"""

import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from venue_steps import add_event_today, sign_up, visit_home_until_kept, waiting_entries  # noqa: E402

RUNS = 15
OFFLINE_ENTRIES = 20
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def serve(folder):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3", SECRET_KEY="bench-key",
               HALLWAY_PASSWORD_METHOD="pbkdf2:sha256:1000")
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "webapp:create_app()", "--bind", f"127.0.0.1:{port}",
                             "--workers", "2", "--threads", "4", "--log-level", "warning"], cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/login", timeout=1)
            return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start")


def opened_in_ms(page, url):
    page.goto(url, wait_until="domcontentloaded")
    timing = page.evaluate("performance.getEntriesByType('navigation')[0].toJSON()")
    return timing["domContentLoadedEventEnd"] - timing["startTime"]


def median_ms(page, url):
    return statistics.median(opened_in_ms(page, url) for _ in range(RUNS))


def main():
    folder = tempfile.mkdtemp(prefix="hallway-bench-")
    proc, base = serve(folder)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
                                        args=ARGS)
            phone = {k: v for k, v in p.devices["iPhone 13"].items() if k != "default_browser_type"}
            context = browser.new_context(**phone)
            page = context.new_page()
            email = sign_up(page, base, "Ada Bench", linkedin="linkedin.com/in/ada-bench")
            event_id = add_event_today(page, base, "Bench meetup")
            event = f"{base}/events/{event_id}"
            visit_home_until_kept(page, base, {"/", "/card", f"/events/{event_id}", f"/events/{event_id}/people/new"})

            rows = []
            bare = browser.new_context(**phone, service_workers="block")
            bare_page = bare.new_page()
            bare_page.goto(base + "/login")
            bare_page.fill("#email", email)
            bare_page.fill("#password", "correct horse battery")
            bare_page.click("button[type=submit]")
            bare_page.wait_for_url(base + "/")
            rows.append(("card, no service worker (plain network)", median_ms(bare_page, base + "/card")))
            rows.append(("event, no service worker (plain network)", median_ms(bare_page, event)))
            rows.append(("log form, no service worker (plain network)", median_ms(bare_page, f"{event}/people/new")))
            rows.append(("card, online (saved copy first)", median_ms(page, base + "/card")))
            rows.append(("log form, online (saved copy first)", median_ms(page, f"{event}/people/new")))
            rows.append(("event, online (network first)", median_ms(page, event)))
            context.set_offline(True)
            rows.append(("card, offline", median_ms(page, base + "/card")))
            rows.append(("event, offline", median_ms(page, event)))
            context.set_offline(False)

            # A signal too weak to answer: the server's reply never comes; the saved copy is shown instead.
            hang = re.compile(r".*/(card|events/\d+(/people/new)?)$")
            context.route(hang, lambda route: None)
            rows.append(("card, no answer from the network", opened_in_ms(page, base + "/card")))
            rows.append(("log form, no answer from the network", opened_in_ms(page, f"{event}/people/new")))
            rows.append(("event, no answer from the network", opened_in_ms(page, event)))
            context.unroute(hang)
            page.goto(event)

            context.set_offline(True)
            page.goto(f"{event}/people/new")
            for i in range(OFFLINE_ENTRIES):
                page.fill("#name", f"Person {i}")
                page.fill("#notes", "Talked about CRDTs")
                page.click("form.person-form button[type=submit]")
                page.wait_for_url(event)
                page.goto(f"{event}/people/new")
            page.goto(event)
            assert len(waiting_entries(page)) == OFFLINE_ENTRIES
            started = time.perf_counter()
            context.set_offline(False)
            while True:
                try:
                    if not waiting_entries(page):
                        break
                except Exception:  # the page reloads itself once the entries are sent
                    pass
                time.sleep(0.02)
            rows.append((f"send {OFFLINE_ENTRIES} people logged offline, once back online",
                         (time.perf_counter() - started) * 1000))
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)

    print(f"{'what':62} {'ms':>8}")
    for what, ms in rows:
        print(f"{what:62} {ms:8.0f}")


if __name__ == "__main__":
    main()
