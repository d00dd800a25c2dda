"""Creating and updating the schema: every table, index and the search index, on first start and after upgrades.

Several workers may start at the same moment, so the work is serialised (an IMMEDIATE
transaction on SQLite, an advisory lock on PostgreSQL) and each step only adds what is
missing. A database made by an older release gets the columns added since: new fields are
optional (nullable or with a default), so existing rows stay valid and nothing is lost. A text
column made longer since is widened on PostgreSQL (SQLite does not hold text to its length).

The database keeps a fingerprint of the schema that last updated it. A worker whose schema has
the same fingerprint has nothing to check and starts after two small queries, instead of the
hundred or so of reading every table's columns and indexes (about 0.2 s on PostgreSQL).
"""

import hashlib

import click
from peewee import CharField, PostgresqlDatabase, chunked
from playhouse.migrate import SchemaMigrator

from . import db, models, rules, search
from .attachments import store
from .people import last_met

# An arbitrary, fixed key for pg_advisory_xact_lock while creating the schema.
SCHEMA_LOCK_KEY = 0x4A11_3A7
# Where the database keeps the fingerprint of the schema that last updated it.
STAMP_TABLE = "hallway_schema"
# Steps below that the tables' SQL does not show (filling a new column, dropping a replaced index):
# changing one of them changes this, so every database goes through them once more.
STEPS = ("follow-up owners; followup_open_due_on and followup_done_on replaced; waiting attachments linked; "
         "account emails in their one spelling; each account's one session token kept as a login")


def create_schema():
    """Create every table and index that does not exist yet, and add missing columns; safe from several workers."""
    database = db.database()
    if not isinstance(database, PostgresqlDatabase):
        search.register_words(database)  # the search index's triggers call it, on every connection
        # LOWER() of every letter, where SQLite's folds only A to Z (queries only: no index or trigger uses it).
        database.register_function(_unicode_lower, "unicode_lower", 1, deterministic=True)
    wanted = fingerprint(database)
    with database.connection_context():
        if stamp(database) == wanted:
            return
        with db.write():
            if isinstance(database, PostgresqlDatabase):
                database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK_KEY,))
            if stamp(database) == wanted:
                return  # another worker did it while this one waited for the lock
            add_missing_columns(database, models.TABLES)
            widen_columns(database, models.TABLES)
            if models.FollowUp._meta.table_name in database.get_tables():
                models.Person.keep_one_open_follow_up_each()  # before the index that allows one is made
            database.create_tables(models.TABLES, safe=True)
            fill_follow_up_owners()
            store_emails_in_their_one_spelling()
            keep_the_sessions_from_before_logins(database)
            store.link_the_left_waiting()
            for replaced in ("followup_open_due_on", "followup_done_on"):  # by the owner's own indexes
                database.execute_sql(f"DROP INDEX IF EXISTS {replaced}")
            search.create_index(database)
            last_met.keep(database)
            database.execute_sql(f"CREATE TABLE IF NOT EXISTS {STAMP_TABLE} (fingerprint TEXT NOT NULL)")
            database.execute_sql(f"DELETE FROM {STAMP_TABLE}")
            database.execute_sql(f"INSERT INTO {STAMP_TABLE} (fingerprint) VALUES ({database.param})", (wanted,))


def _unicode_lower(value):
    return value.lower() if isinstance(value, str) else value


def fingerprint(database):
    """A digest of everything create_schema() makes on this database: each table's and index's SQL, the search
    index's, and the steps in between. Any change to a model, an index or the search gives a new one.

    Writing every table's SQL takes ~10 ms, for each app made: it is worked out again only when the models'
    tables, fields or indexes are not the ones it was worked out for (they change in a process only in tests)."""
    shape = (type(database), tuple((model._meta.table_name, tuple(model._meta.sorted_field_names),
                                    len(model._meta.indexes)) for model in models.TABLES))
    if shape not in _fingerprints:
        _fingerprints[shape] = _fingerprint(database)
    return _fingerprints[shape]


_fingerprints = {}


def _fingerprint(database):
    digest = hashlib.sha256(STEPS.encode())
    for model in models.TABLES:
        for statement in [model._schema._create_table(safe=True), *model._schema._create_indexes(safe=True)]:
            sql, params = statement.query()
            digest.update(f"{sql} {params!r}\n".encode())
    digest.update(search.definition(database).encode())
    digest.update(last_met.definition(database).encode())
    return digest.hexdigest()


def stamp(database):
    """The fingerprint of the schema that last updated this database (None: new, or from an older release)."""
    if not database.table_exists(STAMP_TABLE):
        return None
    row = database.execute_sql(f"SELECT fingerprint FROM {STAMP_TABLE}").fetchone()
    return row[0] if row else None


def fill_follow_up_owners():
    """Follow-ups saved before they had an owner of their own take their person's."""
    models.FollowUp.update(owner=models.Person.select(models.Person.owner).where(
        models.Person.id == models.FollowUp.person)).where(models.FollowUp.owner.is_null()).execute()


def store_emails_in_their_one_spelling():
    """Accounts made before emails were folded to one spelling (typed in full-width letters, a domain in its ASCII
    form, an accent as letter and mark) take it, so the address as anyone types it today finds them.

    Two accounts whose emails fold to one address (signed up once in full-width letters, once not) cannot both
    take it: the one already spelled so, else the oldest, does; the other keeps its email as stored."""
    User = models.User
    stored = {email: user_id for user_id, email in User.select(User.id, User.email).order_by(User.id).tuples()}
    for email, user_id in list(stored.items()):
        folded = rules.normalised_email(email)
        if folded != email and folded not in stored:
            User.update(email=folded).where(User.id == user_id).execute()
            stored[folded] = user_id


def keep_the_sessions_from_before_logins(database):
    """Accounts from before each device had a login of its own held one session token for all their devices
    (user.session_token): each such token becomes one login, so the upgrade logs nobody out. A cookie holding it
    still ends SESSION_MAX_AGE after it was made (it says when) or when idle; logging out on one of those devices
    (or from the list of devices, where it is "Devices logged in before this list") ends it on all of them, once.

    The old column is emptied, so this happens once; it stays in the table, unused (SQLite cannot drop a UNIQUE
    column)."""
    if "session_token" not in {c.name for c in database.get_columns("user")}:
        return
    tokens = database.execute_sql('SELECT id, session_token FROM "user" WHERE session_token IS NOT NULL').fetchall()
    for batch in chunked(tokens, 500):
        models.Login.insert_many([{"user": user_id, "token": token, "device": EARLIER_DEVICES}
                                  for user_id, token in batch]).on_conflict_ignore().execute()
    database.execute_sql('UPDATE "user" SET session_token = NULL WHERE session_token IS NOT NULL')


# What the list of devices calls the login kept from an account's one session token (see above).
EARLIER_DEVICES = "Devices logged in before this list"


def add_missing_columns(database, tables):
    """Add the columns a model has and its existing table lacks (a database from before the field existed).

    Only optional fields can be added to a table that already has rows: a required field with
    no default stops the start with a clear message instead of guessing a value.
    """
    existing_tables = set(database.get_tables())
    migrator = None
    for model in tables:
        table = model._meta.table_name
        if table not in existing_tables:
            continue  # created whole by create_tables()
        have = {c.name for c in database.get_columns(table)}
        for field in model._meta.sorted_fields:
            if field.column_name in have:
                continue
            if not field.null and field.default is None:
                raise RuntimeError(f"{table}.{field.column_name} is missing and cannot be added to existing rows: "
                                   "new fields must be nullable or have a default.")
            migrator = migrator or SchemaMigrator.from_database(database)
            _add_column(migrator, database, table, field)


def widen_columns(database, tables):
    """Make each text column on PostgreSQL as long as its field has become (a LinkedIn address was 200 characters
    long at most, too few for a handle in Cyrillic or Chinese): a longer limit keeps every row as it is."""
    if not isinstance(database, PostgresqlDatabase):
        return
    lengths = {(table, column): length for table, column, length in database.execute_sql(
        "SELECT table_name, column_name, character_maximum_length FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND data_type = 'character varying'")}
    migrator = None
    for model in tables:
        for field in model._meta.sorted_fields:
            length = lengths.get((model._meta.table_name, field.column_name))
            if isinstance(field, CharField) and length is not None and length < field.max_length:
                migrator = migrator or SchemaMigrator.from_database(database)
                migrator.alter_column_type(model._meta.table_name, field.column_name, field).run()


def _add_column(migrator, database, table, field):
    if field.null or isinstance(database, PostgresqlDatabase):
        migrator.add_column(table, field.column_name, field).run()
        return
    # SQLite makes a column NOT NULL only by copying the whole table, and dropping the old copy would
    # cascade-delete every row that refers to it. The column is added nullable and filled with its
    # default; the model writes that default on every insert, so it never holds NULL either.
    nullable = field.clone()
    nullable.null = True
    migrator.add_column(table, field.column_name, nullable).run()
    migrator.apply_default(table, field.column_name, field).run()


def init_app(app):
    create_schema()
    app.cli.add_command(init_db_command)


@click.command("init-db")
def init_db_command():
    """Create the tables (also done automatically on start); kept for deployments that run it explicitly."""
    create_schema()
    click.echo("Database ready.")
