"""Restoring a backup into an empty account: check the whole document first, then write it in one go.

Nothing is written unless every row is valid, and the writing is one transaction: a backup
is either restored completely or not at all.
"""

import json

from flask import current_app
from peewee import DatabaseError, ForeignKeyField, IntegrityError

from .. import db
from ..exports.backup import FORMAT, PARTS, VERSION, decode, profile_fields, row_fields
from ..models import Conversation, Tag, User

# Rows per INSERT: well under SQLite's limit on parameters in one statement.
BATCH = 100


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
        if key not in document:
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
    profile = _checked_row(document["profile"], profile_fields(), "profile", None)
    parts = []
    numbers = {}  # model -> set of row numbers in the document, to check the links between rows
    for key, model in PARTS:
        rows = document[key]
        if not isinstance(rows, list):
            raise BackupError(f"In this backup “{key}” is not a list.")
        fields = row_fields(model)
        checked = [_checked_row(row, fields, f"{key} #{i}", numbers) for i, row in enumerate(rows, start=1)]
        seen = [row["id"] for row in checked]
        if len(set(seen)) != len(seen):
            raise BackupError(f"In this backup two of the {key} have the same id.")
        numbers[model] = set(seen)
        parts.append((key, model, fields, checked))
    try:
        with db.write():
            if not is_empty(User.get_by_id(user.id)):
                raise BackupError("Your account already has events or people. A backup can only be restored "
                                  "into an empty account, so nothing is overwritten.")
            if profile:
                User.update(**profile).where(User.id == user.id).execute()
            return _write(user, parts)
    except IntegrityError:
        raise BackupError("This backup has entries that contradict each other (for example the same person "
                          "twice at one event), so nothing was restored.") from None
    except DatabaseError:
        # Validation should have caught it: keep the details for whoever runs the server.
        current_app.logger.exception("backup restore refused by the database")
        raise BackupError("This backup has values the database cannot store, "
                          "so nothing was restored.") from None


def _checked_row(row, fields, where, numbers):
    if not isinstance(row, dict):
        raise BackupError(f"In this backup, {where} is not an object.")
    known = {f.name for f in fields}
    unknown = sorted(set(row) - known)
    if unknown:
        raise BackupError(f"In this backup, {where} has fields Hallway does not know: {', '.join(unknown)}.")
    checked = {}
    for field in fields:
        if field.name not in row:
            # A column added after the backup was made takes its default.
            if field.default is not None or field.null:
                continue
            raise BackupError(f"In this backup, {where} is missing “{field.name}”.")
        value = row[field.name]
        if field.primary_key or isinstance(field, ForeignKeyField):
            checked[field.name] = _checked_number(field, value, where, numbers)
            continue
        try:
            checked[field.name] = decode(field, value)
        except ValueError as e:
            raise BackupError(f"In this backup, {where}: “{field.name}” {e}.") from None
    return checked


def _checked_number(field, value, where, numbers):
    if value is None and isinstance(field, ForeignKeyField) and field.null:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise BackupError(f"In this backup, {where}: “{field.name}” should be a row number.")
    if isinstance(field, ForeignKeyField) and value not in numbers.get(field.rel_model, ()):
        raise BackupError(f"In this backup, {where}: “{field.name}” points at a row that is not there.")
    return value


def _write(user, parts):
    new_ids = {}  # (model, number in the document) -> new database id
    counts = {}
    taken = _uuids_in_use(parts)
    pointed_at = {f.rel_model for _, model, fields, _ in parts for f in fields if isinstance(f, ForeignKeyField)}
    for key, model, fields, rows in parts:
        values = [_values(user, model, fields, row, new_ids, taken) for row in rows]
        if model in pointed_at:  # later rows need each new id
            for row, row_values in zip(rows, values, strict=True):
                new_ids[model, row["id"]] = model.insert(**row_values).execute()
        else:
            for start in range(0, len(values), BATCH):
                model.insert_many(values[start:start + BATCH]).execute()
        counts[key] = len(rows)
    return counts


def _values(user, model, fields, row, new_ids, taken):
    """A row ready for the database: links turned into new ids, every column given (defaults for missing ones)."""
    values = {}
    for field in fields:
        if field.primary_key:
            continue
        if field.name not in row:
            values[field.name] = field.default() if callable(field.default) else field.default
            continue
        value = row[field.name]
        if isinstance(field, ForeignKeyField) and value is not None:
            value = new_ids[field.rel_model, value]
        values[field.name] = value
    if hasattr(model, "owner"):
        values["owner"] = user.id
    if model is Conversation and values["uuid"] in taken:
        # The same conversation already lives in another account on this server
        # (a backup restored next to its original): it needs an id of its own.
        values["uuid"] = Conversation.uuid.default()
    return values


def _uuids_in_use(parts):
    wanted = [row["uuid"] for _, model, _, rows in parts if model is Conversation
              for row in rows if "uuid" in row]
    taken = set()
    for start in range(0, len(wanted), 500):
        taken.update(c.uuid for c in Conversation.select(Conversation.uuid)
                     .where(Conversation.uuid.in_(wanted[start:start + 500])))
    return taken

