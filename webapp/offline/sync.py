"""Storing what the phone logged offline exactly once, however often the phone sends it."""

import uuid

from peewee import IntegrityError

from .. import db
from ..models import Conversation, Event, Person
from ..people.forms import split_tags
from ..people.logbook import PERSON_FIELDS, form_details, log_meeting

CREATED, ALREADY_SAVED, CONFLICT, NOT_FOUND = "created", "already saved", "conflict", "not found"


class Outcome:
    """What became of one entry: its status and, when stored, the conversation."""

    def __init__(self, status, conversation=None):
        self.status = status
        self.conversation = conversation


def details_of(form):
    details = {name: field.data for name, field in form._fields.items()
               if name not in ("csrf_token", "uuid", "event_id", "account")}
    details["tags"] = split_tags(form.tags.data)
    return details


def comparable(details, event_id):
    """The parts of an entry that must match for a repeat to count as the same entry."""
    wanted = bool(details.get("follow_up"))
    tags = details.get("tags") or []
    if isinstance(tags, str):
        tags = split_tags(tags)
    return {
        **{k: details.get(k) or (False if k == "hiring" else "") for k in PERSON_FIELDS},
        "notes": details.get("notes") or "",
        "tags": sorted({t.strip().lower()[:40] for t in tags if t.strip()}),
        "follow_up": wanted,
        "follow_up_reason": (details.get("follow_up_reason") or "") if wanted else "",
        "event_id": event_id,
    }


def _existing(conversation_uuid):
    return (Conversation.select(Conversation, Person).join(Person)
            .where(Conversation.uuid == conversation_uuid).first())


def _compare(owner_id, conversation, details, event_id):
    if conversation.person.owner_id != owner_id:
        return Outcome(NOT_FOUND)
    stored = comparable(form_details(conversation.person, conversation), conversation.event_id)
    if stored != comparable(details, event_id):
        return Outcome(CONFLICT, conversation)
    return Outcome(ALREADY_SAVED, conversation)


def store_meeting(owner_id, conversation_uuid, event_id, details):
    """Store the entry once per UUID.

    A repeat with the same content is a success without a second row; different content is a
    conflict; another user's UUID or event is "not found". Two identical requests racing each
    other both succeed: the loser of the unique index finds the winner's row on its second look.
    """
    conversation_uuid = uuid.UUID(str(conversation_uuid))
    for last_try in (False, True):
        try:
            with db.write():
                existing = _existing(conversation_uuid)
                if existing is not None:
                    return _compare(owner_id, existing, details, event_id)
                event = Event.get_or_none((Event.id == event_id) & (Event.owner == owner_id))
                if event is None:
                    return Outcome(NOT_FOUND)
                _, conversation = log_meeting(owner_id, event, details, conversation_uuid=conversation_uuid)
                return Outcome(CREATED, conversation)
        except IntegrityError:
            if last_try:
                raise
