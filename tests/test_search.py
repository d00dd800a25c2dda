"""Searching everyone you met, in the database's own full-text index, on SQLite and on PostgreSQL."""

import contextlib
import datetime
import html
import re
import sqlite3
import unicodedata
from pathlib import Path

import pytest
from conftest import Auth, as_from_an_older_release
from steps import PASSWORD, add_event, fill

from webapp import db, schema, search
from webapp.accounts.controls import delete_account
from webapp.models import Event, Person, Tag, User
from webapp.people.logbook import log_meeting, meet_again


@pytest.fixture
def event_url(client, app):
    assert Auth(client).signup().status_code == 302
    return add_event(client, name="PyData London")


def log(client, event_url, **fields):
    response = client.post(event_url + "/people/new", data={**fields, "same_as": "new"})
    assert response.status_code == 302, response.get_data(as_text=True)


def found(client, text, **filters):
    """The names on the People page for a search, in the order shown."""
    response = client.get("/people", query_string={"q": text, **filters})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    return re.findall(r'<span class="person-name">([^<]*)</span>', page)


@pytest.fixture
def people(client, event_url):
    log(client, event_url, name="Jane Doe", company="Acme Analytics", role="Data engineer",
        notes="Talked about CDC pipelines and Kafka", tags="python, streaming")
    log(client, event_url, name="Janek Nowak", description="red jacket, Postgres talk", company="Globex")
    log(client, event_url, name="Zoë Ødegård", role="Recruiter", notes="東京 office opening", tags="hiring-manager")
    log(client, event_url, description="tall guy with the Rust stickers")
    return event_url


def test_typing_the_start_of_a_name_finds_the_person(client, people):
    assert found(client, "jan") == ["Janek Nowak", "Jane Doe"]
    assert found(client, "JANE") == ["Janek Nowak", "Jane Doe"]
    assert found(client, "jane d") == ["Jane Doe"]


@pytest.mark.parametrize("text, expected", [
    ("postgres", ["Janek Nowak"]),          # description
    ("acme", ["Jane Doe"]),                 # company
    ("recruit", ["Zoë Ødegård"]),           # role
    ("kafka", ["Jane Doe"]),                # notes of the conversation
    ("stream", ["Jane Doe"]),               # tag
    ("rust stick", ["tall guy with the Rust stickers"]),
    ("data engineer", ["Jane Doe"]),
])
def test_search_covers_description_company_role_notes_and_tags(client, people, text, expected):
    assert found(client, text) == expected


@pytest.mark.parametrize("name, typed", [
    ("Łukasz Nowak", "lukasz"), ("Łukasz Nowak", "LUKASZ"), ("Łucja Łódź", "lodz"), ("Đorđe Balašević", "dorde"),
    ("Œdipe Cœur", "oedipe"), ("Œdipe Cœur", "coeur"), ("Þór Ólafsson", "thor"), ("Søren Kierkegaard", "soren"),
    ("Ægir Straße", "aegir"), ("Ægir Straße", "strasse"), ("Işık Kırık", "kirik"), ("Lukasz Nowak", "Łukasz"),
])
def test_letters_that_are_not_accented_ones_are_found_spelled_out(client, event_url, name, typed):
    """A stroke or a ligature is not an accent, so neither Unicode nor the index took them apart: a name is
    found as people type it on a keyboard without those letters, and the other way round."""
    log(client, event_url, name=name)
    log(client, event_url, name="Someone Else", notes="lodge thunder soda")
    assert found(client, typed) == [name]


def test_every_word_typed_must_match(client, people):
    assert found(client, "jane kafka") == ["Jane Doe"]
    assert found(client, "jane globex") == ["Janek Nowak"]
    assert found(client, "jane recruiter") == []


def test_accents_and_non_latin_text_are_found(client, people):
    assert found(client, "zoe") == ["Zoë Ødegård"]
    assert found(client, "Zoë") == ["Zoë Ødegård"]
    assert found(client, "ødeg") == ["Zoë Ødegård"]
    assert found(client, "東京") == ["Zoë Ødegård"]


@pytest.mark.parametrize("text", ['"', '*', '-', ':', '(', ')', 'OR', 'AND', 'NOT', 'NEAR', '^', "'", "\\", '%',
                                  '""jane', 'jane*', '-jane', 'name:jane', '(jane', 'jane OR', 'jane AND (',
                                  'jane & doe | x', "jane's", 'jane:*', '!jane', '<->', 'NEAR(jane doe)',
                                  '🙂', 'a' * 300, 'ja\x00ne'])
def test_search_text_that_looks_like_query_syntax_never_breaks_the_search(client, people, text):
    names = found(client, text)
    if text in ('""jane', 'jane*', '-jane', '(jane', 'jane:*', '!jane'):
        assert names == ["Janek Nowak", "Jane Doe"]
    if text in ('"', '*', '-', ':', '(', ')', '^', "'", "\\", '%', '<->', '🙂'):
        assert len(names) == 4  # no words to search for: everyone is shown


def test_operator_words_are_searched_as_plain_words(client, event_url):
    log(client, event_url, name="Oren Ornstein", company="Orange")
    log(client, event_url, name="Nadia Not")
    assert found(client, "or") == ["Oren Ornstein"]
    assert found(client, "OR") == ["Oren Ornstein"]
    assert found(client, "NOT") == ["Nadia Not"]


def test_the_index_follows_edits_to_names_notes_and_tags(client, people, app):
    with db.database().connection_context():
        jane = Person.get(Person.name == "Jane Doe")
    event_id = people.rsplit("/", 1)[1]
    response = client.post(f"/events/{event_id}/people/{jane.id}/edit",
                           data={"name": "Jane Smith", "company": "Initech", "notes": "Spoke about Flink",
                                 "tags": "jvm"})
    assert response.status_code == 302
    assert found(client, "doe") == []
    assert found(client, "smith") == ["Jane Smith"]
    assert found(client, "initech") == ["Jane Smith"]
    assert found(client, "flink") == ["Jane Smith"]
    assert found(client, "kafka") == []
    assert found(client, "jvm") == ["Jane Smith"]
    assert found(client, "streaming") == []


def test_the_people_met_at_an_event_are_found_by_its_name_and_place_after_who_is_named_so(client, event_url):
    """"Where did I meet her?": the event's name answers it, as the person's own details do."""
    dataconf = add_event(client, name="DataConf 2025", place="Lisbon", day=datetime.date(2025, 5, 20))
    log(client, dataconf, name="Ines Costa")
    log(client, dataconf, name="Rui Santos")
    log(client, event_url, name="Sam Data", company="DataConf")  # PyData London: named so, not met there
    log(client, event_url, name="Lee Chan")
    assert found(client, "DataConf") == ["Sam Data", "Rui Santos", "Ines Costa"]
    assert found(client, "lisbon") == ["Rui Santos", "Ines Costa"]
    assert found(client, "dataconf ines") == ["Ines Costa"]
    assert found(client, "datacomf") == ["Sam Data", "Rui Santos", "Ines Costa"]  # a typo too


def test_an_event_renamed_or_merged_is_found_by_its_new_name(client, event_url):
    log(client, event_url, name="Ines Costa")
    event_id = event_url.rsplit("/", 1)[1]
    response = client.post(f"/events/{event_id}/edit", data={
        "name": "PyData Lisbon", "starts_on": datetime.date.today().isoformat(), "kind": "meetup", "goal": "3"})
    assert response.status_code == 302
    assert found(client, "london") == []
    assert found(client, "pydata lisbon") == ["Ines Costa"]
    # Someone logged with nothing planned goes under the day's quick event, whose name is not searched...
    with db.database().connection_context(), db.write():
        quick = User.get(User.email == "ada@example.com").quick_event(datetime.date(2025, 1, 6))
    log(client, f"/events/{quick.id}", name="Rui Santos")
    assert found(client, "met") == found(client, "jan") == []
    # ...until it is put under the real event.
    assert client.post(f"/events/{quick.id}/merge", data={"into": event_id}).status_code == 302
    assert found(client, "lisbon") == ["Rui Santos", "Ines Costa"]


def test_nobody_met_at_an_event_says_so_without_asking_for_other_words(client, event_url):
    log(client, event_url, name="Ines Costa")
    empty = add_event(client, name="Rust Night")
    with db.database().connection_context():
        empty_id = Event.get(Event.name == "Rust Night").id
    page = client.get("/people", query_string={"event": empty_id}).get_data(as_text=True)
    assert "Nobody you met matches these filters." in page and "letters" not in page
    assert empty.endswith(str(empty_id))


def test_meeting_someone_again_adds_the_new_notes_to_the_search(client, people):
    with db.database().connection_context():
        jane = Person.get(Person.name == "Jane Doe")
    second = add_event(client, name="Kafka Summit")
    client.post(second + "/people/new", data={"name": "Jane Doe", "notes": "Debezium connectors",
                                              "same_as": str(jane.id)})
    assert found(client, "debezium") == ["Jane Doe"]
    assert found(client, "kafka") == ["Jane Doe"]


def test_a_deleted_person_leaves_the_search(client, people):
    with db.database().connection_context():
        jane = Person.get(Person.name == "Jane Doe")
    assert client.post(f"/people/{jane.id}/delete").status_code == 302
    assert found(client, "kafka") == []
    with db.database().connection_context():
        rows = db.database().execute_sql("SELECT count(*) FROM person_search").fetchone()[0]
    assert rows == 3


def test_search_only_ever_finds_your_own_people(client, people, app):
    auth = Auth(client)
    auth.logout()
    auth.signup(email="bob@example.com", name="Bob")
    other_event = add_event(client, name="Bob's meetup")
    log(client, other_event, name="Jane Roe", notes="kafka too")
    assert found(client, "jane") == ["Jane Roe"]
    assert found(client, "kafka") == ["Jane Roe"]
    assert found(client, "") == ["Jane Roe"]


def test_people_saved_before_the_index_existed_are_found(client, people, app):
    database = db.database()
    with database.connection_context():
        if db.is_postgres():
            database.execute_sql("DROP TABLE person_search CASCADE")
        else:
            database.execute_sql("DROP TABLE person_search")
    as_from_an_older_release()
    schema.create_schema()
    assert found(client, "kafka") == ["Jane Doe"]
    assert found(client, "ødeg") == ["Zoë Ødegård"]
    log(client, people, name="Newcomer Nell")
    assert found(client, "nell") == ["Newcomer Nell"]


def test_creating_the_schema_again_keeps_the_index_as_it_is(client, people):
    schema.create_schema()
    schema.create_schema()
    assert found(client, "jan") == ["Janek Nowak", "Jane Doe"]
    with db.database().connection_context():
        assert db.database().execute_sql("SELECT count(*) FROM person_search").fetchone()[0] == 4


@pytest.mark.parametrize("text, words", [
    ("Jane Doe", ["Jane", "Doe"]),
    ('"jane" OR (doe*)', ["jane", "OR", "doe"]),
    ("data-eng: k8s", ["data", "eng", "k8s"]),
    ("snake_case", ["snake", "case"]),
    ("  ", []),
    ("ﬁsh", ["fish"]),  # compatibility forms are folded (NFKC)
])
def test_search_text_is_cut_into_plain_words(text, words):
    assert search.words(text) == words


def test_a_very_long_search_is_cut_to_a_few_words():
    assert len(search.words(" ".join(["word"] * 100))) == search.MAX_TERMS
    assert search.words("x" * 500) == ["x" * search.MAX_TERM_LENGTH]


# --- Typos, relevance, and where and when they were met ----------------------------------------------------

@pytest.fixture
def years(client, event_url):
    """People met over the years at different kinds of events."""
    march = add_event(client, name="Postgres Night", day=datetime.date(2025, 3, 12), kind="meetup")
    spring = add_event(client, name="DataEngConf", day=datetime.date(2025, 5, 20), kind="conference")
    older = add_event(client, name="FOSDEM", day=datetime.date(2024, 2, 3), kind="conference")
    log(client, older, name="Anna Kowalski", company="Initech", notes="Migrating everything to Kubernetes")
    log(client, march, name="Ana Silva", company="Acme", notes="Partitioning in Postgres")
    log(client, spring, name="Piotr Nowak", company="Globex", notes="We talked about Acme's data contracts")
    log(client, spring, name="Mei Chen", role="Recruiter", tags="hiring")
    return {"march": march, "spring": spring, "older": older}


@pytest.mark.parametrize("typed, expected", [
    ("postgress", ["Ana Silva"]),
    ("kubernets", ["Anna Kowalski"]),
    ("kowalsky", ["Anna Kowalski"]),
    ("recuiter", ["Mei Chen"]),
    ("initeck anna", ["Anna Kowalski"]),
    ("nowka", ["Piotr Nowak"]),  # two letters swapped: one typo
    ("mie chen", ["Mei Chen"]),  # too short to share three-letter pieces with "mei"
])
def test_typos_are_forgiven(client, years, typed, expected):
    assert found(client, typed) == expected


@pytest.mark.parametrize("typed", ["Zmmermann", "Wtanabe", "Schevchenko", "Zimermann", "Watnabe", "Shevchneko"])
def test_a_slip_on_the_second_letter_is_forgiven_as_one_anywhere_else(client, event_url, typed):
    for name in ("Lena Zimmermann", "Ken Watanabe", "Olha Shevchenko"):
        log(client, event_url, name=name)
    meant = {"z": "Lena Zimmermann", "w": "Ken Watanabe", "s": "Olha Shevchenko"}[typed[0].lower()]
    assert found(client, typed) == [meant]


def test_a_short_name_finds_its_near_spellings_exact_ones_first(client, years):
    assert found(client, "ana") == ["Ana Silva", "Anna Kowalski"]
    assert found(client, "anna") == ["Anna Kowalski", "Ana Silva"]


def test_the_best_match_comes_first_then_the_newest(client, years):
    # Acme is Ana's company but only a word in the notes of Piotr, who was added later.
    assert found(client, "acme") == ["Ana Silva", "Piotr Nowak"]
    assert found(client, "a") == ["Piotr Nowak", "Ana Silva", "Anna Kowalski"]  # one letter: newest first


def test_filter_by_when_they_were_met(client, years):
    assert found(client, "", when="March 2025") == ["Ana Silva"]
    assert found(client, "", when="spring 2025") == ["Mei Chen", "Piotr Nowak", "Ana Silva"]
    assert found(client, "", when="2024") == ["Anna Kowalski"]
    assert found(client, "", when="1999") == []


def test_filter_by_event_and_by_kind_of_event(client, years, app):
    with db.database().connection_context():
        spring_id = Event.get(Event.name == "DataEngConf").id
    assert found(client, "", event=str(spring_id)) == ["Mei Chen", "Piotr Nowak"]
    assert found(client, "", kind="conference") == ["Mei Chen", "Piotr Nowak", "Anna Kowalski"]
    assert found(client, "", kind="paid") == []


def test_people_met_with_no_event_planned_are_not_met_at_an_other_event_as_insights_counts_them(client, event_url):
    log(client, add_event(client, name="Open evening", kind="other"), name="Ann Other")
    with db.database().connection_context(), db.write():  # a day with nothing planned, last week
        quick = User.get().quick_event(datetime.date.today() - datetime.timedelta(days=7))
    log(client, f"/events/{quick.id}", name="Quinn Quick")
    assert found(client, "", kind="other") == ["Ann Other"]
    assert found(client, "", kind="quick") == ["Quinn Quick"]
    page = client.get("/people").get_data(as_text=True)
    assert '<option value="quick">Not at a planned event</option>' in page
    head = client.get(f"/events/{quick.id}").get_data(as_text=True).split("</section>")[0]
    assert '<p class="eyebrow">Not at a planned event</p>' in head and ">Other<" not in head


def test_an_evening_that_ends_after_midnight_was_met_on_its_own_day(client, event_url):
    """A New Year's Eve party until 00:30 is last year's; a hackathon over both days is in both."""
    log(client, add_event(client, name="NYE Hack", day=datetime.date(2025, 12, 31), start_time="22:00",
                          end_time="00:30"), name="Nye Party")
    log(client, add_event(client, name="New Year Hackathon", day=datetime.date(2025, 12, 31),
                          ends_on="2026-01-01", start_time="10:00", end_time="10:00"), name="Hal Hackathon")
    assert found(client, "", when="2025") == ["Hal Hackathon", "Nye Party"]
    assert found(client, "", when="2026") == found(client, "", when="January 2026") == ["Hal Hackathon"]


def test_filters_combine_with_the_words_and_stay_in_the_address(client, years):
    assert found(client, "acme", kind="conference") == ["Piotr Nowak"]
    assert found(client, "acme", when="March 2025", kind="meetup") == ["Ana Silva"]
    assert found(client, "nowak", when="2024") == []
    for i in range(21):
        log(client, years["spring"], name=f"Crowd {i}", company="Acme")
    page = client.get("/people", query_string={"q": "acme", "when": "spring 2025", "kind": "conference"})
    html = page.get_data(as_text=True)
    nxt = re.search(r'href="([^"]+)" rel="next"', html).group(1).replace("&amp;", "&")
    assert "q=acme" in nxt and "when=spring+2025" in nxt and "kind=conference" in nxt and "page=2" in nxt
    assert 'value="spring 2025"' in html and "Filters (on)" in html


@pytest.mark.parametrize("args, message", [
    ({"when": "banana"}, "Try a month, a season or a year"),
    ({"when": "x" * 300}, "Try a month, a season or a year"),
    ({"kind": "rave"}, "Pick a kind of event from the list."),
    ({"event": "999999"}, "That event is not on your list"),
    ({"event": "abc"}, "That event is not on your list"),
])
def test_a_filter_that_is_not_understood_says_so_and_is_ignored(client, years, args, message):
    response = client.get("/people", query_string=args)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page and len(re.findall(r'<span class="person-name">', page)) == 4


def test_another_users_event_is_not_a_filter_for_you(client, years, app):
    with db.database().connection_context():
        spring_id = Event.get(Event.name == "DataEngConf").id
    auth = Auth(client)
    auth.logout()
    auth.signup(email="mallory@example.com", name="Mallory")
    page = client.get("/people", query_string={"event": str(spring_id)}).get_data(as_text=True)
    assert "That event is not on your list" in page and "Piotr" not in page


def test_when_words_mean_the_latest_such_time():
    nov = datetime.date(2026, 11, 23)
    april = datetime.date(2026, 4, 10)
    day = datetime.date
    assert search.when_range("March", nov) == (day(2026, 3, 1), day(2026, 3, 31))
    assert search.when_range("december", nov) == (day(2025, 12, 1), day(2025, 12, 31))
    assert search.when_range("last spring", nov) == (day(2026, 3, 1), day(2026, 5, 31))
    assert search.when_range("last spring", april) == (day(2025, 3, 1), day(2025, 5, 31))
    assert search.when_range("this spring", april) == (day(2026, 3, 1), day(2026, 5, 31))
    assert search.when_range("winter", nov) == (day(2025, 12, 1), day(2026, 2, 28))
    assert search.when_range("2024", nov) == (day(2024, 1, 1), day(2024, 12, 31))
    assert search.when_range("Sept 2025", nov) == (day(2025, 9, 1), day(2025, 9, 30))
    assert search.when_range("last year", nov) == (day(2025, 1, 1), day(2025, 12, 31))
    assert search.when_range("last month", nov) == (day(2026, 10, 1), day(2026, 10, 31))
    assert search.when_range("", nov) is None
    for nonsense in ("banana", "march april", "99999", "last", "spring 12"):
        with pytest.raises(search.NotAWhen):
            search.when_range(nonsense, nov)


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_on_postgres_a_search_is_worked_out_once_and_indexes_are_priced_as_on_an_ssd(client, people):
    """The search's tsquery (accents folded) is worked out when the query is planned, not again for every row
    it tests; random reads are priced as on an SSD, so a word in 5% of the people is found by the GIN index."""
    from webapp.people.directory import prepared_search
    from webapp.prepared import Param

    database = db.database()
    with database.connection_context():
        owner = database.execute_sql("SELECT id FROM \"user\"").fetchone()[0]
        assert database.execute_sql("SHOW random_page_cost").fetchone()[0] == "1.1"
        prepared, values = prepared_search(owner, "jané", window=21, limit=21)
        _, sql, params = prepared._query(database)
        bound = [p.bind(values) if isinstance(p, Param) else p for p in params]
        plan = " ".join(row[0] for row in database.execute_sql("EXPLAIN VERBOSE " + sql, bound).fetchall())
    assert "''jane'':*'::tsquery" in plan and "unaccent" not in plan and "to_tsquery" not in plan, plan


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_sqlite_index_without_one_letter_prefixes_is_built_again_with_them(client, people):
    database = db.database()
    with database.connection_context():
        database.execute_sql("DROP TABLE person_search")
        database.execute_sql(search.SQLITE_TABLE.replace("prefix = '1 2 3'", "prefix = '2 3'"))  # empty
    as_from_an_older_release()
    schema.create_schema()
    assert found(client, "kafka") == ["Jane Doe"]
    assert found(client, "jane d") == ["Jane Doe"]
    with database.connection_context():
        kept = database.execute_sql("SELECT sql FROM sqlite_master WHERE name = 'person_search'").fetchone()[0]
    assert "prefix = '1 2 3'" in kept


def test_the_server_and_the_phone_spell_out_the_same_letters():
    """The phone's "Already met?" search folds as the server does (tests/js/met_before_search.test.mjs)."""
    assert search.fold("Łukasz Straße Þór Søren Œdipe Ægir Işık Đorđe") == \
        "lukasz strasse thor soren oedipe aegir isik dorde"
    phone = (Path(__file__).parent.parent / "static/js/met-before-search.js").read_text(encoding="utf-8")
    assert all(f'"{letter}": "{spelling}"' in phone for letter, spelling in search.SPELLED_OUT.items()
               if letter.islower())


def test_a_plain_word_is_folded_as_any_other():
    """Words of plain letters and digits are folded the quick way: to what the long way gives them."""
    def the_long_way(word):
        decomposed = unicodedata.normalize("NFKD", search.spelled_out(word.lower()))
        return "".join(c for c in decomposed if not unicodedata.combining(c))

    every_plain_character = "".join(map(chr, range(128)))
    assert search.fold(every_plain_character) == the_long_way(every_plain_character)
    assert search.fold("McDonald O'Brien-SMITH 42") == "mcdonald o'brien-smith 42"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_sqlite_index_of_a_release_that_kept_strokes_and_ligatures_is_filled_again_spelled_out(client, event_url):
    log(client, event_url, name="Łukasz Nowak", notes="Straße")
    database = db.database()
    with database.connection_context():  # the view and the index as the release before made them
        old_view = re.sub(r"SELECT person_id, owner_id, .*?FROM \(", "", search.SQLITE_SOURCE, flags=re.S)
        database.execute_sql("DROP VIEW person_search_source")
        database.execute_sql(old_view.rstrip().removesuffix(")"))
        database.execute_sql("DELETE FROM person_search")
        database.execute_sql("DELETE FROM person_search_word")
        database.execute_sql("""INSERT INTO person_search (rowid, owner_id, name, work, notes, tags)
                                SELECT person_id, owner_id, name, work, notes, tags FROM person_search_source""")
    assert found(client, "luk") == []  # (another search than below: each worker keeps the pages it made)
    as_from_an_older_release()
    schema.create_schema()
    assert found(client, "lukasz") == found(client, "strasse") == found(client, "Łukasz") == ["Łukasz Nowak"]
    assert found(client, "lukaaz") == ["Łukasz Nowak"]  # its words for typos are spelled out too


@contextlib.contextmanager
def index_rows_written():
    """How many times a person's row of the index was written inside the block (call the value it gives)."""
    database = db.database()
    if db.is_postgres():
        def count():
            return database.execute_sql("SELECT coalesce(sum(n_tup_ins), 0) FROM pg_stat_xact_user_tables "
                                        "WHERE relname = 'person_search'").fetchone()[0]
        before = count()
        yield lambda: count() - before
        return
    # On SQLite every refresh works out the row's words once, for the typo vocabulary: counted here.
    calls = []

    def counted(text):
        calls.append(text)
        return search._words_json(text)
    connection = database.connection()
    connection.create_function("person_search_words", 1, counted, deterministic=True)
    try:
        yield lambda: len(calls)
    finally:
        connection.create_function("person_search_words", 1, search._words_json, deterministic=True)


@contextlib.contextmanager
def index_refreshes():
    """How many times a person's row of the index was worked out again inside the block (call the value it gives):
    on PostgreSQL, calls of person_search_refresh(), even for a person no longer there. Inside a transaction."""
    if not db.is_postgres():
        with index_rows_written() as written:
            yield written
        return
    database = db.database()
    database.execute_sql("SET LOCAL track_functions = 'all'")

    def count():
        return database.execute_sql("SELECT coalesce(sum(calls), 0) FROM pg_stat_xact_user_functions "
                                    "WHERE funcname = 'person_search_refresh'").fetchone()[0]
    before = count()
    yield lambda: count() - before


def test_a_person_logged_with_notes_and_tags_is_indexed_once(client, event_url):
    """The triggers would write the row at the person, at the meeting and at each tag: four times here."""
    database = db.database()
    with database.connection_context():
        event = Event.get()
        with db.write(), index_rows_written() as written:
            _, conversation = log_meeting(event.owner_id, event, {
                "name": "Grace Hopper", "company": "Navy", "notes": "COBOL and compilers", "tags": ["navy", "cobol"]})
            assert written() == 1
            meet_again(conversation.person, event, {"notes": "Nanoseconds", "tags": ["wire"]})
            assert written() == 2
    assert found(client, "grace") == found(client, "navy") == found(client, "nanosecond") == ["Grace Hopper"]
    assert found(client, "wire") == found(client, "compilers") == ["Grace Hopper"]


def test_a_write_that_fails_while_the_index_waits_leaves_the_triggers_at_work(client, event_url):
    """Rolled back, nothing of the entry is left; carried on in the same transaction, what was written is indexed
    and later writes are indexed by the triggers again."""
    database = db.database()
    with database.connection_context():
        event = Event.get()
        with pytest.raises(RuntimeError), db.write(), search.indexed_once(database) as index:
            person = Person.create(owner=event.owner_id, name="Rolled Back")
            index(person.id)
            raise RuntimeError("the save fails half way")
        with db.write():
            with pytest.raises(RuntimeError), search.indexed_once(database) as index:
                person = Person.create(owner=event.owner_id, name="Half Written")
                index(person.id)
                raise RuntimeError("a failure the caller handles")
            Person.create(owner=event.owner_id, name="Written Later")  # left to the triggers
        with db.write():
            Person.create(owner=event.owner_id, name="Another Later")
    assert found(client, "rolled") == []
    assert found(client, "half") == ["Half Written"]
    assert found(client, "later") == ["Another Later", "Written Later"]


def test_the_index_is_held_back_only_inside_a_transaction(client, event_url):
    database = db.database()
    with database.connection_context(), pytest.raises(RuntimeError, match="inside one"):
        with search.indexed_once(database):
            pass


def test_the_index_triggers_of_an_older_release_are_replaced(client, people):
    database = db.database()
    with database.connection_context():
        if db.is_postgres():  # the trigger's function as it was: every row written refreshed the index
            (function,) = [sql for sql in search.POSTGRES_SQL if "person_search_on_change() RETURNS trigger" in sql]
            old = re.sub(r"IF TG_TABLE_NAME NOT IN \('tag', 'event'\) AND current_setting.*?END IF;", "", function,
                         flags=re.S)
            assert "search_held" not in old and old != function
            database.execute_sql(old)
        else:
            database.execute_sql("DROP TRIGGER person_search_tag_insert")
            database.execute_sql("""CREATE TRIGGER person_search_tag_insert AFTER INSERT ON persontag BEGIN
                                    SELECT 1; END""")  # an older release's, which no longer does the job
    as_from_an_older_release()
    schema.create_schema()
    with database.connection_context():
        event = Event.get()
        with db.write(), index_rows_written() as written:
            log_meeting(event.owner_id, event, {"name": "Grace Hopper", "tags": ["navy", "cobol"]})
            assert written() == 1
        with db.write():
            jane = Person.get(Person.name == "Jane Doe")
            jane.add_tags(["flink"])  # a tag added outside a held write: the trigger refreshes her row
    assert found(client, "flink") == ["Jane Doe"] and found(client, "navy") == ["Grace Hopper"]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_worker_of_the_previous_release_can_still_write_while_a_new_one_starts(client, people, app):
    """It registers person_search_words() on its connections and nothing newer: the triggers need no more."""
    path = app.config["DATABASE_URL"].removeprefix("sqlite:///")
    older = sqlite3.connect(path)
    older.create_function("person_search_words", 1, search._words_json, deterministic=True)
    with older:
        owner = older.execute('SELECT id FROM "user"').fetchone()[0]
        older.execute("INSERT INTO person (owner_id, name, description, company, role, email, phone, linkedin_url, "
                      "scanned_text, hiring, connected_on_linkedin, created_at) "
                      "VALUES (?, 'Older Worker', '', 'Legacy', '', '', '', '', '', 0, 0, '2026-12-01 10:00:00')",
                      (owner,))
    older.close()
    assert found(client, "legacy") == ["Older Worker"]


def test_several_people_written_in_one_hold_are_each_found_after_it(client, people):
    """indexed_once refreshes every person it was told of, the last one in the statement that ends the hold."""
    database = db.database()
    with database.connection_context(), db.write():
        owner = Person.get(Person.name == "Jane Doe").owner_id
        with search.indexed_once(database) as index:
            for name, company in (("Hedy Lamarr", "Frequency Hopping"), ("Radia Perlman", "Spanning Trees")):
                index(Person.create(owner=owner, name=name, company=company).id)
        with search.indexed_once(database):
            pass  # told of nobody: the hold ends all the same
    assert found(client, "frequency") == ["Hedy Lamarr"] and found(client, "spanning") == ["Radia Perlman"]
    with database.connection_context(), db.write():
        Person.create(owner=owner, name="Katherine Johnson", company="NASA")  # by the triggers, held no more
    assert found(client, "nasa") == ["Katherine Johnson"]


# --- The words typos are matched against: each account's own ----------------------------------------------

# Eleven words one letter away from "zorbulaq": with "zorbulmm" (two letters away) they are as many near spellings
# as a search looks for (search.MAX_FUZZY_TERMS).
ONE_LETTER_FROM_ZORBULAQ = " ".join(f"zorbula{letter}" for letter in "abcdefghijk")


def vocabulary():
    """The words typos are matched against: {owner id: {word: how many of the owner's people have it}}."""
    with db.database().connection_context():
        rows = db.database().execute_sql("SELECT owner_id, word, people FROM person_search_word").fetchall()
    words = {}
    for owner, word, people in rows:
        words.setdefault(owner, {})[word] = people
    return words


def owner_of(email):
    with db.database().connection_context():
        return User.get(User.email == email).id


def counted_again():
    """The words as a start counts them from the index, when the list is missing (an upgrade, say)."""
    database = db.database()
    with database.connection_context():
        database.execute_sql("DROP TABLE person_search_word")
    as_from_an_older_release()
    schema.create_schema()
    return vocabulary()


def ada_and_bob_near_zorbulaq(client, event_url):
    """Ada's Priya (two letters from "zorbulaq") and Frank (eleven words one letter from it); then Bob, logged in,
    with Jane Roe, whose notes hold another word one letter from it. Returns the client's Auth."""
    log(client, event_url, name="Priya Patel", notes="zorbulmm")
    log(client, event_url, name="Frank Miller", notes=ONE_LETTER_FROM_ZORBULAQ)
    auth = Auth(client)
    auth.logout()
    auth.signup(email="bob@example.com", name="Bob")
    log(client, add_event(client, name="Bob's meetup"), name="Jane Roe", notes="met at the clinic, zorbulax diagnosis")
    return auth


@pytest.mark.parametrize("typed", ["j", "jan", "jnae"])  # the newest first; in tiers; with near spellings
def test_a_search_finds_your_people_met_before_after_and_between_another_accounts(client, event_url, typed):
    """The search walks the index from your latest person to your first: another account's newer people, older
    ones and those in between are never found, and none of yours is missed, in the same order."""
    auth = Auth(client)
    log(client, event_url, name="Jane First", company="Acme")
    auth.logout()
    auth.signup(email="bob@example.com", name="Bob")
    bobs = add_event(client, name="Bob's meetup")
    for i in range(3):
        log(client, bobs, name=f"Jane Bob {i}")
    auth.logout()
    auth.login()
    log(client, event_url, name="Someone", notes="jane from the bus")
    log(client, event_url, name="Jane Last")
    auth.logout()
    auth.login(email="bob@example.com")
    log(client, bobs, name="Jane Bob 3")
    assert found(client, typed) == ["Jane Bob 3", "Jane Bob 2", "Jane Bob 1", "Jane Bob 0"]
    auth.logout()
    auth.login()
    newest_first = ["Jane Last", "Someone", "Jane First"]
    assert found(client, typed) == (newest_first if typed == "j" else ["Jane Last", "Jane First", "Someone"])


def test_another_accounts_words_never_change_what_your_typos_find(client, event_url):
    """Another account's word one letter closer to what you typed neither crowds out your own near spellings nor
    tells you it exists; and once that account is deleted, none of its words is kept."""
    auth = ada_and_bob_near_zorbulaq(client, event_url)
    bob = owner_of("bob@example.com")
    assert found(client, "zorbulaq") == ["Jane Roe"]
    auth.logout()
    auth.login()
    assert found(client, "zorbulaq") == ["Frank Miller", "Priya Patel"]
    auth.logout()
    auth.login(email="bob@example.com")
    assert client.post("/account/delete", data={"password": PASSWORD}).status_code == 302
    assert bob not in vocabulary()
    kept = {word for words in vocabulary().values() for word in words}
    assert not kept & {"jane", "roe", "clinic", "diagnosis", "zorbulax"}


def test_a_word_counts_for_typos_while_one_of_your_people_has_it(client, event_url):
    log(client, event_url, name="Jane Roe", company="Clinic", notes="diagnosis")
    log(client, event_url, name="Jane Doe", notes="kafka")
    ada = owner_of("ada@example.com")
    # The event they were met at (PyData London) counts for each of them.
    assert vocabulary()[ada] == {"jane": 2, "roe": 1, "clinic": 1, "diagnosis": 1, "doe": 1, "kafka": 1, "pydata": 2,
                                 "london": 2}
    with db.database().connection_context():
        roe, doe = Person.get(Person.name == "Jane Roe"), Person.get(Person.name == "Jane Doe")
    event_id = event_url.rsplit("/", 1)[1]
    response = client.post(f"/events/{event_id}/people/{roe.id}/edit",
                           data={"name": "Jane Roe", "company": "Initech", "notes": "diagnosis"})
    assert response.status_code == 302
    assert vocabulary()[ada] == {"jane": 2, "roe": 1, "initech": 1, "diagnosis": 1, "doe": 1, "kafka": 1,
                                 "pydata": 2, "london": 2}
    assert client.post(f"/people/{doe.id}/delete").status_code == 302
    assert vocabulary()[ada] == {"jane": 1, "roe": 1, "initech": 1, "diagnosis": 1, "pydata": 1, "london": 1}
    assert found(client, "kafak") == []
    assert client.post("/account/delete", data={"password": PASSWORD}).status_code == 302
    assert vocabulary() == {}


def test_the_words_kept_as_people_change_are_the_ones_counted_from_the_index(client, years):
    """Whatever wrote: the forms, the models, a tag renamed, a backup restored with the index held back."""
    ada = owner_of("ada@example.com")
    fill(ada)
    with db.database().connection_context(), db.write():
        Tag.update(name="recruiting").where(Tag.name == "hiring").execute()
        Person.delete().where(Person.name == "Piotr Nowak").execute()
    auth = Auth(client)
    auth.logout()
    auth.signup(email="bob@example.com", name="Bob")
    bob = owner_of("bob@example.com")
    database = db.database()
    with database.connection_context(), db.write(), search.indexed_for_owner(database, bob):
        for name, company in (("Hedy Lamarr", "Frequency Hopping"), ("Hedy Kiesler", "Frequency Hopping")):
            Person.create(owner=bob, name=name, company=company).add_tags(["radio", "film"])
    kept = vocabulary()
    assert kept[bob] == {"hedy": 2, "lamarr": 1, "kiesler": 1, "frequency": 2, "hopping": 2, "radio": 2,
                         "film": 2}
    assert kept[ada]["recruiting"] == 1 and kept[ada]["hiring"] == 1  # Zoë's notes, no longer Mei's tag
    assert "piotr" not in kept[ada]
    assert counted_again() == kept


def test_the_shared_word_list_of_an_older_release_is_counted_again_for_each_account(client, event_url):
    auth = ada_and_bob_near_zorbulaq(client, event_url)
    words = ["priya", "patel", "zorbulmm", "frank", "miller", *ONE_LETTER_FROM_ZORBULAQ.split(),
             "jane", "roe", "met", "the", "clinic", "zorbulax", "diagnosis", "left", "by", "someone", "deleted"]
    database = db.database()
    with database.connection_context():  # one list of every account's words, as the release before kept it
        database.execute_sql("DROP TABLE person_search_word")
        database.execute_sql("CREATE TABLE person_search_word (word TEXT PRIMARY KEY)")
        for word in words:
            database.execute_sql(f"INSERT INTO person_search_word (word) VALUES ({database.param})", (word,))
    as_from_an_older_release()
    schema.create_schema()
    assert found(client, "zorbulaq") == ["Jane Roe"]
    assert vocabulary()[owner_of("bob@example.com")] == {"jane": 1, "roe": 1, "met": 1, "the": 1, "clinic": 1,
                                                        "zorbulax": 1, "diagnosis": 1, "bob": 1, "meetup": 1}
    auth.logout()
    auth.login()
    assert found(client, "zorbulaq") == ["Frank Miller", "Priya Patel"]


def test_deleting_an_account_takes_its_index_and_words_in_bulk_not_a_person_at_a_time(client, event_url):
    """Left to the triggers, each meeting and tag the delete cascaded to wrote its person's row of the index again:
    21 s for a big account, in one request. Another account's people and words stay as they were."""
    second = add_event(client, name="Rust Night")
    for i in range(5):
        log(client, event_url, name=f"Ada's friend {i}", notes="kafka", tags="python, rust")
        log(client, second, name=f"Ada's friend {i}", notes="debezium", same_as="new")
    ada_and_bob_near_zorbulaq(client, event_url)
    ada, bob = owner_of("ada@example.com"), owner_of("bob@example.com")
    bobs_words = vocabulary()[bob]
    database = db.database()
    with database.connection_context(), db.write(), index_refreshes() as refreshed:
        delete_account(User.get_by_id(ada))
        assert refreshed() == 0
    assert ada not in vocabulary() and vocabulary()[bob] == bobs_words
    with database.connection_context():
        assert database.execute_sql("SELECT count(*) FROM person_search").fetchone()[0] == 1
    assert found(client, "zorbulaq") == found(client, "jane") == ["Jane Roe"]


@pytest.mark.parametrize("name, typed", [
    ("Conor O'Brien", "obrien"), ("Conor O’Brien", "OBrien"), ("Anne D'Arcy", "darcy"), ("Ron O'Neil", "oneil"),
    ("Gia D'Angelo", "dangelo"), ("N'Golo Kanté", "ngolo"), ("Claire l'Orange", "lorange"),
])
def test_a_name_with_an_apostrophe_is_found_typed_without_it(client, event_url, name, typed):
    """The index keeps the name after the apostrophe ("brien"; "o" is too short a word to be kept for typos): typed
    joined to the letter before it, it is one letter away."""
    log(client, event_url, name=name)
    log(client, event_url, name="Someone Else", notes="came")
    assert [html.unescape(shown) for shown in found(client, typed)] == [name]
    assert found(client, "acme") == []  # "came" starts with neither "a" nor "cme"


def test_the_near_spellings_kept_are_the_closest_then_the_first_in_word_order(client, event_url):
    """More words as close as each other than a search looks for: both databases keep the same ones, so a search
    finds the same people on either, whatever order the words were written or read in."""
    one_letter_away = [f"zorbula{letter}" for letter in "onmlkjihgfedcba"]
    for word in one_letter_away:
        log(client, event_url, name=f"Person {word}", notes=word)
    log(client, event_url, name="Two letters away", notes="zorbuxyq")
    database = db.database()
    with database.connection_context():
        near = search.near_words(database, owner_of("ada@example.com"), "zorbulaq")
    assert near == sorted(one_letter_away)[:search.MAX_FUZZY_TERMS]


def test_a_known_word_starting_both_ways_a_typo_is_looked_for_is_a_near_spelling_once(client, event_url):
    """"aaronx" looks among the words starting with "a" and with "aronx": "aronx" starts with both, and is one
    near spelling, not two (each way is its own range of the account's words)."""
    log(client, event_url, name="Aron Xu", notes="aronx")
    database = db.database()
    with database.connection_context():
        assert search.near_words(database, owner_of("ada@example.com"), "aaronx") == ["aronx"]
    assert found(client, "aaronx") == ["Aron Xu"]


def test_a_much_shorter_word_is_not_taken_for_a_typo(client, event_url):
    """"pydata" finds the people met at PyData, not every data scientist: two letters short is another word."""
    dataconf = add_event(client, name="Spark Night")
    log(client, dataconf, name="Dana Scientist", role="Data scientist")
    log(client, dataconf, name="Yann Dat", notes="pydat")  # a letter short: a slip
    log(client, event_url, name="Met At PyData")
    assert found(client, "pydata") == ["Met At PyData", "Yann Dat"]


def test_an_email_address_typed_whole_finds_that_person_alone(client, event_url):
    """Typos are forgiven in words, not in a whole address: the addresses a letter or digit away are other
    people's. Part of an address is words like any other, its near spellings found as ever."""
    for number in (17, 18, 19, 28, 81, 118, 180):
        log(client, event_url, name=f"Person {number}", email=f"p{number}@example.org")
    everyone = {f"Person {number}" for number in (17, 18, 19, 28, 81, 118, 180)}
    assert found(client, "p18@example.org") == ["Person 18"]
    assert found(client, "P18@Example.org") == ["Person 18"]
    assert set(found(client, "p18@")) == everyone
    assert set(found(client, "example.org")) == everyone


@pytest.mark.parametrize("phone, typed", [
    ("+353 87 123 4567", "+353871234567"), ("+353 87 123 4567", "871234567"), ("+353 87 123 4567", "0871234567"),
    ("+353 87 123 4567", "87 123 4567"), ("+44 20 7946 0007", "79460007"), ("+44 20 7946 0007", "02079460007"),
    ("+1 (202) 555-0147", "2025550147"), ("(0)30-1234 5678", "03012345678"), ("+33 6 12 34 56 78", "612345678"),
])
def test_a_phone_number_typed_without_spaces_finds_the_person(client, event_url, phone, typed):
    """With or without the country code, or with the zero dialled at home instead."""
    log(client, event_url, name="Has A Phone", phone=phone)
    log(client, event_url, name="Other Phone", phone="+353 86 765 4321")
    assert found(client, typed) == ["Has A Phone"]


@pytest.mark.parametrize("saved, typed", [
    ("087 765 4321", "+353 87 765 4321"), ("087 765 4321", "+353877654321"), ("087 765 4321", "00353877654321"),
    ("087 765 4321", "+353 (0)87 765 4321"), ("87 765 4321", "+353 87 765 4321"), ("(202) 555-0147", "+1 202 555 0147"),
    ("020 7946 0007", "+44 20 7946 0007"), ("02 1234 5678", "+39 02 1234 5678"), ("0171 1234567", "+49 171 1234567"),
])
def test_a_number_saved_at_home_is_found_typed_with_its_country_code(client, event_url, saved, typed):
    """Saved at the event as she said it, found later from the +353... of a message; and not the numbers that
    only end the same way, which are other numbers: another country's, or the same digits in another area."""
    log(client, event_url, name="Saved At Home", phone=saved)
    for other in ("+1 587 765 4321", "(302) 555-0147", "030 7946 0007", "+353 86 111 2222", "+39 03 1234 5678"):
        log(client, event_url, name="Other Phone", phone=other)
    assert found(client, typed) == ["Saved At Home"]


@pytest.mark.parametrize("typed", ["087 123 4567", "087-123-4567", "087.123.4567", "(087) 123 4567", "0 87 123 4567",
                                   "(087) 123-4567", "+353 (0)87 123 4567", "0871 234 567", "０８７ １２３ ４５６７"])
def test_a_phone_number_typed_as_dialled_at_home_with_spaces_or_dashes_finds_the_person(client, event_url, typed):
    """The zero dialled at home and the number cut up however it is written: its digits are looked for joined."""
    log(client, event_url, name="Siobhan Kelly", phone="+353 87 123 4567")
    log(client, event_url, name="Other Phone", phone="+353 86 765 4321")
    assert found(client, typed) == ["Siobhan Kelly"]


def test_numbers_with_spaces_still_find_each_number_where_it_is_written(client, event_url):
    """A search that looks like a phone number is also its words: two years in the notes are found as before."""
    log(client, event_url, name="Raj Patel", notes="At Globex 2019 to 2024")
    assert found(client, "2019 2024") == ["Raj Patel"]
    assert found(client, "2019-2024") == ["Raj Patel"]


@pytest.mark.parametrize("typed, expected", [
    ("4155550199", []), ("4155550111", []), ("871234599", []), ("2025", []),
    ("+1 315 555 0100", []), ("+353 86 123 4567", []), ("+49 31 1234567", []),
    ("301234567", ["Jürgen Weber"]),  # his number without the country code, and nobody else's
])
def test_a_number_a_digit_or_two_off_is_another_number(client, event_url, typed, expected):
    """Typos are forgiven in words, not in numbers: a phone number or a year a digit off finds nobody."""
    log(client, event_url, name="Grace Hopper", phone="(415) 555-0100")
    log(client, event_url, name="Siobhan Kelly", phone="+353 87 123 4567")
    log(client, event_url, name="Jürgen Weber", phone="+49 30 1234567", notes="Hired in 2024")
    assert found(client, typed) == expected
