"""How big and how fast the exports are for a busy account: 1,000 people met over 50 events.

    python bench/exports.py                  # SQLite in a temporary folder
    DATABASE_URL=postgresql://... python bench/exports.py

Goes through the real routes with Flask's test client (no network), so the times include
the queries, the formatting and the response. Prints sizes and the median of several runs.
"""

import datetime
import io
import random
import statistics
import sys
import time
import uuid

from in_process import bench_app

from webapp import db
from webapp.imports import BACKUP_MAX_BYTES
from webapp.models import Conversation, Event, FollowUp, Outcome, Person, User

PEOPLE = 1000
EVENTS = 50
MET_AGAIN = 200  # people met at a second event too
RUNS = 5
FIRST_NAMES = ["Ada", "Grace", "Zoë", "Ægir", "李", "Søren", "Amara", "José", "Priya", "Олег", "Chidi", "Mei"]
LAST_NAMES = ["Lovelace", "Hopper", "Fischer", "Jónsson", "小龍", "Kierkegaard", "Okafor", "Núñez", "Patel"]
TOPICS = ["CRDTs", "Postgres vacuum", "hiring juniors", "Rust in games", "time zones", "DuckDB", "on-call"]


def fill(user_id):
    rng = random.Random(4)
    start = datetime.date(2025, 1, 9)
    with db.write():
        events = [Event.create(owner=user_id, name=f"PyData Berlin #{i}, talks & pizza",
                               starts_on=start + datetime.timedelta(weeks=i), start_time=datetime.time(18, 30),
                               place="Valeska-Gert-Straße 5, Berlin", kind=rng.choice(["meetup", "industry"]),
                               link=f"https://www.meetup.com/pydata-berlin/events/{300000 + i}/",
                               description="Two talks, then pizza. " * 8) for i in range(EVENTS)]
        for i in range(PEOPLE):
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {i}"
            person = Person.create(owner=user_id, name=name, company=f"Company {i % 170}, GmbH",
                                   role=rng.choice(["Data engineer", "CTO", "Recruiter", "PhD student"]),
                                   email=f"person{i}@example.com" if i % 3 == 0 else "",
                                   linkedin_url=f"https://www.linkedin.com/in/person-{i}/" if i % 2 == 0 else "",
                                   hiring=i % 7 == 0)
            met_at = [events[i % EVENTS]] + ([events[(i + 7) % EVENTS]] if i < MET_AGAIN else [])
            for event in met_at:
                Conversation.create(person=person, event=event,
                                    notes=f"Talked about {rng.choice(TOPICS)}; wants the slides, "
                                          f"\"intro\" to {rng.choice(FIRST_NAMES)}.\nFollow up next week.")
            person.set_tags(rng.sample(["python", "data", "rust", "recruiter", "founder", "ml", "ops"], 2))
            if i % 3 == 0:
                FollowUp.create(person=person, event=met_at[0], reason="send the article on CDC",
                                due_on=met_at[0].starts_on + datetime.timedelta(days=2))
            if i % 10 == 0:
                Outcome.create(person=person, kind="advice", happened_on=met_at[0].starts_on, text="Good advice")


def timed(action):
    times = []
    for _ in range(RUNS):
        began = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - began)
    return result, statistics.median(times)


def main():
    app, url = bench_app()
    client = app.test_client()
    run = uuid.uuid4().hex[:8]  # a PostgreSQL database keeps the accounts of earlier runs
    client.post("/signup", data={"email": f"ada-{run}@example.com", "password": "correct horse battery",
                                 "timezone": "Europe/Berlin"})
    with app.app_context(), db.database().connection_context():
        user_id = User.get(User.email == f"ada-{run}@example.com").id
        began = time.perf_counter()
        fill(user_id)
        print(f"filled {PEOPLE} people, {PEOPLE + MET_AGAIN} meetings over {EVENTS} events "
              f"in {time.perf_counter() - began:.1f} s ({url.split(':')[0]})")

    print(f"{'export':<12}{'size':>12}{'median time':>14}")
    sizes = {}
    for name, path in [("vCard", "/export/contacts.vcf"), ("CSV", "/export/people.csv"),
                       ("JSON backup", "/export/backup.json")]:
        response, seconds = timed(lambda path=path: client.get(path))
        assert response.status_code == 200, response.status_code
        sizes[name] = len(response.data)
        print(f"{name:<12}{len(response.data) / 1024:>9.0f} KB{seconds * 1000:>11.0f} ms")
    with app.app_context(), db.database().connection_context():
        event_id = Event.select(Event.id).where(Event.owner == user_id).order_by(Event.id).first().id
    response, seconds = timed(lambda: client.get(f"/events/{event_id}/contacts.vcf"))
    print(f"{'one event':<12}{len(response.data) / 1024:>9.0f} KB{seconds * 1000:>11.0f} ms  (vCard, "
          f"{response.data.count(b'BEGIN:VCARD')} people)")

    backup = client.get("/export/backup.json").data
    restore_times = []
    for attempt in range(3):
        client.post("/logout")
        client.post("/signup", data={"email": f"restore{attempt}-{run}@example.com",
                                     "password": "correct horse battery", "timezone": "Europe/Berlin"})
        began = time.perf_counter()
        response = client.post("/import/backup", data={"file": (io.BytesIO(backup), "backup.json")},
                               content_type="multipart/form-data")
        restore_times.append(time.perf_counter() - began)
        assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    again = client.get("/export/backup.json").data
    print(f"{'restore':<12}{len(backup) / 1024:>9.0f} KB{statistics.median(restore_times) * 1000:>11.0f} ms"
          f"  (median of 3; restored copy backs up to {len(again)} bytes, original {len(backup)})")
    per_person = sizes["JSON backup"] / PEOPLE
    print(f"backup ≈ {per_person / 1024:.1f} KB a person: the {BACKUP_MAX_BYTES // 2**20} MB limit on a "
          f"restore fits about {int(BACKUP_MAX_BYTES / per_person):,} people")
    db.database().close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
