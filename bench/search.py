"""How fast the People search stays after years of events: 50,000 people, on SQLite and on PostgreSQL.

    python bench/search.py [--people 50000] [--runs 7] [--only sqlite|postgres] [--keep DIR]

--keep DIR keeps the filled databases in DIR (an SQLite file and a PostgreSQL data folder) and measures them
again on the next run without filling them again: filling 50,000 people takes minutes.

Fills one account with 50,000 people (plus a second account with 5,000, so the owner filter has work to do):
names from many languages, companies, roles, descriptions, notes from one to three conversations each and up to
three tags, bulk-inserted through the models so the search index's triggers fill it as they would in use.
PostgreSQL is a throwaway cluster started here (as TOOLING.md shows); DATABASE_URL is never touched.

Then times a set of searches a user would type (prefixes as they type, a company, a tag, a word from the notes,
several words, nothing found), each run several times, two ways:
  - the search query alone: the first page of 20, newest first, as the People page asks for it;
  - the whole People page through the Flask test client (search, the page's details, the HTML), interleaved with
    the same page with nothing typed (newest first, no search) as a baseline, so the ratio survives a noisy
    machine.
Prints the median and the 95th percentile over all the runs, and the median per search.
"""

import argparse
import datetime
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from webapp import create_app, db, kept  # noqa: E402
from webapp.models import Conversation, Event, Person, PersonTag, Tag, User  # noqa: E402
from webapp.people.directory import PER_PAGE, find_people  # noqa: E402

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
BATCH = 1000

FIRST = ("Jane Janek Janet Jan Johanna John Joao Mei Wei Li Aiko Hiroshi Sanjay Priya Anaya Fatima Omar Youssef "
         "Chidi Amara Kwame Olga Ivan Dmitri Zoë Søren Åsa Björn Chloé François José Lucía Mateo Carmen Ana "
         "Marta Grace Alan Ada Linus Barbara Guido Margaret Katherine Tim Sophie Noah Emma Liam Ava Lars Ines "
         "Nadia Ravi Kenji Yuki Hana Tomás Élodie Zeynep Emre Agnieszka Piotr Kateřina Jiří Ngozi Thabo").split()
LAST = ("Doe Nowak Smith Garcia Müller Schmidt Rossi Dubois Kowalski Novák Nielsen Johansson Ødegård Öztürk "
        "Yılmaz Tanaka Suzuki Watanabe Chen Wang Zhang Kumar Patel Singh Okafor Mensah Adeyemi Ivanova Petrov "
        "Fernández López Silva Santos Costa Hopper Liskov Lovelace Torvalds Turing Hamilton Berners-Lee "
        "van Rossum O'Brien MacDonald Björk Lindqvist Kaur Haddad Nakamura Park Kim Nguyen Tran").split()
COMPANIES = ("Acme Analytics|Globex|Initech|Umbrella Health|Stark Industries|Wayne Enterprises|Hooli|Pied Piper|"
             "Aperture Science|Cyberdyne|Soylent|Tyrell|Massive Dynamic|Vandelay Industries|Wonka Labs|"
             "Oceanic Data|Blue Sun|Monarch Solutions|Nakatomi Trading|Gringotts Fintech|Dunder Mifflin|"
             "Black Mesa|Weyland Systems|Octan Energy|Zorg Robotics|Sirius Cybernetics|Yoyodyne|Contoso|"
             "Fabrikam|Northwind Traders|Tailspin Toys|Adventure Works|Wide World Importers|Litware|Proseware|"
             "Datadog|Grafana Labs|Confluent|Databricks|Snowflake|Supabase|Neon|Timescale|Crunchy Data").split("|")
ROLES = ("Data engineer|Backend developer|Frontend developer|Engineering manager|CTO|Founder|Recruiter|"
         "Talent partner|Product manager|Designer|SRE|Platform engineer|ML engineer|Data scientist|Analyst|"
         "Developer advocate|Student|Consultant|Security engineer|DBA|Architect|VP Engineering").split("|")
LOOKS = ("red jacket|Postgres talk|tall, beard|conference hoodie|asked the keynote question|by the coffee|"
         "sticker laptop|yellow scarf|speaker badge|came with the Rust group|volunteer shirt|"
         "glasses, curly hair").split("|")
TOPICS = ("CDC pipelines with Debezium|moving from Kafka to Pulsar|Postgres partitioning|observability budgets|"
          "Rust in the kernel|hiring juniors remotely|their migration to Kubernetes|dbt and data contracts|"
          "vector search in Postgres|the state of WebAssembly|burnout in on-call rotations|feature flags|"
          "running a meetup on no budget|GraphQL federation|SQLite in production|type hints in Python|"
          "LLM evaluation|accessibility audits|the Go generics debate|Terraform vs Pulumi|zero-downtime deploys|"
          "a side project about bird song|learning Japanese|climbing|their startup's seed round|"
          "open-source licences|event sourcing|the 東京 office|Lisbon remote work|mentoring").split("|")
FOLLOW = ("Send them the article. | Intro to Sam. | They are hiring for a senior role. | Coffee next month. | "
          "Share the slides. | Ask about the conference CFP. | ").split("| ")
TAGS = ("python rust go java kotlin postgres sqlite kafka data ml frontend backend devops sre security "
        "recruiter hiring founder speaker organiser student mentor investor design product cloud kubernetes "
        "wasm climbing japan berlin lisbon london remote junior senior staff manager open-source").split()

SERIES = ["PyData", "Rust Meetup", "DataEngConf", "Postgres Night", "FOSDEM", "Web Summit", "Founders Drinks"]
SEARCHES = ["j", "ja", "jan", "jane", "jane d", "jane doe", "ødeg", "zoe", "acme", "acme analytics", "recruit",
            "kafka", "debezium", "postgres partitioning", "hiring", "kubernetes", "東京", "o'brien",
            "red jacket", "zzzz nobody", '"kafka" OR (x*',
            # Typos and partial words, forgiven by the vocabulary of the index.
            "postgress", "kubernets", "ana", "jnae", "recuiter", "debezum", "acme analitics",
            # A slip on the second letter; the name of an event they were met at.
            "wtanabe", "lsikov", "fosdem", "founders drinks #12",
            # A phone number as dialled at home, which is also looked for as its digits joined.
            "087 123 4567"]


def people_rows(rng, owner_id, count, start):
    base = datetime.datetime(2019, 1, 1)
    for i in range(count):
        named = rng.random() > 0.08
        yield {
            "owner": owner_id,
            "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}" if named else "",
            "description": rng.choice(LOOKS) if (not named or rng.random() < 0.3) else "",
            "company": rng.choice(COMPANIES) if rng.random() < 0.85 else "",
            "role": rng.choice(ROLES) if rng.random() < 0.7 else "",
            "hiring": rng.random() < 0.12,
            "created_at": base + datetime.timedelta(minutes=start + i * 53),
        }


def fill(owner, count, rng, events_count):
    """Bulk-insert people, their conversations and tags for one owner; returns seconds taken."""
    t0 = time.perf_counter()
    database = db.database()
    with database.atomic():
        events = []
        for i in range(events_count):
            events.append(Event.create(owner=owner, name=f"{rng.choice(SERIES)} #{i}",
                                       kind=rng.choice(["meetup", "industry", "conference", "paid", "other"]),
                                       starts_on=datetime.date(2019, 1, 1) + datetime.timedelta(days=i * 7)))
        tags = [Tag.create(owner=owner, name=t) for t in TAGS]
    rows = list(people_rows(rng, owner.id, count, 0))
    for start in range(0, count, BATCH):
        with database.atomic():
            Person.insert_many(rows[start:start + BATCH]).execute()
    ids = [p.id for p in Person.select(Person.id).where(Person.owner == owner).order_by(Person.id)]
    conversations, person_tags = [], []
    for pid in ids:
        for event in rng.sample(events, rng.choice([1, 1, 1, 2, 2, 3])):
            notes = " ".join(f"Talked about {rng.choice(TOPICS)}." for _ in range(rng.randint(0, 3)))
            conversations.append({"person": pid, "event": event.id, "notes": notes + " " + rng.choice(FOLLOW)})
        for tag in rng.sample(tags, rng.choice([0, 0, 1, 1, 2, 3])):
            person_tags.append({"person": pid, "tag": tag.id})
    for model, rows in ((Conversation, conversations), (PersonTag, person_tags)):
        for start in range(0, len(rows), BATCH):
            with database.atomic():
                model.insert_many(rows[start:start + BATCH]).execute()
    return time.perf_counter() - t0, len(conversations), len(person_tags)


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def measure(app, owner, runs):
    """Times per search: the query alone and the whole page, in milliseconds."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = owner.get_id()  # a login's token, as a real login stores it
        session["_fresh"] = True
    query_ms, page_ms, baseline_ms, per_search = [], [], [], {}
    for text in SEARCHES:
        # One warm-up run each, as a user's second keystroke would find the cache.
        with db.database().connection_context():
            find_people(owner.id, text, window=PER_PAGE + 1, limit=PER_PAGE + 1)
        client.get("/people", query_string={"q": text})
        q_times, p_times = [], []
        for _ in range(runs):
            with db.database().connection_context():
                t0 = time.perf_counter()
                found = find_people(owner.id, text, window=PER_PAGE + 1, limit=PER_PAGE + 1)
                q_times.append((time.perf_counter() - t0) * 1000)
            kept.forget_all()  # each search as first typed, not the page a worker kept from the last run
            t0 = time.perf_counter()
            response = client.get("/people", query_string={"q": text})
            p_times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
            # The baseline, interleaved: the same page with nothing typed (the newest 20, no search).
            kept.forget_all()
            t0 = time.perf_counter()
            client.get("/people")
            baseline_ms.append((time.perf_counter() - t0) * 1000)
        with db.database().connection_context():
            matches = len(find_people(owner.id, text))
        per_search[text] = (statistics.median(q_times), statistics.median(p_times), len(found), matches)
        query_ms += q_times
        page_ms += p_times
    return query_ms, page_ms, baseline_ms, per_search


def run(label, url, people, runs):
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "TESTING": True})
    rng = random.Random(2026)
    with db.database().connection_context():
        owner = User.get_or_none(User.email == "bench@example.com")
        if owner is None:
            owner = User.create(email="bench@example.com", password_hash="x", display_name="Bench", timezone="UTC")
            other = User.create(email="other@example.com", password_hash="x", display_name="Other", timezone="UTC")
            seconds, conversations, tags = fill(owner, people, rng, events_count=400)
            fill(other, people // 10, rng, events_count=40)
            db.database().execute_sql("ANALYZE")
            how = f"bulk-inserted with the index kept by triggers in {seconds:.1f} s"
        else:
            conversations = Conversation.select().join(Person).where(Person.owner == owner).count()
            tags = PersonTag.select().join(Person).where(Person.owner == owner).count()
            people = Person.select().where(Person.owner == owner).count()
            how = "kept from an earlier run"
        owner.log_in("bench")  # a login to use the pages with
        indexed = db.database().execute_sql("SELECT count(*) FROM person_search").fetchone()[0]
    print(f"\n== {label}: {people:,} people ({conversations:,} conversations, {tags:,} tags) "
          f"{how}; {indexed:,} rows in the index")
    query_ms, page_ms, baseline_ms, per_search = measure(app, owner, runs)
    print(f"   search query (first page of {PER_PAGE}): median {statistics.median(query_ms):.2f} ms, "
          f"p95 {percentile(query_ms, 95):.2f} ms  ({len(query_ms)} runs)")
    print(f"   whole People page:               median {statistics.median(page_ms):.2f} ms, "
          f"p95 {percentile(page_ms, 95):.2f} ms")
    print(f"   People page with nothing typed:  median {statistics.median(baseline_ms):.2f} ms, "
          f"p95 {percentile(baseline_ms, 95):.2f} ms (baseline, run between the searches)")
    print(f"   searching costs {statistics.median(page_ms) / statistics.median(baseline_ms):.2f}x the baseline "
          f"(median), {percentile(page_ms, 95) / percentile(baseline_ms, 95):.2f}x (p95)")
    print(f"   {'search':<24}{'query ms':>10}{'page ms':>10}{'shown':>7}{'matches':>9}")
    for text, (q, p, shown, matches) in per_search.items():
        print(f"   {text!r:<24}{q:>10.2f}{p:>10.2f}{min(shown, PER_PAGE):>7}{matches:>9,}")
    db.database().close()
    return statistics.median(query_ms), percentile(query_ms, 95)


def start_postgres(base):
    as_postgres = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(base, "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    if not os.path.exists(f"{base}/data"):
        subprocess.run(as_postgres + [str(PG_BIN / "initdb"), "-D", f"{base}/data", "-U", "postgres",
                                      "--auth=trust", "-E", "UTF8", "--no-sync"], check=True, capture_output=True)
    subprocess.run(as_postgres + [str(PG_BIN / "pg_ctl"), "-D", f"{base}/data", "-l", f"{base}/log", "-w", "-o",
                                  f"-p {port} -k {base} -c listen_addresses=127.0.0.1", "start"],
                   check=True, capture_output=True)

    def stop():
        subprocess.run(as_postgres + [str(PG_BIN / "pg_ctl"), "-D", f"{base}/data", "-m", "fast", "stop"],
                       capture_output=True)

    return f"postgresql://postgres@127.0.0.1:{port}/postgres", stop


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--keep", help="keep the filled databases in this folder and reuse them next time")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores; {len(SEARCHES)} searches x {args.runs} runs")
    results = {}
    with tempfile.TemporaryDirectory(prefix="hallway-bench-") as folder:
        folder = args.keep or folder
        os.makedirs(folder, exist_ok=True)
        if args.only != "postgres":
            results["SQLite (FTS5)"] = run("SQLite (FTS5)", f"sqlite:///{folder}/bench.sqlite3", args.people,
                                           args.runs)
        if args.only != "sqlite":
            base = os.path.join(args.keep, "postgres") if args.keep else tempfile.mkdtemp(prefix="hallway-bench-pg-")
            os.makedirs(base, exist_ok=True)
            url, stop = start_postgres(base)
            try:
                results["PostgreSQL (tsvector + GIN)"] = run("PostgreSQL (tsvector + GIN)", url,
                                                                       args.people, args.runs)
            finally:
                stop()
                if not args.keep:
                    shutil.rmtree(base, ignore_errors=True)
    print("\nSummary, search query on the first page:")
    for label, (median, p95) in results.items():
        print(f"   {label:<30} median {median:.2f} ms   p95 {p95:.2f} ms")


if __name__ == "__main__":
    main()
