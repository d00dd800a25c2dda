"""Undo for deleting a person: the person's rows are kept for a few minutes, and "Undo" puts them back.
A plain form button: it works without JavaScript.

The person comes back under the id they had, so their address (/people/15) and an edit form of theirs left open
on another device still find them; under a new one only when it was handed out again meanwhile (SQLite reuses
the id of the latest row deleted), to another account's person as much as to the next person logged. Their other
rows come back under new ids. Each row is linked only to what is still the account's: a meeting at an event
deleted since stays deleted."""

import base64
import datetime
import json
import uuid

from flask import current_app, flash, redirect, session, url_for
from flask_login import current_user, login_required
from peewee import DatabaseError

from .. import db
from ..forms import ConfirmForm
from ..models import (
    Attachment,
    Conversation,
    DeletedPerson,
    Event,
    FollowUp,
    LaterEntry,
    Outcome,
    Person,
    PersonTag,
    Tag,
    utcnow,
)

UNDO_SECONDS = 5 * 60


def undo_for():
    """How long a deleted person can be brought back (UNDO_SECONDS, or the app's setting of that name)."""
    return datetime.timedelta(seconds=current_app.config.get("UNDO_SECONDS", UNDO_SECONDS))
# Kept in this order; put back in it too, each row pointing only at rows put back before it.
# Later entries are the ids of the phone's entries added to a meeting: back with it, so an entry sent again
# after the undo is still known as saved.
PARTS = [("people", Person), ("conversations", Conversation), ("later_entries", LaterEntry),
         ("person_tags", PersonTag), ("follow_ups", FollowUp), ("outcomes", Outcome), ("attachments", Attachment)]
BYTES = "base64"  # a voice note's or a photo's bytes, as JSON holds them: {"base64": "..."}


def _plain(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return {BYTES: base64.b64encode(bytes(value)).decode("ascii")}
    return value


def _stored(value):
    if isinstance(value, dict) and BYTES in value:
        return base64.b64decode(value[BYTES])
    return value


def _of(model, person):
    """Which rows of model are about person."""
    if model is Person:
        return Person.id == person.id
    if model is LaterEntry:
        return LaterEntry.conversation.in_(Conversation.select(Conversation.id).where(Conversation.person == person.id))
    return model.person == person.id


def delete_person(person):
    """Delete person and everything about them, keeping a copy to undo it for undo_for(). Call inside db.write()."""
    rows = {}
    for part, model in PARTS:
        found = model.select().where(_of(model, person)).dicts()
        rows[part] = [{k: _plain(v) for k, v in row.items()} for row in found]
    _forget_expired_copies()
    kept = DeletedPerson.create(owner=person.owner_id, label=person.label, rows=json.dumps(rows), person_id=person.id)
    person.delete_instance()
    session["undo_delete"] = kept.id
    _copies_expire_at.append(kept.deleted_at + undo_for())
    return kept


# When the copies this process kept stop being undoable: the first request it serves after that forgets them, so
# a copy (notes, photos) outlives its Undo by minutes even when nobody deletes anyone again. A copy kept by a
# process that has stopped since goes at the next delete.
_copies_expire_at = []


def _forget_expired_copies():
    """Copies past their Undo time are forgotten: the table holds minutes of what was deleted, never years. That
    someone was deleted is kept while an edit form opened before could still be sent (as long as a login lasts)."""
    DeletedPerson.update(rows="", label="").where(DeletedPerson.deleted_at < utcnow() - undo_for(),
                                                  DeletedPerson.rows != "").execute()
    remembered = current_app.config.get("SESSION_MAX_AGE", datetime.timedelta(days=30))
    DeletedPerson.delete().where(DeletedPerson.deleted_at < utcnow() - remembered).execute()


def deleted_elsewhere(owner_id, person_id, made_at=None):
    """The deletion of the owner's person person_id (a DeletedPerson, its copy perhaps forgotten or undone already),
    or None: never anyone else's. With made_at, when the person an edit form was opened for was made, theirs: the
    first deletion of that id since, but for one undone under the same id (they were back, and deleted again
    later); the id may have gone to others and been deleted with them after. Without it, the latest."""
    deletions = DeletedPerson.select().where(DeletedPerson.owner == owner_id, DeletedPerson.person_id == person_id)
    if made_at is None:
        return deletions.order_by(DeletedPerson.deleted_at.desc(), DeletedPerson.id.desc()).first()
    not_back_here = DeletedPerson.back_as.is_null() | (DeletedPerson.back_as != person_id)
    return (deletions.where(DeletedPerson.deleted_at >= made_at, not_back_here)
            .order_by(DeletedPerson.deleted_at, DeletedPerson.id).first())


def last_event_of(kept):
    """The latest of the account's events a deleted person was met at, while their copy is kept; else None."""
    rows = json.loads(kept.rows) if kept.rows else {}
    events = [row["event"] for row in rows.get("conversations", [])]
    return (Event.select().where(Event.owner == kept.owner_id, Event.id.in_(events))
            .order_by(Event.starts_on.desc(), Event.id.desc()).first()) if events else None


def can_undo(kept):
    """Whether kept still holds a copy to bring back: not undone yet, and deleted within undo_for()."""
    return bool(kept.rows) and kept.deleted_at >= utcnow() - undo_for()


def forget_expired_copies_when_due():
    if not _copies_expire_at or min(_copies_expire_at) > utcnow():
        return
    due = list(_copies_expire_at)
    _copies_expire_at.clear()
    try:
        with db.write():
            _forget_expired_copies()
    except DatabaseError:  # the database is away: the page is still served, and the next request tries again
        _copies_expire_at.extend(due)


def undo_offer():
    """The deletion the message can still undo, for base.html: (id, label) or None."""
    kept_id = session.get("undo_delete")
    if not kept_id or not current_user.is_authenticated:
        return None
    kept = DeletedPerson.get_or_none(DeletedPerson.id == kept_id, DeletedPerson.owner == current_user.id,
                                     DeletedPerson.deleted_at >= utcnow() - undo_for(), DeletedPerson.rows != "")
    return kept


@login_required
def undo_delete(kept_id):
    """Bring back a person deleted minutes ago, with every event, note, tag, follow-up and outcome."""
    form = ConfirmForm()
    kept = DeletedPerson.get_or_none(DeletedPerson.id == kept_id, DeletedPerson.owner == current_user.id,
                                     DeletedPerson.rows != "")
    if kept is None or not form.validate_on_submit():
        flash("There is nothing to undo.", "info")
        return redirect(url_for("people.index"))
    if kept.deleted_at < utcnow() - undo_for():
        flash(f"{kept.label} was deleted too long ago to undo.", "info")
        return redirect(url_for("people.index"))
    rows = json.loads(kept.rows)
    with db.write():
        person_id, left_out = put_back(kept.owner_id, rows)
        # Only where they are now is kept: an edit form left open on the old id is sent there.
        DeletedPerson.update(rows="", label="", back_as=person_id).where(DeletedPerson.id == kept.id).execute()
    session.pop("undo_delete", None)
    if left_out:
        flash(f"{kept.label} is back, without {_meetings(left_out)} at events deleted since.", "success")
    else:
        flash(f"{kept.label} is back.", "success")
    return redirect(url_for("people.show", person_id=person_id))


def _meetings(count):
    return "the meeting" if count == 1 else f"{count} meetings"


def put_back(owner_id, rows):
    """Insert a deleted person's kept rows for owner_id, the person under the id they had when it is free, the
    rest under new ids; (the person's id, how many meetings were left out because their event is gone). Call
    inside db.write()."""
    rows = {part: [{k: _stored(v) for k, v in row.items()} for row in rows.get(part, [])] for part, _ in PARTS}
    events = _still_owned(Event, owner_id, [r["event"] for r in rows["conversations"] + rows["follow_ups"]])
    tags = _still_owned(Tag, owner_id, [r["tag"] for r in rows["person_tags"]])
    # The entry ids a phone may send again: one already taken (the entry sent again after the deletion made
    # someone new) stays with that row, and the row put back gets a new one.
    taken = {str(u) for u in _taken(Conversation, [r["uuid"] for r in rows["conversations"]])
             | _taken(LaterEntry, [r["uuid"] for r in rows["later_entries"]])
             | _taken(Attachment, [r["uuid"] for r in rows["attachments"]])}

    def new_row(model, row, **links):
        values = {k: v for k, v in row.items() if k != "id"}
        if hasattr(model, "owner"):  # follow-ups kept before they had an owner of their own take the account's
            values["owner"] = owner_id
        if "uuid" in values and str(values["uuid"]) in taken:
            values["uuid"] = uuid.uuid4()
        return model.insert({**values, **links}).execute()

    person = rows["people"][0]
    same_id = {} if Person.select().where(Person.id == person["id"]).exists() else {"id": person["id"]}
    person_id = new_row(Person, person, **same_id)
    meetings, left_out = {}, 0
    for row in rows["conversations"]:
        if row["event"] in events:
            meetings[row["id"]] = new_row(Conversation, row, person=person_id)
        else:
            left_out += 1
    for row in rows["later_entries"]:
        if row["conversation"] in meetings and str(row["uuid"]) not in taken:
            new_row(LaterEntry, row, conversation=meetings[row["conversation"]])
    for row in rows["person_tags"]:
        if row["tag"] in tags:
            new_row(PersonTag, row, person=person_id)
    for row in rows["follow_ups"]:
        new_row(FollowUp, row, person=person_id, event=row["event"] if row["event"] in events else None)
    for row in rows["outcomes"]:
        new_row(Outcome, row, person=person_id)
    for row in rows["attachments"]:
        new_row(Attachment, row, person=person_id, conversation=meetings.get(row["conversation"]))
    return person_id, left_out


def _still_owned(model, owner_id, ids):
    ids = {i for i in ids if i is not None}
    if not ids:
        return set()
    return {row[0] for row in model.select(model.id).where(model.owner == owner_id, model.id.in_(ids)).tuples()}


def _taken(model, uuids):
    uuids = [uuid.UUID(str(u)) for u in uuids if u]
    if not uuids:
        return set()
    return {row[0] for row in model.select(model.uuid).where(model.uuid.in_(uuids)).tuples()}
