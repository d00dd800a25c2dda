"""When each person was last met: the People list's order, newest meeting first.

The day is the latest event they were met at (its first day, as the list shows it), or the day they were added
for someone never met (imported from LinkedIn, say). Worked out at each page, it would be a sort of every person
of the account (50,000 after years of events); kept in `person.last_met_on`, with an index on (owner,
last_met_on, id), a page reads its twenty rows from the index and stops.

The database's triggers keep it, as they keep the search index (search.py): a meeting logged, moved to another
event or person (a quick event merged, two people made one), deleted, or an event's day changed, whichever code
writes it: the log form, an offline sync, an import, a restored backup, an Undo. A person saved whole by the app
writes the value it read, which may be stale: that write is worked out again too.
"""

from peewee import PostgresqlDatabase

# The day for the person row `person` (SQLite).
_SQLITE_DAY = """coalesce((SELECT max(e.starts_on) FROM conversation c JOIN event e ON e.id = c.event_id
                          WHERE c.person_id = {person}.id), date({person}.created_at))"""


def _sqlite_refresh(people):
    """Work the day out again for these people (a condition on a person's id: "= NEW.person_id")."""
    return f"UPDATE person SET last_met_on = {_SQLITE_DAY.format(person='person')} WHERE id {people};"


SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS person_last_met_added AFTER INSERT ON person BEGIN
        {_sqlite_refresh("= NEW.id")} END""",
    # Recursive triggers are off (SQLite's default): the refresh does not set this one off again.
    f"""CREATE TRIGGER IF NOT EXISTS person_last_met_saved AFTER UPDATE OF last_met_on, created_at ON person
        WHEN NEW.last_met_on IS NOT {_SQLITE_DAY.format(person='NEW')} BEGIN {_sqlite_refresh("= NEW.id")} END""",
    f"""CREATE TRIGGER IF NOT EXISTS person_last_met_meeting_added AFTER INSERT ON conversation BEGIN
        {_sqlite_refresh("= NEW.person_id")} END""",
    f"""CREATE TRIGGER IF NOT EXISTS person_last_met_meeting_moved AFTER UPDATE OF person_id, event_id ON conversation
        BEGIN {_sqlite_refresh("= OLD.person_id")} {_sqlite_refresh("= NEW.person_id")} END""",
    f"""CREATE TRIGGER IF NOT EXISTS person_last_met_meeting_deleted AFTER DELETE ON conversation BEGIN
        {_sqlite_refresh("= OLD.person_id")} END""",
    f"""CREATE TRIGGER IF NOT EXISTS person_last_met_event_moved AFTER UPDATE OF starts_on ON event
        WHEN OLD.starts_on IS NOT NEW.starts_on BEGIN
        {_sqlite_refresh("IN (SELECT person_id FROM conversation WHERE event_id = NEW.id)")} END""",
]
SQLITE_FILL = f"UPDATE person SET last_met_on = {_SQLITE_DAY.format(person='person')} WHERE last_met_on IS NULL"

# On PostgreSQL a row trigger before the person is written sets the day itself; a change to their meetings
# touches the person, which sets it off.
POSTGRES_SQL = [
    """CREATE OR REPLACE FUNCTION person_last_met_on(pid integer, added timestamp) RETURNS date AS $$
        SELECT coalesce((SELECT max(e.starts_on) FROM conversation c JOIN event e ON e.id = c.event_id
                         WHERE c.person_id = pid), added::date)
    $$ LANGUAGE sql STABLE""",
    """CREATE OR REPLACE FUNCTION person_last_met_on_written() RETURNS trigger AS $$
    BEGIN
        NEW.last_met_on := person_last_met_on(NEW.id, NEW.created_at);
        RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE TRIGGER person_last_met_on BEFORE INSERT OR UPDATE OF last_met_on, created_at ON person
        FOR EACH ROW EXECUTE FUNCTION person_last_met_on_written()""",
    """CREATE OR REPLACE FUNCTION person_last_met_on_meetings() RETURNS trigger AS $$
    BEGIN
        IF TG_TABLE_NAME = 'event' THEN
            UPDATE person SET last_met_on = NULL
            WHERE id IN (SELECT person_id FROM conversation WHERE event_id = NEW.id);
        ELSE
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                UPDATE person SET last_met_on = NULL WHERE id = OLD.person_id;
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
                UPDATE person SET last_met_on = NULL WHERE id = NEW.person_id;
            END IF;
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE TRIGGER person_last_met_on_meetings
        AFTER INSERT OR UPDATE OF person_id, event_id OR DELETE ON conversation
        FOR EACH ROW EXECUTE FUNCTION person_last_met_on_meetings()""",
    """CREATE OR REPLACE TRIGGER person_last_met_on_event AFTER UPDATE OF starts_on ON event FOR EACH ROW
        WHEN (OLD.starts_on IS DISTINCT FROM NEW.starts_on) EXECUTE FUNCTION person_last_met_on_meetings()""",
]
POSTGRES_FILL = "UPDATE person SET last_met_on = NULL WHERE last_met_on IS NULL"  # the trigger works it out


def definition(database):
    """The SQL that keep() runs on this database, for the schema's fingerprint."""
    if isinstance(database, PostgresqlDatabase):
        return "\n".join([*POSTGRES_SQL, POSTGRES_FILL])
    return "\n".join([*SQLITE_TRIGGERS, SQLITE_FILL])


def keep(database):
    """Create the triggers (those of an older release replaced) and work out the day of everyone who has none
    yet (a database from before it was kept). Called from schema.create_schema(), inside its transaction."""
    if isinstance(database, PostgresqlDatabase):
        for statement in POSTGRES_SQL:
            database.execute_sql(statement)
        database.execute_sql(POSTGRES_FILL)
        return
    for (name,) in database.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'person_last_met_%'").fetchall():
        database.execute_sql(f'DROP TRIGGER "{name}"')
    for statement in SQLITE_TRIGGERS:
        database.execute_sql(statement)
    database.execute_sql(SQLITE_FILL)
