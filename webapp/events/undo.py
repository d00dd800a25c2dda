"""Undo for deleting an event: one wrong tap must not lose every note of an evening. The event and its meetings
are kept for a few minutes (webapp/undo.py), and "Undo" puts them back, with the follow-ups, voice notes and photos
that pointed at them (they stayed with their people) pointing at them again, and the goal's count as it was.

Someone deleted since stays deleted: their meeting is not put back now, but handed to the copy kept of them while
their deletion can still be undone, so undoing both brings everything back, whichever Undo comes first."""

import datetime

from flask import flash, redirect, url_for
from flask_login import login_required

from .. import db, undo
from ..models import Attachment, Conversation, Event, FollowUp, LaterEntry, MergedEvent, Person


def delete_event(event):
    """Delete event and its meetings, keeping a copy to undo it for a few minutes. Call inside db.write()."""
    meetings = Conversation.select(Conversation.id).where(Conversation.event == event.id)
    rows = {
        "events": undo.copy_of(Event.select().where(Event.id == event.id)),
        "conversations": undo.copy_of(Conversation.select().where(Conversation.event == event.id)),
        # The ids of the phone's entries added to a meeting: back with it, so one sent again is known as saved.
        "later_entries": undo.copy_of(LaterEntry.select().where(LaterEntry.conversation.in_(meetings))),
        # Where a quick event merged into this one sends the entries a phone still holds for it.
        "merged_events": undo.copy_of(MergedEvent.select().where(MergedEvent.into == event.id)),
        # These stay with their people, losing only their link to the event or the meeting: which ones they were.
        "follow_ups": undo.copy_of(FollowUp.select(FollowUp.id, FollowUp.person)
                                   .where(FollowUp.event == event.id)),
        "attachments": undo.copy_of(Attachment.select(Attachment.uuid, Attachment.conversation)
                                    .where(Attachment.conversation.in_(meetings))),
    }
    kept = undo.keep(event.owner_id, "event", event.name, rows)
    event.delete_instance()
    return kept


@login_required
def undo_delete(kept_id):
    """Bring back an event deleted minutes ago, with everyone met there and what was said."""
    kept, rows = undo.to_undo("event", kept_id)
    if kept is None:
        return redirect(url_for("events.index"))
    with db.write():
        imported_again = _imported_again(kept.owner_id, rows["events"][0])
        event_id, left_out, handed = put_back(kept.owner_id, rows, kept.deleted_at, imported_again)
        undo.undone(kept, event_id)
    # Their Undo is the one left to offer: it brings their meeting back here too.
    undo.say_it_is_back(kept.named, left_out, handed, "with people deleted since")
    if imported_again:  # two of them now, which the user may not expect: say which is which
        flash(f"{kept.named} was imported again from its calendar after it was deleted: this is the one you "
              "deleted, with its people, and the other is the one a later import of the calendar updates.", "info")
    return redirect(url_for("events.show", event_id=event_id))


def _imported_again(owner_id, event):
    """Whether a deleted event (its kept row) was imported again from its calendar since."""
    return bool(event["ics_uid"]) and Event.select().where(Event.owner == owner_id,
                                                          Event.ics_uid == event["ics_uid"]).exists()


def put_back(owner_id, rows, deleted_at, imported_again=False):
    """Insert a deleted event's kept rows (as undo.to_undo() reads them) for owner_id, the event under the id it had
    when it is free, and without its calendar's id when it was imported again since (_imported_again); (the
    event's id, how many meetings were left out because their person is gone, the deletions of those people that
    were handed their meetings). Call inside db.write()."""
    event = rows["events"][0]
    links = undo.same_id_if_free(Event, event)
    if imported_again:
        links["ics_uid"] = None  # the calendar's event is that one now
    event_id = undo.put_back(Event, event, owner_id, **links)
    if event_id != event["id"]:
        _forward(owner_id, event["id"], event_id)
    people = undo.still_owned(Person, owner_id, [r["person"] for r in rows["conversations"]], made_before=deleted_at)
    # The entry ids a phone may send again: one already taken (sent again after the deletion, it made a meeting
    # elsewhere) stays with that row, and the row put back gets a new one.
    taken = (undo.taken(Conversation, [r["uuid"] for r in rows["conversations"]])
             | undo.taken(LaterEntry, [r["uuid"] for r in rows["later_entries"]]))
    meetings, left_out = {}, []
    for row in rows["conversations"]:
        if row["person"] in people:
            meetings[row["id"]] = (undo.put_back(Conversation, row, owner_id, taken, event=event_id), row["person"])
        else:
            left_out.append(row)
    for row in rows["later_entries"]:
        if row["conversation"] in meetings and str(row["uuid"]) not in taken:
            undo.put_back(LaterEntry, row, owner_id, taken, conversation=meetings[row["conversation"]][0])
    for row in rows["merged_events"]:
        # A forwarding made since for the same old id is the newer one, and stays.
        MergedEvent.insert(owner=owner_id, merged_id=row["merged_id"], into=event_id).on_conflict_ignore().execute()
    _link_again(owner_id, rows, event_id, meetings, people, deleted_at)
    if event_id != event["id"]:
        _back_as_for_people(owner_id, event, event_id, deleted_at)
    return event_id, len(left_out), _hand_to_their_people(owner_id, rows, event_id, left_out, deleted_at)


def _hand_to_their_people(owner_id, rows, event_id, left_out, deleted_at):
    """A meeting left out because its person was deleted since goes into the copy kept of that person while it can
    still be undone, with the follow-ups and photos that pointed at it: their Undo brings it back here. Those
    deletions."""
    handed = []
    for kept, copy in undo.still_undoable(owner_id, "person", after=deleted_at):
        theirs = [row for row in left_out if row["person"] == kept.person_id]
        # The first deletion of that id since the event's is theirs: a later one is someone given the id after.
        left_out = [row for row in left_out if row["person"] != kept.person_id]
        if not theirs:
            continue
        ids = {row["id"] for row in theirs}
        copy["conversations"] = copy.get("conversations", []) + [{**row, "event": event_id} for row in theirs]
        copy["later_entries"] = copy.get("later_entries", []) + [r for r in rows["later_entries"]
                                                                 if r["conversation"] in ids]
        follow_ups = {r["id"] for r in rows["follow_ups"] if r["person"] == kept.person_id}
        for row in copy.get("follow_ups", []):
            if row["id"] in follow_ups and row["event"] is None:
                row["event"] = event_id
        attachments = {str(r["uuid"]): r["conversation"] for r in rows["attachments"] if r["conversation"] in ids}
        for row in copy.get("attachments", []):
            if str(row["uuid"]) in attachments and row["conversation"] is None:
                row["conversation"] = attachments[str(row["uuid"])]
        undo.kept_again(kept, copy)
        handed.append(kept)
    return handed


def _back_as_for_people(owner_id, event, event_id, deleted_at):
    """Back under a new id: the copies kept of people deleted before it, while it was theirs, point at that id."""
    made_at = datetime.datetime.fromisoformat(event["created_at"])
    for kept, copy in undo.still_undoable(owner_id, "person", after=made_at, before=deleted_at):
        for row in copy.get("conversations", []) + copy.get("follow_ups", []):
            if row["event"] == event["id"]:
                row["event"] = event_id
        undo.kept_again(kept, copy)


def _forward(owner_id, old_id, event_id):
    """Back under a new id: a log form a phone kept for the old one sends its entries here."""
    (MergedEvent.insert(owner=owner_id, merged_id=old_id, into=event_id)
     .on_conflict(conflict_target=[MergedEvent.owner, MergedEvent.merged_id], update={MergedEvent.into: event_id})
     .execute())


def _link_again(owner_id, rows, event_id, meetings, people, deleted_at):
    """Point the follow-ups, voice notes and photos that pointed at the event and its meetings at them again: those
    still there unlinked (one deleted with its person since is gone; one linked elsewhere since stays there)."""
    follow_ups = [r["id"] for r in rows["follow_ups"] if r["person"] in people]
    if follow_ups:
        FollowUp.update(event=event_id).where(FollowUp.id.in_(follow_ups), FollowUp.owner == owner_id,
                                              FollowUp.person.in_(people), FollowUp.event.is_null(),
                                              FollowUp.created_at <= deleted_at).execute()
    for row in rows["attachments"]:
        if row["conversation"] in meetings:
            meeting, person = meetings[row["conversation"]]
            Attachment.update(conversation=meeting).where(Attachment.uuid == row["uuid"], Attachment.owner == owner_id,
                                                          Attachment.person == person,
                                                          Attachment.conversation.is_null()).execute()
