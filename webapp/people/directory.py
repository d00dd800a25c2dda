"""Everyone you met, across all events: search as you type, filter by tag, hiring or follow-up."""

import datetime
import hashlib
from typing import NamedTuple

from flask import render_template, request
from flask_login import current_user, login_required
from peewee import fn
from wtforms import SelectChoice

from .. import db, kept, search
from ..forms import KeptChoices
from ..models import LABELLED, NOT_PLANNED, Conversation, Event, FollowUp, Person, PersonTag, Tag, event_label
from ..prepared import Ids, Param, Prepared
from ..rules import is_row_id
from .forms import PeopleSearchForm

PER_PAGE = 20
MAX_PAGE = 10_000  # a page number from the address bar must not overflow the database's integers
EVENTS_LISTED = 200  # the event filter lists the latest events people were met at; older ones are found by "when"


def find_people(owner_id, text="", tag="", hiring=False, follow_up="", event=None, dates=None, kind="",
                window=None, offset=0, limit=None):
    """The owner's people matching the search words and filters, the best matches first, as a list.
    window: how many rows will be read (offset + limit), which lets the search stop early."""
    prepared, values = prepared_search(owner_id, text, tag, hiring, follow_up, event, dates, kind, window, offset,
                                       limit)
    return prepared.rows(**values)


# What a row of the list shows (its label as everywhere else: an email for someone imported with only that): the
# rest of a person (their notes from a scan, dates...) is read on their page.
LISTED = (Person.id, *LABELLED, Person.role, Person.hiring)
_searches = {}  # the shape of a search (its filters, ranked or not...) -> its query, built once


def prepared_search(owner_id, text="", tag="", hiring=False, follow_up="", event=None, dates=None, kind="",
                    window=None, offset=0, limit=None):
    """The prepared query for a search of this shape, and the values to run it with. Building the SQL of a
    search cost more than running it (a quarter of a search's time): each shape is built once."""
    matched = search.match_values(db.database(), owner_id, text)
    kind_or_not_planned = kind and ("not planned" if kind == NOT_PLANNED else "kind")  # each its own SQL
    shape = (bool(event), bool(dates), kind_or_not_planned, bool(tag), bool(hiring), follow_up,
             None if matched is None else matched[0], window is not None, limit is not None)
    prepared = _searches.get(shape)
    if prepared is None:
        prepared = _searches[shape] = Prepared(lambda: _search(*shape))
    first, last = dates or (None, None)
    values = {"owner": owner_id, "tag": tag, "event": event, "first": first, "last": last, "kind": kind,
              "window": window, "offset": offset, "limit": limit, **(matched[1] if matched else {})}
    return prepared, values


def _search(event, dates, kind, tag, hiring, follow_up, ranked, windowed, limited):
    """A search's query with Params where its values go; ranked is None when no words were typed; kind is "kind"
    (a kind of event), "not planned" (the days with no event planned) or empty."""
    query = Person.select(*LISTED).where(Person.owner == Param("owner"))
    if event or dates or kind:
        query = query.where(Person.id.in_(search.met_where(
            Param("owner"), event and Param("event"),
            dates and (Param("first", Event.starts_on), Param("last", Event.starts_on)),
            kind == "kind" and Param("kind"), not_planned=kind == "not planned")))
    if tag:
        query = query.where(Person.id.in_(
            PersonTag.select(PersonTag.person).join(Tag).where(Tag.owner == Param("owner"), Tag.name == Param("tag"))))
    if hiring:
        query = query.where(Person.hiring == True)  # noqa: E712 (peewee builds SQL from ==)
    with_follow_up = FollowUp.select(FollowUp.person)
    open_ones = with_follow_up.where(FollowUp.is_open)
    if follow_up == "open":
        query = query.where(Person.id.in_(open_ones))
    elif follow_up == "done":
        query = query.where(Person.id.in_(with_follow_up.where(FollowUp.done_on.is_null(False))),
                            Person.id.not_in(open_ones))
    elif follow_up == "none":
        # Open or done both leave dropped_on empty; dropped ones count as none.
        query = query.where(Person.id.not_in(with_follow_up.where(FollowUp.dropped_on.is_null())))
    if ranked is None:  # newest meeting first, from the index on (owner, last_met_on, id)
        query = query.order_by(Person.last_met_on.desc(), Person.id.desc())
    else:
        narrowed = bool(event or dates or kind or tag or hiring or follow_up)
        query = search.matching(db.database(), query, ranked, windowed, narrowed)
    return query.offset(Param("offset")).limit(Param("limit")) if limited else query


# Read as plain rows, not models: a page's details are 50-100 rows, and building a model for each cost as much
# as running the three queries.
_met_where = Prepared(lambda: (
    Conversation.select(Conversation.person, Event.name, Event.starts_on)
    .join(Event).where(Conversation.person.in_(Ids("ids"))).order_by(Event.starts_on, Conversation.id).tuples()))
_tags_of = Prepared(lambda: (
    PersonTag.select(PersonTag.person, Tag.name).join(Tag).where(PersonTag.person.in_(Ids("ids")))
    .order_by(Tag.name).tuples()))
_following = Prepared(lambda: (
    FollowUp.select(FollowUp.person).where(FollowUp.person.in_(Ids("ids")), FollowUp.is_open).tuples()))
# Only events where someone was met: the ones planned for the months ahead would come first and find nobody.
_events_listed = Prepared(lambda: (
    Event.select(Event.id, Event.name, Event.starts_on)
    .where(Event.owner == Param("owner"),
           fn.EXISTS(Conversation.select(Conversation.id).where(Conversation.event == Event.id)))
    .order_by(Event.starts_on.desc(), Event.id.desc()).limit(EVENTS_LISTED).tuples()))
_tag_names = Prepared(lambda: Tag.select(Tag.name).where(Tag.owner == Param("owner")).order_by(Tag.name).tuples())


class LastMet(NamedTuple):
    """Where a person was last met, and at how many events in all."""

    name: str
    starts_on: datetime.date
    events: int


def page_details(people):
    """Where each person was last met, their tags and open follow-up: three queries for the whole page,
    their SQL built once."""
    ids = [p.id for p in people]
    met = {}
    for person_id, name, starts_on in _met_where.rows(ids=ids):  # oldest first: the last one stays
        met[person_id] = LastMet(name, starts_on, met[person_id].events + 1 if person_id in met else 1)
    tags = {}
    for person_id, name in _tags_of.rows(ids=ids):
        tags.setdefault(person_id, []).append(name)
    following = {person_id for (person_id,) in _following.rows(ids=ids)}
    return met, tags, following


def _events_listed_days(owner_id):
    """The latest events people were met at: ids, names and days, read as the database gives them (hundreds of
    rows each change): only the day needs converting (SQLite gives it as text)."""
    day = Event.starts_on.python_value
    return [(event_id, name, day(starts_on)) for event_id, name, starts_on in _events_listed.tuples(owner=owner_id)]


def tag_names(owner_id):
    return [name for (name,) in _tag_names.tuples(owner=owner_id)]


_choices_kept = {}  # (user id, account key, account version) -> the filters' tags and events
CHOICES_KEPT = 500


class FilterChoices(NamedTuple):
    tags: KeptChoices
    events: KeptChoices
    digest: str  # the same for the same choices: the search form is kept under it, across changes elsewhere


def filter_choices(user):
    """The tags and the latest events people were met at, as the filters offer them, "any" first. Hundreds of rows
    that change only when the account does, so they are read once per change (User.data_version) in each worker,
    not on every search.
    The account's key (its id with when it was made) is in the key: an account deleted and another made with the
    same id (SQLite may give it again) starts its count again, and must never see the old account's lists."""
    key = (user.id, user.account_key, user.data_version)
    kept = _choices_kept.get(key)
    if kept is None:
        if len(_choices_kept) >= CHOICES_KEPT:
            _choices_kept.clear()
        tags = tag_names(user.id)
        events = [(str(event_id), event_label(name, starts_on))
                  for event_id, name, starts_on in _events_listed_days(user.id)]
        kept = _choices_kept[key] = FilterChoices(
            KeptChoices([PeopleSearchForm.ANY_TAG] + [SelectChoice(name) for name in tags]),
            KeptChoices([PeopleSearchForm.ANY_EVENT] + [SelectChoice(value, label) for value, label in events]),
            hashlib.blake2b(repr((tags, events)).encode(), digest_size=16).hexdigest())
    return kept


def with_event_asked(choices, asked):
    """The events the filter offers, and their digest, with the one the address asks for when it is the user's own
    but not listed (nobody met there yet, or older than the latest EVENTS_LISTED): one query, only then."""
    if not asked or asked in choices.events.values or not asked.isdecimal() or not is_row_id(int(asked)):
        return choices.events, choices.digest
    event = current_user.event_or_none(int(asked))
    if event is None:  # someone else's, or gone: the form says it is not on the list
        return choices.events, choices.digest
    label = event_label(event.name, event.starts_on)
    return KeptChoices([*choices.events, SelectChoice(asked, label)]), f"{choices.digest} {asked} {label}"


@login_required
def index():
    """Everyone you met, the latest met first: search by name, company, role, notes or tags, and filter."""
    partial = request.headers.get("X-Requested-With") == "fetch"  # the search box asking as the user types
    body = kept.part("people", lambda: page_body(partial), partial, sorted(request.args.items(multi=True)))
    return body if partial else render_template("people/index.html", body=body)


def page_body(partial):
    """The search form and the page of people it finds (only the people, when partial)."""
    form = PeopleSearchForm(request.args)
    choices = filter_choices(current_user)
    form.tag.choices = choices.tags
    form.event.choices, digest = with_event_asked(choices, form.event.data)
    form.validate()
    page = min(max(1, request.args.get("page", 1, type=int)), MAX_PAGE)
    people = find_people(current_user.id, form.q.data or "", form.tag.data or "", form.hiring.data,
                         form.follow_up.data or "", int(form.event.data or 0) or None, form.dates,
                         form.kind.data or "", window=page * PER_PAGE + 1, offset=(page - 1) * PER_PAGE,
                         limit=PER_PAGE + 1)  # one more tells if there is a next page
    has_more = len(people) > PER_PAGE
    people = people[:PER_PAGE]
    met, tags, following = page_details(people)
    anyone = bool(people) or current_user.people().exists()
    args = {k: v for k, v in request.args.items() if k in form._fields}
    filtered = bool(form.tag.data or form.hiring.data or form.follow_up.data or form.event.data or form.dates
                    or form.kind.data)
    results = dict(form=form, people=people, met=met, tags=tags, following=following, page=page,
                   has_more=has_more, args=args, anyone=anyone, filtered=filtered, row_shows=_row_shows)
    if partial:
        return render_template("people/_results.html", **results)
    return render_template("people/_page.html", search_form=search_form(form, filtered, digest), **results)


def search_form(form, filtered, choices):
    """The search box and its filters, as the address asks for them. Hundreds of options and a dozen fields take
    a quarter of the page's time to write, and they change only with the address or the filters' choices (a new
    tag or event), not with each person saved: they are kept under those alone."""
    return kept.part("people search form", lambda: render_template("people/_search_form.html", form=form,
                                                                    filtered=filtered),
                     choices, sorted(request.args.items(multi=True)), shows_the_account=False)


def _row_shows(person, met, tags, following):
    """Everything a person's row is made from, as plain values (the person as the query read them, where they
    were last met, their tags, whether there is a follow-up to do): the row is kept under it (kept.row), so
    after a save only the rows that changed are made again."""
    return (tuple(sorted(person.__data__.items())), met.get(person.id), tuple(tags.get(person.id, ())),
            person.id in following)
