"""Full-text search over everyone the user met: name, description, company, role, email, phone, notes, tags, and
the name and place of each event they were met at ("Where did I meet her?": "dataconf" finds the people met at
DataConf, after anyone whose own details say DataConf). A quick event's name ("Met on Mon 7 Dec") is Hallway's,
not searched.

One index row per person, in the database's own full-text engine: an FTS5 table on SQLite,
a tsvector column with a GIN index on PostgreSQL. Triggers keep the row in step with every
write (a person edited, a conversation's notes changed or moved to another event, a tag added or removed, an
event renamed, a person deleted), so the index stays right whichever code path writes: the log form, an offline
sync, a restored backup, or a cascaded delete. Writing a whole entry at once (someone logged, met
again or edited: the person, the meeting, the tags) holds the triggers back and refreshes the row once,
at the end (`indexed_once`). Nothing else outside this module needs to know that the index exists.

Search text from the user never reaches the query syntax as-is: it is cut into words and
each word is quoted as a prefix term, so "jan" finds "Jane" and `"`, `*`, `-`, `(`, `OR`
are just characters.

Typos are forgiven through each account's vocabulary: the words of its own people, each with how many of
them have it, kept by the same triggers (a word goes when the last person who had it is edited or deleted).
Each word typed also matches the account's known words within one or two edits of it (a letter missing,
added, changed, or two swapped),
so "postgress" finds "Postgres" and "ana" finds "Anna". Another account's words are never looked at: they would
take places among the closest spellings, and what a search finds would tell that they exist. Both databases look
at the same known words (those starting with the first letter typed, or with the rest of the word) and keep
the same closest ones, ties in word order, so a search finds the same people on either. Exact
matches come first, then by relevance (a name counts more than a company, which counts more than the notes),
then the most recently added.
"""

import contextlib
import datetime
import json
import re
import unicodedata

from peewee import SQL, DatabaseError, NodeList, PostgresqlDatabase, Select, Table, Value, fn
from rapidfuzz.distance import OSA
from rapidfuzz.process import extract

from . import rules
from .models import Conversation, Event, Person
from .prepared import Param

# The index table as queries join it; the alias keeps its own name, which FTS5's MATCH needs.
INDEX = Table("person_search").alias("person_search")
FUZZY_FROM = 3  # shorter words are only ever prefixes: "an" would be within one edit of half the vocabulary
MAX_FUZZY_TERMS = 12
RANKED_FROM = 3  # one or two letters typed: every match is as good, the newest come first (and fast)
MAX_TERMS = 8
MAX_TERM_LENGTH = 40
# A word is a run of letters and digits, as both engines' tokenisers see it.
WORD = re.compile(r"[^\W_]+")

# --- SQLite: FTS5 -----------------------------------------------------------------------------------

# Letters that are not a base letter with an accent, so neither NFKD nor FTS5's remove_diacritics takes them
# apart: "lukasz" finds Łukasz, "strasse" Straße, "thor" Þór, as "zoe" finds Zoë.
SPELLED_OUT = {"ł": "l", "đ": "d", "ð": "d", "ø": "o", "æ": "ae", "œ": "oe", "þ": "th", "ß": "ss", "ı": "i",
               "ħ": "h", "ŧ": "t", "ŀ": "l"}
SPELLED_OUT |= {k.upper(): v.capitalize() for k, v in SPELLED_OUT.items()
                if len(k.upper()) == 1 and not k.upper().isascii()}
_SPELLING = str.maketrans(SPELLED_OUT)


def spelled_out(text):
    return text.translate(_SPELLING)


def _spelled_out_sql(expression):
    """The same in SQL, for the text the SQLite index reads (replace() only: no function of the app's, which a
    worker of the previous release writing meanwhile would not have)."""
    for letter, spelling in SPELLED_OUT.items():
        expression = f"replace({expression}, '{letter}', '{spelling}')"
    return expression


# A phone number is also indexed as its digits joined, and as the endings of those of PHONE_FROM digits or more:
# "+353 87 123 4567" is found by "+353871234567", "871234567" (no country code) and, through the trunk zero a
# search drops, "0871234567"; "+44 20 7946 0007" by "79460007" (no area code). Up to 15 digits (E.164). A search
# lists what it finds for the user to look at, so it goes further than the imports match numbers
# (rules.same_phone): down to a number without its area code.
PHONE_FROM = rules.SHORTEST_NUMBER
PHONE_SEPARATORS = " -.()+/\u00a0\u2009\u202f\u2010\u2011\u2012\u2013"


def _phone_digits_sql(phone, digits_only):
    """SQL for a phone's joined digits and their endings, space-separated ('' when the phone holds anything but
    digits and separators). In replace() and substr() only, which both databases have (see _spelled_out_sql).
    digits_only: the database's test that its argument ({}) is nothing but digits."""
    digits = phone
    for separator in PHONE_SEPARATORS:
        digits = f"replace({digits}, '{separator}', '')"
    endings = " || ' ' || ".join(f"CASE WHEN length({digits}) - {skipped} >= {PHONE_FROM} "
                                 f"THEN substr({digits}, {skipped + 1}) ELSE '' END"
                                 for skipped in range(15 - PHONE_FROM + 1))
    return f"(CASE WHEN {digits_only.format(digits)} THEN {endings} ELSE '' END)"


SQLITE_SOURCE = f"""
CREATE VIEW IF NOT EXISTS person_search_source AS
SELECT person_id, owner_id, {_spelled_out_sql("name")} AS name, {_spelled_out_sql("work")} AS work,
       {_spelled_out_sql("notes")} AS notes, {_spelled_out_sql("tags")} AS tags
FROM (
SELECT p.id AS person_id, p.owner_id,
       p.name || ' ' || p.description AS name,
       p.company || ' ' || p.role || ' ' || p.email || ' ' || p.phone
       || ' ' || {_phone_digits_sql("p.phone", "{} NOT GLOB '*[^0-9]*'")} AS work,
       coalesce((SELECT group_concat(c.notes, ' ') FROM conversation c
                 WHERE c.person_id = p.id), '')
       || ' ' || coalesce((SELECT group_concat(e.name || ' ' || e.place, ' ') FROM conversation c
                           JOIN event e ON e.id = c.event_id WHERE c.person_id = p.id AND NOT e.quick), '') AS notes,
       coalesce((SELECT group_concat(t.name, ' ') FROM persontag pt JOIN tag t ON t.id = pt.tag_id
                 WHERE pt.person_id = p.id), '') AS tags
FROM person p)
"""
# A view of an older release (which left those letters as they are, or did not read the events people were met at,
# or their email and phone, or a phone's digits joined) is replaced and the index filled again.
SQLITE_SOURCE_OF_THIS_VERSION = ("'ł', 'l'", "JOIN event e", "p.email", "substr(")
# owner_id is stored, not searched (queries join person for the owner): it lets one account's rows be found alone.
# words: the row's words as its owner's vocabulary counted them (person_search_words()), so that the row counts
# out exactly those when it is written again or deleted.
SQLITE_TABLE = """
CREATE VIRTUAL TABLE person_search USING fts5(
    name, work, notes, tags, owner_id UNINDEXED, words UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3')
"""
# A one-letter prefix index: "jane d" (an initial after a name) otherwise merges every word starting with d,
# once per relevance tier (39 ms at 50,000 people, against 7 with it). Indexes made without it, or without the
# words of each row, are rebuilt.
SQLITE_TABLE_OF_THIS_VERSION = ("prefix = '1 2 3'", "words UNINDEXED")
# The people's rows of the index, as written from the tables (add a condition on person_id).
SQLITE_INDEXED = """INSERT INTO person_search (rowid, owner_id, name, work, notes, tags, words)
    SELECT person_id, owner_id, name, work, notes, tags,
           person_search_words(name || ' ' || work || ' ' || notes || ' ' || tags)
    FROM person_search_source"""


# The words of each account's index, for forgiving typos, each with how many of the account's people have it
# (people: a word goes when the last of them no longer has it). SQLite cannot cut text into words in SQL, so the
# triggers call person_search_words(), which register_words() registers on each connection of the app.
SQLITE_VOCABULARY = """CREATE TABLE IF NOT EXISTS person_search_word (
    owner_id INTEGER NOT NULL, word TEXT NOT NULL, people INTEGER NOT NULL,
    PRIMARY KEY (owner_id, word)) WITHOUT ROWID"""
# The words of an older release were one list for every account, without owners: it is replaced and counted again.
VOCABULARY_OF_THIS_VERSION = "owner_id"


def _sqlite_counted_words(rows):
    """Each owner's words in these rows of the index, and how many of the rows have each."""
    return f"""SELECT s.owner_id, j.value AS word, count(*) AS people FROM person_search s, json_each(s.words) j
        WHERE {rows} GROUP BY s.owner_id, j.value"""


def _sqlite_count(rows):
    """Add the words of these rows of the index to their owners' vocabularies."""
    return f"""INSERT INTO person_search_word (owner_id, word, people) {_sqlite_counted_words(rows)}
        ON CONFLICT (owner_id, word) DO UPDATE SET people = people + excluded.people"""


def _sqlite_refresh(people):
    """The people's rows of the index written again from what they are now (none for a person deleted), and their
    owners' vocabularies counting the words of the new rows instead of the old. people: a condition on a
    person's id, "= NEW.id"."""
    return f"""
    UPDATE person_search_word SET people = person_search_word.people - gone.people
    FROM ({_sqlite_counted_words(f"s.rowid {people}")}) AS gone
    WHERE person_search_word.owner_id = gone.owner_id AND person_search_word.word = gone.word;
    DELETE FROM person_search_word WHERE people <= 0
    AND owner_id IN (SELECT owner_id FROM person_search WHERE rowid {people})
    AND word IN (SELECT j.value FROM person_search s, json_each(s.words) j WHERE s.rowid {people});
    DELETE FROM person_search WHERE rowid {people};
    {SQLITE_INDEXED} WHERE person_id {people};
    {_sqlite_count(f"s.rowid {people}")};
    """


# What a trigger runs, as the app runs it for one person (indexed_once).
SQLITE_REFRESH = [statement.strip() for statement in _sqlite_refresh("= ?1").split(";") if statement.strip()]
# Each refresh is skipped while the app writes a whole entry and refreshes it once after (see indexed_once): the
# write's transaction holds a row here meanwhile. A table rather than a new function of the app's, so that a
# worker of the previous release, still finishing its requests while a new one starts, can write with these
# triggers; and a hold cannot outlive its transaction: rolled back, it goes with it.
SQLITE_HOLD = "CREATE TABLE IF NOT EXISTS person_search_hold (held INTEGER PRIMARY KEY)"
LIVE = "WHEN NOT EXISTS (SELECT 1 FROM person_search_hold)"
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS person_search_person_insert AFTER INSERT ON person {LIVE} BEGIN
        {_sqlite_refresh("= NEW.id")} END""",
    f"""CREATE TRIGGER IF NOT EXISTS person_search_person_update
        AFTER UPDATE OF name, description, company, role, email, phone ON person {LIVE} BEGIN
        {_sqlite_refresh("= NEW.id")} END""",
    # Not held back: the person's words must stop counting whoever deletes them (an account deleted, say).
    f"""CREATE TRIGGER IF NOT EXISTS person_search_person_delete AFTER DELETE ON person BEGIN
        {_sqlite_refresh("= OLD.id")} END""",
    f"""CREATE TRIGGER IF NOT EXISTS person_search_conversation_insert AFTER INSERT ON conversation {LIVE} BEGIN
        {_sqlite_refresh("= NEW.person_id")} END""",
    f"""CREATE TRIGGER IF NOT EXISTS person_search_conversation_update
        AFTER UPDATE OF notes, person_id, event_id ON conversation {LIVE} BEGIN
        {_sqlite_refresh("= OLD.person_id")} {_sqlite_refresh("= NEW.person_id")} END""",
    f"""CREATE TRIGGER IF NOT EXISTS person_search_conversation_delete AFTER DELETE ON conversation {LIVE} BEGIN
        {_sqlite_refresh("= OLD.person_id")} END""",
    f"""CREATE TRIGGER IF NOT EXISTS person_search_tag_insert AFTER INSERT ON persontag {LIVE} BEGIN
        {_sqlite_refresh("= NEW.person_id")} END""",
    f"""CREATE TRIGGER IF NOT EXISTS person_search_tag_delete AFTER DELETE ON persontag {LIVE} BEGIN
        {_sqlite_refresh("= OLD.person_id")} END""",
    # The end of a hold, and the refresh of the person it was for, in one statement from the app
    # (`UPDATE person_search_hold SET held = <person id>`, see _release): one round trip instead of four.
    f"""CREATE TRIGGER IF NOT EXISTS person_search_hold_release AFTER UPDATE OF held ON person_search_hold BEGIN
        DELETE FROM person_search_hold; {_sqlite_refresh("= NEW.held")} END""",
    f"""CREATE TRIGGER IF NOT EXISTS person_search_tag_rename AFTER UPDATE OF name ON tag BEGIN
        {_sqlite_refresh("IN (SELECT person_id FROM persontag WHERE tag_id = NEW.id)")} END""",
    # Only when they changed: an event saved whole (its goal edited) would refresh everyone met there.
    f"""CREATE TRIGGER IF NOT EXISTS person_search_event_rename AFTER UPDATE OF name, place, quick ON event
        WHEN OLD.name IS NOT NEW.name OR OLD.place IS NOT NEW.place OR OLD.quick IS NOT NEW.quick BEGIN
        {_sqlite_refresh("IN (SELECT person_id FROM conversation WHERE event_id = NEW.id)")} END""",
]

# --- PostgreSQL: tsvector + GIN ---------------------------------------------------------------------


def _postgres_counted_words(rows):
    """Each owner's words in these rows of the index, and how many of the rows have each."""
    return f"""SELECT r.owner_id, w AS word, count(*) AS people FROM {rows} r, unnest(tsvector_to_array(r.document)) w
        WHERE length(w) >= {FUZZY_FROM} GROUP BY r.owner_id, w"""


# The people's rows of the index, as written from the tables (add a condition on p, the person).
POSTGRES_INDEXED = f"""INSERT INTO person_search (person_id, owner_id, document)
        SELECT p.id, p.owner_id,
               setweight(person_search_words(p.name || ' ' || p.description), 'A')
               || setweight(person_search_words(p.company || ' ' || p.role || ' ' || p.email || ' ' || p.phone
                                                || ' ' || {_phone_digits_sql("p.phone", "{} !~ '[^0-9]'")}), 'B')
               || setweight(person_search_words((SELECT string_agg(t.name, ' ') FROM persontag pt
                                       JOIN tag t ON t.id = pt.tag_id WHERE pt.person_id = p.id)), 'C')
               || person_search_words((SELECT string_agg(c.notes, ' ') FROM conversation c
                                       WHERE c.person_id = p.id))
               || person_search_words((SELECT string_agg(e.name || ' ' || e.place, ' ') FROM conversation c
                                       JOIN event e ON e.id = c.event_id WHERE c.person_id = p.id AND NOT e.quick))
        FROM person p"""

# 'simple': no stemming and no stop words, so names and words in any language are kept as typed.
# Punctuation becomes a space first so both engines cut "acme.io" or "data-eng" into the same words.
POSTGRES_SQL = [
    """CREATE TABLE IF NOT EXISTS person_search (
        person_id integer PRIMARY KEY REFERENCES person (id) ON DELETE CASCADE,
        owner_id integer NOT NULL,
        document tsvector NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS person_search_document ON person_search USING gin (document)",
    "CREATE INDEX IF NOT EXISTS person_search_owner ON person_search (owner_id)",
    # The vocabulary, as on SQLite. Byte order ("C"), so the primary key finds the words that start with some
    # letters.
    """CREATE TABLE IF NOT EXISTS person_search_word (
        owner_id integer NOT NULL, word text COLLATE "C" NOT NULL, people integer NOT NULL,
        PRIMARY KEY (owner_id, word))""",
    # An older release also looked words up by their trigrams, which SQLite cannot: the two found different people.
    "DROP INDEX IF EXISTS person_search_word_trigrams",
    """CREATE OR REPLACE FUNCTION person_search_words(text) RETURNS tsvector AS $$
        SELECT to_tsvector('simple',
                           person_search_fold(regexp_replace(coalesce($1, ''), '[[:punct:]]+', ' ', 'g')))
    $$ LANGUAGE sql STABLE""",
    f"""CREATE OR REPLACE FUNCTION person_search_refresh(pid integer) RETURNS void AS $$
        DELETE FROM person_search WHERE person_id = pid;
        {POSTGRES_INDEXED} WHERE p.id = pid;
    $$ LANGUAGE sql""",
    # Every row of the index written or deleted (a refresh, a person's cascaded delete) counts its words in or
    # out of its owner's vocabulary: once a statement, whatever the number of rows (an account deleted).
    f"""CREATE OR REPLACE FUNCTION person_search_count_words() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN  -- in word order: two saves for one account wait for each other, never deadlock
            INSERT INTO person_search_word (owner_id, word, people)
            {_postgres_counted_words("written")} ORDER BY 1, 2
            ON CONFLICT (owner_id, word) DO UPDATE SET people = person_search_word.people + excluded.people;
        ELSIF EXISTS (SELECT FROM deleted) THEN  -- not each person's cascaded delete of a row already gone
            UPDATE person_search_word v SET people = v.people - gone.people
            FROM ({_postgres_counted_words("deleted")}) gone
            WHERE v.owner_id = gone.owner_id AND v.word = gone.word;
            DELETE FROM person_search_word v USING deleted r, unnest(tsvector_to_array(r.document)) w
            WHERE v.owner_id = r.owner_id AND v.word = w AND v.people <= 0;
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE TRIGGER person_search_words_written AFTER INSERT ON person_search
        REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION person_search_count_words()""",
    """CREATE OR REPLACE TRIGGER person_search_words_deleted AFTER DELETE ON person_search
        REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION person_search_count_words()""",
    """CREATE OR REPLACE FUNCTION person_search_on_change() RETURNS trigger AS $$
    BEGIN
        IF TG_TABLE_NAME NOT IN ('tag', 'event') AND current_setting('hallway.search_held', true) = 'on' THEN
            RETURN NULL;  -- the app refreshes the entry once it is written (indexed_once)
        END IF;
        IF TG_TABLE_NAME = 'person' THEN
            PERFORM person_search_refresh(NEW.id);
        ELSIF TG_TABLE_NAME = 'tag' THEN
            PERFORM person_search_refresh(pt.person_id) FROM persontag pt WHERE pt.tag_id = NEW.id;
        ELSIF TG_TABLE_NAME = 'event' THEN
            PERFORM person_search_refresh(c.person_id) FROM conversation c WHERE c.event_id = NEW.id;
        ELSE
            IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM person_search_refresh(OLD.person_id); END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM person_search_refresh(NEW.person_id); END IF;
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE TRIGGER person_search_person
        AFTER INSERT OR UPDATE OF name, description, company, role, email, phone ON person
        FOR EACH ROW EXECUTE FUNCTION person_search_on_change()""",
    """CREATE OR REPLACE TRIGGER person_search_conversation
        AFTER INSERT OR UPDATE OF notes, person_id, event_id OR DELETE ON conversation
        FOR EACH ROW EXECUTE FUNCTION person_search_on_change()""",
    """CREATE OR REPLACE TRIGGER person_search_persontag AFTER INSERT OR DELETE
        ON persontag FOR EACH ROW EXECUTE FUNCTION person_search_on_change()""",
    """CREATE OR REPLACE TRIGGER person_search_tag AFTER UPDATE OF name
        ON tag FOR EACH ROW EXECUTE FUNCTION person_search_on_change()""",
    """CREATE OR REPLACE TRIGGER person_search_event AFTER UPDATE OF name, place, quick ON event FOR EACH ROW
        WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.place IS DISTINCT FROM NEW.place
              OR OLD.quick IS DISTINCT FROM NEW.quick)
        EXECUTE FUNCTION person_search_on_change()""",
]
# A refresh of an older release, which did not read the events people were met at (nor, later, their email and
# phone, or a phone's digits joined): every row is written again.
POSTGRES_REFRESH_OF_THIS_VERSION = "substr("


# IMMUTABLE lets the planner work out a search's tsquery once, when it plans the query; STABLE (unaccent's
# own label) had it fold and parse the search again for every row matched: 15,000 times for "hiring".
POSTGRES_FOLD = ("CREATE OR REPLACE FUNCTION person_search_fold(text) RETURNS text AS $$ {body} $$ "
                 "LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT")


def _postgres_fold(db):
    """Accents are folded ("jose" finds "José", as FTS5 does) where the unaccent extension can be had.

    It ships with PostgreSQL and is trusted since version 13, but a server may lack it: then the
    search still works, with accents matched as typed.
    """
    try:
        with db.atomic():  # a savepoint: a failure here must not abort the schema transaction
            db.execute_sql("CREATE EXTENSION IF NOT EXISTS unaccent")
        # The dictionary named, not found on the search path, so the result depends on the text alone.
        body = "SELECT unaccent('unaccent'::regdictionary, $1)"
    except DatabaseError:
        body = "SELECT $1"
    db.execute_sql(POSTGRES_FOLD.format(body=body))


def definition(db):
    """The SQL that create_index() runs on this database, to tell when an index of an older release is there."""
    if isinstance(db, PostgresqlDatabase):
        return "\n".join([POSTGRES_FOLD, *POSTGRES_SQL])
    return "\n".join([SQLITE_SOURCE, SQLITE_VOCABULARY, SQLITE_HOLD, SQLITE_TABLE, *SQLITE_TRIGGERS])


def create_index(db):
    """Create the index and its triggers if missing, and fill it for people already saved.

    Called from schema.create_schema(), inside its transaction, after the tables exist.
    """
    if isinstance(db, PostgresqlDatabase):
        existed = db.execute_sql("SELECT to_regclass('person_search') IS NOT NULL").fetchone()[0]
        vocabulary = {name for (name,) in db.execute_sql(
            "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass('person_search_word') AND attnum > 0")}
        if vocabulary and VOCABULARY_OF_THIS_VERSION not in vocabulary:  # every account's words in one list
            db.execute_sql("DROP TABLE person_search_word")
        refresh = db.execute_sql("SELECT prosrc FROM pg_proc WHERE proname = 'person_search_refresh'").fetchone()
        stale = refresh is not None and POSTGRES_REFRESH_OF_THIS_VERSION not in refresh[0]
        _postgres_fold(db)
        for statement in POSTGRES_SQL:
            db.execute_sql(statement)
        if stale or not (existed and vocabulary):  # a new index, or one from before what it reads now
            db.execute_sql("DELETE FROM person_search")
            db.execute_sql(POSTGRES_INDEXED)
        if not (existed and VOCABULARY_OF_THIS_VERSION in vocabulary):
            db.execute_sql("DELETE FROM person_search_word")
            db.execute_sql(f"INSERT INTO person_search_word (owner_id, word, people) "
                           f"{_postgres_counted_words('person_search')}")
        return
    existed = db.execute_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'person_search'").fetchone()
    vocabulary = db.execute_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'person_search_word'").fetchone()
    view = db.execute_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'view' AND name = 'person_search_source'").fetchone()
    stale_view = view is not None and not all(mark in view[0] for mark in SQLITE_SOURCE_OF_THIS_VERSION)
    if stale_view:  # the index and its words are filled again below, from the new view
        db.execute_sql("DROP VIEW person_search_source")
    if existed and (stale_view or not all(mark in existed[0] for mark in SQLITE_TABLE_OF_THIS_VERSION)):
        db.execute_sql("DROP TABLE person_search")  # filled again below, from the tables it indexes
        existed = None
    if vocabulary and VOCABULARY_OF_THIS_VERSION not in vocabulary[0]:  # every account's words in one list
        db.execute_sql("DROP TABLE person_search_word")
        vocabulary = None
    db.execute_sql(SQLITE_SOURCE)
    db.execute_sql(SQLITE_VOCABULARY)
    db.execute_sql(SQLITE_HOLD)
    if not existed:
        db.execute_sql(SQLITE_TABLE)
        db.execute_sql(SQLITE_INDEXED)
    if not (existed and vocabulary):  # the words counted from the index as it is now
        db.execute_sql("DELETE FROM person_search_word")
        db.execute_sql(_sqlite_count("true"))
    # Triggers of an older release are replaced (this runs only when the schema's definition changed).
    for name in [n for (n,) in db.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'person_search_%'")]:
        db.execute_sql(f'DROP TRIGGER "{name}"')
    for statement in SQLITE_TRIGGERS:
        db.execute_sql(statement)


def fold(word):
    """A word as the index keeps it: lower case, accents removed ("Zoë" -> "zoe", "Łukasz" -> "lukasz")."""
    if word.isascii():  # most words: no accent to remove nor letter to spell out (a save folds each of its words)
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", spelled_out(word.lower()))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _words_json(text):
    seen = dict.fromkeys(fold(w)[:MAX_TERM_LENGTH] for w in WORD.findall(text or "") if len(w) >= FUZZY_FROM)
    return json.dumps(list(seen), ensure_ascii=False)


def register_words(db):
    """person_search_words(text): the JSON list of a text's words, for the SQLite triggers' vocabulary."""
    db.register_function(_words_json, "person_search_words", 1, deterministic=True)


@contextlib.contextmanager
def indexed_once(database):
    """Write a person's whole entry (the person, a meeting, tags) with their row of the index refreshed once, at
    the end, rather than by the triggers at every row: logging someone with two tags refreshed it four times,
    a quarter of what a save costs. Call inside the write's transaction; `index(person_id)` names each person
    written. The triggers are held back for this transaction only (a row in person_search_hold on SQLite,
    whose one writer at a time is this one; a transaction-local setting on PostgreSQL)."""
    if not database.in_transaction():
        raise RuntimeError("indexed_once() holds the index back for a transaction: call it inside one")
    people = []
    postgres = isinstance(database, PostgresqlDatabase)
    if postgres:
        database.execute_sql("SELECT set_config('hallway.search_held', 'on', true)")
    else:  # a hold left by a bug would stop the index: this one replaces it, and goes at the end
        database.execute_sql("INSERT OR REPLACE INTO person_search_hold (held) VALUES (1)")
    try:
        yield people.append
    except BaseException:
        # A caller that carries on in the same transaction gets the triggers back and what was written indexed;
        # a transaction that failed refuses both, and is rolled back with the hold.
        with contextlib.suppress(DatabaseError):
            _release(database, postgres, people)
        raise
    _release(database, postgres, people)


@contextlib.contextmanager
def indexed_for_owner(database, owner_id):
    """Write many people of one account (a backup restored) with the triggers held back, then index all of the
    account's people in a statement or two: the triggers refreshed a person at each of their rows (the person,
    each meeting, each tag), which took a 30,000-person backup past a worker's 30 s. Call inside the write's
    transaction."""
    with indexed_once(database):
        yield
        if isinstance(database, PostgresqlDatabase):
            # Whole statements, not a refresh per person: each statement on the index counts its words in or out
            # of the vocabulary once (person_search_count_words), 5 ms a time, twice a person: 20,000 took 100 s.
            database.execute_sql("DELETE FROM person_search WHERE owner_id = %s", (owner_id,))
            database.execute_sql(POSTGRES_INDEXED + " WHERE p.owner_id = %s", (owner_id,))
        else:
            database.execute_sql("DELETE FROM person_search WHERE owner_id = ?", (owner_id,))
            database.execute_sql(SQLITE_INDEXED + " WHERE owner_id = ?", (owner_id,))
            database.execute_sql("DELETE FROM person_search_word WHERE owner_id = ?", (owner_id,))
            database.execute_sql(_sqlite_count("s.rowid IN (SELECT id FROM person WHERE owner_id = ?)"), (owner_id,))


@contextlib.contextmanager
def deleted_with_owner(database, owner_id):
    """Delete a whole account (inside the block) with its rows of the index and its vocabulary gone first, in a
    statement or two: left to the triggers, every meeting and tag the delete cascades to wrote its person's row
    again (21 s for a big account, on either database). Call inside the write's transaction."""
    with indexed_once(database):
        if isinstance(database, PostgresqlDatabase):
            database.execute_sql("DELETE FROM person_search WHERE owner_id = %s", (owner_id,))  # its words go too
        else:
            # By the people's ids: the index's owner_id is not indexed.
            database.execute_sql("DELETE FROM person_search WHERE rowid IN (SELECT id FROM person WHERE owner_id = ?)",
                                 (owner_id,))
            database.execute_sql("DELETE FROM person_search_word WHERE owner_id = ?", (owner_id,))
        yield


def _release(database, postgres, people):
    """The triggers at work again, and each person named refreshed once: the last one in the same statement."""
    *others, last = dict.fromkeys(people) or [None]
    if postgres:
        for person_id in others:
            database.execute_sql("SELECT person_search_refresh(%s)", (person_id,))
        # The refresh does not look at the hold: the two may run in either order.
        database.execute_sql("SELECT set_config('hallway.search_held', '', true), person_search_refresh(%s)"
                             if last is not None else "SELECT set_config('hallway.search_held', '', true)",
                             (last,) if last is not None else ())
        return
    for person_id in others:
        for statement in SQLITE_REFRESH:
            database.execute_sql(statement, (person_id,))
    if last is not None:
        database.execute_sql("UPDATE person_search_hold SET held = ?", (last,))  # person_search_hold_release
    else:
        database.execute_sql("DELETE FROM person_search_hold")


def words(text):
    """The words of a search, as the index cuts them: letters and digits, nothing else."""
    text = spelled_out(unicodedata.normalize("NFKC", text or ""))
    return [w[:MAX_TERM_LENGTH] for w in WORD.findall(text)][:MAX_TERMS]


def typed_whole(text):
    """The words of each email address typed whole in a search: looked for as they are, neither near spellings nor
    the start of longer words. "p918@example.org" is one person's address; p917@, p981@ and p9180@ are other
    people's, not typos of it (as a number a digit off is another number). Part of an address ("p918@",
    "example.org") is words like any other."""
    pieces = unicodedata.normalize("NFKC", text or "").split()
    return {word for piece in pieces if rules.is_address(piece) for word in words(piece)}


def near_words(db, owner_id, word):
    """The owner's known words within a typo or two of a word: "postgress" -> ["postgres"], "ana" -> ["anna"]."""
    word = fold(word)
    # A number a digit or two off is another number (a phone, a year, a room): digits are only ever prefixes.
    if len(word) < FUZZY_FROM or word.isdigit():
        return []
    most = 1 if len(word) < 6 else 2
    # The first letter is rarely the mistyped one: the words that begin with it are candidates. Not the first two:
    # a slip on the second letter ("wtanabe", "schevchenko") is as common as on any other. And those that begin
    # with the rest of the word: a name after a particle and an apostrophe, typed without it ("obrien" for O'Brien,
    # "dangelo", "ngolo", "lorange"), is its last word with a letter before it, one typo away. (Not every word
    # starting with the second letter: "acme" would find everyone who "came".)
    # A known word at most a letter shorter than the word typed: a letter too many is a slip, two are another word
    # ("data" is not a typo of "pydata").
    ranges = [(start, start + "\U0010ffff") for start in (word[:1], word[1:])]
    param = db.param
    # The owner in each range, so that each is a range of the primary key: with the owner outside the OR, SQLite
    # read every word of the account (1.2 ms at 50,000 people, against 0.01).
    starting = " OR ".join([f"(owner_id = {param} AND word >= {param} AND word < {param})"] * len(ranges))
    rows = db.execute_sql(
        f"SELECT word FROM person_search_word WHERE ({starting}) AND length(word) BETWEEN {param} AND {param}",
        (*[value for start, end in ranges for value in (owner_id, start, end)], len(word) - 1, len(word) + most))
    candidates = [w for (w,) in rows if not w.startswith(word)]  # those the word already finds as a prefix
    # Two letters swapped count as one typo (optimal string alignment), as they are one slip of the thumb. The
    # closest first, then in word order: the order the database gave them in is its own.
    close = extract(word, candidates, scorer=OSA.distance, score_cutoff=most, limit=None)
    return [w for w, _, _ in sorted(close, key=lambda found: (found[1], found[0]))][:MAX_FUZZY_TERMS]


def dialled(text):
    """A search that looks like a phone number ("087 123 4567", "(087) 123-4567", "+353 87 123 4567") as the index
    joins a stored phone's digits, and without the zero dialled at home, as the index keeps the endings after a
    country code ("871234567" of "+353 87 123 4567"); [] for any other search. Cut into words, "087" of such a
    number is a word nobody's phone has."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    if any(not ("0" <= c <= "9" or c in PHONE_SEPARATORS or c.isspace()) for c in text):
        return []
    numbers = []
    # "+353 (0)87 123 4567": the zero in brackets is dialled at home only, not after the country code.
    for written in (text, text.replace("(0)", "")):
        number = "".join(c for c in written if "0" <= c <= "9")[:MAX_TERM_LENGTH]
        numbers += [number, number.lstrip("0")]
    return [n for n in dict.fromkeys(numbers) if len(n) >= PHONE_FROM]


def saved_at_home(text):
    """A number typed from abroad ("+353 87 123 4567", "00353 87 123 4567") as it may have been saved at home,
    "087 123 4567" or "87 123 4567": its digits after the country code, of one, two or three digits ("871234567",
    "3871234567", "53871234567"), each a whole national number (rules.SHORTEST_NATIONAL_NUMBER digits at least).
    [] for a number typed as at home ("0871234567": no country code to take off) or anything else."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    if not (dialled(text) and text.startswith(("+", "00"))):
        return []
    number = rules.phone_digits(text)[:MAX_TERM_LENGTH]
    return [number[digits:] for digits in (1, 2, 3) if len(number) - digits >= rules.SHORTEST_NATIONAL_NUMBER]


def longer_numbers(number):
    """What ends in a number saved at home without being it: the number with a digit other than 0 before it, or
    before the zero dialled at home. The index keeps every stored number's endings, so "871234567" is in
    "+1 587 123 4567" and "086 871 234 567" too: other numbers, as the imports tell them (rules.same_phone)."""
    return [f"{digit}{zero}{number}" for zero in ("", "0") for digit in "123456789"]


def match_values(db, owner_id, text):
    """What the words of the owner's search are bound as in the prepared search (see matching): None when text
    has no words (empty, or only punctuation), else (ranked, values), ranked being how the matches are ordered
    (NEWEST, AS_TYPED or TIERED, part of the prepared search's shape). Each word matches as typed (a prefix) or
    within a typo or two of a word of the owner's people (the words of an address typed whole: as they are, see
    typed_whole); a search that looks like a phone number also matches as the number dialled (see dialled), and
    one typed from abroad as saved at home (see saved_at_home)."""
    terms = words(text)
    if not terms:
        return None
    whole = typed_whole(text)
    near = [[] if t in whole else near_words(db, owner_id, t) for t in terms]
    numbers = dialled(text)
    at_home = saved_at_home(text)
    if sum(len(t) for t in terms) < RANKED_FROM:
        ranked = NEWEST
    else:  # with no near spelling known, the tiers of near spellings would find what those as typed find
        ranked = TIERED if any(near) else AS_TYPED
    if isinstance(db, PostgresqlDatabase):
        def quoted(term, prefix=True, labels=""):
            return ("'" + term.replace("\\", "\\\\").replace("'", "''") + "'" +
                    (":*" + labels if prefix else (":" + labels if labels else "")))

        def or_dialled(words_of, labels=""):
            return " | ".join([f"({words_of})"] + [quoted(n, True, labels) for n in numbers] +
                              [f"({quoted(n, True, labels)} & !({' | '.join(map(quoted, longer_numbers(n)))}))"
                               for n in at_home])

        def tsquery(labels=""):
            return or_dialled(" & ".join("(" + " | ".join([quoted(t, t not in whole, labels)]
                                                           + [quoted(w, False, labels) for w in n]) + ")"
                                         for t, n in zip(terms, near, strict=True)), labels)

        return ranked, {"match": tsquery(), "in_name": tsquery("A"), "in_card": tsquery("ABC"),
                        "exact": or_dialled(" & ".join(quoted(t, t not in whole) for t in terms))}

    def quoted(term, prefix=True):
        return '"' + term.replace('"', '""') + '"' + ("*" if prefix else "")

    def or_dialled(words_of):
        return " OR ".join([f"({words_of})"] + [quoted(n) for n in numbers] +
                           [f"({quoted(n)} NOT ({' OR '.join(map(quoted, longer_numbers(n)))}))" for n in at_home])

    forgiving = or_dialled(" AND ".join("(" + " OR ".join([quoted(t, t not in whole)] + [quoted(w, False) for w in n])
                                        + ")" for t, n in zip(terms, near, strict=True)))
    exact = or_dialled(" ".join(quoted(t, t not in whole) for t in terms))
    tiers = [f"{{{columns}}} : ({words_of})" for columns in ("name", "name work tags", "name work notes tags")
             for words_of in (exact, forgiving)]
    return ranked, {"match": forgiving, **{f"tier_{rank}": tier for rank, tier in enumerate(tiers)}}


# How a search's matches are ordered: each way is its own prepared query.
NEWEST = "newest"  # fewer letters typed than RANKED_FROM: the newest first
TIERED = "tiered"  # in tiers of relevance, words as typed before near spellings in each
AS_TYPED = "as typed"  # in tiers, with no near spelling of any word known: only the tiers of words as typed
TIERS = 6  # found in the name, the card, anywhere; each as typed, then with near spellings


def _owners_span():
    """The index's rows from the owner's first person to their latest: a walk of the index newest first starts
    at the owner's latest person rather than at the newest person of every account (a newer account's 5,000
    people held 200 matches of "jan" to step over at each tier), and stops at their first."""
    ids = Person.select(Person.id).where(Person.owner == Param("owner"))
    return INDEX.c.rowid.between(ids.select(fn.MIN(Person.id)), ids.select(fn.MAX(Person.id)))


def matching(db, people, ranked, windowed, narrowed):
    """Narrow a query of the owner's people (Param("owner")) to those matching the words bound as
    match_values() gives them, ordered as ranked says (see match_values); a query built once for each shape of
    search, its values bound on each run.

    Relevance comes in tiers, each newest first: every word found in the name (or description), then in the
    name, company, role, email, phone or tags, then anywhere (the notes); in each, words as typed before near spellings.
    Tiers, not a score: a score (bm25, ts_rank) is computed for every match, and "hiring" matches thousands.
    windowed: the caller reads at most Param("window") rows (offset + limit). On SQLite each tier then reads only
    that many matches, newest first, and stops: the first n rows of the tiers are among the first n of each.
    On PostgreSQL only that many matches are joined to their people. narrowed: people is filtered by more than
    its owner (a tag, an event...), so the window must be cut from the matches that pass those filters.
    (bench/search.py measures both engines on 50,000 people.)
    """
    if isinstance(db, PostgresqlDatabase):
        ranked = ranked != NEWEST

        def matches(name):
            return NodeList((SQL("document @@ to_tsquery('simple', person_search_fold("), Param(name), SQL("))")),
                            glue="")

        found = (INDEX.select(INDEX.c.person_id, matches("in_name").alias("in_name"),
                              matches("in_card").alias("in_card"), matches("exact").alias("exact"))
                 .where(INDEX.c.owner_id == Param("owner"), matches("match")))
        if narrowed:  # the filters apply before the window is cut
            found = found.where(INDEX.c.person_id.in_(people.select(Person.id)))
        order = ([SQL("in_name DESC"), SQL("in_card DESC"), SQL("exact DESC")] if ranked else []) + [
            INDEX.c.person_id.desc()]
        if windowed:
            # Only the best `window` matches are joined to their people: "hiring" matches 15,000 of 50,000,
            # and joining them all to sort them cost more than finding them.
            found = found.order_by(*order).limit(Param("window"))
        # Materialised first, so the GIN index finds the matches; left to itself the planner may walk every
        # person newest first and test each one, which is slow exactly when nothing matches (a typo).
        found = found.cte("found", materialized=True)
        query = people.join(found, on=(found.c.person_id == Person.id)).with_cte(found)
        if not ranked:
            return query.order_by(Person.id.desc())
        return query.order_by(found.c.in_name.desc(), found.c.in_card.desc(), found.c.exact.desc(),
                              Person.id.desc())

    def match(name):
        return NodeList((SQL("person_search MATCH"), Param(name)))

    query = people.join(INDEX, on=(INDEX.c.rowid == Person.id)).where(match("match"), _owners_span())
    if ranked == NEWEST:
        # FTS5 walks its rowids (the person's id) in order: the first page stops after twenty matches.
        return query.order_by(INDEX.c.rowid.desc())
    ranks = range(0, TIERS, 2) if ranked == AS_TYPED else range(TIERS)
    if not windowed:
        def among(name):
            return NodeList((SQL("person_search.rowid IN (SELECT rowid FROM person_search WHERE person_search MATCH"),
                             Param(name), SQL(")")))

        return query.order_by(*[among(f"tier_{rank}").desc() for rank in ranks[:-1]], INDEX.c.rowid.desc())
    # Each tier walks the index newest first and stops after `window` matches of the owner's filters.
    parts = []
    for rank in ranks:
        tier = (people.select(Person.id.alias("person_id"), Value(rank).alias("tier"))
                .join(INDEX, on=(INDEX.c.rowid == Person.id))
                .where(match(f"tier_{rank}"), _owners_span())
                .order_by(INDEX.c.rowid.desc()).limit(Param("window")))
        parts.append(Select([tier.alias(f"tier_{rank}")], [SQL("*")]))
    hits = parts[0]
    for part in parts[1:]:
        hits = hits.union_all(part)
    best = (Select([hits.alias("hits")], [SQL("person_id"), fn.MIN(SQL("tier")).alias("tier")])
            .group_by(SQL("person_id")).cte("best"))
    return (people.join(best, on=(best.c.person_id == Person.id)).with_cte(best)
            .order_by(best.c.tier, Person.id.desc()))


# --- Filters: where and when they were met --------------------------------------------------------------

MONTHS = {name: number for number, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
     ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
     ("november", "nov"), ("december", "dec")], start=1) for name in names}
# Meteorological seasons (northern hemisphere): the first month of each, winter running into the next year.
SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
WHEN_HELP = "Try a month, a season or a year: “March”, “last spring”, “2024”, “March 2025”."


ONE_DAY = datetime.timedelta(days=1)


class NotAWhen(ValueError):
    pass


def _months_later(day, months):
    index = day.year * 12 + day.month - 1 + months
    return day.replace(year=index // 12, month=index % 12 + 1, day=1)


def when_range(text, today):
    """The dates a "when" means, first and last day included: ("2026-03-01", "2026-03-31") for "March".

    A month or season without a year is the latest one that has begun; "last" is the one before the
    current one (in November, "last spring" is this year's), "this" the current one. Raises NotAWhen.
    """
    words_typed = re.findall(r"[^\W_]+", (text or "").lower())
    if not words_typed:
        return None
    which = words_typed.pop(0) if words_typed[0] in ("last", "this", "in") else ""
    which = "" if which == "in" else which
    year = None
    if words_typed and words_typed[-1].isdigit():
        year = int(words_typed.pop())
        if not 1900 <= year <= 2200:
            raise NotAWhen(WHEN_HELP)
    if not words_typed:
        if year is None:
            raise NotAWhen(WHEN_HELP)
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if len(words_typed) != 1:
        raise NotAWhen(WHEN_HELP)
    word = words_typed[0]
    this_month = today.replace(day=1)
    if word in ("year", "month", "week") and year is None and which:
        if word == "year":
            first = today.replace(month=1, day=1)
            first = first.replace(year=first.year - 1) if which == "last" else first
            return first, first.replace(month=12, day=31)
        if word == "month":
            first = _months_later(this_month, -1 if which == "last" else 0)
            return first, _months_later(first, 1) - ONE_DAY
        monday = today - ONE_DAY * today.weekday()
        monday = monday - ONE_DAY * 7 if which == "last" else monday
        return monday, monday + ONE_DAY * 6
    if word in MONTHS:
        first, length = this_month.replace(month=MONTHS[word]), 1
    elif word in SEASONS:
        first, length = this_month.replace(month=SEASONS[word]), 3
    else:
        raise NotAWhen(WHEN_HELP)
    if year is not None:
        first = first.replace(year=year)
    else:
        while first > today:  # the latest one that has begun
            first = first.replace(year=first.year - 1)
        if which == "last":  # the one before the current one, if this one is still going
            if _months_later(first, length) > today:
                first = first.replace(year=first.year - 1)
    return first, _months_later(first, length) - ONE_DAY


def met_where(owner_id, event_id=None, dates=None, kind=None, not_planned=False):
    """The ids of the owner's people met at that event, between those dates, at that kind of event (a planned
    one: the days logged with nothing planned are no "Other" event), or (not_planned) with no event planned."""
    query = (Conversation.select(Conversation.person).join(Event)
             .where(Event.owner == owner_id))
    if event_id:
        query = query.where(Event.id == event_id)
    if dates:
        # An event of several days counts if any of its days falls in the range (an evening until 00:30 has one).
        query = query.where(Event.starts_on <= dates[1], Event.last_day_listed >= dates[0])
    if kind:
        query = query.where(Event.kind == kind, Event.quick == False)  # noqa: E712 (peewee builds SQL from ==)
    if not_planned:
        query = query.where(Event.quick == True)  # noqa: E712
    return query
