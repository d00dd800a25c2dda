"""Undo for deleting a person: the person's rows are kept for a few minutes (webapp/undo.py), and "Undo" puts
them back.

The person comes back under the id they had, so their address (/people/15) and an edit form of theirs left open
on another device still find them; under a new one only when it was handed out again meanwhile (SQLite reuses
the id of the latest row deleted), to another account's person as much as to the next person logged. Their other
rows come back under new ids. Each row is linked only to what is still the account's: a meeting at an event
deleted since is not put back now, but handed to the copy kept of that event while its deletion can still be
undone, so undoing both brings everything back, whichever Undo comes first."""

import datetime
import json
from typing import NamedTuple

from flask import redirect, url_for
from flask_login import login_required

from .. import db, undo
from ..models import (
    Attachment,
    Conversation,
    Deletion,
    Event,
    FollowUp,
    LaterEntry,
    Outcome,
    Person,
    PersonTag,
    Tag,
)

# Kept in this order; put back in it too, each row pointing only at rows put back before it.
# Later entries are the ids of the phone's entries added to a meeting: back with it, so an entry sent again
# after the undo is still known as saved.
PARTS = [("people", Person), ("conversations", Conversation), ("later_entries", LaterEntry),
         ("person_tags", PersonTag), ("follow_ups", FollowUp), ("outcomes", Outcome), ("attachments", Attachment)]


def _of(model, person):
    """Which rows of model are about person."""
    if model is Person:
        return Person.id == person.id
    if model is LaterEntry:
        return LaterEntry.conversation.in_(Conversation.select(Conversation.id).where(Conversation.person == person.id))
    return model.person == person.id


def delete_person(person):
    """Delete person and everything about them, keeping a copy to undo it for a few minutes. Call inside
    db.write()."""
    rows = {part: undo.copy_of(model.select().where(_of(model, person))) for part, model in PARTS}
    kept = undo.keep(person.owner_id, "person", person.label, rows, person_id=person.id)
    person.delete_instance()
    return kept


def deleted_elsewhere(owner_id, person_id, made_at=None):
    """The deletion of the owner's person person_id (a Deletion, its copy perhaps forgotten or undone already),
    or None: never anyone else's. With made_at, when the person an edit form was opened for was made, theirs: the
    first deletion of that id since, but for one undone under the same id (they were back, and deleted again
    later); the id may have gone to others and been deleted with them after. Without it, the latest."""
    deletions = Deletion.select().where(Deletion.owner == owner_id, Deletion.kind == "person",
                                        Deletion.person_id == person_id)
    if made_at is None:
        return deletions.order_by(Deletion.deleted_at.desc(), Deletion.id.desc()).first()
    not_back_here = Deletion.back_as.is_null() | (Deletion.back_as != person_id)
    return (deletions.where(Deletion.deleted_at >= made_at, not_back_here)
            .order_by(Deletion.deleted_at, Deletion.id).first())


def last_event_of(kept):
    """The latest of the account's events a deleted person was met at, while their copy is kept; else None."""
    rows = json.loads(kept.rows) if kept.rows else {}
    events = [row["event"] for row in rows.get("conversations", [])]
    return (Event.select().where(Event.owner == kept.owner_id, Event.id.in_(events))
            .order_by(Event.starts_on.desc(), Event.id.desc()).first()) if events else None


@login_required
def undo_delete(kept_id):
    """Bring back a person deleted minutes ago, with every event, note, tag, follow-up and outcome."""
    kept, rows = undo.to_undo("person", kept_id)
    if kept is None:
        return redirect(url_for("people.index"))
    with db.write():
        person_id, left_out, handed = put_back(kept.owner_id, rows, kept.deleted_at)
        undo.undone(kept, person_id)
    # The event's Undo is the one left to offer: it brings their meeting back there too.
    undo.say_it_is_back(kept.label, left_out, handed, "at events deleted since")
    return redirect(url_for("people.show", person_id=person_id))


def put_back(owner_id, rows, deleted_at):
    """Insert a deleted person's kept rows (as undo.to_undo() reads them) for owner_id, the person under the id
    they had when it is free, the rest under new ids; (the person's id, how many meetings were left out because
    their event is gone, the deletions of those events that were handed the meetings). Call inside db.write()."""
    rows = {part: rows.get(part, []) for part, _ in PARTS}
    events = undo.still_owned(Event, owner_id, [r["event"] for r in rows["conversations"] + rows["follow_ups"]],
                              made_before=deleted_at)
    tags = undo.still_owned(Tag, owner_id, [r["tag"] for r in rows["person_tags"]])
    # The entry ids a phone may send again: one already taken (the entry sent again after the deletion made
    # someone new) stays with that row, and the row put back gets a new one.
    taken = (undo.taken(Conversation, [r["uuid"] for r in rows["conversations"]])
             | undo.taken(LaterEntry, [r["uuid"] for r in rows["later_entries"]])
             | undo.taken(Attachment, [r["uuid"] for r in rows["attachments"]]))

    def new_row(model, row, **links):
        return undo.put_back(model, row, owner_id, taken, **links)

    person = rows["people"][0]
    person_id = new_row(Person, person, **undo.same_id_if_free(Person, person))
    meetings, left_out = {}, []
    for row in rows["conversations"]:
        if row["event"] in events:
            meetings[row["id"]] = new_row(Conversation, row, person=person_id)
        else:
            left_out.append(row)
    for row in rows["later_entries"]:
        if row["conversation"] in meetings and str(row["uuid"]) not in taken:
            new_row(LaterEntry, row, conversation=meetings[row["conversation"]])
    for row in rows["person_tags"]:
        if row["tag"] in tags:
            new_row(PersonTag, row, person=person_id)
    follow_ups = {row["id"]: new_row(FollowUp, row, person=person_id,
                                     event=row["event"] if row["event"] in events else None)
                  for row in rows["follow_ups"]}
    for row in rows["outcomes"]:
        new_row(Outcome, row, person=person_id)
    attachments = {row["id"]: new_row(Attachment, row, person=person_id, conversation=meetings.get(row["conversation"]))
                   for row in rows["attachments"]}
    back = Back(person, person_id, follow_ups, _uuids(rows["attachments"], attachments))
    _back_as_for_events(owner_id, rows, back, deleted_at)
    return person_id, len(left_out), _hand_to_their_events(owner_id, rows, back, left_out, deleted_at)


class Back(NamedTuple):
    """What a person's Undo put back, under which ids: the person as kept, and their new id; their follow-ups'
    and their photos' and voice notes' new ids and entry ids, by the old ones."""

    person: dict
    person_id: int
    follow_ups: dict
    attachments: dict


def _uuids(kept, new_ids):
    """The entry id each kept attachment has now, by its old one: its own, but where it was taken meanwhile."""
    moved = {row["id"] for row in kept if new_ids.get(row["id"]) and "uuid" in row}
    now = dict(Attachment.select(Attachment.id, Attachment.uuid).where(Attachment.id.in_(
        [new_ids[i] for i in moved])).tuples()) if moved else {}
    return {str(row["uuid"]): str(now.get(new_ids[row["id"]], row["uuid"])) for row in kept if row["id"] in moved}


def _hand_to_their_events(owner_id, rows, back, left_out, deleted_at):
    """A meeting left out because its event was deleted since goes into the copy kept of that event while it can
    still be undone, with the follow-ups and photos that pointed at it: its Undo brings it back there. Those
    deletions."""
    handed = []
    for kept, copy in undo.still_undoable(owner_id, "event", after=deleted_at):
        event_id = copy["events"][0]["id"]
        theirs = [row for row in left_out if row["event"] == event_id]
        # The first deletion of that id since the person's is the event's: a later one is an event given it after.
        left_out = [row for row in left_out if row["event"] != event_id]
        if not theirs:
            continue
        ids = {row["id"] for row in theirs}
        copy["conversations"] += [{**row, "person": back.person_id} for row in theirs]
        copy["later_entries"] += [row for row in rows["later_entries"] if row["conversation"] in ids]
        copy["follow_ups"] += [{"id": back.follow_ups[row["id"]], "person": back.person_id}
                               for row in rows["follow_ups"] if row["event"] == event_id]
        copy["attachments"] += [{"uuid": back.attachments[str(row["uuid"])], "conversation": row["conversation"]}
                                for row in rows["attachments"] if row["conversation"] in ids]
        undo.kept_again(kept, copy)
        handed.append(kept)
    return handed


def _back_as_for_events(owner_id, rows, back, deleted_at):
    """The copies kept of events deleted before the person, while they were met there, point at the ids the
    person, their follow-ups and their photos came back under."""
    old_id = back.person["id"]
    made_at = datetime.datetime.fromisoformat(back.person["created_at"])
    for kept, copy in undo.still_undoable(owner_id, "event", after=made_at, before=deleted_at):
        for row in copy["conversations"]:
            if row["person"] == old_id:
                row["person"] = back.person_id
        for row in copy["follow_ups"]:
            if row["person"] == old_id and row["id"] in back.follow_ups:
                row.update(id=back.follow_ups[row["id"]], person=back.person_id)
        for row in copy["attachments"]:
            row["uuid"] = back.attachments.get(str(row["uuid"]), row["uuid"])
        undo.kept_again(kept, copy)
