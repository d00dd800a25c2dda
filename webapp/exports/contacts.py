"""The people to export, each with their meetings and tags (and for contact cards their photo), read a slice of
people at a time: a few queries per slice, and an export of thousands never holds all their photos at once."""

from collections import defaultdict

from peewee import fn

from ..models import Attachment, Conversation, Event, Person, PersonTag, Tag

SLICE = 200  # people read together


class Contact:
    """A person as an address book sees them: who they are, their tags, every meeting with them, their photo."""

    def __init__(self, person, meetings, tags, photo=None):
        self.person = person
        self.meetings = meetings  # Conversations, each with its .event loaded and .met_on, oldest event first
        self.tags = tags
        self.photo = photo  # JPEG bytes of their latest photo, or None


def contacts(people, zone, photos=False):
    """Contacts for a query of people (already limited to one owner), in the order they were met, one by one.

    zone: the user's time zone, where the day of a meeting is counted (Conversation.day_met).
    photos: with each person's latest photo, as its small JPEG copy (enough for a contact picture).
    """
    people = list(people.order_by(Person.created_at, Person.id))
    for chunk in _chunks(people):
        ids = [p.id for p in chunk]
        meetings = defaultdict(list)
        tags = defaultdict(list)
        for c in (Conversation.select(Conversation, Event).join(Event)
                  .where(Conversation.person.in_(ids))
                  .order_by(Event.starts_on, Conversation.created_at, Conversation.id)):
            c.met_on = c.day_met(zone)
            meetings[c.person_id].append(c)
        for person_id, name in (PersonTag.select(PersonTag.person, Tag.name).join(Tag)
                                .where(PersonTag.person.in_(ids)).order_by(Tag.name).tuples()):
            tags[person_id].append(name)
        pictures = latest_photos(ids) if photos else {}
        for p in chunk:
            yield Contact(p, meetings[p.id], tags[p.id], pictures.get(p.id))


def latest_photos(person_ids):
    """Each person's latest photo as JPEG bytes: the small copy, or the photo itself when it has none (every
    photo is stored as a JPEG)."""
    Later = Attachment.alias("later")
    latest = (Later.select(Later.id).where(Later.person == Attachment.person, Later.kind == "photo")
              .order_by(Later.created_at.desc(), Later.id.desc()).limit(1))
    rows = (Attachment.select(Attachment.person, fn.COALESCE(Attachment.thumbnail, Attachment.content))
            .where(Attachment.person.in_(person_ids), Attachment.id == latest).tuples())
    return {person_id: bytes(jpeg) for person_id, jpeg in rows}


def _chunks(items, size=SLICE):
    """SQLite caps the number of parameters in one statement, and a slice's photos are held together: ask in
    slices."""
    for start in range(0, len(items), size):
        yield items[start:start + size]
