"""Whether logins for unknown emails from a few clients slow everyone else down.

    python bench/login_flood.py [--clients 6] [--seconds 20]

Serves the app under gunicorn (2 workers, as in production) on a fresh SQLite file with one account, then
measures a logged-in user's home page, request after request, in rounds: alone, then while `--clients`
clients (each from its own loopback address, 127.0.0.2, 127.0.0.3...) post logins for unknown emails as fast
as the server answers, alone again, and so on. Reports the home page's median and 95th percentile latency in
both states and their ratio, and how the flooders were answered (a password check, or 429 once their
address's limit is spent).
"""

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery staple 42"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port, method, path, body=None, headers=None, source="127.0.0.1"):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def form(fields):
    return urllib.parse.urlencode(fields), {"Content-Type": "application/x-www-form-urlencoded"}


def cookie_and_token(port, path, cookie=""):
    status, headers, body = request(port, "GET", path, headers={"Cookie": cookie} if cookie else {})
    for name, value in headers:
        if name.lower() == "set-cookie":
            cookie = value.split(";", 1)[0]
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', body)
    return cookie, token.group(1).decode() if token else ""


def sign_up(port):
    cookie, token = cookie_and_token(port, "/signup")
    body, headers = form({"email": "ada@example.com", "password": PASSWORD, "display_name": "Ada",
                          "timezone": "UTC", "csrf_token": token})
    status, answer, _ = request(port, "POST", "/signup", body, {**headers, "Cookie": cookie})
    assert status == 302, status
    return next(v.split(";", 1)[0] for k, v in answer if k.lower() == "set-cookie")


def flood(port, source, stop, answers):
    cookie, token = cookie_and_token(port, "/login")
    n = 0
    while not stop.is_set():
        n += 1
        body, headers = form({"email": f"nobody-{source}-{n}@example.com", "password": "wrong password 123",
                              "csrf_token": token})
        try:
            status, _, _ = request(port, "POST", "/login", body, {**headers, "Cookie": cookie}, source=source)
        except OSError:
            status = "error"
        answers[status] = answers.get(status, 0) + 1


def timed_homes(port, cookie, seconds):
    times = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        start = time.perf_counter()
        status, _, _ = request(port, "GET", "/", headers={"Cookie": cookie})
        times.append((time.perf_counter() - start) * 1000)
        assert status == 200, status
    return times


def p95(values):
    return statistics.quantiles(values, n=20)[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=20, help="in all, per state")
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    port = free_port()
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{folder / 'flood.sqlite3'}", SECRET_KEY="bench")
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "webapp:create_app()", "-w", "2", "--threads", "4",
                               "-b", f"127.0.0.1:{port}", "--log-level", "warning"], cwd=ROOT, env=env)
    try:
        for _ in range(300):
            try:
                request(port, "GET", "/login")
                break
            except OSError:
                time.sleep(0.1)
        cookie = sign_up(port)
        alone, flooded, answers = [], [], {}
        per_round = args.seconds / args.rounds
        for _ in range(args.rounds):
            alone += timed_homes(port, cookie, per_round)
            stop = threading.Event()
            threads = [threading.Thread(target=flood, args=(port, f"127.0.0.{i + 2}", stop, answers))
                       for i in range(args.clients)]
            for t in threads:
                t.start()
            flooded += timed_homes(port, cookie, per_round)
            stop.set()
            for t in threads:
                t.join()
        a50, f50 = statistics.median(alone), statistics.median(flooded)
        print(f"home alone:   p50 {a50:.1f} ms, p95 {p95(alone):.1f} ms ({len(alone)} requests)")
        print(f"home flooded: p50 {f50:.1f} ms, p95 {p95(flooded):.1f} ms ({len(flooded)} requests)")
        print(f"ratio: p50 {f50 / a50:.2f}x, p95 {p95(flooded) / p95(alone):.2f}x")
        print(f"{args.clients} flooding clients were answered: {answers}")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
