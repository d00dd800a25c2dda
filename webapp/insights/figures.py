"""The numbers behind the Insights page, each added up by the database in one query.

Nothing here loads one row per event or per person into Python: the charted events are the latest
few, and every total is a SQL aggregate, so the page's own work is the same for 10 events or 3,000.
An outcome counts for the event where the user first met that person: that is the event it came from.
A quick event ("Met on Fri 4 Dec", made when someone is logged with nothing planned) was never chosen nor given a
goal: it stays out of the hit rate and the chart of events, and is added up as its own group, NOT_PLANNED, so that
"which kind of event pays off" compares only events the user went to; its people still count as people met.
"""

from dataclasses import dataclass

from peewee import JOIN, Case, fn

from .. import db
from ..models import EVENT_KIND_NAMES, NOT_PLANNED, Conversation, Event, FollowUp, Outcome, Person
from ..prepared import Ids, Param, Prepared

COMPANIES_SHOWN = 10


@dataclass
class Tally:
    events: int = 0
    met: int = 0
    done: int = 0
    outcomes: int = 0


def _met_at(event_id):
    return Conversation.select(fn.COUNT(Conversation.id)).where(Conversation.event == event_id)


def _done_at(event_id):
    return FollowUp.select(fn.COUNT(FollowUp.id)).where(FollowUp.event == event_id, FollowUp.done_on.is_null(False))


def _first_event_of(person_id):
    """The event where the user first met a person (earliest day, then the first one logged)."""
    FirstEvent, FirstMeeting = Event.alias("first_event"), Conversation.alias("first_meeting")
    return (FirstMeeting.select(FirstMeeting.event)
            .join(FirstEvent, on=(FirstEvent.id == FirstMeeting.event))
            .where(FirstMeeting.person == person_id)
            .order_by(FirstEvent.starts_on, FirstMeeting.id).limit(1))


def _outcomes_from(event_id):
    Met = Conversation.alias("met_here")
    return (Outcome.select(fn.COUNT(Outcome.id))
            .join(Met, on=(Met.person == Outcome.person))
            .where(Met.event == event_id, _first_event_of(Met.person) == event_id))


_latest = Prepared(lambda: (
    Event.select(Event.id, Event.name, Event.kind, Event.starts_on, Event.goal,
                 _met_at(Event.id).alias("met"), _done_at(Event.id).alias("done"),
                 _outcomes_from(Event.id).alias("outcomes"))
    .where(Event.owner == Param("owner"), Event.starts_on <= Param("today", Event.starts_on),
           Event.quick == False)  # noqa: E712
    .order_by(Event.starts_on.desc(), Event.id.desc())
    .limit(Param("limit"))))


def latest_events(owner_id, today, limit):
    """The latest `limit` planned events that have started, newest first, each with people met, follow-ups done
    and outcomes."""
    return _latest.rows(owner=owner_id, today=today, limit=limit)


def _counted(condition):
    return fn.SUM(Case(None, [(condition, 1)], 0))


def _group(kind, quick):
    """Where a row of figures is added up: its kind of event, or NOT_PLANNED for a quick event."""
    if quick:
        return NOT_PLANNED
    return kind if kind in EVENT_KIND_NAMES else "other"


def _per_kind_query():
    """Started events by kind and by planned or quick: how many, people met, how many planned ones are finished
    and how many of those reached their goal.

    People met are counted per event by a join, then the events are added up: never a row per person in Python.
    """
    met = fn.COUNT(Conversation.id)
    last_day = Event.last_day_listed.alias("last_day")
    started = (Event.select(Event.id, Event.kind, Event.quick, last_day, Event.goal, met.alias("met"))
               .join(Conversation, JOIN.LEFT_OUTER, on=(Conversation.event == Event.id))
               .where(Event.owner == Param("owner"), Event.starts_on <= Param("today", Event.starts_on))
               .group_by(Event.id).alias("started"))
    planned = started.c.quick == False  # noqa: E712
    # A conference on its day 2 is not finished; an evening that ended after midnight is, the next day, once over
    # (last night's still going on in the small hours are not: User.last_nights_still_going).
    finished = (planned & (started.c.last_day < Param("today", Event.starts_on))
                & started.c.id.not_in(Ids("still_going")))
    # Someone met at two events is one person met: counted once for all kinds, in this same query.
    people = (Conversation.select(fn.COUNT(Conversation.person.distinct()))
              .join(Event, on=(Event.id == Conversation.event))
              .where(Event.owner == Param("owner"), Event.starts_on <= Param("today", Event.starts_on)))
    return (Event.select(started.c.kind, started.c.quick, fn.COUNT(started.c.kind), fn.SUM(started.c.met),
                         _counted(finished), _counted(finished & (started.c.met >= started.c.goal)), people)
            .from_(started).group_by(started.c.kind, started.c.quick).tuples())


_per_kind = Prepared(_per_kind_query)
_done_per_kind = Prepared(lambda: (
    FollowUp.select(Event.kind, Event.quick, fn.COUNT(FollowUp.id))
    .join(Event, on=(Event.id == FollowUp.event))
    .where(Event.owner == Param("owner"), Event.starts_on <= Param("today", Event.starts_on),
           FollowUp.done_on.is_null(False))
    .group_by(Event.kind, Event.quick).tuples()))
# Outcomes are few next to people: CROSS JOIN makes SQLite start from them and check each one's owner,
# instead of walking every person of the account looking for outcomes.
_outcomes_per_kind = Prepared(lambda: (
    Outcome.select(Event.kind, Event.quick, fn.COUNT(Outcome.id))
    .join(Person, JOIN.CROSS)
    .join(Event, on=(Event.id == _first_event_of(Outcome.person)))
    .where(Person.id == Outcome.person, Person.owner == Param("owner"),
           Event.starts_on <= Param("today", Event.starts_on))
    .group_by(Event.kind, Event.quick).tuples()))


# Someone met at two events is one person met.
_people_met = Prepared(lambda: (
    Conversation.select(fn.COUNT(Conversation.person.distinct()))
    .join(Event, on=(Event.id == Conversation.event))
    .where(Event.owner == Param("owner"), Event.starts_on <= Param("today", Event.starts_on)).tuples()))


@dataclass
class Totals:
    kinds: dict  # kind, or NOT_PLANNED -> Tally
    finished: int = 0  # planned events over before today
    reached: int = 0  # of those, where the goal was reached
    people: int = 0  # people met, each once however many events they were met at


def totals(owner_id, today, still_going=()):
    """Every started event added up by kind (meetup, conference, paid networking...) or as NOT_PLANNED, and the
    goal hit rate of the planned ones, finished before today but for last night's `still_going` (their ids)."""
    result = Totals(kinds={})
    for kind, quick, events, met, finished, reached, people in _per_kind.rows(owner=owner_id, today=today,
                                                                              still_going=still_going):
        result.people = int(people or 0)
        t = result.kinds.setdefault(_group(kind, quick), Tally())
        # PostgreSQL adds up to a Decimal: plain numbers, for the page and for keeping them (JSON).
        t.events += int(events)
        t.met += int(met or 0)
        result.finished += int(finished or 0)
        result.reached += int(reached or 0)
    for kind, quick, done in _done_per_kind.rows(owner=owner_id, today=today):
        result.kinds.setdefault(_group(kind, quick), Tally()).done += int(done)
    for kind, quick, count in _outcomes_per_kind.rows(owner=owner_id, today=today):
        result.kinds.setdefault(_group(kind, quick), Tally()).outcomes += int(count)
    return result


def _lowered(column):
    """The column in lower case, every letter of it: PostgreSQL's LOWER() does that, SQLite's only A to Z, so there
    the app's own lower() (webapp.schema registers it) is asked ("Société" and "SOCIÉTÉ" are one company)."""
    return fn.LOWER(column) if db.is_postgres() else fn.unicode_lower(column)


_hiring = Prepared(lambda: (
    Person.select(fn.MIN(Person.company), fn.COUNT(Person.id))
    .where(Person.owner == Param("owner"), Person.hiring == True, Person.company != "")  # noqa: E712
    .group_by(_lowered(Person.company))
    .order_by(fn.COUNT(Person.id).desc(), fn.MIN(Person.company))
    .limit(COMPANIES_SHOWN).tuples()))


def companies_hiring(owner_id):
    """Companies of the people marked as hiring, most often seen first."""
    return _hiring.rows(owner=owner_id)


_outcomes_by_kind = Prepared(lambda: (
    Outcome.select(Outcome.kind, fn.COUNT(Outcome.id)).join(Person, JOIN.CROSS)
    .where(Person.id == Outcome.person, Person.owner == Param("owner")).group_by(Outcome.kind)
    .order_by(fn.COUNT(Outcome.id).desc(), Outcome.kind).tuples()))


def outcomes_by_kind(owner_id):
    return _outcomes_by_kind.rows(owner=owner_id)
