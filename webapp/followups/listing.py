"""What the Follow-ups page shows: one card per person, a page at a time, in a fixed number of queries.

Each person with open follow-ups gets one card, for their soonest one (how many more they have is
counted by the database). The page asks for one page of cards, the size of each group and the
recently done ones: three queries whether the user has ten people to follow up or ten thousand.
"""

from peewee import JOIN, Case, fn

from ..models import Event, FollowUp, Person

PER_PAGE = 10
DONE_SHOWN = 5
GROUPS = [("overdue", "Overdue"), ("due", "Due today"), ("upcoming", "Coming up")]


def _first_per_person(owner_id):
    """Each open follow-up numbered per person (soonest first), with how many that person has open."""
    person_window = {"partition_by": [FollowUp.person], "order_by": [FollowUp.due_on, FollowUp.id]}
    return (FollowUp.select(FollowUp.id, FollowUp.due_on,
                            fn.ROW_NUMBER().over(**person_window).alias("rank"),
                            fn.COUNT(FollowUp.id).over(partition_by=[FollowUp.person]).alias("open_count"))
            .join(Person)
            .where(Person.owner == owner_id, FollowUp.is_open)
            .cte("first_open"))


def cards(owner_id, page):
    """One page of cards: the soonest open follow-up of each person, with their person and event."""
    first = _first_per_person(owner_id)
    query = (FollowUp.select(FollowUp, Person, Event, first.c.open_count.alias("open_count"))
             .join(first, on=(first.c.id == FollowUp.id), attr="counted")
             .switch(FollowUp).join(Person)
             .switch(FollowUp).join(Event, JOIN.LEFT_OUTER)
             .where(first.c.rank == 1)
             .order_by(FollowUp.due_on, FollowUp.id)
             .with_cte(first)
             .offset((page - 1) * PER_PAGE).limit(PER_PAGE + 1))  # one more tells if there is a next page
    found = list(query)
    for follow_up in found:
        follow_up.open_count = follow_up.counted["open_count"]
    return found[:PER_PAGE], len(found) > PER_PAGE


def group_of(follow_up, today):
    if follow_up.due_on < today:
        return "overdue"
    return "due" if follow_up.due_on == today else "upcoming"


def group_sizes(owner_id, today):
    """How many people are overdue, due today and coming up: one aggregate in the database."""
    first = _first_per_person(owner_id)

    def counted(condition):
        return fn.COALESCE(fn.SUM(Case(None, [(condition, 1)], 0)), 0)

    row = (first.select_from(counted(first.c.due_on < today).alias("overdue"),
                             counted(first.c.due_on == today).alias("due"),
                             counted(first.c.due_on > today).alias("upcoming"))
           .where(first.c.rank == 1).dicts().get())
    return {key: int(row[key] or 0) for key, _ in GROUPS}


def recently_closed(owner_id):
    """The last few done, newest first, so the user sees what they already did."""
    return list(FollowUp.select(FollowUp, Person).join(Person)
                .where(Person.owner == owner_id, FollowUp.done_on.is_null(False))
                .order_by(FollowUp.done_on.desc(), FollowUp.id.desc()).limit(DONE_SHOWN))


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

