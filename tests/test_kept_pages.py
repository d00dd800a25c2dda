"""People, Follow-ups, Insights and an event's page are kept by each worker until the account changes or the day does:
a change made anywhere shows at once, every visit has its own CSRF token, and no account sees another's."""

import datetime
import re

from conftest import Auth, queries_run, without_tokens
from flask import template_rendered
from steps import PASSWORD, add_event, today

from webapp import db, kept
from webapp.models import Event, Person, User

KEPT_PAGES = ["/people", "/people?q=grace", "/follow-ups/", "/insights/"]


def page(client, path):
    return client.get(path).get_data(as_text=True)


def csrf_tokens(html):
    return set(re.findall(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html))


def test_a_change_from_another_phone_shows_at_once_on_every_kept_page(app, client, user):
    event = add_event(client, name="PyLondon")
    client.post(f"{event}/people/new", data={"name": "Ada Lovelace", "follow_up": "y"})
    client.get("/")  # shows the flashed messages, which would be on the first page only
    first = {path: page(client, path) for path in KEPT_PAGES}
    event_page = page(client, event)
    assert "1 of 3" in page(client, "/")
    assert "Grace Hopper" not in "".join(first.values()) + event_page and "Ada Lovelace" in event_page
    again = {path: page(client, path) for path in KEPT_PAGES}
    assert {path: without_tokens(html) for path, html in again.items()} == {
        path: without_tokens(html) for path, html in first.items()}  # nothing changed

    other_phone = app.test_client()
    Auth(other_phone).login()
    response = other_phone.post(f"{event}/people/new", data={"name": "Grace Hopper", "company": "Navy",
                                                             "follow_up": "y", "follow_up_reason": "COBOL notes"})
    assert response.status_code == 302

    people, found, follow_ups, insights = (page(client, path) for path in KEPT_PAGES)
    assert "Grace Hopper" in people and "Grace Hopper" in found and "Ada Lovelace" not in found
    assert "Grace Hopper" in follow_ups and "COBOL notes" in follow_ups
    assert insights != first["/insights/"] and re.search(r"\b2\b", insights)
    assert "Grace Hopper" in page(client, event) and "2 of 3" in page(client, event)
    assert "2 of 3" in page(client, "/")


def page_token(html):
    return re.search(r'name="csrf-token" content="([^"]+)"', html)[1]


def phone(app, signup=False):
    """A phone logged in to Ada's account (signing it up first)."""
    client = app.test_client()
    form = page(client, "/signup" if signup else "/login")
    data = {"email": "ada@example.com", "password": PASSWORD, "csrf_token": page_token(form)}
    if signup:
        data.update(display_name="Ada", timezone="Europe/London")
    assert client.post("/signup" if signup else "/login", data=data).status_code == 302
    return client


def test_each_visit_puts_its_own_token_in_a_kept_page(csrf_app):
    mine = phone(csrf_app, signup=True)
    event = add_event_with_token(mine)
    log = page(mine, f"{event}/people/new")
    assert mine.post(f"{event}/people/new", data={"csrf_token": page_token(log), "name": "Ada Lovelace",
                                                  "follow_up": "y"}).status_code == 302
    theirs = phone(csrf_app)

    my_page, their_page = page(mine, "/follow-ups/"), page(theirs, "/follow-ups/")
    assert "Ada Lovelace" in my_page and "Ada Lovelace" in their_page
    my_tokens, their_tokens = csrf_tokens(my_page), csrf_tokens(their_page)
    assert my_tokens == {page_token(my_page)} and their_tokens == {page_token(their_page)}
    assert my_tokens != their_tokens

    done = re.search(r'<form method="post" action="([^"]+/done)"[^>]*>\s*<input type="hidden" name="csrf_token" '
                     r'value="([^"]+)"', their_page)
    assert theirs.post(done[1], data={"csrf_token": done[2]}).status_code == 302  # the kept page's form works
    assert "Ada Lovelace" not in page(mine, "/follow-ups/").split("Done lately")[0]


def add_event_with_token(client):
    form = page(client, "/events/new")
    response = client.post("/events/new", data={"name": "PyLondon", "starts_on": today().isoformat(),
                                                "kind": "meetup", "goal": "3", "csrf_token": page_token(form)})
    assert response.status_code == 302
    return response.headers["Location"]


def test_every_visit_to_the_log_form_gets_a_new_entry_of_its_own(csrf_app):
    """The form is kept, but two people logged from two visits are two entries, never one overwriting the other."""
    mine = phone(csrf_app, signup=True)
    event = add_event_with_token(mine)
    theirs = phone(csrf_app)
    visits = [(mine, page(mine, f"{event}/people/new")), (mine, page(mine, f"{event}/people/new")),
              (theirs, page(theirs, f"{event}/people/new"))]
    entries = [re.search(r'name="entry" type="hidden" value="([0-9a-f-]{36})"', html)[1] for _, html in visits]
    assert len(set(entries)) == 3
    for (who, html), entry, name in zip(visits, entries, ["Ada", "Grace", "Linus"], strict=True):
        (token,) = csrf_tokens(html)
        assert token == page_token(html)
        response = who.post(f"{event}/people/new", data={"csrf_token": token, "entry": entry, "name": name})
        assert response.status_code == 302
    event_page = page(mine, event)
    assert all(name in event_page for name in ["Ada", "Grace", "Linus"]) and "3 of 3" in event_page


def test_the_log_form_is_kept_across_saves_and_shows_the_event_as_it_is_now(client, user):
    """Each save moves the account on, but the log form shows none of what it changes: the next "Met someone"
    is served from the kept form, with a new entry, in a page that says the account's new version (which the
    phone's "Already met?" index follows). What it does show (the event's name, the day's other events) makes it
    again at once."""
    event = add_event(client, name="PyLondon")
    rendered = []
    with template_rendered.connected_to(lambda sender, template, context, **extra: rendered.append(template.name)):
        first = page(client, f"{event}/people/new")
        assert client.post(f"{event}/people/new", data={"name": "Ada Lovelace"}).status_code == 302
        client.get(event)
        rendered.clear()
        second = page(client, f"{event}/people/new")
        assert "people/_form_page.html" not in rendered  # kept, not made again
    assert entry_of(first) != entry_of(second) and account_version(first) != account_version(second)
    assert form_of(first).replace(entry_of(first), "") == form_of(second).replace(entry_of(second), "")

    assert client.post(f"{event}/edit", data={"name": "PyLondon Xmas", "starts_on": today().isoformat(),
                                              "kind": "meetup", "goal": "3"}).status_code == 302
    assert "PyLondon Xmas" in page(client, f"{event}/people/new")
    add_event(client, name="Late talk", start_time="22:00")
    assert "Not here?" in page(client, f"{event}/people/new") and "Late talk" in page(client, f"{event}/people/new")


def form_of(html):
    """The form under the header (the header shows the count, which the save moved)."""
    return without_tokens(html[html.index('<h1 class="log-title">'):html.index("</main>")])


def entry_of(html):
    return re.search(r'name="entry" type="hidden" value="([0-9a-f-]{36})"', html)[1]


def account_version(html):
    return re.search(r'<body[^>]* data-version="(\d+)"', html)[1]


def test_after_a_save_the_event_page_makes_only_the_new_row_and_shows_every_change_to_a_row(client, user):
    kept.forget_all()
    event = add_event(client, name="PyLondon")
    for name in ["Ada Lovelace", "Grace Hopper"]:
        client.post(f"{event}/people/new", data={"name": name})
    client.get("/")
    first = page(client, event)
    made = list(kept._rows)
    assert len(made) == 2
    client.post(f"{event}/people/new", data={"name": "Linus Torvalds"})
    assert "Linus Torvalds" in page(client, event) and "3 of 3" in page(client, event)
    assert list(kept._rows)[:2] == made and len(kept._rows) == 3  # the two rows shown before were kept as they were

    with db.database().connection_context():
        ada = Person.get(Person.name == "Ada Lovelace")
    event_id = event.rsplit("/", 1)[1]
    client.post(f"/events/{event_id}/people/{ada.id}/edit", data={
        "name": "Ada King", "company": "Analytical Engines", "notes": "Notes on the engine", "hiring": "y",
        "follow_up": "y", "follow_up_reason": "Send the notes"})
    row = person_row(page(client, event), ada.id)
    assert "Ada King" in row and "Analytical Engines" in row and "Notes on the engine" in row
    assert "Hiring" in row and "Follow up" in row and "Ada Lovelace" not in row
    client.post(f"/events/{event_id}/people/{ada.id}/edit", data={"name": "Ada King", "company": "", "notes": ""})
    row = person_row(page(client, event), ada.id)
    assert "Hiring" not in row and "Follow up" not in row and "Analytical" not in row
    assert person_row(first, ada.id).replace("Ada Lovelace", "Ada King") == row  # made as a first look makes it


def test_after_a_save_the_people_page_makes_only_the_new_row_and_shows_every_change_to_a_row(client, user):
    kept.forget_all()
    event = add_event(client, name="PyLondon")
    for name in ["Ada Lovelace", "Grace Hopper"]:
        client.post(f"{event}/people/new", data={"name": name})
    page(client, "/people")
    made = [key for key in kept._rows if key[2][0] == "person"]
    assert len(made) == 2
    client.post(f"{event}/people/new", data={"name": "Linus Torvalds"})
    assert "Linus Torvalds" in page(client, "/people")
    assert [key for key in kept._rows if key[2][0] == "person"][:2] == made  # shown before: kept as they were
    with db.database().connection_context():
        ada = Person.get(Person.name == "Ada Lovelace")
    client.post(f"/events/{event.rsplit('/', 1)[1]}/people/{ada.id}/edit", data={
        "name": "Ada King", "company": "Analytical Engines", "tags": "maths", "hiring": "y", "follow_up": "y"})
    row = person_row(page(client, "/people"), ada.id)
    for shown in ("Ada King", "Analytical Engines", "maths", "Hiring", "Follow up", "Met at PyLondon"):
        assert shown in row, shown


def test_the_people_search_form_is_made_again_only_when_its_tags_or_events_change(client, user):
    """Hundreds of options: a save that adds no tag and no event shows the same form, kept; a new tag, an event
    renamed or first met at, or another search in the address shows at once."""
    kept.forget_all()
    event = add_event(client, name="PyLondon")
    client.post(f"{event}/people/new", data={"name": "Ada Lovelace", "tags": "maths"})
    rendered = []

    def made_again(path):
        rendered.clear()
        html = page(client, path)
        return "people/_search_form.html" in rendered, html

    with template_rendered.connected_to(lambda sender, template, context, **extra: rendered.append(template.name)):
        made, first = made_again("/people")
        assert made and '<option value="maths">maths</option>' in first
        client.post(f"{event}/people/new", data={"name": "Grace Hopper", "tags": "maths"})
        made, html = made_again("/people")
        assert not made and "Grace Hopper" in html  # the page is new, its search form is the one kept
        assert search_form(html) == search_form(first)
        client.post(f"{event}/people/new", data={"name": "Linus Torvalds", "tags": "kernel"})
        made, html = made_again("/people")
        assert made and '<option value="kernel">kernel</option>' in html
        client.post(f"{event}/edit", data={"name": "PyLondon Xmas", "starts_on": today().isoformat(),
                                          "kind": "meetup", "goal": "3"})
        made, html = made_again("/people")
        assert made and "PyLondon Xmas, " in search_form(html) and "PyLondon, " not in search_form(html)
        rust = add_event(client, name="Rust Night")
        made, html = made_again("/people")
        assert not made and "Rust Night, " not in search_form(html)  # nobody met there yet: no filter for it
        client.post(f"{rust}/people/new", data={"name": "Ken Thompson"})
        made, html = made_again("/people")
        assert made and "Rust Night, " in search_form(html)
        made, html = made_again("/people?tag=kernel&hiring=y")
        assert made and '<option selected value="kernel">' in html
        assert " checked" in re.search(r'<input[^>]*name="hiring"[^>]*>', html)[0]
        assert made_again("/people?tag=kernel&hiring=y")[0] is False
        made, html = made_again("/people")
        assert not made and '<option selected value="kernel">' not in search_form(html)
        assert " checked" not in re.search(r'<input[^>]*name="hiring"[^>]*>', html)[0]


def search_form(html):
    return html[html.index('<form method="get"'):html.index("</form>", html.index('<form method="get"'))]


def follow_up_cards():
    """The follow-up cards this worker keeps, oldest first."""
    return [key for key in kept._rows if key[2][0] == "follow-up"]


def card(html, name):
    return re.search(rf'<article class="follow-up".*?{name}.*?</article>', html, re.S)[0]


def test_after_a_save_the_follow_ups_page_makes_only_the_cards_that_changed(client, user):
    kept.forget_all()
    event = add_event(client, name="PyLondon", day=today() - datetime.timedelta(days=3))
    for name in ["Ada Lovelace", "Grace Hopper"]:
        client.post(f"{event}/people/new", data={"name": name, "follow_up": "y", "follow_up_reason": "Slides"})
    page(client, "/follow-ups/")
    made = follow_up_cards()
    assert len(made) == 2
    client.post(f"{event}/people/new", data={"name": "Linus Torvalds", "follow_up": "y"})
    assert "Linus Torvalds" in page(client, "/follow-ups/")
    assert follow_up_cards()[:2] == made and len(follow_up_cards()) == 3  # the two shown before, as they were

    # A reworded reason and a new greeting show at once, in every card they are part of.
    with db.database().connection_context():
        ada = Person.get(Person.name == "Ada Lovelace")
    client.post(f"/events/{event.rsplit('/', 1)[1]}/people/{ada.id}/edit",
                data={"name": "Ada Lovelace", "follow_up": "y", "follow_up_reason": "Send the engine notes"})
    html = page(client, "/follow-ups/")
    assert "Send the engine notes" in card(html, "Ada Lovelace") and "Slides" in card(html, "Grace Hopper")
    client.post("/follow-ups/settings", data={"greeting": "Hey", "sign_off": "Cheers,"})
    html = page(client, "/follow-ups/")
    for name in ["Ada", "Grace", "Linus"]:
        assert f"Hey {name}," in card(html, name) and "Cheers," in card(html, name)


def test_a_kept_row_is_never_shown_to_another_account_or_under_another_address(app, client, user):
    """Two accounts that met someone of the same name each see a row that links to their own; an app mounted at
    another address links there."""
    kept.forget_all()
    event = add_event(client, name="PyLondon")
    client.post(f"{event}/people/new", data={"name": "Ada Lovelace"})
    mine = page(client, event)
    stranger = app.test_client()
    assert Auth(stranger).signup(email="stranger@example.com").status_code == 302
    theirs = add_event(stranger, name="PyLondon")
    stranger.post(f"{theirs}/people/new", data={"name": "Ada Lovelace"})
    their_page = page(stranger, theirs)
    mounted = client.get(event, base_url="http://localhost/hallway").get_data(as_text=True)
    with db.database().connection_context():
        my_ada, their_ada = (Person.get(Person.name == "Ada Lovelace", Person.owner == User.get(User.email == email))
                             for email in ["ada@example.com", "stranger@example.com"])
    assert f'href="/people/{my_ada.id}"' in person_row(mine, my_ada.id) and f"/people/{their_ada.id}" not in mine
    assert f'href="/people/{their_ada.id}"' in person_row(their_page, their_ada.id)
    assert f"/people/{my_ada.id}" not in their_page
    assert f'href="/hallway/people/{my_ada.id}"' in mounted and f'href="/people/{my_ada.id}"' not in mounted


def person_row(html, person_id):
    return re.search(rf'<li class="person-row">\s*<a href="[^"]*/people/{person_id}">.*?</li>', html, re.S)[0]


def test_the_headers_event_is_read_once_per_change_and_follows_every_change(client, user):
    kept.forget_all()
    event = add_event(client, name="PyLondon")
    page(client, "/")
    with queries_run() as first:
        page(client, "/profile")
    kept.forget_all()
    with queries_run() as worked_out:
        page(client, "/profile")
    assert len(first) == len(worked_out) - 1  # the header's events were read once for this version

    def header():
        return page(client, "/profile").split('class="topbar"')[1].split("</header>")[0]
    assert "0/3" in header() and "PyLondon" in header()
    client.post(f"{event}/people/new", data={"name": "Ada Lovelace"})
    assert "1/3" in header()
    saved = client.post("/met", data={"name": "Grace Hopper"}, follow_redirects=True).get_data(as_text=True)
    assert "Grace Hopper saved. 2 of 3 met." in saved and "2/3" in header()
    client.post(f"{event}/edit", data={"name": "PyLondon Xmas", "starts_on": today().isoformat(), "kind": "meetup",
                                       "goal": "5"})
    assert "2/5" in header() and "PyLondon Xmas" in header()


def test_the_next_day_the_pages_are_worked_out_again(client, user, monkeypatch):
    event = add_event(client, name="PyLondon")
    client.post(f"{event}/people/new", data={"name": "Ada Lovelace", "follow_up": "y"})
    due = today() + datetime.timedelta(days=2)  # two days after the event
    assert "due today" not in page(client, "/follow-ups/")
    monkeypatch.setattr(User, "today", lambda self: due)
    assert "due today" in page(client, "/follow-ups/")


def test_home_follows_the_event_of_the_hour(client, user, monkeypatch):
    """Two events today: home shows the one "Met someone" logs into, which moves with the time of day."""
    add_event(client, name="Breakfast talk", start_time="08:00")
    add_event(client, name="Evening meetup", start_time="19:00")
    with db.database().connection_context():
        breakfast, evening = (Event.get(Event.name == name) for name in ["Breakfast talk", "Evening meetup"])
    for now in [breakfast, evening, breakfast]:
        monkeypatch.setattr(User, "event_for_logging", lambda self, now=None, event=now: event)
        home = page(client, "/")
        assert re.search(r'<h1 id="tonight-title"><a href="[^"]+">([^<]+)</a>', home)[1] == now.name


def test_an_account_never_sees_a_page_kept_for_another(app, client, user):
    event = add_event(client, name="Secret Summit")
    client.post(f"{event}/people/new", data={"name": "Ada Lovelace", "follow_up": "y"})
    mine = {path: page(client, path) for path in KEPT_PAGES}
    assert all("Ada Lovelace" in html or "Secret Summit" in html for path, html in mine.items() if "q=" not in path)

    stranger = app.test_client()
    assert Auth(stranger).signup(email="stranger@example.com").status_code == 302
    with db.database().connection_context():  # the stranger's account has come as far in its own changes
        User.update(data_version=User.select(User.data_version).where(User.email == "ada@example.com")).execute()
    for path in KEPT_PAGES:
        html = page(stranger, path)
        assert "Ada Lovelace" not in html and "Secret Summit" not in html, path




def test_an_account_made_under_a_deleted_ones_id_never_sees_its_kept_pages(app, client, user):
    """SQLite may give a deleted account's id to the next one, whose version starts again: the pages are kept under
    the login's random token too."""
    event = add_event(client, name="Secret Summit")
    client.post(f"{event}/people/new", data={"name": "Ada Lovelace", "follow_up": "y"})
    with db.database().connection_context():
        before = User.get()
    for path in KEPT_PAGES:
        page(client, path)
    assert client.post("/account/delete", data={"password": PASSWORD}).status_code == 302
    assert Auth(client).signup(email="next@example.com").status_code == 302
    with db.database().connection_context():
        User.update(data_version=before.data_version).execute()
        same_id = User.get().id == before.id
    for path in KEPT_PAGES:
        html = page(client, path)
        assert "Ada Lovelace" not in html and "Secret Summit" not in html, (path, same_id)


def test_each_device_sees_its_own_list_of_devices_on_the_kept_profile(app, client, user):
    laptop = app.test_client()
    laptop.environ_base["HTTP_USER_AGENT"] = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"
    Auth(laptop).login()
    assert "This device" in page(client, "/profile")
    mine = page(laptop, "/profile")
    assert "This device · Firefox on Linux" in mine and "last used in the last few minutes" in mine


def test_the_profile_shows_a_change_at_once_and_the_feed_at_the_address_asked(client, user):
    assert "calendar-feed-url" not in page(client, "/profile")
    assert client.post("/calendar/feed").status_code == 302
    client.get("/")
    for base in ["http://localhost", "https://localhost:8443"]:
        html = client.get("/profile", base_url=base).get_data(as_text=True)
        feed = re.search(r'id="calendar-feed-url" value="([^"]+)"', html)[1]
        assert feed.startswith(base + "/calendar/") and feed.endswith(".ics")
    response = client.post("/follow-ups/settings", data={"greeting": "Hello there", "sign_off": "Cheers,"})
    assert response.status_code == 302
    assert 'value="Hello there"' in page(client, "/profile")


def test_a_worker_keeps_a_bounded_number_of_parts_however_many_searches(client, user):
    from webapp import kept
    kept.forget_all()
    for n in range(kept.PARTS_KEPT + 60):  # each keeps two parts: the page and its search form
        assert client.get(f"/people?q=a{n}").status_code == 200
    for parts in (kept._parts, kept._parts_kept_by_key):
        # Full, the oldest parts go first (cachelib trims before it adds): the rest are not all dropped at once.
        assert kept.PARTS_KEPT // 2 < len(parts._cache) <= kept.PARTS_KEPT + 1
        # The latest ones are still kept: the oldest went first.
        keys = "".join(parts._cache)
        assert f"('q', 'a{kept.PARTS_KEPT + 59}')" in keys and "('q', 'a0')" not in keys


def test_a_worker_keeps_rows_up_to_a_bounded_size_the_oldest_going_first(client, user, monkeypatch):
    kept.forget_all()
    event = add_event(client, name="PyLondon")
    for i in range(6):
        client.post(f"{event}/people/new", data={"name": f"Person {i}"})
    page(client, event)
    sizes = [len(html) for html in kept._rows.values()]
    assert len(sizes) == 6
    kept.forget_all()
    monkeypatch.setattr(kept, "ROWS_KEPT_BYTES", sum(sizes[:3]))
    html = page(client, event)
    assert all(f"Person {i}" in html for i in range(6))  # every row shown, some of them not kept
    assert sum(len(h) for h in kept._rows.values()) <= kept.ROWS_KEPT_BYTES and len(kept._rows) == 3
    assert all(f"Person {i}" in str(h) for i, h in zip(range(2, -1, -1), kept._rows.values(), strict=True))
