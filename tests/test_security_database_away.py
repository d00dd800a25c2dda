"""When the database is not there (PostgreSQL stopped, SQLite read-only, disk full): a 503 that says
nothing was lost and when to try again, JSON for the phone's sync, and recovery without a restart."""

import datetime
import os
import shutil
import subprocess
import tempfile
import time
import uuid

import pytest
from conftest import IN_CI, PASSWORD, PG_BIN, _free_port, close_database, make_app

from webapp import db
from webapp.models import Login, utcnow


def sign_up_with_an_event(client):
    client.post("/signup", data={"email": "ada@example.com", "password": PASSWORD, "timezone": "UTC"})
    response = client.post("/events/new", data={"name": "PyData", "starts_on": "2026-12-03", "kind": "meetup",
                                                "goal": "3"})
    assert response.status_code == 302
    return int(response.headers["Location"].rsplit("/", 1)[1])


def assert_unavailable_page(response):
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    text = response.get_data(as_text=True)
    assert "Nothing you saved is lost" in text and "Try again" in text


def assert_unavailable_json(response):
    assert response.status_code == 503 and response.is_json
    assert int(response.headers["Retry-After"]) > 0
    assert response.get_json()["reason"] == "unavailable"


def a_meeting(event_id):
    return {"uuid": str(uuid.uuid4()), "event_id": event_id, "name": "Grace"}


@pytest.fixture
def sqlite_app(tmp_path):
    app = make_app("sqlite:///" + str(tmp_path / "hallway.sqlite3"))
    app.instance_path = str(tmp_path)
    yield app
    close_database()


@pytest.mark.parametrize("pragma", ["query_only", "max_page_count"], ids=["read-only", "disk-full"])
def test_a_read_only_or_full_sqlite_file_gets_a_503_and_recovers(sqlite_app, pragma):
    client = sqlite_app.test_client()
    event_id = sign_up_with_an_event(client)
    database = db.database()
    with database.connection_context():  # the page would note when this device was last used
        Login.update(last_used_at=utcnow() - datetime.timedelta(hours=1)).execute()
    if pragma == "query_only":  # what SQLite answers for a file it may not write (SQLITE_READONLY)
        extra = ("query_only", 1)
    else:  # no page may be added: SQLite answers "database or disk is full" (SQLITE_FULL), as on a full disk
        with database.connection_context():
            pages = database.execute_sql("PRAGMA page_count").fetchone()[0]
        extra = ("max_page_count", pages)
    # On every connection from now on: the ones the pool keeps open are closed first.
    database._pragmas = [*database._pragmas, extra]
    database.close_all()
    try:
        assert client.get("/").status_code == 200  # reading still works
        big = "x" * 4000
        assert_unavailable_page(client.post("/events/new", data={"name": "New", "starts_on": "2026-12-04",
                                                                 "kind": "meetup", "goal": "3",
                                                                 "description": big}))
        assert_unavailable_json(client.post("/sync/meetings", json={**a_meeting(event_id), "notes": big}))
    finally:
        database._pragmas = [p for p in database._pragmas if p != extra]
        database.close_all()
    # Back without a restart, and nothing half-written.
    assert client.post("/sync/meetings", json=a_meeting(event_id)).status_code == 201
    assert "PyData" in client.get("/events/").get_data(as_text=True)


@pytest.fixture
def own_postgres():
    """A PostgreSQL server of this test's own, so it can be stopped and started again."""
    if not (PG_BIN / "initdb").exists():
        if IN_CI:
            pytest.fail(f"PostgreSQL not found in {PG_BIN}")
        pytest.skip(f"PostgreSQL not found in {PG_BIN}")
    base = tempfile.mkdtemp(prefix="hallway-pg-stop-")
    as_postgres = []
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    subprocess.run(as_postgres + [str(PG_BIN / "initdb"), "-D", f"{base}/data", "-U", "postgres", "--auth=trust",
                                  "-E", "UTF8", "--no-sync"], check=True, capture_output=True)

    def pg_ctl(*args):
        subprocess.run(as_postgres + [str(PG_BIN / "pg_ctl"), "-D", f"{base}/data", "-l", f"{base}/log", "-w",
                                      *args], check=True, capture_output=True)

    def start():
        pg_ctl("-o", f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off", "start")

    server = type("Server", (), {"url": f"postgresql://postgres@127.0.0.1:{port}/postgres", "start": start,
                                 "stop": lambda: pg_ctl("-m", "fast", "stop")})
    start()
    try:
        yield server
    finally:
        subprocess.run(as_postgres + [str(PG_BIN / "pg_ctl"), "-D", f"{base}/data", "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def test_with_postgresql_stopped_pages_answer_503_and_come_back_without_a_restart(own_postgres, tmp_path):
    app = make_app(own_postgres.url)
    app.instance_path = str(tmp_path)
    try:
        client = app.test_client()
        event_id = sign_up_with_an_event(client)
        assert client.get("/").status_code == 200
        own_postgres.stop()
        started = time.perf_counter()
        response = client.get("/")
        took = time.perf_counter() - started
        assert_unavailable_page(response)
        print(f"\nPostgreSQL stopped: GET / answered {response.status_code} in {took * 1000:.0f} ms, "
              f"Retry-After {response.headers['Retry-After']}")
        for path in ("/events/", "/people", "/profile", "/login"):
            assert_unavailable_page(client.get(path))
        assert_unavailable_json(client.post("/sync/meetings", json=a_meeting(event_id)))
        # What a phone installing or updating the app fetches needs nothing from the database.
        for path in ("/sw.js", "/manifest.webmanifest", "/offline"):
            assert client.get(path).status_code == 200, path
        assert "No signal" in client.get("/offline").get_data(as_text=True)
        own_postgres.start()
        for _ in range(3):  # the pool may hold a connection from before the stop: at most one more 503
            if client.get("/").status_code == 200:
                break
        assert client.get("/").status_code == 200
        assert client.post("/sync/meetings", json=a_meeting(event_id)).status_code == 201
    finally:
        close_database()


def test_a_statement_the_database_refuses_is_an_error_of_the_apps_not_the_database_being_away(app, caplog):
    """SQLite's "parser stack overflow" or PostgreSQL's "stack depth limit exceeded" come from a database that is
    there: trying again in 30 seconds gives the same answer, so the page must not say it is away."""

    @app.route("/a-statement-too-deep")
    def too_deep():
        db.database().execute_sql("SELECT " + " || ".join(["'a'"] * 200_000))

    client = app.test_client()
    page = client.get("/a-statement-too-deep")
    assert page.status_code == 500 and "Retry-After" not in page.headers
    assert "cannot reach its database" not in page.get_data(as_text=True)
    assert "Something went wrong" in page.get_data(as_text=True)
    assert "the database refused a statement" in caplog.text
