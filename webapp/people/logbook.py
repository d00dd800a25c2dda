"""Writing down a meeting: the person, the conversation at the event, and any follow-up."""

import datetime
import uuid

from peewee import fn

from ..models import Conversation, Event, FollowUp, Person

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


def known_people(owner_id, details, limit=3):
    """People already known who may be the one just logged: the same name (any case) or LinkedIn profile.

    Each comes with the latest conversation, to say where the user met them before.
    """
    name = (details.get("name") or "").strip()
    linkedin_url = details.get("linkedin_url") or ""
    same = []
    if name:
        same.append(fn.LOWER(Person.name) == name.lower())
    if linkedin_url:
        same.append(Person.linkedin_url == linkedin_url)
    if not same:
        return []
    condition = same[0] if len(same) == 1 else (same[0] | same[1])
    people = list(Person.select().where(Person.owner == owner_id, condition)
                  .order_by(Person.created_at.desc()).limit(limit))
    latest = {}
    for c in (Conversation.select(Conversation, Event).join(Event)
              .where(Conversation.person.in_([p.id for p in people]))
              .order_by(Event.starts_on, Conversation.created_at)):
        latest[c.person_id] = c
    return [(p, latest.get(p.id)) for p in people]


def meet_again(person, event, details, conversation_uuid=None):
    """Link someone already known to one more event instead of making a duplicate. Call inside db.write().

    What was typed this time is the newest news (a new company, a new role), so it replaces
    what was known; fields left empty keep their old value, tags are added, notes go to this
    event's conversation (appended if they were already logged here).
    """
    known_name = person.name
    for k in PERSON_FIELDS:
        if k != "hiring" and details.get(k):
            setattr(person, k, details[k])
    if person.name.lower() == known_name.lower():
        person.name = known_name  # "jane doe" typed in a hurry keeps "Jane Doe"
    person.hiring = person.hiring or bool(details.get("hiring"))
    person.save()
    notes = details.get("notes") or ""
    conversation = Conversation.get_or_none(Conversation.person == person, Conversation.event == event)
    if conversation is None:
        extra = {"uuid": conversation_uuid} if conversation_uuid else {}
        conversation = Conversation.create(person=person, event=event, notes=notes, **extra)
    elif notes:
        conversation.notes = (conversation.notes + "\n\n" + notes).strip()
        conversation.save()
    person.set_tags(person.tag_names() + list(details.get("tags") or []))
    if details.get("follow_up"):
        set_follow_up(person, event, True, details.get("follow_up_reason"))
    return person, conversation


def already_logged(owner_id, entry):
    """The conversation a form with this entry id already stored for the user, if any.

    The log form carries an id made when it was opened; a save whose answer was lost on a weak
    signal and is then sent again finds its first copy here instead of making a second person.
    """
    try:
        entry = uuid.UUID(str(entry))
    except ValueError:
        return None
    return (Conversation.select(Conversation, Person).join(Person)
            .where(Conversation.uuid == entry, Person.owner == owner_id).first())


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
