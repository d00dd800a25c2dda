"""What the Follow-ups page shows: one card per person, a page at a time, in a fixed number of queries.

A person has one open follow-up at most (the database holds it so): each card is one person. The page
asks for one page of cards, the size of each group (kept until the account changes) and the recently done
ones: three queries whether the user has ten people to follow up or ten thousand, each doing the work of
the rows it shows.
"""

import datetime

from peewee import JOIN, Case, DatabaseError, fn

from ..models import Conversation, Event, FollowUp, Person, Summary
from ..prepared import Param, Prepared

PER_PAGE = 10
DONE_SHOWN = 5
GROUPS = [("overdue", "Overdue"), ("due", "Due today"), ("upcoming", "Coming up")]


# Read from the account's open follow-ups in due order (followup_owner_open_due_on), not by reading every person
# of the account and sorting all their follow-ups. Built once (Prepared): building this SQL took longer than
# running it.
# What a card shows and its message says, not every column: turning rows into models is most of what reading
# them costs.
# The meeting at the follow-up's event is read with it (one row at most: one meeting per person and event), for
# the message to say the day they met.
CARD = (FollowUp.id, FollowUp.person, FollowUp.event, FollowUp.due_on, FollowUp.reason,
        Person.id, Person.name, Person.description, Person.company, Person.email, Person.phone, Person.linkedin_url,
        Person.connected_on_linkedin, Event.id, Event.name, Event.starts_on, Event.ends_on, Event.start_time,
        Event.end_time, Event.quick, Conversation.id, Conversation.created_at)
_cards = Prepared(lambda: (
    FollowUp.select(*CARD)
    .join(Person)
    .switch(FollowUp).join(Event, JOIN.LEFT_OUTER)
    .switch(FollowUp).join(Conversation, JOIN.LEFT_OUTER, attr="meeting",
                           on=(Conversation.person == FollowUp.person) & (Conversation.event == FollowUp.event))
    .where(FollowUp.owner == Param("owner"), FollowUp.is_open)
    .order_by(FollowUp.due_on, FollowUp.id)
    .offset(Param("offset")).limit(Param("limit"))))


def cards(owner_id, page):
    """One page of cards: the open follow-ups, soonest due first, with their person and event."""
    found = _cards.rows(owner=owner_id, offset=(page - 1) * PER_PAGE,
                        limit=PER_PAGE + 1)  # one more tells if there is a next page
    return found[:PER_PAGE], len(found) > PER_PAGE


def page_of(owner_id, follow_up):
    """The page of the list an open follow-up's card is on: the open ones listed before it, counted (one query on
    followup_owner_open_due_on, whatever page it is on)."""
    before = FollowUp.select().where(
        FollowUp.owner == owner_id, FollowUp.is_open,
        (FollowUp.due_on < follow_up.due_on) | ((FollowUp.due_on == follow_up.due_on) & (FollowUp.id < follow_up.id)))
    return before.count() // PER_PAGE + 1


def day_met(card, zone):
    """The day the user met the card's person at its event, in their time zone (zone), when the meeting was noted
    on one of the event's days; else None (no event, or noted after it was over, from a business card say)."""
    meeting = card.meeting if card.event_id else None
    if meeting is None or meeting.created_at is None:
        return None
    day = meeting.created_at.replace(tzinfo=datetime.UTC).astimezone(zone).date()
    event = card.event
    if not event.starts_on <= day <= event.last_day:
        return None
    # Met at 00:30 at an evening running past midnight: met at that evening, on its day.
    return event.starts_on if event.last_day_listed == event.starts_on else day


def group_of(follow_up, today):
    if follow_up.due_on < today:
        return "overdue"
    return "due" if follow_up.due_on == today else "upcoming"


def group_sizes(user, today):
    """How many people are overdue, due today and coming up: one aggregate in the database, kept (see Summary)
    until the account changes or the day does, so looking again costs one row."""
    kept = Summary.kept(user, "follow-up groups", today)
    if kept is not None:
        return kept

    def counted(condition):
        return fn.COALESCE(fn.SUM(Case(None, [(condition, 1)], 0)), 0)

    row = (FollowUp.select(counted(FollowUp.due_on < today).alias("overdue"),
                           counted(FollowUp.due_on == today).alias("due"),
                           counted(FollowUp.due_on > today).alias("upcoming"))
           .where(FollowUp.owner == user.id, FollowUp.is_open).dicts().get())
    sizes = {key: int(row[key] or 0) for key, _ in GROUPS}
    try:
        Summary.keep(user, "follow-up groups", today, sizes)
    except DatabaseError:  # a read-only database still shows the page, counted each time
        pass
    return sizes


_recently_closed = Prepared(lambda: (
    # The person's columns that Person.label reads, for someone imported with only an email too.
    FollowUp.select(FollowUp.id, FollowUp.person, FollowUp.done_on, FollowUp.reason, Person.id, Person.name,
                    Person.description, Person.email, Person.phone, Person.company).join(Person)
    .where(FollowUp.owner == Param("owner"), FollowUp.done_on.is_null(False))  # followup_owner_done_on
    .order_by(FollowUp.done_on.desc(), FollowUp.id.desc()).limit(DONE_SHOWN)))


def recently_closed(owner_id):
    """The last few done, newest first, so the user sees what they already did."""
    return _recently_closed.rows(owner=owner_id)


def page_groups(items, today):
    """The page's cards under their headings, in the order of GROUPS."""
    grouped = {key: [] for key, _ in GROUPS}
    for item in items:
        grouped[group_of(item, today)].append(item)
    return [(key, title, grouped[key]) for key, title in GROUPS]


def due_label(follow_up, today):
    days = (follow_up.due_on - today).days
    if days == 0:
        return "due today"
    if days == -1:
        return "due yesterday"
    if days == 1:
        return "due tomorrow"
    when = follow_up.due_on.strftime("%a %-d %b")
    if abs(days) > 180:
        when = follow_up.due_on.strftime("%-d %b %Y")
    return f"due {when}"


def due_by(follow_up, today):
    """When a follow-up is due, as a person's page says it: "Fri 5 Dec", with the year when it is not this year's,
    and "overdue" once past, so one due long ago never reads as coming up."""
    when = follow_up.due_on.strftime("%a %-d %b" if follow_up.due_on.year == today.year else "%-d %b %Y")
    return f"{when} (overdue)" if follow_up.due_on < today else when
