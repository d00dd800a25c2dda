"""The numbers behind the Insights page: each is one aggregate query, never a query per event."""

from dataclasses import dataclass

from peewee import JOIN, fn

from ..models import EVENT_KIND_NAMES, Conversation, Event, FollowUp, Outcome, Person

COMPANIES_SHOWN = 10


@dataclass
class Tally:
    events: int = 0
    met: int = 0
    done: int = 0
    outcomes: int = 0


def per_event(owner_id, today):
    """Events that have started, newest first, each with people met, follow-ups done and outcomes.

    An outcome counts for the event where the user first met that person: that is the event it came from.
    """
    met = (Conversation.select(Conversation.event, fn.COUNT(Conversation.id).alias("n"))
           .join(Event).where(Event.owner == owner_id).group_by(Conversation.event))
    done = (FollowUp.select(FollowUp.event, fn.COUNT(FollowUp.id).alias("n"))
            .join(Person).where(Person.owner == owner_id, FollowUp.done_on.is_null(False),
                                FollowUp.event.is_null(False))
            .group_by(FollowUp.event))
    first_met = fn.ROW_NUMBER().over(partition_by=[Conversation.person],
                                     order_by=[Event.starts_on, Conversation.id])
    ranked = (Conversation.select(Conversation.person, Conversation.event, first_met.alias("n"))
              .join(Event).where(Event.owner == owner_id)).alias("ranked")
    outcomes = (Outcome.select(ranked.c.event_id, fn.COUNT(Outcome.id).alias("n"))
                .join(ranked, on=(ranked.c.person_id == Outcome.person) & (ranked.c.n == 1))
                .group_by(ranked.c.event_id))
    counts = {name: {row[0]: row[1] for row in query.tuples()}
              for name, query in (("met", met), ("done", done), ("outcomes", outcomes))}
    events = list(Event.select(Event.id, Event.name, Event.kind, Event.starts_on, Event.goal)
                  .where(Event.owner == owner_id, Event.starts_on <= today)
                  .order_by(Event.starts_on.desc(), Event.id.desc()))
    for e in events:
        e.met = counts["met"].get(e.id, 0)
        e.done = counts["done"].get(e.id, 0)
        e.outcomes = counts["outcomes"].get(e.id, 0)
    return events


def per_kind(events):
    """The per-event figures added up by kind of event (meetup, conference, paid networking...)."""
    kinds = {}
    for e in events:
        t = kinds.setdefault(e.kind if e.kind in EVENT_KIND_NAMES else "other", Tally())
        t.events += 1
        t.met += e.met
        t.done += e.done
        t.outcomes += e.outcomes
    return kinds


def companies_hiring(owner_id):
    """Companies of the people marked as hiring, most often seen first."""
    count = fn.COUNT(Person.id)
    return list(Person.select(fn.MIN(Person.company), count)
                .where(Person.owner == owner_id, Person.hiring == True, Person.company != "")  # noqa: E712
                .group_by(fn.LOWER(Person.company))
                .order_by(count.desc(), fn.MIN(Person.company))
                .limit(COMPANIES_SHOWN).tuples())


def outcomes_by_kind(owner_id):
    count = fn.COUNT(Outcome.id)
    return list(Outcome.select(Outcome.kind, count).join(Person, JOIN.INNER)
                .where(Person.owner == owner_id).group_by(Outcome.kind).order_by(count.desc()).tuples())
