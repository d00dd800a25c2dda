"""The index of people the phone keeps for "have I met them before?" with no signal."""

import datetime
import json
import random
import re
import shutil
import subprocess

import pytest
from conftest import ROOT, Auth, queries_run

from bench.search import COMPANIES, FIRST, LAST, LOOKS, SERIES, TAGS
from webapp import db
from webapp.models import Conversation, Event, Person, PersonTag, Tag, User

KEPT_MAX_BYTES = 300 * 1024


def owner():
    with db.database().connection_context():
        return User.get(User.email == "ada@example.com")


def fill(user, people, seed=10):
    """People as the years bring them: names from many languages, companies, up to three tags, 1-3 events."""
    rng = random.Random(seed)
    with db.database().connection_context(), db.write():
        events = [Event.create(owner=user, name=f"{rng.choice(SERIES)} #{i}",
                               starts_on=datetime.date(2021, 1, 1) + datetime.timedelta(days=7 * i))
                  for i in range(people // 20 + 1)]
        tags = [Tag.get_or_create(owner=user, name=t)[0] for t in TAGS]
        rows = []
        for _ in range(people):
            named = rng.random() > 0.08
            rows.append({"owner": user.id, "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}" if named else "",
                         "description": "" if named else rng.choice(LOOKS),
                         "company": rng.choice(COMPANIES) if rng.random() < 0.85 else "",
                         "email": "someone@example.com", "role": "Data engineer"})
        before = Person.select(Person.id).order_by(Person.id.desc()).scalar() or 0
        for start in range(0, len(rows), 500):
            Person.insert_many(rows[start:start + 500]).execute()
        ids = [p.id for p in Person.select(Person.id).where(Person.owner == user, Person.id > before)]
        Conversation.insert_many([{"person": pid, "event": e.id, "notes": "Secret: runs their Postgres team"}
                                  for pid in ids for e in rng.sample(events, rng.choice([1, 1, 2, 3]))]).execute()
        PersonTag.insert_many([{"person": pid, "tag": t.id} for pid in ids
                               for t in rng.sample(tags, rng.choice([0, 0, 1, 1, 2, 3]))]).execute()


def test_the_index_holds_names_companies_tags_and_the_last_event_and_nothing_private(client, user):
    with db.database().connection_context():
        ada = owner()
        old = Event.create(owner=ada, name="FOSDEM", starts_on=datetime.date(2024, 2, 3))
        new = Event.create(owner=ada, name="PyData", starts_on=datetime.date(2025, 3, 12))
        jane = Person.create(owner=ada, name="Jane Doe", company="Acme", email="jane@example.com",
                             linkedin_url="https://www.linkedin.com/in/jane")
        Conversation.create(person=jane, event=new, notes="Secret reorg at Acme")
        Conversation.create(person=jane, event=old, notes="")
        jane.set_tags(["python", "kafka"])
        Person.create(owner=ada, description="red jacket")
    response = client.get("/people/met-before.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "no-store" in response.headers["Cache-Control"]
    index = response.get_json()
    assert index["events"] == [["FOSDEM", "2024-02-03", old.id], ["PyData", "2025-03-12", new.id]]
    assert index["tags"] == ["kafka", "python"]
    assert [row[1:] for row in index["people"]] == [["red jacket", "", [], -1], ["Jane Doe", "Acme", [0, 1], 1]]
    body = response.get_data(as_text=True)
    assert "Secret" not in body and "jane@example.com" not in body and "linkedin" not in body


def test_five_thousand_people_fit_in_300_kb_in_a_fixed_number_of_queries(client, user, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("the size is the same on both databases; filling 5,000 people twice is slow")
    fill(owner(), 500)
    with queries_run() as few:
        small = client.get("/people/met-before.json").get_data()
    fill(owner(), 4500, seed=11)
    with queries_run() as many:
        body = client.get("/people/met-before.json").get_data()
    index = json.loads(body)
    assert len(index["people"]) == 5000
    assert len(few) == len(many)
    assert len(body) < KEPT_MAX_BYTES, f"{len(body):,} bytes for 5,000 people"
    assert len(small) < len(body)
    print(f"\noffline index: {len(body):,} bytes for 5,000 people ({len(body) / 5000:.0f} bytes each)")


def test_only_your_own_people_and_only_when_logged_in(client, user):
    with db.database().connection_context():
        Person.create(owner=owner(), name="Jane Doe")
    auth = Auth(client)
    auth.logout()
    assert client.get("/people/met-before.json").status_code == 302
    auth.signup(email="mallory@example.com", name="Mallory")
    assert client.get("/people/met-before.json").get_json()["people"] == []


def test_the_phones_search_forgives_typos_as_the_servers_does():
    node = shutil.which("node")
    if not node:
        pytest.skip("Node.js is not installed")
    result = subprocess.run([node, "--test", "tests/js/met_before_search.test.mjs"], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    ran, passed = (re.search(rf"# {what} (\d+)", result.stdout).group(1) for what in ("tests", "pass"))
    assert "# fail 0" in result.stdout and int(passed) == int(ran) >= 6


def test_the_phone_fetches_the_index_again_only_after_the_account_changed(client, user):
    import re

    def version():
        page = client.get("/met").get_data(as_text=True)
        # What the phone compares its index with (static/js/met-before-index.js): the account's version.
        return re.search(r'<body[^>]* data-version="(\d+)"', page).group(1)

    before = version()
    assert version() == before  # looking changes nothing
    client.post("/met", data={"name": "Grace Hopper"})
    assert version() != before
