"""Fixtures: an app on a fresh database per test (SQLite, and PostgreSQL where a server can run), a test
client that signs up and logs in through the real forms, and a live server plus Debian's Chromium for
browser tests.

Speed: the SQLite schema is made once per session and copied for each test; PostgreSQL keeps its tables
and empties them between tests."""

import contextlib
import datetime
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2
import pytest
import time_machine
from flask import Flask
from hypothesis import HealthCheck, settings
from steps import PASSWORD, ROOT, watch_errors
from werkzeug.routing import Rule
from whitenoise import WhiteNoise

from webapp import create_app, db, schema

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# Property tests check what comes out, not how fast: on a shared, loaded machine an example can take seconds,
# which Hypothesis would otherwise report as a failure (its deadline, its "too slow" health check).
settings.register_profile("shared machine", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("shared machine")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Debian's build of the same Chromium without a desktop (the headless shell Playwright itself prefers): the same
# engine at about half the CPU a page, which most browser tests use. What only the full browser does (the
# Screen Wake Lock, the tab's icon) is tested in CHROMIUM, through the `full_browser` fixture.
HEADLESS_SHELL = os.environ.get("CHROMIUM_HEADLESS_SHELL_PATH", "/usr/bin/chromium-headless-shell")
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
# Tests make many accounts: a cheap hash keeps them fast. The real setting is tested on its own.
FAST_HASH = "pbkdf2:sha256:1000"
# Every app and server the tests start, in this process or another, shares one copy of the static files'
# build, as servers on one host can: only the first to start compresses them (~5 s of CPU each time).
os.environ.setdefault("STATIC_BUILD_FOLDER", str(ROOT / "instance" / "static-build"))


# --- The clock --------------------------------------------------------------------------------------
ACCOUNTS_ZONE = ZoneInfo("Europe/London")  # where the test accounts sign up (Auth.signup)
SESSION_STARTED = time.monotonic()
# Tests whose app runs in another process (a live server, a browser's pages) share the real clock with it.
ANOTHER_PROCESS = {"live_server", "page", "full_page", "phone_with_devices", "browser", "installed_wheel"}


@pytest.fixture(autouse=True)
def the_clock_at_noon(request):
    """Tests of the app in this process run at noon of today's date in the accounts' zone, the clock ticking on:
    what is past, going on or still to come never hangs on the hour the suite runs at (in the small hours
    last night's evening is still going on, and yesterday's meetup is not past yet). What an hour changes is
    tested at that hour, on purpose (`at_the_hour`). Tests with the app in another process keep the real clock,
    which they share with it (marked `real_clock`, or using a live server or a browser)."""
    if ANOTHER_PROCESS & set(request.fixturenames) or request.node.get_closest_marker("browser") \
            or request.node.get_closest_marker("real_clock"):
        yield
        return
    with at_the_hour(datetime.time(12)):
        yield


def at_the_hour(hour, days=0):
    """Travel to `hour` (a datetime.time) of today's date in the accounts' zone, `days` later (negative:
    earlier), the clock ticking on from there.

    Plus the time the session has run: the clock never goes back from one test to the next, as a real one
    does not. What workers keep for an account (kept.py) is keyed by when it was made: a second test's account
    made at the very same millisecond as the first's would be handed the first's pages."""
    day = datetime.datetime.now(ACCOUNTS_ZONE).date() + datetime.timedelta(days=days)
    since_start = datetime.timedelta(seconds=time.monotonic() - SESSION_STARTED)
    return time_machine.travel(datetime.datetime.combine(day, hour, ACCOUNTS_ZONE) + since_start, tick=True)


# --- PostgreSQL: a throwaway cluster for the session --------------------------------------------

def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_url():
    """A PostgreSQL server for this test session: TEST_DATABASE_URL, or a cluster started here."""
    if os.environ.get("TEST_DATABASE_URL"):
        yield os.environ["TEST_DATABASE_URL"]
        return
    if not (PG_BIN / "initdb").exists():
        reason = f"PostgreSQL not found in {PG_BIN}: apt-get install -y postgresql"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    base = tempfile.mkdtemp(prefix="hallway-pg-")
    as_postgres = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(base, "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    subprocess.run(as_postgres + [str(PG_BIN / "initdb"), "-D", f"{base}/data", "-U", "postgres",
                                  "--auth=trust", "-E", "UTF8", "--no-sync"],
                   check=True, capture_output=True)
    subprocess.run(as_postgres + [str(PG_BIN / "pg_ctl"), "-D", f"{base}/data", "-l", f"{base}/log", "-w",
                                  "-o", f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off",
                                  "start"], check=True, capture_output=True)
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(as_postgres + [str(PG_BIN / "pg_ctl"), "-D", f"{base}/data", "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


# Emptying every table in one round trip, with foreign keys and the search triggers off while it runs:
# ~2 ms, where TRUNCATE ... RESTART IDENTITY CASCADE takes 100-500 ms (it makes new files for every table
# and index) and a fresh database copied from a template 150-250 ms (measured here). Ids start from 1
# again, as in a new database. Turning the triggers off needs a superuser, as the throwaway cluster's is.
# The schema's fingerprint stays: the schema is the same, and the next app starts without checking it.
EMPTY_POSTGRES = """DO $$
DECLARE r record;
BEGIN
    PERFORM set_config('session_replication_role', 'replica', true);
    FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'hallway_schema' LOOP
        EXECUTE format('DELETE FROM %I', r.tablename);
    END LOOP;
    FOR r IN SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' LOOP
        PERFORM setval(quote_ident(r.sequencename), 1, false);
    END LOOP;
END $$"""


class PostgresReset:
    """One connection for the session that empties the test database between tests."""

    def __init__(self, url):
        import psycopg2

        self.conn = psycopg2.connect(url)
        self.conn.autocommit = True
        self.drop_schema()  # what an earlier session left behind, in a server given by TEST_DATABASE_URL

    def drop_schema(self):
        """No tables at all: the app's first start makes them."""
        with self.conn.cursor() as cur:
            cur.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;")

    def empty_tables(self):
        """Every table kept, every row gone (before the first app has started there are no tables yet)."""
        with self.conn.cursor() as cur:
            cur.execute(EMPTY_POSTGRES)


@pytest.fixture(scope="session")
def postgres_reset(postgres_url):
    reset = PostgresReset(postgres_url)
    yield reset
    reset.conn.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """An SQLite file with the whole schema (tables, indexes, FTS5 index, triggers), made once per session.

    Each test starts from a copy of it: copying ~150 KB is far cheaper than creating everything again.
    """
    path = tmp_path_factory.mktemp("template") / "hallway.sqlite3"
    make_app("sqlite:///" + str(path))
    close_database()
    # Everything in the main file, and no -wal or -shm file left beside it, so the file alone is the database.
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=delete")
    assert not Path(str(path) + "-wal").exists() and not Path(str(path) + "-shm").exists()
    return path


# --- Work each test's app would repeat, done once per session ---------------------------------------

class RuleBuiltOnce(Rule):
    """A route whose URL builders are written once per session.

    Werkzeug writes two functions per route with ast and compile(): most of create_app's time, and the same
    code for every test's app. They read the rule's converters only when called, so one copy serves all.
    """

    builders = {}

    def _compile_builder(self, append_unknown=True):
        if self.defaults:  # folded into the code as constants: not shared
            return super()._compile_builder(append_unknown)
        key = (tuple(self._trace), append_unknown, self.rule)
        if key not in self.builders:
            self.builders[key] = super()._compile_builder(append_unknown)
        return self.builders[key]


Flask.url_rule_class = RuleBuiltOnce


class TemplatesCompiledOnce(jinja2.BytecodeCache):
    """Each test's app has its own Jinja environment, which would compile every template it renders again."""

    def __init__(self):
        self.compiled = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket):
        self.compiled[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = TemplatesCompiledOnce()


def static_files_listed_once(list_files):
    """Each test's app serves the same build of static/ (its folder is named by its contents), and WhiteNoise
    lists it again for every app: a stat and a dozen headers per file, about a third of create_app's time.
    The list of the first app that serves a build serves the others too."""
    listed = {}

    def update_files_dictionary(self, root, prefix):
        if (root, prefix) not in listed:
            others, self.files = self.files, {}
            list_files(self, root, prefix)
            listed[root, prefix], self.files = self.files, others
        self.files.update(listed[root, prefix])

    return update_files_dictionary


WhiteNoise.update_files_dictionary = static_files_listed_once(WhiteNoise.update_files_dictionary)

# A test's SQLite file is thrown away after it, as the PostgreSQL cluster runs with fsync=off: its commits need
# not wait for the disk (a fifth of an SQLite test's time). The app's own setting (synchronous=full) is what
# the live servers of the browser tests run with.
db.SQLITE_PRAGMAS["synchronous"] = "off"


# --- The app and its test client -----------------------------------------------------------------

def make_app(database_url, **overrides):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-only-key",
        "DATABASE_URL": database_url,
        "PASSWORD_METHOD": FAST_HASH,
        "WTF_CSRF_ENABLED": False,
    }
    config.update(overrides)
    app = create_app(config)
    app.jinja_env.bytecode_cache = TEMPLATES
    return app


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request, tmp_path):
    """A database with the schema and no rows, for one test: every app test runs on SQLite and on a real
    PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "hallway.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return "sqlite:///" + str(path)
    url = request.getfixturevalue("postgres_url")
    request.getfixturevalue("postgres_reset").empty_tables()
    return url


@pytest.fixture(params=["sqlite", "postgres"])
def any_database_url(request, tmp_path):
    """An empty database with no tables at all, on SQLite and on a real PostgreSQL server."""
    if request.param == "sqlite":
        return "sqlite:///" + str(tmp_path / "hallway.sqlite3")
    url = request.getfixturevalue("postgres_url")
    request.getfixturevalue("postgres_reset").drop_schema()
    return url


@contextlib.contextmanager
def app_for_test(database_url, tmp_path, **overrides):
    """An app on this test's database with its instance folder in tmp_path; its connections closed after."""
    app = make_app(database_url, **overrides)
    app.instance_path = str(tmp_path)
    try:
        yield app
    finally:
        close_database()


@pytest.fixture
def app(database_url, tmp_path):
    with app_for_test(database_url, tmp_path) as app:
        yield app


def close_database():
    """Close the connection and, for PostgreSQL, the pool's idle connections, so tests do not pile them up."""
    database = db.database()
    database.close()
    if hasattr(database, "close_all"):
        database.close_all()


@pytest.fixture
def csrf_app(database_url, tmp_path):
    """The app as it runs: every form checks its CSRF token."""
    with app_for_test(database_url, tmp_path, WTF_CSRF_ENABLED=True) as app:
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Auth:
    """Sign up and log in through the real forms, as a user would."""

    def __init__(self, client):
        self.client = client

    def signup(self, email="ada@example.com", password=PASSWORD, name="Ada Lovelace", follow=False):
        return self.client.post("/signup", data={"email": email, "password": password, "display_name": name,
                                                 "timezone": "Europe/London"}, follow_redirects=follow)

    def login(self, email="ada@example.com", password=PASSWORD):
        return self.client.post("/login", data={"email": email, "password": password})

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def user(auth):
    """A signed-up, logged-in user; the client acts as them."""
    response = auth.signup()
    assert response.status_code == 302, response.get_data(as_text=True)
    return auth


def signed_up_with_csrf(app, email="ada@example.com"):
    """A client of an app with CSRF on, signed up through the real form with the page's token."""
    client = app.test_client()
    token = csrf_token(client.get("/signup").get_data(as_text=True))
    response = client.post("/signup", data={"email": email, "password": PASSWORD, "display_name": "Ada",
                                            "timezone": "UTC", "csrf_token": token})
    assert response.status_code == 302
    return client


@contextlib.contextmanager
def queries_run():
    """The SQL statements run inside the block, to show a page's query count does not grow with its rows."""
    database = db.database()
    executed = []
    original = database.execute_sql

    def counting(sql, params=None, *args, **kwargs):
        executed.append(sql)
        return original(sql, params, *args, **kwargs)

    database.execute_sql = counting
    try:
        yield executed
    finally:
        del database.execute_sql


def as_from_an_older_release():
    """The database no longer carries this release's schema fingerprint, as one made by an older release:
    the next start checks every table, column and index again."""
    with db.database().connection_context():
        db.database().execute_sql(f"DROP TABLE IF EXISTS {schema.STAMP_TABLE}")


def without_tokens(html):
    """The page without its CSRF tokens: Flask-WTF signs them with the time, so two looks a second apart differ."""
    return re.sub(r"[\w-]{20,}\.[\w-]{4,}\.[\w-]{20,}", "", html)


def csrf_token(html):
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


@pytest.fixture(scope="session")
def wheel(tmp_path_factory):
    """Hallway's wheel, built once for the tests that install it."""
    folder = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(folder), str(ROOT)], check=True, capture_output=True)
    (built,) = folder.glob("hallway-*.whl")
    return built


@pytest.fixture(scope="session")
def installed_wheel(wheel, tmp_path_factory):
    """The wheel unpacked as pip installs it, for scripts run with it on PYTHONPATH. Its static files are
    compressed by the first start and reused by the next, as on a server."""
    site = tmp_path_factory.mktemp("site")
    zipfile.ZipFile(wheel).extractall(site)
    return site


# --- A live server and a real browser ---------------------------------------------------------------

@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app served by gunicorn on 127.0.0.1 with its own SQLite file, as in production."""
    instance = tmp_path_factory.mktemp("live")
    port = _free_port()
    env = dict(os.environ, DATABASE_URL="sqlite:///" + str(instance / "live.sqlite3"),
               SECRET_KEY="live-test-key", HALLWAY_PASSWORD_METHOD=FAST_HASH,
               # Every browser test signs up from 127.0.0.1 on this one server.
               HALLWAY_SIGNUPS_PER_ADDRESS="1000 per hour", HALLWAY_LOGINS_PER_ADDRESS="1000 per minute")
    with gunicorn(env, port, "--workers", "2", "--threads", "4") as url:
        yield type("LiveServer", (), {"url": url, "database": str(instance / "live.sqlite3")})()


@contextlib.contextmanager
def gunicorn(env, port, *options):
    """The app served by gunicorn on 127.0.0.1:port with this environment, as in production; stopped after."""
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "webapp:create_app()", "--bind", f"127.0.0.1:{port}",
                             *options, "--log-level", "warning"], cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60  # a shared, loaded machine can take this long
    while True:
        try:
            urllib.request.urlopen(url + "/login", timeout=1)
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"gunicorn stopped while starting (exit code {proc.returncode}): see its output above")
            if time.monotonic() > deadline:
                proc.kill()
                pytest.fail("gunicorn did not start within 60 s")
            time.sleep(0.1)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def need_chromium():
    """Skip with how to install Chromium where there is none; under CI a missing browser is a failure."""
    if not Path(CHROMIUM).exists():
        reason = f"Chromium not found at {CHROMIUM}: apt-get install -y chromium"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)


def everyday_chromium():
    """The headless shell where it is installed (under CI it must be), else the full Chromium."""
    need_chromium()
    if Path(HEADLESS_SHELL).exists():
        return HEADLESS_SHELL
    if IN_CI:
        pytest.fail(f"Chromium's headless shell not found at {HEADLESS_SHELL}: apt-get install -y "
                    "chromium-headless-shell")
    return CHROMIUM


def iphone(playwright):
    return {k: v for k, v in playwright.devices["iPhone 13"].items() if k != "default_browser_type"}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": everyday_chromium(), "args": BROWSER_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, playwright):
    return {**browser_context_args, **iphone(playwright)}


@pytest.fixture(scope="session")
def full_browser(playwright, browser_type_launch_args):
    """The full Chromium, for what the headless shell does not do: hold a screen wake lock, ask for the tab's icon."""
    need_chromium()
    browser = playwright.chromium.launch(**{**browser_type_launch_args, "executable_path": CHROMIUM})
    yield browser
    browser.close()


@pytest.fixture
def errors(page):
    """JavaScript errors on the page fail the test."""
    seen = watch_errors(page)
    yield seen
    assert not seen, seen


@pytest.fixture
def full_page(full_browser, browser_context_args):
    """A page at iPhone size in the full Chromium, in a context of its own."""
    context = full_browser.new_context(**browser_context_args)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone_with_devices(playwright):
    """A Chromium of its own at iPhone 13 size, launched with extra flags (a fake camera or microphone):
    `launch(flags, origin=..., permissions=[...])` gives a page whose JavaScript errors are in `page.js_errors`."""
    path = everyday_chromium()
    browsers = []

    def launch(flags, origin=None, permissions=()):
        browser = playwright.chromium.launch(executable_path=path, args=BROWSER_ARGS + list(flags))
        browsers.append(browser)
        context = browser.new_context(**iphone(playwright))
        if origin and permissions:
            context.grant_permissions(list(permissions), origin=origin)
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


@pytest.fixture
def shots(request):
    """Save screenshots under test-artifacts/ to look at them after the run."""
    folder = ROOT / "test-artifacts" / request.node.name
    folder.mkdir(parents=True, exist_ok=True)

    def shot(page, name, **kwargs):
        path = folder / f"{name}.png"
        page.wait_for_load_state()
        # One image pixel per CSS pixel, enough to look at: at the phone's 3 device pixels to one, each
        # screenshot took 4 to 6 times the CPU (0.15 s a screen, 2.2 s a long full page).
        page.screenshot(path=str(path), **{"scale": "css", **kwargs})
        return path

    return shot
