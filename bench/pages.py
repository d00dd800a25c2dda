"""What each key page costs, as a ratio to a floor that does only the unavoidable work, at 1,000 to 50,000 people.

    python bench/pages.py [--sizes 1000,10000] [--pages home,people] [--seconds 0.6] [--wrk] [--wrk-seconds 2]

Seeds one account per size (events, conversations, tags, follow-ups, outcomes in the proportions of a busy
networker, plus a second account a tenth of the size so the owner filters have work to do) and keeps the
seeded SQLite file in bench/out/, so later runs start at once. Each run works on a fresh copy of it.

The floor is a tiny Flask app with the same libraries (Flask-Login, Flask-WTF, peewee over the same database
with the same connection handling): it loads the logged-in user from the session by primary key, puts a CSRF
token in the page and renders a compiled template of the same byte size as the page it is compared with. For
logging a person by POST the floor checks the CSRF token, loads the user, writes one row and redirects.

Two measurements, each interleaved page/floor/page/floor and reported as a ratio to the floor of the same run:
  - CPU ms per request in this process through Flask's test client (time.process_time: steady on a shared
    machine, and it includes SQLite, which runs in-process);
  - with --wrk, both apps under gunicorn (-w 2, pinned to core 0) and wrk (32 connections, pinned to core 1):
    requests/s and the 50th and 99th percentile latency.
"""

import argparse
import datetime
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

from flask import Flask, redirect, render_template  # noqa: E402
from flask_login import LoginManager, UserMixin, current_user, login_required  # noqa: E402
from flask_login.utils import _create_identifier  # noqa: E402
from flask_wtf.csrf import CSRFProtect  # noqa: E402
from jinja2 import FunctionLoader  # noqa: E402
from peewee import CharField, ForeignKeyField, IntegerField  # noqa: E402
from playhouse.flask_utils import FlaskDB  # noqa: E402

from webapp import create_app, db, kept, schema  # noqa: E402
from webapp.models import Conversation, Event, FollowUp, Outcome, Person, PersonTag, Tag, User  # noqa: E402
from webapp.people import directory  # noqa: E402

SECRET_KEY = "bench-pages-secret"
USER_AGENT = "hallway-bench"
SIZES = [1_000, 10_000, 50_000]
SEED_VERSION = 2  # bump when the seeded data changes, so cached files are rebuilt
BATCH = 500
TONIGHT = "Tonight: Bench Meetup"
POST_TARGET = "Bench: where POSTs log people"

# --- Seeding ----------------------------------------------------------------------------------------

FIRST = ("Jane Janek Mei Wei Aiko Hiroshi Sanjay Priya Fatima Omar Chidi Amara Kwame Olga Ivan Zoë Søren Åsa "
         "Chloé José Lucía Mateo Ana Grace Alan Ada Linus Barbara Guido Margaret Sophie Noah Emma Liam Lars "
         "Ines Nadia Ravi Kenji Yuki Tomás Élodie Zeynep Piotr Kateřina Ngozi Thabo").split()
LAST = ("Doe Nowak Smith Garcia Müller Rossi Dubois Kowalski Novák Nielsen Ødegård Öztürk Tanaka Suzuki Chen "
        "Wang Kumar Patel Singh Okafor Mensah Ivanova Petrov López Silva Santos Hopper Liskov Lovelace Turing "
        "Hamilton O'Brien Björk Kaur Haddad Nakamura Park Kim Nguyen Tran").split()
COMPANIES = ("Acme Analytics|Globex|Initech|Umbrella Health|Hooli|Pied Piper|Aperture Science|Cyberdyne|Tyrell|"
             "Massive Dynamic|Wonka Labs|Oceanic Data|Blue Sun|Contoso|Fabrikam|Northwind Traders|Datadog|"
             "Grafana Labs|Confluent|Databricks|Supabase|Neon|Timescale|Crunchy Data").split("|")
ROLES = ("Data engineer|Backend developer|Frontend developer|Engineering manager|CTO|Founder|Recruiter|"
         "Product manager|Designer|SRE|ML engineer|Data scientist|Developer advocate|Student|Consultant").split("|")
LOOKS = "red jacket|Postgres talk|tall, beard|conference hoodie|by the coffee|yellow scarf|speaker badge".split("|")
TOPICS = ("CDC pipelines with Debezium|moving from Kafka to Pulsar|Postgres partitioning|observability budgets|"
          "Rust in the kernel|hiring juniors remotely|dbt and data contracts|vector search in Postgres|"
          "SQLite in production|type hints in Python|zero-downtime deploys|learning Japanese|climbing|"
          "their startup's seed round|open-source licences|event sourcing|mentoring").split("|")
REASONS = ("Send them the article|Intro to Sam|They are hiring for a senior role|Coffee next month|"
           "Share the slides|Ask about the CFP").split("|")
TAGS = ("python rust go java kotlin postgres sqlite kafka data ml frontend backend devops sre security recruiter "
        "hiring founder speaker organiser student mentor investor design product cloud kubernetes wasm climbing "
        "berlin lisbon london remote junior senior staff manager open-source").split()
SERIES = ["PyData", "Rust Meetup", "DataEngConf", "Postgres Night", "FOSDEM", "Web Summit", "Founders Drinks"]
KINDS = ["meetup", "meetup", "meetup", "industry", "conference", "paid", "other"]
OUTCOME_KINDS = ["job_lead", "referral", "advice", "collaboration", "helped_them", "friendship", "other"]
YEARS_OF_EVENTS = 8
OPEN_WINDOW = datetime.timedelta(days=90)  # follow-ups from events this recent are mostly still open


def seeded_file(people):
    """The cached, seeded database for an account of this many people (seeded on first use)."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"pages-{people}-v{SEED_VERSION}.sqlite3"
    if not path.exists():
        t0 = time.perf_counter()
        partial = path.with_suffix(".partial")
        for leftover in OUT.glob(partial.name + "*"):
            leftover.unlink()
        seed(partial, people)
        partial.rename(path)
        print(f"   seeded {people:,} people in {time.perf_counter() - t0:.1f} s -> {path.relative_to(ROOT)}")
    return path


def seed(path, people):
    url = f"sqlite:///{path}"
    create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET_KEY, "TESTING": True})
    database = db.database()
    with database.connection_context():
        # The search index is filled by triggers, row by row: drop it while bulk-inserting, and let the
        # app's own schema creation rebuild it (in one statement) when it next starts.
        for (name,) in database.execute_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'person_search%'").fetchall():
            database.execute_sql(f'DROP TRIGGER "{name}"')
        database.execute_sql("DROP TABLE IF EXISTS person_search")
        # Without the schema's stamp the next start checks the whole schema, and makes what is missing.
        database.execute_sql(f"DROP TABLE IF EXISTS {schema.STAMP_TABLE}")
        database.execute_sql("PRAGMA synchronous = OFF")
        rng = random.Random(people)
        owner = fill_account(rng, "bench@example.com", people, tonight=True)
        fill_account(rng, "other@example.com", max(100, people // 10), tonight=False)
        assert owner == 1
    database.close()
    create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET_KEY, "TESTING": True})  # rebuilds the search index
    database = db.database()
    with database.connection_context():
        assert database.execute_sql("SELECT count(*) FROM person_search").fetchone()[0] > people
        database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()


def insert(model, rows):
    with db.database().atomic():
        for start in range(0, len(rows), BATCH):
            model.insert_many(rows[start:start + BATCH]).execute()


def fill_account(rng, email, people, tonight):
    today = datetime.date.today()
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    user = User.create(email=email, password_hash="x", display_name="Bench Owner", headline="Data engineer",
                       linkedin_url="https://www.linkedin.com/in/bench-owner/", timezone="UTC")
    # About fifteen people per event, spread over the last years; a few coming up; tonight's has 30 people.
    past = max(10, people // 15)
    days = YEARS_OF_EVENTS * 365
    events = [{"owner": user.id, "name": f"{rng.choice(SERIES)} #{i}", "kind": rng.choice(KINDS),
               "starts_on": today - datetime.timedelta(days=1 + (days * (past - i)) // past),
               "place": "Somewhere, Berlin", "goal": rng.choice([2, 3, 3, 5]),
               "created_at": now} for i in range(past)]
    events += [{"owner": user.id, "name": f"{rng.choice(SERIES)} (upcoming {i})", "kind": "meetup",
                "starts_on": today + datetime.timedelta(days=3 + 7 * i), "created_at": now} for i in range(4)]
    insert(Event, events)
    if tonight:
        Event.create(owner=user.id, name=TONIGHT, kind="meetup", starts_on=today, goal=40,
                     start_time=datetime.time(18, 30), place="The usual pub")
        Event.create(owner=user.id, name=POST_TARGET, kind="other", starts_on=today - datetime.timedelta(days=2))
    event_rows = list(Event.select(Event.id, Event.name, Event.starts_on).where(Event.owner == user.id)
                      .order_by(Event.starts_on, Event.id))
    past_events = [e for e in event_rows if e.starts_on < today and e.name != POST_TARGET]
    tonight_event = next((e for e in event_rows if e.name == TONIGHT), None)
    insert(Tag, [{"owner": user.id, "name": t} for t in TAGS])
    tags = [t.id for t in Tag.select(Tag.id).where(Tag.owner == user.id)]

    # People, oldest first: each is first met at an event in date order, the newest 30 tonight.
    first_met = sorted((rng.choice(past_events) for _ in range(people - (30 if tonight else 0))),
                       key=lambda e: e.starts_on) + ([tonight_event] * 30 if tonight else [])
    rows = []
    for i, event in enumerate(first_met):
        named = rng.random() > 0.08
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}" if named else ""
        rows.append({
            "owner": user.id, "name": name,
            "description": rng.choice(LOOKS) if (not named or rng.random() < 0.3) else "",
            "company": rng.choice(COMPANIES) if rng.random() < 0.85 else "",
            "role": rng.choice(ROLES) if rng.random() < 0.7 else "",
            "email": f"person{i}@example.com" if rng.random() < 0.2 else "",
            "linkedin_url": f"https://www.linkedin.com/in/person-{user.id}-{i}/" if rng.random() < 0.4 else "",
            "hiring": rng.random() < 0.12, "connected_on_linkedin": rng.random() < 0.3,
            "created_at": datetime.datetime.combine(event.starts_on, datetime.time(19)) + datetime.timedelta(
                seconds=i % 3600),
        })
    insert(Person, rows)
    ids = [p.id for p in Person.select(Person.id).where(Person.owner == user.id).order_by(Person.id)]
    conversations, person_tags, follow_ups, outcomes = [], [], [], []
    for pid, event in zip(ids, first_met, strict=True):
        met_at = [event]
        if event is not tonight_event and rng.random() < 0.4:  # met again, once or twice
            later = [e for e in rng.sample(past_events, 2) if e.starts_on > event.starts_on]
            met_at += later[:rng.choice([1, 2])]
        for e in met_at:
            notes = " ".join(f"Talked about {rng.choice(TOPICS)}." for _ in range(rng.randint(0, 2)))
            conversations.append({"person": pid, "event": e.id, "notes": notes,
                                  "created_at": datetime.datetime.combine(e.starts_on, datetime.time(20))})
        for tag in rng.sample(tags, rng.choice([0, 0, 1, 1, 2, 3])):
            person_tags.append({"person": pid, "tag": tag})
        if rng.random() < 0.3:
            due = event.starts_on + datetime.timedelta(days=2)
            recent = today - event.starts_on < OPEN_WINDOW
            state = "open" if recent or rng.random() < 0.02 else rng.choice(["done", "done", "done", "dropped"])
            follow_ups.append({"person": pid, "owner": user.id, "event": event.id, "reason": rng.choice(REASONS),
                               "due_on": due,
                               "done_on": due + datetime.timedelta(days=1) if state == "done" else None,
                               "dropped_on": due + datetime.timedelta(days=5) if state == "dropped" else None})
        if rng.random() < 0.05:
            outcomes.append({"person": pid, "kind": rng.choice(OUTCOME_KINDS), "text": "Coffee, then an intro",
                             "happened_on": event.starts_on + datetime.timedelta(days=rng.randint(7, 200))})
    insert(Conversation, conversations)
    insert(PersonTag, person_tags)
    insert(FollowUp, follow_ups)
    insert(Outcome, outcomes)
    return user.id


def working_copy(seeded, folder):
    """A copy of the seeded file to run against, with tonight's event moved to today."""
    path = Path(folder) / seeded.name
    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    shutil.copyfile(seeded, path)
    import sqlite3

    with sqlite3.connect(path) as conn:
        today = datetime.date.today()
        conn.execute("UPDATE event SET starts_on = ? WHERE name = ?", (today.isoformat(), TONIGHT))
        conn.execute("CREATE TABLE IF NOT EXISTS bench_floor_write (id INTEGER PRIMARY KEY, user_id INTEGER, "
                     "at TEXT)")
    conn.close()
    return path


# --- The floor --------------------------------------------------------------------------------------

FLOOR_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="csrf-token" content="{{ csrf_token() }}"><title>{{ current_user.display_name }} - Hallway</title>
</head><body><main>"""
FLOOR_END = "</main></body></html>\n\n"  # Jinja drops one trailing newline
FILLER = '<p class="row"><a href="/people/1">Jane Doe</a> <span>Data engineer at Acme</span></p>\n'


def floor_app(database_url=None):
    """The floor: the same libraries doing only what any page of the app must do."""
    database_url = database_url or os.environ["BENCH_DATABASE_URL"]
    app = Flask("floor")
    app.config.update(SECRET_KEY=SECRET_KEY, DATABASE=db.open_database(database_url),
                      WTF_CSRF_TIME_LIMIT=None)
    floor_db = FlaskDB(app)  # connect on request start, close on teardown, as the app does

    class FloorUser(UserMixin, floor_db.Model):
        email = CharField()
        display_name = CharField()

        class Meta:
            table_name = "user"

    class FloorLogin(floor_db.Model):
        token = CharField()
        user = ForeignKeyField(FloorUser)

        class Meta:
            table_name = "login"

    class FloorWrite(floor_db.Model):
        user_id = IntegerField()
        at = CharField()

        class Meta:
            table_name = "bench_floor_write"

    login = LoginManager(app)
    CSRFProtect(app)
    sources = {"bare.html": FLOOR_PAGE + FLOOR_END}
    # Compiled once by Jinja and kept in its cache, like the app's own templates.
    app.jinja_loader = FunctionLoader(lambda name: (sources[name], None, lambda: True) if name in sources else None)

    @login.user_loader
    def load_user(login_id):
        # The same cookie as the app's: the user is found through the login token it holds (a unique index, as
        # cheap as the primary key), in one query.
        login = (FloorLogin.select(FloorLogin, FloorUser).join(FloorUser)
                 .where(FloorLogin.token == login_id.partition(".")[0]).first())
        return login and login.user

    @app.route("/floor/<int:size>")
    @login_required
    def page(size):
        name = f"floor-{size}.html"
        if name not in sources:  # static text that renders to `size` bytes for this user and token
            missing = max(0, size - len(render_template("bare.html").encode()))
            sources[name] = FLOOR_PAGE + (FILLER * (missing // len(FILLER) + 1))[:missing] + FLOOR_END
        return render_template(name)

    @app.route("/floor/post", methods=("POST",))
    @login_required
    def post():
        with floor_db.database.atomic("IMMEDIATE"):
            FloorWrite.create(user_id=current_user.id, at=datetime.datetime.now().isoformat())
        return redirect("/floor/1000")

    return app


# --- The pages --------------------------------------------------------------------------------------

PAGES = ["home", "event", "event_changed", "event_first", "log_form", "log_form_first", "card", "people",
         "people_changed", "people_first", "search", "search_changed", "search_first", "follow_ups",
         "follow_ups_changed", "follow_ups_first", "insights", "insights_first", "profile", "log_post", "save_loop"]
# "_first": a worker's first look at the page (nothing kept, see webapp/kept.py: a worker just started);
# "_changed": its first look after the account changed (the page made again, its rows that show the same as
# before kept); the plain name is every later look until the account changes. An event's first look is the
# page every save at the venue leads to, and the log form's the next "Met someone".
FIRST_LOOK = "_first"
AFTER_A_CHANGE = "_changed"
# "save_loop": what each person logged at the venue costs, three requests: the save, the event's page it leads
# to and the log form again for the next person; against the floor's save and two pages of the same sizes.
SAVE_LOOP = "save_loop"


def _only_in_process(name):
    """A first look is measured in this process only: a server under wrk keeps its parts after the first request."""
    return name.endswith((FIRST_LOOK, AFTER_A_CHANGE))


def page_paths(database):
    """Each key page's address in the seeded account."""
    with database.connection_context():
        tonight = Event.get(Event.name == TONIGHT, Event.owner == 1).id
        target = Event.get(Event.name == POST_TARGET, Event.owner == 1).id
    paths = {"home": "/", "event": f"/events/{tonight}", "log_form": f"/events/{tonight}/people/new",
             "card": "/card", "people": "/people", "search": "/people?q=jan", "follow_ups": "/follow-ups/",
             "insights": "/insights/", "profile": "/profile", "log_post": f"/events/{target}/people/new"}
    paths[SAVE_LOOP] = paths["log_post"]
    return {name: paths[name.removesuffix(FIRST_LOOK).removesuffix(AFTER_A_CHANGE)] for name in PAGES}


def session_cookie(app):
    """A session cookie for the bench account that no GET page needs to rewrite (so no Set-Cookie per request)."""
    client = app.test_client()
    with app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1"}, headers={"User-Agent": USER_AGENT}):
        identifier = _create_identifier()
    with app.app_context(), db.database().connection_context():
        user = User.get_by_id(1)
        user.log_in("bench")
        login_id = user.get_id()  # a login's token, as a real login stores it
    with client.session_transaction() as session:
        session.update({"_user_id": login_id, "_fresh": True, "_id": identifier, "csrf_token": secrets.token_hex(20)})
    return client.get_cookie("session").value


def post_body(token):
    return {"csrf_token": token, "name": f"Bench {uuid.uuid4().hex[:10]}", "company": "Acme Analytics",
            "notes": "Talked about SQLite in production.", "tags": "python, data", "entry": str(uuid.uuid4())}


class Counter:
    def __init__(self, database):
        self.database, self.count = database, 0

    def __enter__(self):
        original = self.database.execute_sql

        def counting(sql, params=None, *args, **kwargs):
            self.count += 1
            return original(sql, params, *args, **kwargs)

        self.database.execute_sql = counting
        return self

    def __exit__(self, *exc):
        del self.database.execute_sql


def cpu_ms(app, floor, paths, pages, seconds):
    """CPU ms per request for each page and its floor, interleaved in batches; median of the pairs."""
    cookie = session_cookie(app)
    headers = {"User-Agent": USER_AGENT}
    client, floor_client = app.test_client(), floor.test_client()
    client.set_cookie("session", cookie)
    floor_client.set_cookie("session", cookie)
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/", headers=headers).text).group(1)
    results = {}
    for name in pages:
        path = paths[name]
        if name == "log_post":
            def hit(path=path):
                client.set_cookie("session", cookie)  # the flash each save leaves is not carried along
                return client.post(path, data=post_body(token), headers=headers)

            def floor_hit():
                return floor_client.post("/floor/post", data={"csrf_token": token}, headers=headers)
        elif name == SAVE_LOOP:
            # The save goes to an event of its own, so tonight's page keeps its 30 people however many are saved.
            event_bytes, form_bytes = (len(client.get(paths[p], headers=headers).data) for p in ("event", "log_form"))

            def hit(path=path):
                client.set_cookie("session", cookie)
                client.post(path, data=post_body(token), headers=headers)
                client.get(paths["event"], headers=headers)
                return client.get(paths["log_form"], headers=headers)

            def floor_hit(event_bytes=event_bytes, form_bytes=form_bytes):
                floor_client.post("/floor/post", data={"csrf_token": token}, headers=headers)
                floor_client.get(f"/floor/{event_bytes}", headers=headers)
                return floor_client.get(f"/floor/{form_bytes}", headers=headers)
        elif name.endswith(FIRST_LOOK):
            def hit(path=path):
                kept.forget_all()
                directory._choices_kept.clear()
                return client.get(path, headers=headers)
        elif name.endswith(AFTER_A_CHANGE):
            def hit(path=path):
                kept.forget_pages()
                directory._choices_kept.clear()  # the People filters' tags and events, read once per change
                return client.get(path, headers=headers)
        else:
            def hit(path=path):
                return client.get(path, headers=headers)
        response = hit()
        expected = 302 if name == "log_post" else 200
        assert response.status_code == expected, (name, response.status_code, response.text[:500])
        size = len(response.data)
        if name not in ("log_post", SAVE_LOOP):
            assert "Set-Cookie" not in response.headers, (name, "the page rewrites the session")
            floor_path = f"/floor/{size}"

            def floor_hit(floor_path=floor_path):
                return floor_client.get(floor_path, headers=headers)
            assert abs(len(floor_hit().data) - size) <= 2
        with Counter(db.database()) as counted:
            hit()
        for _ in range(3):  # warm both up
            hit(), floor_hit()
        batch = max(1, min(20, int(0.05 / max(1e-4, timed(hit, 1)))))
        pairs, page_ms, floor_ms = [], [], []
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline or len(pairs) < 5:
            p, f = timed(hit, batch), timed(floor_hit, batch)
            page_ms.append(p)
            floor_ms.append(f)
            pairs.append(p / f)
        results[name] = {"bytes": size, "queries": counted.count, "ms": statistics.median(page_ms),
                         "floor_ms": statistics.median(floor_ms), "ratio": statistics.median(pairs),
                         "runs": len(pairs) * batch}
    return results


def timed(hit, n):
    t0 = time.process_time()
    for _ in range(n):
        hit()
    return (time.process_time() - t0) * 1000 / n


# --- Under gunicorn, with wrk -----------------------------------------------------------------------

WRK_POST = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
math.randomseed(os.time() + math.floor(os.clock() * 1000000))
local function hex(n) local s = "" for _ = 1, n do s = s .. string.format("%x", math.random(0, 15)) end return s end
request = function()
  local entry = hex(8) .. "-" .. hex(4) .. "-4" .. hex(3) .. "-a" .. hex(3) .. "-" .. hex(12)
  local body = "csrf_token=TOKEN&name=Bench+" .. hex(10) .. "&company=Acme+Analytics"
    .. "&notes=Talked+about+SQLite&tags=python%2C+data&entry=" .. entry
  return wrk.format(nil, nil, nil, body)
end
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(app_spec, env, cwd):
    port = free_port()
    proc = subprocess.Popen(
        ["taskset", "-c", "0", sys.executable, "-m", "gunicorn", app_spec, "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--log-level", "warning", "--backlog", "256"],
        cwd=cwd, env=env, start_new_session=True)
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/nowhere-{port}", timeout=1)
        except urllib.error.HTTPError:
            break
        except OSError:
            time.sleep(0.05)
    else:
        raise RuntimeError(f"{app_spec} did not start")
    return proc, f"http://127.0.0.1:{port}"


def stop_server(proc):
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=10)


def wrk(url, cookie, seconds, script=None):
    command = ["taskset", "-c", "1", "wrk", "-t1", "-c32", f"-d{seconds}s", "--latency", "--timeout", "10s",
               "-H", f"Cookie: session={cookie}", "-H", f"User-Agent: {USER_AGENT}"]
    if script:
        command += ["-s", script]
    out = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = {p: to_ms(v) for p, v in re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.M)}
    if not rps:
        return 0.0, 0.0, 0.0
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    if bad or errors:
        print(f"      ! {url}: {bad.group(0) if bad else ''} {errors.group(0) if errors else ''}")
    return rps, latency["50"], latency["99"]


def to_ms(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def under_load(app, database_url, paths, pages, sizes, seconds, rounds, folder):
    """Requests/s, p50 and p99 for each page and its floor, A B A B, under gunicorn -w 2 and wrk -c 32."""
    cookie = session_cookie(app)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page_text(app, cookie, "/")).group(1)
    env = dict(os.environ, DATABASE_URL=database_url, BENCH_DATABASE_URL=database_url, SECRET_KEY=SECRET_KEY)
    app_proc, app_url = start_server("webapp:create_app()", env, ROOT)
    floor_proc, floor_url = start_server("pages:floor_app()", env, ROOT / "bench")
    script = Path(folder) / "post.lua"
    script.write_text(WRK_POST.replace("TOKEN", token))
    results = {}
    try:
        for name in [p for p in pages if not _only_in_process(p) and p != SAVE_LOOP]:  # a server keeps its parts
            if name == "log_post":
                targets = (app_url + paths[name], str(script)), (floor_url + "/floor/post", str(script))
            else:
                targets = (app_url + paths[name], None), (floor_url + f"/floor/{sizes[name]}", None)
            for url, s in targets:  # warm up
                wrk(url, cookie, 1, s)
            runs = []
            for _ in range(rounds):
                runs.append((wrk(*targets[0][:1], cookie, seconds, targets[0][1]),
                             wrk(*targets[1][:1], cookie, seconds, targets[1][1])))
            results[name] = {
                "rps": statistics.median(p[0] for p, _ in runs),
                "p50": statistics.median(p[1] for p, _ in runs),
                "p99": statistics.median(p[2] for p, _ in runs),
                "rps_ratio": statistics.median(p[0] / f[0] if f[0] else 0 for p, f in runs),
                "p50_ratio": statistics.median(p[1] / f[1] if f[1] else 0 for p, f in runs),
                "p99_ratio": statistics.median(p[2] / f[2] if f[2] else 0 for p, f in runs),
                "floor_rps": statistics.median(f[0] for _, f in runs),
                "floor_p99": statistics.median(f[2] for _, f in runs),
            }
    finally:
        stop_server(app_proc)
        stop_server(floor_proc)
    return results


def page_text(app, cookie, path):
    client = app.test_client()
    client.set_cookie("session", cookie)
    return client.get(path, headers={"User-Agent": USER_AGENT}).text


# --- Running it -------------------------------------------------------------------------------------

def run_size(people, pages, args):
    seeded = seeded_file(people)
    results = {}
    with tempfile.TemporaryDirectory(prefix="hallway-pages-") as folder:
        path = working_copy(seeded, folder)
        url = f"sqlite:///{path}"
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET_KEY})
        floor = floor_app(url)
        paths = page_paths(db.database())
        results["cpu"] = cpu_ms(app, floor, paths, pages, args.seconds)
        db.database().close()
        if args.wrk:
            path = working_copy(seeded, folder)  # the CPU runs logged people: start again from the seed
            sizes = {name: r["bytes"] for name, r in results["cpu"].items()}
            results["wrk"] = under_load(app, url, paths, pages, sizes, args.wrk_seconds, args.rounds, folder)
    return results


def print_tables(all_results, pages):
    sizes = list(all_results)
    print("\nCPU ms per request in-process (test client), page / floor = ratio; queries per request; bytes")
    head = f"{'page':<17}" + "".join(f"{f'{s:,} people':>34}" for s in sizes)
    if len(sizes) > 1:
        head += f"{'growth':>9}"
    print(head)
    for name in pages:
        line = f"{name:<17}"
        for s in sizes:
            r = all_results[s]["cpu"][name]
            line += f"{r['ms']:>8.2f} /{r['floor_ms']:>5.2f} = {r['ratio']:>5.2f}x {r['queries']:>3}q {r['bytes']:>6}B"
        if len(sizes) > 1:
            first, last = all_results[sizes[0]]["cpu"][name]["ms"], all_results[sizes[-1]]["cpu"][name]["ms"]
            line += f"{last / first:>8.2f}x"
        print(line)
    if any("wrk" in r for r in all_results.values()):
        print("\ngunicorn -w 2 (core 0), wrk -c 32 (core 1): page req/s, p50, p99 and each as a ratio to the floor")
        print(f"{'page':<17}" + "".join(f"{f'{s:,} people':>56}" for s in sizes if "wrk" in all_results[s]))
        for name in [p for p in pages if not _only_in_process(p)]:
            line = f"{name:<17}"
            for s in sizes:
                if "wrk" not in all_results[s]:
                    continue
                r = all_results[s]["wrk"][name]
                if not r["rps"] or not r["floor_rps"]:
                    line += f"{'no answer within the run (server starved?)':>56}"
                    continue
                line += (f"{r['rps']:>7.0f} r/s ({r['rps_ratio']:.2f}x) p50 {r['p50']:>5.1f} ms "
                         f"({r['p50_ratio']:.1f}x) p99 {r['p99']:>5.1f} ({r['p99_ratio']:.1f}x)")
            print(line)
        for s in sizes:
            if "wrk" in all_results[s]:
                floors = all_results[s]["wrk"].values()
                print(f"   floor at {s:,}: {statistics.median(r['floor_rps'] for r in floors):.0f} req/s, "
                      f"p99 {statistics.median(r['floor_p99'] for r in floors):.1f} ms (median over the pages)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated account sizes, e.g. 1000,10000,50000")
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated: " + ",".join(PAGES))
    parser.add_argument("--seconds", type=float, default=0.6, help="CPU measurement per page and per side")
    parser.add_argument("--wrk", action="store_true", help="also load both apps under gunicorn with wrk")
    parser.add_argument("--wrk-seconds", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2, help="A B rounds of wrk per page")
    parser.add_argument("--seed-only", action="store_true", help="only seed (and cache) the databases")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    pages = [p for p in args.pages.split(",") if p]
    unknown = set(pages) - set(PAGES)
    if unknown:
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}")
    pages = [p for p in PAGES if p in pages]  # logging by POST adds people: it goes last
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; "
          f"{time.strftime('%Y-%m-%d %H:%M')}; git {git_head()}")
    all_results = {}
    for people in sizes:
        if args.seed_only:
            seeded_file(people)
            continue
        print(f"== {people:,} people")
        all_results[people] = run_size(people, pages, args)
    if all_results:
        print_tables(all_results, pages)


def git_head():
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True).stdout.strip()
    except OSError:
        return "?"


if __name__ == "__main__":
    main()
