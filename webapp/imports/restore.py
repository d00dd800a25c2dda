"""Restoring a backup into an empty account: check the whole document first, then write it in one go.

Nothing is written unless every row is valid, and the writing is one transaction: a backup
is either restored completely or not at all.
"""

import io
import json

import peewee
from flask import current_app
from peewee import CharField, DatabaseError, ForeignKeyField, IntegrityError, PostgresqlDatabase, TextField

from .. import db, rules, search
from ..attachments import checks
from ..exports.backup import (
    ADDED_IN,
    FIELD_WORDS,
    FORMAT,
    NO_LONGER_IN_PROFILE,
    PARTS,
    ROW_WORDS,
    VERSION,
    decode,
    profile_fields,
    row_fields,
)
from ..models import Attachment, Conversation, FollowUp, Tag, User


class BackupError(ValueError):
    """The file cannot be restored; the message tells the user why."""


def read_backup(data):
    """The JSON document from the uploaded bytes, checked, or BackupError."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BackupError("This is not a Hallway backup: the file is not text.") from None
    try:
        document = json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise BackupError("This is not a Hallway backup: the file is nested too deeply to be one.") from None
    except ValueError:
        raise BackupError("This is not a Hallway backup: the file is not valid JSON.") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError("This is not a Hallway backup (the file does not say “format”: “hallway-backup”).")
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BackupError("This backup has no readable version number.")
    if version > VERSION:
        raise BackupError("This backup was made by a newer version of Hallway and cannot be restored here.")
    for key in ["profile"] + [key for key, _ in PARTS]:
        if key not in document and version < ADDED_IN.get(key, 1):
            document[key] = []  # made before this part existed
        elif key not in document:
            raise BackupError(f"This backup is incomplete: “{key}” is missing.")
    return document


def _no_constant(name):
    raise ValueError(f"{name} is not a number JSON allows")


def is_empty(user):
    """No events, people or tags: the only kind of account a backup is restored into."""
    return not (user.events().exists() or user.people().exists() or Tag.select().where(Tag.owner == user.id)
                .exists())


def restore(user, document):
    """Write the document into the user's (empty) account. Returns {part: count}."""
    fields = profile_fields()
    profile = _checked_row(document["profile"], fields, "profile", None, User,
                           frozenset(f.name for f in fields) | NO_LONGER_IN_PROFILE)
    parts = []
    numbers = {}  # model -> set of row numbers in the document, to check the links between rows
    for key, model in PARTS:
        rows = document[key]
        if not isinstance(rows, list):
            raise BackupError(f"In this backup “{key}” is not a list.")
        fields = row_fields(model)
        names = frozenset(f.name for f in fields)
        checked = [_checked_row(row, fields, (key, i), numbers, model, names) for i, row in enumerate(rows, start=1)]
        seen = [row["id"] for row in checked]
        if len(set(seen)) != len(seen):
            raise BackupError(f"In this backup two of the {key} have the same id.")
        if model is FollowUp:
            checked = _one_open_per_person(checked)
        if model is Tag and len({row["name"] for row in checked}) != len(checked):
            raise BackupError("In this backup two tags have the same name (once in lower case), so nothing was "
                              "restored.")
        numbers[model] = set(seen)
        parts.append((key, model, fields, checked))
    try:
        with db.write():
            if not is_empty(User.get_by_id(user.id)):
                raise BackupError("Your account already has events or people. A backup can only be restored "
                                  "into an empty account, so nothing is overwritten.")
            if profile:
                User.update(**profile).where(User.id == user.id).execute()
            with search.indexed_for_owner(db.database(), user.id):
                return _write(user, parts)
    except IntegrityError:
        raise BackupError("This backup has entries that contradict each other (for example the same person "
                          "twice at one event), so nothing was restored.") from None
    except DatabaseError:
        # Validation should have caught it: keep the details for whoever runs the server.
        current_app.logger.exception("backup restore refused by the database")
        raise BackupError("This backup has values the database cannot store, "
                          "so nothing was restored.") from None


def _one_open_per_person(follow_ups):
    """A person has one follow-up to do at most; a backup made by a release that allowed two brings in one: the
    soonest due, with the others' reasons added to its own (as much as a reason holds)."""
    open_ones = {}
    for row in follow_ups:
        if row.get("done_on") is None and row.get("dropped_on") is None:
            open_ones.setdefault(row["person"], []).append(row)
    left_out = set()
    for same_person in open_ones.values():
        if len(same_person) > 1:
            same_person.sort(key=lambda row: (row["due_on"], row["id"]))
            kept = same_person[0]
            reasons = FollowUp.distinct_reasons(row.get("reason", "") for row in same_person)
            kept["reason"] = "; ".join(reasons)[:FollowUp.reason.max_length]
            left_out.update(row["id"] for row in same_person[1:])
    return [row for row in follow_ups if row["id"] not in left_out] if left_out else follow_ups


def _checked_row(row, fields, where, numbers, model, names):
    """A row of the document as it will be stored, or BackupError. where: "profile" or (part, row number),
    turned into words only for a message (a backup may hold 600,000 rows)."""
    try:
        return _checked(row, fields, where, numbers, model, names)
    except _Refused as e:
        raise BackupError(_refusal(where, e)) from None


def _refusal(where, refused):
    """In this backup, the due date of follow-up 1: pick a date between 1900 and 2999."""
    field = refused.field and FIELD_WORDS.get(refused.field, refused.field.replace("_", " "))
    if where == "profile":
        row = f"your {field}" if field else "your profile"
    else:
        row = f"{ROW_WORDS[where[0]]} {where[1]}"
        row = f"the {field} of {row}" if field else row
    problem = str(refused)
    if refused.sentence or problem[:1].isupper():  # the form's own message: "Pick a date between …"
        return f"In this backup, {row}: {_as_said_after_a_colon(problem)}"
    return f"In this backup, {row} {problem}."  # "… is empty"


def _as_said_after_a_colon(sentence):
    """The sentence going on after a colon: its first word in lower case (not "LinkedIn"), one full stop."""
    first = sentence.split(" ", 1)[0]
    if first[1:].islower():
        sentence = sentence[:1].lower() + sentence[1:]
    return sentence if sentence.endswith((".", "…", "?", "!")) else sentence + "."


class _Refused(Exception):
    """What is wrong with a row or one field of it: said after them ("is not an object"), or, with a capital or
    sentence=True, a sentence of its own after a colon ("Pick a date between 1900 and 2999.")."""

    def __init__(self, problem, field=None, sentence=False):
        super().__init__(problem)
        self.field = field
        self.sentence = sentence


def _checked(row, fields, where, numbers, model, names):
    if not isinstance(row, dict):
        raise _Refused("is not an object")
    if not row.keys() <= names:
        unknown = sorted(set(row) - names)
        raise _Refused(f"has fields Hallway does not know: {', '.join(unknown)}")
    checked = {}
    for field in fields:
        if field.name not in row:
            # A column added after the backup was made takes its default.
            if field.default is not None or field.null:
                continue
            raise _Refused("is missing", field.name)
        value = row[field.name]
        if field.primary_key or isinstance(field, ForeignKeyField):
            checked[field.name] = _checked_number(field, value, numbers)
            continue
        if type(value) is str and isinstance(field, TextField | CharField) and (
                not isinstance(field, CharField) or len(value) <= field.max_length):
            checked[field.name] = value  # what decode() would return, without its search (600,000 tags)
            continue
        try:
            checked[field.name] = decode(field, value)
        except ValueError as e:
            raise _Refused(str(e), field.name) from None
    if model is Attachment:
        # Served back to the browser as it is: it must be the voice note or the photo it says it is.
        try:
            checks.verify(checked.get("kind"), checked.get("content_type"), checked.get("content"),
                          checked.get("thumbnail"))
        except checks.NotAcceptable as e:
            raise _Refused(str(e), sentence=True) from None
    # The same rules as the forms: what a form would refuse, a backup cannot bring in.
    try:
        return rules.check_row(model, checked)
    except rules.Invalid as e:
        raise _Refused(str(e), e.field) from None


def _checked_number(field, value, numbers):
    if value is None and isinstance(field, ForeignKeyField) and field.null:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise _Refused("should be a row number", field.name)
    if isinstance(field, ForeignKeyField) and value not in numbers.get(field.rel_model, ()):
        raise _Refused("points at a row that is not there", field.name)
    return value


def _write(user, parts):
    """Insert every part in a few large INSERTs: the ids are reserved first, so the links between rows
    are known before anything is written (600,000 rows take seconds, not minutes). Each part is made a
    column at a time, not a row at a time: a loop per value would spend seconds in Python alone."""
    new_ids = {}  # (model, number in the document) -> new database id
    counts = {}
    taken = _uuids_in_use(parts)
    for key, model, fields, rows in parts:
        ids = list(_reserve_ids(model, len(rows)))
        new_ids.update(zip(((model, row["id"]) for row in rows), ids, strict=True))
        columns = {"id": ids}
        for name, linked, default in _columns(fields):
            columns[name] = _column(model, name, linked, default, rows, new_ids, taken)
        if hasattr(model, "owner"):
            columns["owner"] = [user.id] * len(rows)
        _insert_all(model, columns, len(rows))
        counts[key] = len(rows)
    return counts


_MISSING = object()


def _column(model, name, linked, default, rows, new_ids, taken):
    """One column of a part, ready for the database: links turned into new ids, defaults for missing values."""
    values = [row.get(name, _MISSING) for row in rows]
    if _MISSING in values:
        values = [(default() if callable(default) else default) if value is _MISSING else value for value in values]
    if linked is not None:
        values = [None if value is None else new_ids[linked, value] for value in values]
    if name == "uuid" and model in (Conversation, Attachment):
        # The same conversation or file already lives in another account on this server
        # (a backup restored next to its original): it needs an id of its own.
        values = [model.uuid.default() if value in taken[model] else value for value in values]
    return values


def _insert_all(model, columns, count):
    """All rows in one go (COPY on PostgreSQL, one prepared INSERT run by executemany on SQLite):
    building SQL text per row in Python would take minutes for 600,000 rows."""
    if not count:
        return
    database = db.database()
    fields = [model._meta.fields[name] for name in columns]
    names = ", ".join(f'"{field.column_name}"' for field in fields)
    table = model._meta.table_name
    # The driver's own errors become peewee's (IntegrityError...), as for any other query.
    with peewee.__exception_wrapper__:
        if isinstance(database, PostgresqlDatabase):
            # COPY, PostgreSQL's bulk load: twice as fast as multi-row INSERTs for 600,000 tags.
            texts = [_copy_texts(values) for values in columns.values()]
            text = io.StringIO("".join(line + "\n" for line in map("\t".join, zip(*texts, strict=True))))
            with database.cursor() as cursor:
                cursor.copy_expert(f'COPY "{table}" ({names}) FROM STDIN', text)
            return
        # A model's own conversion (a UUID to text, a date to ISO text) for each value, as peewee would do.
        converted = [values if isinstance(field, CharField | TextField) or field.field_type in ("INT", "AUTO")
                     else [field.db_value(value) for value in values]
                     for field, values in zip(fields, columns.values(), strict=True)]
        marks = ", ".join("?" for _ in fields)
        database.cursor().executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', zip(*converted, strict=True))


def _copy_texts(values):
    """A column in COPY's text format; text and numbers, most of any backup, without a call per value."""
    if all(type(value) is str for value in values):
        return [value.translate(_COPY_ESCAPES) for value in values]
    if all(type(value) is int for value in values):
        return list(map(str, values))
    return list(map(_copy_text, values))


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value):
    """A value in COPY's text format: NULL as \\N, booleans as t/f, bytes as hex, text with its
    backslashes, tabs and line ends escaped; dates, times and UUIDs in their ISO forms."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, bytes | bytearray | memoryview):
        return "\\\\x" + bytes(value).hex()
    return str(value).translate(_COPY_ESCAPES)


def _reserve_ids(model, count):
    """count new ids for model's table, taken inside the restore's transaction."""
    if not count:
        return []
    database = db.database()
    table = model._meta.table_name
    if isinstance(database, PostgresqlDatabase):
        cursor = database.execute_sql(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", (table, count))
        return [row[0] for row in cursor.fetchall()]
    # SQLite: the IMMEDIATE transaction holds the write lock, so nobody else takes these meanwhile.
    largest = database.execute_sql(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"').fetchone()[0]
    return range(largest + 1, largest + 1 + count)


def _columns(fields):
    """(name, the model a link points at or None, default) for each column a restored row is given."""
    return [(f.name, f.rel_model if isinstance(f, ForeignKeyField) else None, f.default)
            for f in fields if not f.primary_key]


def _uuids_in_use(parts):
    taken = {}
    for _, model, _, rows in parts:
        if model not in (Conversation, Attachment):
            continue
        wanted = [row["uuid"] for row in rows if "uuid" in row]
        taken[model] = set()
        for start in range(0, len(wanted), 500):
            taken[model].update(r.uuid for r in model.select(model.uuid)
                                .where(model.uuid.in_(wanted[start:start + 500])))
    return taken

