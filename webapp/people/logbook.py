"""Writing down a meeting: the person, the conversation at the event, and any follow-up."""

import datetime

from ..models import Conversation, FollowUp, Person

FOLLOW_UP_AFTER = datetime.timedelta(days=2)
PERSON_FIELDS = ("name", "description", "company", "role", "email", "linkedin_url", "hiring")


def log_meeting(owner_id, event, details, conversation_uuid=None):
    """Create a person met at event from details (a dict of the form's fields). Call inside db.write()."""
    person = Person.create(owner=owner_id, **{k: details.get(k) or _empty(k) for k in PERSON_FIELDS})
    extra = {"uuid": conversation_uuid} if conversation_uuid else {}
    conversation = Conversation.create(person=person, event=event, notes=details.get("notes") or "", **extra)
    person.set_tags(details.get("tags") or [])
    set_follow_up(person, event, details.get("follow_up"), details.get("follow_up_reason"))
    return person, conversation


def update_meeting(person, conversation, details):
    """Apply edited details to a person and the notes of one conversation. Call inside db.write()."""
    for k in PERSON_FIELDS:
        setattr(person, k, details.get(k) or _empty(k))
    person.save()
    conversation.notes = details.get("notes") or ""
    conversation.save()
    person.set_tags(details.get("tags") or [])
    set_follow_up(person, conversation.event, details.get("follow_up"), details.get("follow_up_reason"))


def set_follow_up(person, event, wanted, reason):
    """Keep at most one open follow-up per person: create, reword, or drop it."""
    current = person.open_follow_up()
    if wanted and current:
        if current.reason != reason:
            current.reason = reason
            current.save()
    elif wanted:
        FollowUp.create(person=person, event=event, reason=reason, due_on=event.starts_on + FOLLOW_UP_AFTER)
    elif current:
        current.dropped_on = datetime.date.today()
        current.save()


def form_details(person, conversation):
    """The form's fields for an existing meeting, to fill the edit form."""
    follow_up = person.open_follow_up()
    details = {k: getattr(person, k) for k in PERSON_FIELDS}
    details.update(
        notes=conversation.notes,
        tags=", ".join(person.tag_names()),
        follow_up=follow_up is not None,
        follow_up_reason=follow_up.reason if follow_up else "",
    )
    return details


def _empty(field):
    return False if field == "hiring" else ""
