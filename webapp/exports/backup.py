"""A whole account as one JSON document: the backup a user downloads and can restore later.

The document is built from the models' own field definitions, so a column added to a model
is carried along (or, for a kind of field not known here, fails loudly in the round-trip test)
instead of being silently left out. Rows are numbered 1, 2, 3... within each part, and links
between rows use those numbers: the document never shows database ids, and backing up a
restored account gives the same document again.
"""

import base64
import binascii
import datetime
import uuid

from peewee import (
    BlobField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    TextField,
    TimeField,
    UUIDField,
)

from ..models import Attachment, Conversation, Event, FollowUp, Outcome, Person, PersonTag, Tag, User, utcnow

FORMAT = "hallway-backup"
# 2: voice notes and photos ("attachments"); a version 1 backup has none.
VERSION = 2
# The account's parts in restore order: a row only ever points at rows of an earlier part.
PARTS = [
    ("events", Event),
    ("people", Person),
    ("tags", Tag),
    ("person_tags", PersonTag),
    ("conversations", Conversation),
    ("follow_ups", FollowUp),
    ("outcomes", Outcome),
    ("attachments", Attachment),
]
# A row of each part, and the fields, as the user calls them (in what a restore says is wrong with one); a field
# not here reads as its name ("place", "role").
ROW_WORDS = {"events": "event", "people": "person", "tags": "tag", "person_tags": "person's tag",
             "conversations": "meeting", "follow_ups": "follow-up", "outcomes": "outcome",
             "attachments": "voice note or photo"}
FIELD_WORDS = {
    "display_name": "name", "linkedin_url": "LinkedIn profile", "timezone": "time zone", "sign_off": "sign-off",
    "starts_on": "first day", "ends_on": "last day", "quick": "no-event-planned mark", "ics_uid": "calendar id",
    "created_at": "time it was added", "scanned_text": "scanned card's text", "hiring": "hiring mark",
    "connected_on_linkedin": "LinkedIn connection mark", "linkedin_connected_on": "day you connected on LinkedIn",
    "uuid": "id", "conversation": "meeting", "sent": "sent-from-the-phone mark", "due_on": "due date",
    "done_on": "day it was done", "dropped_on": "day it was dropped", "moved_by_hand": "moved-by-hand mark",
    "happened_on": "day", "entry": "id", "content_type": "file type", "content": "file", "thumbnail": "small copy",
}
# Parts a backup of an older version may lack: restored as empty.
ADDED_IN = {"attachments": 2}
# The login stays with the account being restored into: never exported, never overwritten.
# So does the calendar feed's secret address: a backup file must not carry a key to the account.
# (The devices logged in are the account's `Login` rows, which no backup carries either.)
# So does when the account was made: with its id, it is the account's key on the phone (what waits there to be
# sent is kept under it) and in what it signs (reset links, import previews).
NOT_IN_PROFILE = {"id", "email", "password_hash", "calendar_token", "data_version", "created_at"}
# Carried by the backups of earlier releases, and left alone on restore.
NO_LONGER_IN_PROFILE = frozenset({"created_at"})


def profile_fields():
    return [f for f in User._meta.sorted_fields if f.name not in NOT_IN_PROFILE]


# What the database works out from the rest of the backup (people/last_met.py): not carried, not restored.
KEPT_BY_THE_DATABASE = {(Person, "last_met_on")}


def row_fields(model):
    """The fields a part's rows carry: all but the owner, which is whoever restores the backup, and what the
    database keeps itself."""
    return [f for f in model._meta.sorted_fields
            if not (isinstance(f, ForeignKeyField) and f.rel_model is User)
            and (model, f.name) not in KEPT_BY_THE_DATABASE]


def owned_rows(model, user):
    """The user's rows of one part, oldest first."""
    if hasattr(model, "owner"):
        query = model.select().where(model.owner == user.id)
    elif model is PersonTag:
        query = model.select().join(Person).where(Person.owner == user.id)
    else:
        query = model.select().join(Person, on=(model.person == Person.id)).where(Person.owner == user.id)
    return query.order_by(model.id)


def backup(user):
    """The account as a JSON-ready dict."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": utcnow().isoformat(timespec="seconds") + "Z",
        "profile": {f.name: encode(f, getattr(user, f.name)) for f in profile_fields()},
    }
    numbers = {}  # (model, database id) -> number in the document
    for key, model in PARTS:
        fields = row_fields(model)
        rows = []
        for number, obj in enumerate(owned_rows(model, user).objects(), start=1):
            numbers[model, obj.id] = number
            row = {}
            for f in fields:
                if f.primary_key:
                    row[f.name] = number
                elif isinstance(f, ForeignKeyField):
                    target = getattr(obj, f.column_name)
                    row[f.name] = None if target is None else numbers[f.rel_model, target]
                else:
                    row[f.name] = encode(f, getattr(obj, f.name))
            rows.append(row)
        document[key] = rows
    return document


def encode(field, value):
    """A field's value as JSON: dates and times as ISO 8601 text, UUIDs as text."""
    if value is None:
        return None
    if isinstance(field, (DateTimeField, DateField, TimeField)):
        return value.isoformat()
    if isinstance(field, UUIDField):
        return str(value)
    if isinstance(field, BlobField):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(field, (CharField, TextField, BooleanField, IntegerField, FloatField)):
        return value
    raise TypeError(f"{field.model.__name__}.{field.name}: no backup format for {type(field).__name__}")


# What restore expects for each kind of field: the JSON type, and how to turn it back into a value.
DECODERS = [
    (DateTimeField, str, datetime.datetime.fromisoformat, "a date and time"),
    (DateField, str, datetime.date.fromisoformat, "a date"),
    (TimeField, str, datetime.time.fromisoformat, "a time"),
    (UUIDField, str, uuid.UUID, "an id"),
    (BooleanField, bool, bool, "true or false"),
    (IntegerField, int, int, "a whole number"),
    (FloatField, (int, float), float, "a number"),
    (CharField, str, str, "text"),
    (TextField, str, str, "text"),
]


def _from_base64(text):
    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error:
        raise ValueError from None


DECODERS.append((BlobField, str, _from_base64, "a file in base64"))


def decode(field, value):
    """The value for field from the JSON, or ValueError saying what was expected."""
    if value is None:
        if field.null:
            return None
        raise ValueError("is empty")
    for kind, json_type, convert, expected in DECODERS:
        if isinstance(field, kind):
            # bool is an int in Python; true is not a number here.
            if not isinstance(value, json_type) or (json_type is not bool and isinstance(value, bool)):
                raise ValueError(f"should be {expected}")
            try:
                decoded = convert(value)
            except ValueError:
                raise ValueError(f"should be {expected}") from None
            if isinstance(decoded, datetime.datetime) and decoded.tzinfo is not None:
                raise ValueError(f"should be {expected}")
            if isinstance(field, CharField) and len(decoded) > field.max_length:
                raise ValueError(f"is longer than {field.max_length} characters")
            return decoded
    raise ValueError(f"cannot be restored ({type(field).__name__})")
