"""Undo for deleting a person or an event: what went with it is kept for a few minutes, and the "Undo" in the
message ("… was deleted.") puts it back. A plain form button: it works without JavaScript.

What was deleted comes back under the id it had, so its address and an edit form of it left open on another
device still find it; under a new one only when the id was handed out again meanwhile (SQLite reuses the id of the
latest row deleted), to another account's row as much as to the next one of this account. What went with it comes
back under new ids, each row linked only to what is still the account's and was so before the deletion.
people/undo.py and events/undo.py say what each kind keeps."""

import base64
import datetime
import json
import uuid

from flask import abort, current_app, flash, session, url_for
from flask_login import current_user
from peewee import DatabaseError

from . import db
from .forms import ConfirmForm
from .models import Deletion, utcnow

UNDO_SECONDS = 5 * 60
# Each kind of deletion, with the view that undoes it.
UNDO_VIEWS = {"person": "people.undo_delete", "event": "events.undo_delete"}
BYTES = "base64"  # a voice note's or a photo's bytes, as JSON holds them: {"base64": "..."}


def undo_for():
    """How long a deletion can be undone (UNDO_SECONDS, or the app's setting of that name)."""
    return datetime.timedelta(seconds=current_app.config.get("UNDO_SECONDS", UNDO_SECONDS))


def copy_of(query):
    """The rows query finds, as JSON keeps them."""
    return [{k: _plain(v) for k, v in row.items()} for row in query.dicts()]


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


def keep(owner_id, kind, label, rows, **about):
    """Keep what is about to be deleted (rows: each part's copy_of()) so the message's Undo can bring it back
    for undo_for(). Call inside db.write(), before deleting."""
    _forget_expired_copies()
    kept = Deletion.create(owner=owner_id, kind=kind, label=label, rows=json.dumps(rows), **about)
    session["undo_delete"] = kept.id
    _copies_expire_at.append(kept.deleted_at + undo_for())
    return kept


# When the copies this process kept stop being undoable: the first request it serves after that forgets them, so
# a copy (notes, photos) outlives its Undo by minutes even when nobody deletes anything again. A copy kept by a
# process that has stopped since goes at the next delete.
_copies_expire_at = []


def _forget_expired_copies():
    """Copies past their Undo time are forgotten: the table holds minutes of what was deleted, never years. That
    someone was deleted is kept while an edit form opened before could still be sent (as long as a login lasts)."""
    Deletion.update(rows="", label="").where(Deletion.deleted_at < utcnow() - undo_for(),
                                             Deletion.rows != "").execute()
    remembered = current_app.config.get("SESSION_MAX_AGE", datetime.timedelta(days=30))
    Deletion.delete().where(Deletion.deleted_at < utcnow() - remembered).execute()


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


def can_undo(kept):
    """Whether kept still holds a copy to bring back: not undone yet, and deleted within undo_for()."""
    return bool(kept.rows) and kept.deleted_at >= utcnow() - undo_for()


def undo_offer():
    """Where the message's Undo posts to, for base.html: the user's latest deletion while it can be undone, or
    None."""
    kept_id = session.get("undo_delete")
    if not kept_id or not current_user.is_authenticated:
        return None
    kept = Deletion.get_or_none(Deletion.id == kept_id, Deletion.owner == current_user.id,
                                Deletion.deleted_at >= utcnow() - undo_for(), Deletion.rows != "")
    return url_for(UNDO_VIEWS[kept.kind], kept_id=kept.id) if kept else None


def to_undo(kind, kept_id):
    """The user's deletion kept_id of this kind, to bring back now, with each part's rows as they were stored; or
    (None, None), having said why not. Another account's deletion, or none, is a 404."""
    kept = Deletion.get_or_none(Deletion.id == kept_id, Deletion.owner == current_user.id, Deletion.kind == kind)
    if kept is None:
        abort(404)
    if not kept.rows or not ConfirmForm().validate_on_submit():
        flash("There is nothing to undo.", "info")
        return None, None
    if not can_undo(kept):
        flash(f"{kept.named} was deleted too long ago to undo.", "info")
        return None, None
    rows = {part: [{k: _stored(v) for k, v in row.items()} for row in found]
            for part, found in json.loads(kept.rows).items()}
    return kept, rows


def undone(kept, back_as):
    """The deletion was undone, and what was deleted is back under the id back_as: its copy is forgotten, and only
    where it is now is kept (an edit form left open on the old id is sent there). Call inside db.write()."""
    Deletion.update(rows="", label="", back_as=back_as).where(Deletion.id == kept.id).execute()
    session.pop("undo_delete", None)


def say_it_is_back(label, left_out, handed, left_out_because):
    """The message after an Undo. Meetings it could not put back (`left_out`) went to the other deletions still
    undoable (`handed`): the latest one's Undo is offered, as it brings them back too. Else they are gone with
    them (`left_out_because`: "with people deleted since")."""
    meetings = "the meeting" if left_out == 1 else f"{left_out} meetings"
    if handed:
        session["undo_delete"] = handed[-1].id
        names = [deleted.named for deleted in handed]
        names = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
        flash(f"{label} is back. Undo deleting {names} to bring back {meetings} too.", "undo")
    elif left_out:
        flash(f"{label} is back, without {meetings} {left_out_because}.", "success")
    else:
        flash(f"{label} is back.", "success")


def still_undoable(owner_id, kind, after=None, before=None):
    """The owner's deletions of kind that can still be undone, oldest first, each with its copy as JSON holds it
    (kept_again() stores it back); with after or before, only those made after or before that time."""
    query = Deletion.select().where(Deletion.owner == owner_id, Deletion.kind == kind, Deletion.rows != "",
                                    Deletion.deleted_at >= utcnow() - undo_for())
    if after is not None:
        query = query.where(Deletion.deleted_at > after)
    if before is not None:
        query = query.where(Deletion.deleted_at < before)
    return [(kept, json.loads(kept.rows)) for kept in query.order_by(Deletion.deleted_at, Deletion.id)]


def kept_again(kept, rows):
    """Store rows as kept's copy: an Undo of something deleted with it handed it what it could not put back yet (a
    meeting with someone deleted since), or told it the ids what it points at came back under. Call inside
    db.write()."""
    rows = {part: [{k: _plain(v) for k, v in row.items()} for row in found] for part, found in rows.items()}
    Deletion.update(rows=json.dumps(rows)).where(Deletion.id == kept.id).execute()


def same_id_if_free(model, row):
    """{"id": the id row had} while no row of model (any account's) has it, else {}: a new one."""
    return {} if model.select().where(model.id == row["id"]).exists() else {"id": row["id"]}


def put_back(model, row, owner_id, taken=(), **links):
    """Insert a kept row for owner_id, with links (its new person, event or meeting) in place of the old ones: its
    id. An entry id in taken (the entry sent again after the deletion made a row of its own) stays with that row,
    and this one gets a new one."""
    values = {k: v for k, v in row.items() if k != "id"}
    if hasattr(model, "owner"):  # follow-ups kept before they had an owner of their own take the account's
        values["owner"] = owner_id
    if "uuid" in values and str(values["uuid"]) in taken:
        values["uuid"] = uuid.uuid4()
    return model.insert({**values, **links}).execute()


def still_owned(model, owner_id, ids, made_before=None):
    """Which of ids are still rows of the owner's; with made_before (the deletion), made before it: one made
    since was given the id of a row deleted meanwhile, and is not that row."""
    ids = {i for i in ids if i is not None}
    if not ids:
        return set()
    query = model.select(model.id).where(model.owner == owner_id, model.id.in_(ids))
    if made_before is not None:
        query = query.where(model.created_at <= made_before)
    return {row[0] for row in query.tuples()}


def taken(model, uuids):
    """Which of these entry ids a row of model has now."""
    uuids = [uuid.UUID(str(u)) for u in uuids if u]
    if not uuids:
        return set()
    return {str(row[0]) for row in model.select(model.uuid).where(model.uuid.in_(uuids)).tuples()}
