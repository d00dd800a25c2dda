"""The database: SQLite in the instance folder by default, PostgreSQL when DATABASE_URL says so.

Each request borrows a connection from its worker's pool when it starts and gives it back when it ends
(FlaskDB over peewee's pooled databases). This module knows nothing of the tables: the models build on it,
and webapp.schema creates them.
"""

import contextlib
import time

from flask import request
from peewee import OperationalError, PostgresqlDatabase, SqliteDatabase
from playhouse.db_url import connect
from playhouse.flask_utils import FlaskDB

flask_db = FlaskDB()
# Taken before any app exists, so models bind to a proxy that each create_app() points
# at its own database (tests build many apps in one process).
Model = flask_db.Model

WAL_KEPT = 16 * 2**20  # bytes

# SQLite under several gunicorn workers: WAL lets readers and one writer work at
# once (set once on the file, see use_wal), the busy timeout makes a writer wait its turn instead of failing.
SQLITE_PRAGMAS = {
    "foreign_keys": 1,
    "synchronous": "full",
    "busy_timeout": 10_000,
    # Connections stay open (see open_database), so the log is never deleted by a last one closing: after a big
    # write (a 100 MB restore) it is cut back to this size once its pages are in the file.
    "journal_size_limit": WAL_KEPT,
}
POOL_SIZE = 20  # per worker process; well under PostgreSQL's default max_connections of 100


def open_database(url):
    """A peewee Database for a URL such as sqlite:///path or postgresql://user@host/db."""
    if url.startswith("sqlite:"):
        # Kept open between requests: an SQLite connection that closes as the last one on its file copies the
        # whole write-ahead log back into the file and deletes it (a checkpoint, with its fsyncs), and the next
        # one reads the schema again. Closing after each request cost a logged person 4 of its 11 ms of CPU.
        # A connection is used by one thread at a time, but not always the thread that opened it.
        database = connect("sqlite+pool:" + url[len("sqlite:"):], pragmas=SQLITE_PRAGMAS, max_connections=POOL_SIZE,
                           stale_timeout=300, timeout=10, check_same_thread=False)
        use_wal(database)
        return database
    # Each request borrows a connection from the worker's pool instead of opening one:
    # a new PostgreSQL connection costs a process on the server and tens of milliseconds.
    for scheme in ("postgres://", "postgresql://"):
        if url.startswith(scheme):
            url = "postgresql+pool://" + url[len(scheme):]
    settings = {}
    if "options=" not in url:  # settings given in the URL are the operator's and win
        # Random reads cost about what sequential ones do on the SSDs and in the page cache where Hallway's data
        # lives; PostgreSQL's default (4.0) assumes spinning disks and then scans all of the search index for a
        # name that matches 5% of it (22 ms at 50,000 people, against 7 ms by its GIN index).
        settings["options"] = "-c random_page_cost=1.1"
    return connect(url, max_connections=POOL_SIZE, stale_timeout=300, timeout=10, **settings)


def database():
    """The database the models are bound to (after init_app)."""
    return flask_db.database.obj


def is_postgres():
    return isinstance(database(), PostgresqlDatabase)


# What runs at the end of every write, inside its transaction, just before it commits (see before_commit).
_BEFORE_COMMIT = []


def before_commit(function):
    """Run function() at the end of every write() transaction that succeeds, as its last statement(s): what
    must change with each write (an account's version) then costs no transaction of its own."""
    _BEFORE_COMMIT.append(function)
    return function


@contextlib.contextmanager
def write():
    """A transaction for a write that reads first.

    On SQLite a deferred transaction that reads then writes can fail with
    SQLITE_BUSY whatever the timeout; IMMEDIATE takes the write lock up front.
    """
    db = database()
    # A write() inside another is part of that one (a savepoint), which alone runs what must come before the
    # commit. Asked before it starts: peewee counts no savepoint in transaction_depth().
    outermost = not db.in_transaction()
    with db.atomic("IMMEDIATE") if isinstance(db, SqliteDatabase) else db.atomic() as transaction:
        yield transaction
        if outermost:
            for function in _BEFORE_COMMIT:
                function()


def for_update(query):
    """The query's rows locked until the transaction ends, for a write that depends on what it read: on PostgreSQL
    with FOR UPDATE; on SQLite the write() transaction already holds the database's only write lock."""
    return query if isinstance(database(), SqliteDatabase) else query.for_update()


def use_wal(database, wait=10.0):
    """Put the SQLite file in WAL mode, once: it stays so for every later connection.

    Switching needs the file to itself and SQLite does not wait for that (no busy timeout applies): asked on
    every connection, a worker starting while another creates the schema failed with "database is locked".
    """
    deadline = time.monotonic() + wait
    delay = 0.01
    while True:
        try:
            with database.connection_context():
                database.execute_sql("PRAGMA journal_mode = wal")
            # Not kept for a request: what is set up on each new connection (functions, pragmas) may still change.
            database.close_all()
            return
        except OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.25)


def init_app(app, without_database=()):
    """without_database: the endpoints of pages that need nothing from the database (a phone installing the app
    fetches them), which answer while it is away: no connection is taken for them before they run."""
    app.config["DATABASE"] = open_database(app.config["DATABASE_URL"])
    app.config["FLASKDB_EXCLUDED_ROUTES"] = frozenset(without_database)
    flask_db.init_app(app)

    @app.teardown_request
    def give_back_a_connection_opened_anyway(exc):
        # Something that runs before every request (forgetting expired Undo copies) may still have opened one for
        # such a page; FlaskDB leaves those alone, and the next request of this thread would find it open.
        if request.endpoint in app.config["FLASKDB_EXCLUDED_ROUTES"] and not database().is_closed():
            database().close()
