"""Keeping a voice note or a photo once, however often the phone or the form sends it."""

import uuid

from peewee import IntegrityError

from .. import db
from ..models import Attachment, Conversation, Person, User, meeting_of_entry

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
    # Takes turns with the meeting being stored (Attachment.link_entry): the one that comes second finds the other.
    User.take_turns(owner_id)
    existing = Attachment.listed().where(Attachment.uuid == attachment_id).first()
    if existing is not None:
        if existing.owner_id != owner_id:
            return NOT_FOUND, None
        if existing.person_id is None:
            _link_if_stored(owner_id, existing)
        return ALREADY_SAVED, existing
    conversation = None
    if person is None and entry is not None:
        conversation = _meeting_of(owner_id, entry)
    elif person is not None:
        conversation = person.conversations().first()
    attachment = Attachment.create(
        uuid=attachment_id, owner=owner_id, entry=entry,
        person=person.id if person is not None else (conversation.person_id if conversation else None),
        conversation=conversation.id if conversation else None,
        kind=checked.kind, content_type=checked.content_type, content=checked.content, size=len(checked.content),
        thumbnail=checked.thumbnail, width=checked.width, height=checked.height)
    return CREATED, attachment


def _meeting_of(owner_id, entry):
    return (Conversation.select(Conversation.id, Conversation.person).join(Person)
            .where(Conversation.id.in_(meeting_of_entry(entry)), Person.owner == owner_id).first())


def _link_if_stored(owner_id, attachment):
    """A file left waiting beside its stored meeting (the two stored at the same moment by a release that did not
    make them take turns): it joins its person now."""
    conversation = attachment.entry and _meeting_of(owner_id, attachment.entry)
    if conversation:
        Attachment.link_entry(owner_id, attachment.entry, conversation)
        attachment.person_id, attachment.conversation_id = conversation.person_id, conversation.id


def link_the_left_waiting():
    """Every file left waiting beside its stored meeting joins its person (once, when the schema is updated): a
    phone that was told "saved" never sends it again. Call inside db.write()."""
    for attachment in Attachment.listed().where(Attachment.person.is_null(), Attachment.entry.is_null(False)):
        _link_if_stored(attachment.owner_id, attachment)
