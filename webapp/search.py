"""Full-text search over everyone the user met: name, description, company, role, notes and tags.

One index row per person, in the database's own full-text engine: an FTS5 table on SQLite,
a tsvector column with a GIN index on PostgreSQL. Triggers keep the row in step with every
write (a person edited, a conversation's notes changed, a tag added or removed, a person
deleted), so the index stays right whichever code path writes: the log form, an offline
sync, a restored backup, or a cascaded delete. Nothing outside this module needs to know
that the index exists.

Search text from the user never reaches the query syntax as-is: it is cut into words and
each word is quoted as a prefix term, so "jan" finds "Jane" and `"`, `*`, `-`, `(`, `OR`
are just characters.
"""

import re
import unicodedata

from peewee import SQL, DatabaseError, PostgresqlDatabase, Table

from .models import Person

# The index table as queries join it; the alias keeps its own name, which FTS5's MATCH needs.
INDEX = Table("person_search").alias("person_search")
MAX_TERMS = 8
MAX_TERM_LENGTH = 40
# A word is a run of letters and digits, as both engines' tokenisers see it.
WORD = re.compile(r"[^\W_]+")

# --- SQLite: FTS5 -----------------------------------------------------------------------------------

SQLITE_SOURCE = """
CREATE VIEW IF NOT EXISTS person_search_source AS
SELECT p.id AS person_id, p.owner_id,
       p.name || ' ' || p.description AS name,
       p.company || ' ' || p.role AS work,
       coalesce((SELECT group_concat(c.notes, ' ') FROM conversation c
                 WHERE c.person_id = p.id), '') AS notes,
       coalesce((SELECT group_concat(t.name, ' ') FROM persontag pt JOIN tag t ON t.id = pt.tag_id
                 WHERE pt.person_id = p.id), '') AS tags
FROM person p
"""
# owner_id is stored, not searched (queries join person for the owner): it lets one account's rows be found alone.
SQLITE_TABLE = """
CREATE VIRTUAL TABLE person_search USING fts5(
    name, work, notes, tags, owner_id UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')
"""


def _sqlite_refresh(person_id):
    return f"""
    DELETE FROM person_search WHERE rowid = {person_id};
    INSERT INTO person_search (rowid, owner_id, name, work, notes, tags)
    SELECT person_id, owner_id, name, work, notes, tags FROM person_search_source
    WHERE person_id = {person_id};
    """


SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS person_search_person_insert AFTER INSERT ON person BEGIN
        {_sqlite_refresh("NEW.id")} END""",
    f"""CREATE TRIGGER IF NOT EXISTS person_search_person_update
        AFTER UPDATE OF name, description, company, role ON person BEGIN {_sqlite_refresh("NEW.id")} END""",
    """CREATE TRIGGER IF NOT EXISTS person_search_person_delete AFTER DELETE ON person BEGIN
        DELETE FROM person_search WHERE rowid = OLD.id; END""",
    f"""CREATE TRIGGER IF NOT EXISTS person_search_conversation_insert AFTER INSERT ON conversation BEGIN
        {_sqlite_refresh("NEW.person_id")} END""",
    f"""CREATE TRIGGER IF NOT EXISTS person_search_conversation_update
        AFTER UPDATE OF notes, person_id ON conversation BEGIN
        {_sqlite_refresh("OLD.person_id")} {_sqlite_refresh("NEW.person_id")} END""",
    f"""CREATE TRIGGER IF NOT EXISTS person_search_conversation_delete AFTER DELETE ON conversation BEGIN
        {_sqlite_refresh("OLD.person_id")} END""",
    f"""CREATE TRIGGER IF NOT EXISTS person_search_tag_insert AFTER INSERT ON persontag BEGIN
        {_sqlite_refresh("NEW.person_id")} END""",
    f"""CREATE TRIGGER IF NOT EXISTS person_search_tag_delete AFTER DELETE ON persontag BEGIN
        {_sqlite_refresh("OLD.person_id")} END""",
    """CREATE TRIGGER IF NOT EXISTS person_search_tag_rename AFTER UPDATE OF name ON tag BEGIN
        DELETE FROM person_search WHERE rowid IN (SELECT person_id FROM persontag WHERE tag_id = NEW.id);
        INSERT INTO person_search (rowid, owner_id, name, work, notes, tags)
        SELECT person_id, owner_id, name, work, notes, tags FROM person_search_source
        WHERE person_id IN (SELECT person_id FROM persontag WHERE tag_id = NEW.id); END""",
]

# --- PostgreSQL: tsvector + GIN ---------------------------------------------------------------------

# 'simple': no stemming and no stop words, so names and words in any language are kept as typed.
# Punctuation becomes a space first so both engines cut "acme.io" or "data-eng" into the same words.
POSTGRES_SQL = [
    """CREATE TABLE IF NOT EXISTS person_search (
        person_id integer PRIMARY KEY REFERENCES person (id) ON DELETE CASCADE,
        owner_id integer NOT NULL,
        document tsvector NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS person_search_document ON person_search USING gin (document)",
    "CREATE INDEX IF NOT EXISTS person_search_owner ON person_search (owner_id)",
    """CREATE OR REPLACE FUNCTION person_search_words(text) RETURNS tsvector AS $$
        SELECT to_tsvector('simple',
                           person_search_fold(regexp_replace(coalesce($1, ''), '[[:punct:]]+', ' ', 'g')))
    $$ LANGUAGE sql STABLE""",
    """CREATE OR REPLACE FUNCTION person_search_refresh(pid integer) RETURNS void AS $$
        DELETE FROM person_search WHERE person_id = pid;
        INSERT INTO person_search (person_id, owner_id, document)
        SELECT p.id, p.owner_id,
               person_search_words(p.name || ' ' || p.description || ' ' || p.company || ' ' || p.role)
               || person_search_words((SELECT string_agg(c.notes, ' ') FROM conversation c
                                       WHERE c.person_id = p.id))
               || person_search_words((SELECT string_agg(t.name, ' ') FROM persontag pt
                                       JOIN tag t ON t.id = pt.tag_id WHERE pt.person_id = p.id))
        FROM person p WHERE p.id = pid;
    $$ LANGUAGE sql""",
    """CREATE OR REPLACE FUNCTION person_search_on_change() RETURNS trigger AS $$
    BEGIN
        IF TG_TABLE_NAME = 'person' THEN
            PERFORM person_search_refresh(NEW.id);
        ELSIF TG_TABLE_NAME = 'tag' THEN
            PERFORM person_search_refresh(pt.person_id) FROM persontag pt WHERE pt.tag_id = NEW.id;
        ELSE
            IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM person_search_refresh(OLD.person_id); END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM person_search_refresh(NEW.person_id); END IF;
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE TRIGGER person_search_person
        AFTER INSERT OR UPDATE OF name, description, company, role ON person
        FOR EACH ROW EXECUTE FUNCTION person_search_on_change()""",
    """CREATE OR REPLACE TRIGGER person_search_conversation
        AFTER INSERT OR UPDATE OF notes, person_id OR DELETE ON conversation
        FOR EACH ROW EXECUTE FUNCTION person_search_on_change()""",
    """CREATE OR REPLACE TRIGGER person_search_persontag AFTER INSERT OR DELETE
        ON persontag FOR EACH ROW EXECUTE FUNCTION person_search_on_change()""",
    """CREATE OR REPLACE TRIGGER person_search_tag AFTER UPDATE OF name
        ON tag FOR EACH ROW EXECUTE FUNCTION person_search_on_change()""",
]


def _postgres_fold(db):
    """Accents are folded ("jose" finds "José", as FTS5 does) where the unaccent extension can be had.

    It ships with PostgreSQL and is trusted since version 13, but a server may lack it: then the
    search still works, with accents matched as typed.
    """
    try:
        with db.atomic():  # a savepoint: a failure here must not abort the schema transaction
            db.execute_sql("CREATE EXTENSION IF NOT EXISTS unaccent")
        body = "SELECT unaccent($1)"
    except DatabaseError:
        body = "SELECT $1"
    db.execute_sql(f"CREATE OR REPLACE FUNCTION person_search_fold(text) RETURNS text AS $$ {body} $$ "
                   "LANGUAGE sql STABLE")


def create_index(db):
    """Create the index and its triggers if missing, and fill it for people already saved.

    Called from schema.create_schema(), inside its transaction, after the tables exist.
    """
    if isinstance(db, PostgresqlDatabase):
        existed = db.execute_sql("SELECT to_regclass('person_search') IS NOT NULL").fetchone()[0]
        _postgres_fold(db)
        for statement in POSTGRES_SQL:
            db.execute_sql(statement)
        if not existed:
            db.execute_sql("SELECT person_search_refresh(id) FROM person")
        return
    existed = db.execute_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'person_search'").fetchone()
    db.execute_sql(SQLITE_SOURCE)
    if not existed:
        db.execute_sql(SQLITE_TABLE)
        db.execute_sql("""INSERT INTO person_search (rowid, owner_id, name, work, notes, tags)
                          SELECT person_id, owner_id, name, work, notes, tags FROM person_search_source""")
    for statement in SQLITE_TRIGGERS:
        db.execute_sql(statement)


def words(text):
    """The words of a search, as the index cuts them: letters and digits, nothing else."""
    text = unicodedata.normalize("NFKC", text or "")
    return [w[:MAX_TERM_LENGTH] for w in WORD.findall(text)][:MAX_TERMS]


def newest_matching(db, people, owner_id, text):
    """Narrow a query of the owner's people to those whose index row has every word of text as a prefix,
    most recently added first. Text with no words (empty, or only punctuation) leaves the query as it is.

    On SQLite the join is ordered by the FTS5 rowid (the person's id), which FTS5 walks in order:
    the first page of a common word stops after twenty matches instead of sorting thousands.
    (bench/search.py measures both engines on 50,000 people.)
    """
    terms = words(text)
    if not terms:
        return people.order_by(Person.id.desc())
    if isinstance(db, PostgresqlDatabase):
        query = " & ".join("'" + t.replace("\\", "\\\\").replace("'", "''") + "':*" for t in terms)
        # Materialised first, so the GIN index finds the matches; left to itself the planner may walk every
        # person newest first and test each one, which is slow exactly when nothing matches (a typo).
        found = (INDEX.select(INDEX.c.person_id)
                 .where(INDEX.c.owner_id == owner_id,
                        SQL("document @@ to_tsquery('simple', person_search_fold(%s))", [query]))
                 .cte("found", materialized=True))
        return (people.join(found, on=(found.c.person_id == Person.id)).with_cte(found)
                .order_by(Person.id.desc()))
    query = " ".join('"' + t.replace('"', '""') + '"*' for t in terms)
    return (people.join(INDEX, on=(INDEX.c.rowid == Person.id))
            .where(SQL("person_search MATCH ?", [query]))
            .order_by(INDEX.c.rowid.desc()))
