"""What a user with 20,000 LinkedIn connections waits for when importing Connections.csv.

    python bench/people_import.py                  # SQLite in a temporary folder
    DATABASE_URL=postgresql://... python bench/people_import.py

Goes through the real routes with Flask's test client (no network), so the times include the reading, the
matching, the page and the token. Two accounts: one that already has everyone in the file (the same file
imported again), and one that has nobody yet (everyone added).
"""

import datetime
import io
import re
import sys
import time
import uuid

from in_process import bench_app

from webapp import db
from webapp.models import Person, User

CONNECTIONS = 20_000


def connections_file(count):
    rows = "".join(f'Person,Number {i},https://www.linkedin.com/in/person-{i},,"Company {i % 170}, Inc.",Engineer,'
                   f'{1 + i % 28:02d} Oct {2010 + i % 16}\r\n' for i in range(count))
    return ("Notes:\r\n\r\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n" + rows).encode()


def fill(user_id, count):
    """Everyone in the file, as the file's first import left them."""
    rows = [{"owner": user_id, "name": f"Person Number {i}", "company": f"Company {i % 170}, Inc.",
             "role": "Engineer", "linkedin_url": f"https://www.linkedin.com/in/person-{i}",
             "connected_on_linkedin": True, "linkedin_connected_on": datetime.date(2010 + i % 16, 10, 1 + i % 28)}
            for i in range(count)]
    with db.write():
        for start in range(0, count, 500):
            Person.insert_many(rows[start:start + 500]).execute()


def timed(action):
    began = time.perf_counter()
    result = action()
    return result, time.perf_counter() - began


def signup(client, email):
    client.post("/logout")
    client.post("/signup", data={"email": email, "password": "correct horse battery", "timezone": "Europe/Berlin"})


def main():
    app, url = bench_app()
    client = app.test_client()
    run = uuid.uuid4().hex[:8]  # a PostgreSQL database keeps the accounts of earlier runs
    data = connections_file(CONNECTIONS)
    print(f"Connections.csv of {CONNECTIONS:,} rows, {len(data) / 2**20:.1f} MB ({url.split(':')[0]})", flush=True)
    for who in ("everyone-known", "nobody-known"):
        email = f"{who}-{run}@example.com"
        signup(client, email)
        with app.app_context(), db.database().connection_context():
            user_id = User.get(User.email == email).id
            if who == "everyone-known":
                fill(user_id, CONNECTIONS)
        page, upload = timed(lambda: client.post("/import/connections", data={"file": (io.BytesIO(
            data), "Connections.csv")}, content_type="multipart/form-data"))
        text = page.get_data(as_text=True)
        token = re.search(r'name="token" type="hidden" value="([^"]*)"', text)
        boxes = re.findall(r'<input( checked)? id="(matches|others)-\d+" name="(\w+)" type="checkbox" '
                           r'value="(\d+)"', text)
        lead = re.search(r'<p class="lead">(.*?)</p>', text, re.S)
        print(f"{who}: preview {upload:.1f} s, page {len(page.data) / 1024:,.0f} KB, "
              f"token {len(token.group(1)) / 1024 if token else 0:,.0f} KB, {len(boxes):,} checkboxes")
        print(f"  {lead.group(1).strip() if lead else ''}")
        if not token:
            continue
        form = {"token": token.group(1)}
        for _, _, name, value in boxes:  # everything offered, ticked
            form.setdefault(name, []).append(value)
        _, submit = timed(lambda form=form: client.post("/import/people/add", data=form))
        with client.session_transaction() as session:
            flashed = [m for _, m in session.get("_flashes", [])]
        print(f"  submit {submit:.1f} s: {flashed}")
    db.database().close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
