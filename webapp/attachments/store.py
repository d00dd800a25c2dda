"""Keeping a voice note or a photo once, however often the phone or the form sends it."""

import uuid

from peewee import IntegrityError

from .. import db
from ..models import Attachment, Conversation, Person, meeting_of_entry

CREATED, ALREADY_SAVED, NOT_FOUND = "created", "already saved", "not found"
# Ids for files sent with a form: the same form sent twice (its answer lost on a weak signal) names its
# files the same way, so they are kept once.
FORM_FILES = uuid.UUID("6f1d3c52-5d0e-4b8e-9a43-0c6f7e1f2a10")


def form_file_id(owner_id, token, kind):
    return uuid.uuid5(FORM_FILES, f"{owner_id}:{token}:{kind}")


def keep(owner_id, checked, attachment_id=None, entry=None, person=None):
    """Store a checked file (checks.Checked) for the owner, once per attachment_id. Returns (status, attachment).

    entry: the log form's entry id it was made with; when that meeting is stored already the file is linked
    to it now, else when it is (see Attachment.link_entry). person: a person it belongs to directly.
    Another user's attachment id is NOT_FOUND: never confirmed to exist.
    """
    attachment_id = attachment_id or uuid.uuid4()
    for last_try in (False, True):
        try:
            with db.write():
                return _keep(owner_id, checked, attachment_id, entry, person)
        except IntegrityError:
            if last_try:
                raise


def _keep(owner_id, checked, attachment_id, entry, person):
    existing = Attachment.listed().where(Attachment.uuid == attachment_id).first()
    if existing is not None:
        if existing.owner_id != owner_id:
            return NOT_FOUND, None
        return ALREADY_SAVED, existing
    conversation = None
    if person is None and entry is not None:
        conversation = (Conversation.select(Conversation.id, Conversation.person).join(Person)
                        .where(Conversation.id.in_(meeting_of_entry(entry)), Person.owner == owner_id).first())
    elif person is not None:
        conversation = person.conversations().first()
    attachment = Attachment.create(
        uuid=attachment_id, owner=owner_id, entry=entry,
        person=person.id if person is not None else (conversation.person_id if conversation else None),
        conversation=conversation.id if conversation else None,
        kind=checked.kind, content_type=checked.content_type, content=checked.content, size=len(checked.content),
        thumbnail=checked.thumbnail, width=checked.width, height=checked.height)
    return CREATED, attachment
