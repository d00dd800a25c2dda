"""Undo for deleting a person: the person's rows are kept for a few minutes, and "Undo" puts them back,
ids and all, so every link to them works again. A plain form button: it works without JavaScript."""

import base64
import datetime
import json
import uuid

from flask import flash, redirect, session, url_for
from flask_login import current_user, login_required

from .. import db
from ..forms import ConfirmForm
from ..models import Attachment, Conversation, DeletedPerson, FollowUp, LaterEntry, Outcome, Person, PersonTag, utcnow

UNDO_FOR = datetime.timedelta(minutes=5)
# Restore order: a row only points at rows put back before it.
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
    """Delete person and everything about them, keeping a copy to undo it for UNDO_FOR. Call inside db.write()."""
    rows = {}
    for part, model in PARTS:
        found = model.select().where(_of(model, person)).dicts()
        rows[part] = [{k: _plain(v) for k, v in row.items()} for row in found]
    # Older copies can no longer be undone: the table holds minutes of deletions, never years.
    DeletedPerson.delete().where(DeletedPerson.deleted_at < utcnow() - UNDO_FOR).execute()
    kept = DeletedPerson.create(owner=person.owner_id, label=person.label, rows=json.dumps(rows))
    person.delete_instance()
    session["undo_delete"] = kept.id
    return kept


def undo_offer():
    """The deletion the message can still undo, for base.html: (id, label) or None."""
    kept_id = session.get("undo_delete")
    if not kept_id or not current_user.is_authenticated:
        return None
    kept = DeletedPerson.get_or_none(DeletedPerson.id == kept_id, DeletedPerson.owner == current_user.id,
                                     DeletedPerson.deleted_at >= utcnow() - UNDO_FOR)
    return kept


@login_required
def undo_delete(kept_id):
    """Bring back a person deleted minutes ago, with every event, note, tag, follow-up and outcome."""
    form = ConfirmForm()
    kept = DeletedPerson.get_or_none(DeletedPerson.id == kept_id, DeletedPerson.owner == current_user.id)
    if kept is None or not form.validate_on_submit():
        flash("There is nothing to undo.", "info")
        return redirect(url_for("people.index"))
    if kept.deleted_at < utcnow() - UNDO_FOR:
        flash(f"{kept.label} was deleted too long ago to undo.", "info")
        return redirect(url_for("people.index"))
    rows = json.loads(kept.rows)
    with db.write():
        for part, model in PARTS:
            if rows.get(part):
                # Follow-ups kept before they had an owner of their own take the deleting account's.
                owned = {"owner": kept.owner_id} if hasattr(model, "owner") else {}
                model.insert_many([{**owned, **{k: _stored(v) for k, v in row.items()}}
                                   for row in rows[part]]).execute()
        kept.delete_instance()
    session.pop("undo_delete", None)
    person_id = rows["people"][0]["id"]
    flash(f"{kept.label} is back.", "success")
    return redirect(url_for("people.show", person_id=person_id))
