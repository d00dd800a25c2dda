"""Starting the app: configuration, the database made on first start, and what the wheel carries."""

import datetime
import os
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest
from conftest import PASSWORD, ROOT, app_for_test, close_database, make_app
from peewee import PostgresqlDatabase, SqliteDatabase

from webapp import create_app, db
from webapp.models import ALL, User


def test_without_a_secret_key_one_is_made_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", "sqlite:///" + str(tmp_path / "db.sqlite3"))
    monkeypatch.setattr("flask.Flask.auto_find_instance_path", lambda self: str(tmp_path / "instance"))
    first = create_app().config["SECRET_KEY"]
    second = create_app().config["SECRET_KEY"]
    assert first == second and len(first) >= 64
    assert (tmp_path / "instance" / "secret_key").read_text().strip() == first
    assert oct((tmp_path / "instance" / "secret_key").stat().st_mode & 0o777) == "0o600"
    close_database()


def test_the_environment_sets_the_secret_key_and_database(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///" + str(tmp_path / "env.sqlite3"))
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert isinstance(db.database(), SqliteDatabase)
    assert (tmp_path / "env.sqlite3").exists()
    close_database()


def test_sqlite_is_set_up_for_several_workers(tmp_path):
    make_app("sqlite:///" + str(tmp_path / "wal.sqlite3"))
    database = db.database()
    with database.connection_context():
        assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
        assert database.execute_sql("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_a_worker_keeps_its_database_connection_open_between_requests(app, user, monkeypatch):
    """Each request borrows a connection and gives it back: pages and saves from two threads, one after the
    other, open a single connection (on SQLite, opening one reads the schema again and closing the last one
    copies the write-ahead log back into the file)."""
    database = db.database()
    made = []
    raw_class = PostgresqlDatabase if db.is_postgres() else SqliteDatabase
    connect = raw_class._connect
    monkeypatch.setattr(raw_class, "_connect", lambda self: made.append(1) or connect(self))
    database.close_all()
    client = app.test_client()
    client.post("/login", data={"email": "ada@example.com", "password": PASSWORD})

    def visit(day="2026-12-03"):
        for path in ("/", "/people", "/events/", "/follow-ups/"):
            assert client.get(path).status_code == 200
        assert client.post("/events/new", data={"name": "PyData", "starts_on": day, "kind": "meetup",
                                                 "goal": "3"}).status_code == 302

    visit()
    other = threading.Thread(target=visit, args=("2026-12-10",))
    other.start()
    other.join()
    assert client.get("/events/").get_data(as_text=True).count("PyData") == 2  # both saves are there
    assert len(made) == 1



def test_a_page_that_needs_no_database_gives_back_a_connection_opened_for_it_anyway(client, user, monkeypatch):
    """The service worker, the manifest and the offline page take no connection, but what runs before every request
    may open one (forgetting Undo copies once they expire): the next request of the thread still gets its own."""
    from webapp import undo

    for path in ("/sw.js", "/manifest.webmanifest", "/offline"):
        monkeypatch.setattr(undo, "_copies_expire_at", [datetime.datetime(2000, 1, 1)])
        assert client.get(path).status_code == 200
        assert client.get("/").status_code == 200, path

def open_connections(database_url):
    """Connections to this database open now: SQLite's file handles in this process, PostgreSQL's sessions."""
    if database_url.startswith("sqlite"):
        path = os.path.realpath(database_url[len("sqlite:///"):])
        return sum(os.path.realpath(f"/proc/self/fd/{fd}") == path for fd in os.listdir("/proc/self/fd"))
    import psycopg2

    with psycopg2.connect(database_url) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' "
                    "AND pid <> pg_backend_pid()")
        return cur.fetchone()[0]


def test_no_connection_made_while_starting_is_kept_for_forked_workers(any_database_url, tmp_path):
    before = open_connections(any_database_url)  # PostgreSQL: the tests' own session that empties it
    with app_for_test(any_database_url, tmp_path) as app:  # creates the schema
        assert open_connections(any_database_url) == before
        assert app.test_client().get("/login").status_code == 200


def test_the_sqlite_log_shrinks_back_after_a_big_write(tmp_path):
    make_app("sqlite:///" + str(tmp_path / "big.sqlite3"))
    database = db.database()
    log = tmp_path / "big.sqlite3-wal"
    with database.connection_context():
        with database.atomic():  # one big transaction, as a restore is
            database.execute_sql("CREATE TABLE blob (data BLOB)")
            for _ in range(24):
                database.execute_sql("INSERT INTO blob VALUES (randomblob(1048576))")
        assert log.stat().st_size > 24 * 2**20
        # Its pages were copied into the file as it committed (SQLite's automatic checkpoint): the next
        # write starts the log again, and cuts it back.
        database.execute_sql("INSERT INTO blob VALUES (1)")
        assert log.stat().st_size <= db.WAL_KEPT
    close_database()


def test_init_db_creates_the_tables(runner, app):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0 and "Database ready." in result.output
    with db.database().connection_context():
        assert set(db.database().get_tables()) >= {m._meta.table_name for m in ALL}


START_APP = "from webapp import create_app; create_app(); print('ok')"


@pytest.mark.parametrize("workers", [8])
def test_several_workers_starting_at_once_create_the_schema_once(tmp_path, workers, any_database_url):
    env = dict(os.environ, DATABASE_URL=any_database_url, SECRET_KEY="x")
    procs = [subprocess.Popen([sys.executable, "-c", START_APP], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(workers)]
    results = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0] * workers, [err for _, err in results]
    database = db.open_database(any_database_url)
    with database.connection_context():
        assert set(database.get_tables()) >= {m._meta.table_name for m in ALL}
        with database.bind_ctx([User]):
            assert User.select().count() == 0


def test_the_wheel_carries_templates_and_static(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("webapp/__init__.py", "webapp/templates/base.html", "webapp/templates/card/show.html",
                   "webapp/static/css/app.css", "webapp/static/icons/favicon.ico"):
        assert needed in names, needed


def test_an_installed_wheel_serves_its_bundled_templates_and_static(tmp_path, installed_wheel):
    target = installed_wheel
    script = (
        "import webapp, os; app = webapp.create_app(); c = app.test_client();"
        "assert webapp.__file__.startswith(os.environ['TARGET']), webapp.__file__;"
        "assert app.template_folder.startswith(os.environ['TARGET']);"
        "r = c.get('/login'); assert r.status_code == 200 and b'Log in' in r.data;"
        "s = c.get('/static/css/app.css'); assert s.status_code == 200; s.close(); print('ok')"
    )
    env = dict(os.environ, PYTHONPATH=str(target), TARGET=str(target), SECRET_KEY="x",
               DATABASE_URL="sqlite:///" + str(tmp_path / "w.sqlite3"))
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert Path(target / "webapp" / "templates" / "base.html").exists()
