"""The people to export, each with their meetings and tags, loaded in three queries whatever their number."""

from collections import defaultdict

from ..models import Conversation, Event, Person, PersonTag, Tag


class Contact:
    """A person as an address book sees them: who they are, their tags, and every meeting with them."""

    def __init__(self, person, meetings, tags):
        self.person = person
        self.meetings = meetings  # Conversations, each with its .event loaded, oldest event first
        self.tags = tags


def contacts(people):
    """Contacts for a query of people (already limited to one owner), in the order they were met."""
    people = list(people.order_by(Person.created_at, Person.id))
    ids = [p.id for p in people]
    meetings = defaultdict(list)
    tags = defaultdict(list)
    for chunk in _chunks(ids):
        for c in (Conversation.select(Conversation, Event).join(Event)
                  .where(Conversation.person.in_(chunk))
                  .order_by(Event.starts_on, Conversation.created_at, Conversation.id)):
            meetings[c.person_id].append(c)
        for person_id, name in (PersonTag.select(PersonTag.person, Tag.name).join(Tag)
                                .where(PersonTag.person.in_(chunk)).order_by(Tag.name).tuples()):
            tags[person_id].append(name)
    return [Contact(p, meetings[p.id], tags[p.id]) for p in people]


def _chunks(ids, size=500):
    """SQLite caps the number of parameters in one statement; ask in slices."""
    for start in range(0, len(ids), size):
        yield ids[start:start + size]
