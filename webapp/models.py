"""What Hallway remembers: people who go to events, the events, and who they met there."""

import collections
import datetime
import json
import re
import secrets
import time
import uuid
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import abort
from flask_login import UserMixin
from peewee import (
    JOIN,
    SQL,
    BlobField,
    BooleanField,
    Case,
    CharField,
    DateField,
    DateTimeField,
    DoubleField,
    ForeignKeyField,
    IntegerField,
    NodeList,
    Select,
    TextField,
    TimeField,
    UUIDField,
    fn,
)
from playhouse.flask_utils import get_object_or_404
from playhouse.hybrid import hybrid_property

from . import kept
from .db import Model, for_update, is_postgres
from .linkedin import LONGEST_ADDRESS
from .prepared import Ids, Param, Prepared, Texts


def new_login_token():
    return secrets.token_urlsafe(32)


def utcnow():
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


def as_stored(when):
    """An aware time as the database keeps times (utcnow()): in UTC, with no zone."""
    return when.astimezone(datetime.UTC).replace(tzinfo=None)


EVENT_KINDS = [
    ("meetup", "Technical meetup"),
    ("industry", "Industry event"),
    ("conference", "Conference"),
    ("paid", "Paid networking"),
    ("other", "Other"),
]
EVENT_KIND_NAMES = dict(EVENT_KINDS)
# The days someone was logged with no event planned (quick events, stored as kind "other"): a group of their own
# next to the kinds of event, in Insights and in the People filter alike, never among the "Other" events.
NOT_PLANNED, NOT_PLANNED_NAME = "quick", "Not at a planned event"
DEFAULT_GOAL = 3


def event_label(name, day):
    """An event as a list of events names it: "Dublin JS Monthly, 6 Oct 2026". The day tells apart the months of a
    monthly meetup, and the year this December's from next December's."""
    return f"{name}, {day:%-d %b %Y}"


class User(UserMixin, Model):
    """Someone with a Hallway account: their login, and the card they show at events."""

    email = CharField(max_length=254, unique=True)
    password_hash = CharField(max_length=255)
    display_name = CharField(max_length=80, default="")
    headline = CharField(max_length=120, default="")
    linkedin_url = CharField(max_length=LONGEST_ADDRESS, default="")  # any script's handle, percent-encoded
    timezone = CharField(max_length=64, default="UTC")
    created_at = DateTimeField(default=utcnow)
    # How the drafted follow-up messages open and close ("Hi", "Best,"); empty means Hallway's default.
    greeting = CharField(max_length=40, default="")
    sign_off = CharField(max_length=40, default="")
    # The secret in the private calendar feed's address; empty when the feed is off. A new one revokes the old.
    calendar_token = CharField(max_length=64, null=True, unique=True)
    calendar_notes = BooleanField(default=False)  # the feed shows notes only when the user asks for them
    # Counts the changes the user made (every POST that succeeded): figures worked out from the whole account
    # are kept until it moves (see Summary).
    data_version = IntegerField(default=0)

    # The login of the device asking (set by accounts.sessions when it reads the cookie, or by log_in()).
    this_device = None

    def get_id(self):
        """The login cookie's value: this device's login token and when it began (for its absolute limit)."""
        return f"{self.this_device.token}.{int(time.time())}"

    def salt(self, purpose):
        """A signing salt for this account alone: what was signed for it (an upload's token, an Undo) is no good
        to an account made later under the same id (SQLite gives a deleted row's id again)."""
        return f"{purpose}:{self.id}:{self.created_at.isoformat()}"

    @property
    def account_key(self):
        """What the phone keeps this account's queued people and drafts under: its id with when it was made, never
        another account's (SQLite gives a deleted account's id to the next one), so what a deleted account left on
        a phone is never sent into, nor shown to, the account made after it."""
        return f"{self.id}.{self.created_ms()}"

    def created_ms(self):
        """When the account was made, in milliseconds since 1970 (the phone's clock's unit)."""
        return int(self.created_at.replace(tzinfo=datetime.UTC).timestamp() * 1000)

    def logged_the_entry(self, account, made_at):
        """Whether an entry the phone kept under `account` (an account_key; or, from before keys, an id) and made
        at `made_at` (aware, or None) was logged by this account. An id alone is theirs only for entries made
        since the account was: one made earlier was its deleted namesake's."""
        if account == self.account_key:
            return True
        return (account == str(self.id) and made_at is not None
                and int(made_at.timestamp() * 1000) >= self.created_ms())

    def log_in(self, device=""):
        """A new login of this account, on the device asking: its own session, ended alone."""
        self.this_device = Login.create(user=self.id, device=device[:Login.device.max_length])
        return self.this_device

    def log_out_here(self):
        """End this device's login; the account's other devices stay logged in."""
        Login.delete().where(Login.id == self.this_device.id).execute()

    def log_out_everywhere(self):
        """End every login of the account: every copy of every cookie of it stops working, on every device."""
        Login.delete().where(Login.user == self.id).execute()

    def logins(self, started_after, used_after):
        """The devices logged in to the account whose login has not ended, the latest used first."""
        return list(Login.select().where(Login.user == self.id, Login.started_at > started_after,
                                         Login.last_used_at > used_after)
                    .order_by(Login.last_used_at.desc(), Login.id.desc()))

    def forget_ended_logins(self, started_after, used_after):
        """Delete the logins that have ended unseen (a private window closed without logging out)."""
        Login.delete().where(Login.user == self.id, (Login.started_at <= started_after)
                             | (Login.last_used_at <= used_after)).execute()

    def login_or_404(self, login_id):
        """One of the account's logins; another account's is not found."""
        return get_object_or_404(Login, Login.user == self.id, Login.id == login_id)

    @classmethod
    def count_a_change(cls, user_id):
        """Move the account's data_version on: what was worked out from it before is out of date."""
        _count_a_change.run(id=user_id)

    # Where the phone in use is (accounts.sessions.load_user reads it from the cookie its pages set), when known.
    phone_zone = None

    @property
    def zone(self):
        """Where the user is: their phone's time zone, so a traveller's evening event is today's there (not
        tomorrow's, as at home), else the account's (the calendar feed, a device that does not say)."""
        return _zone_named(self.phone_zone) or _zone_named(self.timezone) or ZoneInfo("UTC")

    def away_from_home(self):
        """The phone's time zone where it is not the account's (a traveller's), else "": an event planned there is
        in that zone, so the calendar feed puts its 19:00 at 19:00 there, not at home."""
        zone = self.zone.key
        return zone if zone == self.phone_zone and zone != self.timezone else ""

    def now(self):
        """The time where the user is."""
        return datetime.datetime.now(self.zone)

    def today(self):
        """Today's date where the user is, which is what "tonight's event" means to them."""
        return datetime.datetime.now(self.zone).date()

    def events(self):
        """The user's events, each with how many people were met there (one query, not one per event)."""
        return _with_met().where(Event.owner == self.id)

    def next_events(self):
        """Today's and the next few events, soonest first: asked once per request, by the header and home.

        Every page's header asks, and the answer changes only with the account (its version) or the day: each
        worker keeps the rows it read, and makes each request its own events from them (turning the rows into
        models cost four times the query). A change moves the version, so it shows on the next request."""
        if getattr(self, "_next_events", None) is None:
            today = self.today()
            # Yesterday's too, in the same query: until the small hours its evening may still be going on.
            kept_rows = kept.for_account(self, "next events", lambda: [
                (dict(e.__data__), e.met, e.last_met)
                for e in _next_events.rows(owner=self.id, today=today - datetime.timedelta(days=1),
                                           limit=NEXT_EVENTS_SHOWN + 1 + LAST_NIGHT_READ)])
            events = [_event_of(data, met, last_met) for data, met, last_met in kept_rows]
            # Last night's evening until 00:30 was yesterday's: over in the small hours, not one to come today.
            self._last_night = [e for e in events if e.last_day_listed < today]
            self._next_events = [e for e in events if e.last_day_listed >= today][:NEXT_EVENTS_SHOWN + 1]
        return self._next_events

    def last_nights_events(self):
        """Yesterday's last events (read with next_events())."""
        self.next_events()
        return self._last_night

    def current_event(self):
        """The event "Met someone" logs into today, or else the next one: what the home screen puts first."""
        upcoming = self.next_events()
        return self.event_for_logging() or (upcoming[0] if upcoming else None)

    def events_today(self):
        """Every event that runs today: a one-day event on its day, a conference on each of its days."""
        today = self.today()
        return [e for e in self.next_events() if e.is_today(today)]

    def event_for_logging(self, now=None):
        """The event someone just met belongs to: today's one in progress, else the one most recently
        logged into, else the earliest today; None when nothing runs today (the caller offers a quick one).
        A planned event that has begun (or begins within DOORS_OPEN) comes before the day's quick event.

        An evening goes on past midnight: until NIGHT_ENDS, yesterday's events that have not ended count as
        today's (in progress: the meetup at 00:30 beats tonight's, not started yet). An event long over (its
        end time AFTER_THE_END ago: an imported 22:00-02:00 on the next afternoon) no longer counts.
        Read from next_events(), the one list the header and home share: no query of its own.
        """
        now = now or datetime.datetime.now(self.zone)
        return self._event_at(now, self.next_events() + self.last_nights_events())

    def event_met_at(self, when):
        """The event someone met at `when` belongs to, as event_for_logging() would have said then (an entry
        the phone kept with no event, sent later); None when nothing ran then (the caller makes the quick one).

        What the phone showed then counts, not what was sent since: each event is touched by the people met
        there by `when` (their meetings keep when they were met, see Conversation.created_at), so someone met at
        19:00 and sent after the party at 20:30 began does not make the meetup the latest touched for the person
        met at the party at 21:30, nor does someone logged at the meetup later that night."""
        when = when.astimezone(self.zone)
        rows = _events_met_by.rows(owner=self.id, today=when.date() - ONE_DAY, met_by=as_stored(when),
                                   limit=NEXT_EVENTS_SHOWN + 1 + LAST_NIGHT_READ)
        return self._event_at(when, rows)

    def _event_at(self, now, events):
        """Of events (from the day before now's on), the one someone met at `now` belongs to. Each event is
        read on the clock where it is (Event.timezone): Berlin's 18:00 has begun at 09:15 in Los Angeles."""
        candidates = [e for e in events if e.going_on_at(now)]
        if not candidates:
            return None
        # The quick event only stood in while nothing was planned: once a planned event of the day begins (or
        # its doors are about to open), the people met are there, however recently the quick event was used.
        if any(not e.quick and e.in_progress_at(now, early=DOORS_OPEN) for e in candidates):
            candidates = [e for e in candidates if not e.quick]
        return max(candidates, key=lambda e: (e.in_progress_at(now), e.last_touched_at(now)))

    def runs_now(self, event):
        """Whether `event` is one "Met someone" may log into now: on its day where it is, or last night's evening
        still going on in the small hours."""
        return event.runs_at(self.now())

    def quick_event_before(self, event):
        """The day's quick event, with the people logged there before `event` (a planned event running today)
        was planned, or None: they are offered to be moved to it. Read from next_events(): no query of its own."""
        if event.quick or not event.is_today(self.today()):
            return None
        return next((e for e in self.events_today() if e.quick and e.met), None)

    def upcoming_events(self):
        """Events still to come or still running (day 2 of a conference is not past, nor last night's evening
        still going on in the small hours)."""
        to_come = Event.last_day >= self.today()
        tonight = self.last_nights_still_going()
        ended = self._ended_after_midnight()
        if ended:  # its last day is today's date, its evening yesterday's
            to_come &= Event.id.not_in(ended)
        return self.events().where(to_come | Event.id.in_(tonight) if tonight else to_come).order_by(*SOONEST_FIRST)

    def latest_past_events(self, limit):
        """The `limit` events over before today, the latest first; last night's events still going on in the
        small hours (where "Met someone" may log) are today's, not past ones."""
        still_going = self.last_nights_still_going()
        rows = _past_events.rows(owner=self.id, today=self.today(), limit=limit + len(still_going))
        # Last night's evenings that ended after midnight (their last day is today's date) ended last of all.
        ended = [e for e in self.last_nights_events() if e.id in self._ended_after_midnight()]
        return (ended[::-1] + [e for e in rows if e.id not in still_going])[:limit]

    def past_events(self):
        """Events over before today, the latest first (not last night's evening still going on)."""
        over = Event.last_day < self.today()
        ended = self._ended_after_midnight()
        over = self.events().where(over | Event.id.in_(ended) if ended else over)
        tonight = self.last_nights_still_going()
        return (over.where(Event.id.not_in(tonight)) if tonight else over).order_by(*LATEST_FIRST)

    def last_nights_still_going(self):
        """The ids of last night's events still going on in the small hours (their last day is over, their evening
        is not): each still counts as today's, the meetup and the afterparty alike, whichever "Met someone" logs
        into, and none is finished yet (Insights). Read from next_events(): no query of its own."""
        now = self.now()
        return [e.id for e in self.last_nights_events() if e.going_on_at(now)]

    def _ended_after_midnight(self):
        """The ids of last night's evenings that ran past midnight and are over: their last day is today's date,
        but they are yesterday's events, past ones. Read from next_events(): no query of its own."""
        today, still_going = self.today(), self.last_nights_still_going()
        return [e.id for e in self.last_nights_events() if e.last_day >= today and e.id not in still_going]

    def quick_event(self, day=None, make=True):
        """Today's quick event ("Met on Mon 23 Nov"), made on first use (make=False: None until then): "Met
        someone" works with no event planned. Call inside db.write(): the first person logged on the phone and on
        the web at once make one."""
        day = day or self.today()
        if make:
            User.take_turns(self.id)
        event = Event.get_or_none(Event.owner == self.id, Event.quick, Event.starts_on == day)
        if event or not make:
            return event
        event = self._quick_event_of(day)
        event.timezone = self.away_from_home()
        event.save()
        return event

    def quick_event_to_come(self):
        """Today's quick event as the first person logged will make it, not saved and with nobody met: people
        logged on the phone with no signal count towards its goal in the header until the first is sent."""
        event = self._quick_event_of(self.today())
        event.met = 0
        return event

    def _quick_event_of(self, day):
        return Event(owner=self.id, name=self.quick_event_name(day), starts_on=day, kind="other", quick=True)

    @classmethod
    def take_turns(cls, user_id):
        """Hold the account's row until the transaction ends, for a write that looks first and then inserts (the
        day's quick event, someone new who may be known already, a voice note and the meeting it belongs to): on
        PostgreSQL two at once would both find nothing and both insert. SQLite's write() already takes turns.
        NO KEY UPDATE: it waits neither for nor against a transaction that inserted rows naming the account (a
        key share on its row), which FOR UPDATE would, and two saves doing so could wait for each other."""
        if is_postgres():
            User.select(User.id).where(User.id == user_id).for_update("FOR NO KEY UPDATE").execute()

    def quick_event_name(self, day=None):
        day = day or self.today()
        return day.strftime(f"Met on %a {day.day} %b")

    def planned_events_near(self, day, limit):
        """The planned events the people of a quick day (`day`) may have been met at, for them to be moved there:
        those of that day and before, the nearest first, then those of the EARLY_DAYS after it, the soonest
        first (the eve of a conference, logged before its first day). Never a quick day: it was no event."""
        near = list(self.events().where(~Event.quick, Event.starts_on <= day + EARLY_DAYS)
                    .order_by(Event.starts_on.desc(), Event.id.desc()).limit(limit))
        after = [e for e in near if e.starts_on > day]
        return [e for e in near if e.starts_on <= day] + after[::-1]

    def nearest_event(self):
        """The planned event closest to today, before or after: offered when nothing runs today. Never a quick day,
        past or to come (one made where the date is already tomorrow, before a flight back west)."""
        today = self.today()
        upcoming = self.upcoming_events().where(~Event.quick).first()
        past = self.past_events().where(~Event.quick).first()
        if upcoming and past:
            return upcoming if (upcoming.starts_on - today) <= (today - past.last_day_listed) else past
        return upcoming or past

    def people(self):
        return Person.select().where(Person.owner == self)

    def same_event_just_planned(self, event):
        """The event this account planned in the last SENT_AGAIN_WITHIN with every detail of `event` (a Save
        tapped twice, or sent again when its answer was lost), or None. Call inside db.write(): the account's
        row is locked meanwhile, so two copies sent at once are planned once."""
        for_update(User.select(User.id).where(User.id == self.id)).execute()
        fields = [f for f in Event._meta.sorted_fields if f.name not in ("id", "created_at")]
        values = {f: event.__data__.get(f.name, f.default() if callable(f.default) else f.default) for f in fields}
        same = [f.is_null() if value is None else f == value for f, value in values.items()]
        return Event.get_or_none(Event.created_at >= utcnow() - SENT_AGAIN_WITHIN, *same)

    def event_now(self, event_id):
        """The event an entry logged under the user's event `event_id` goes to: that one, or the one it was merged
        into since (a quick event into the real one it was), where its people went; None when it is not the
        user's (deleted since, or never theirs): the caller files the person as met with no event named."""
        # On SQLite a later event may have been given the merged one's id: an event still there is that event.
        if _own_event.first(owner=self.id, id=event_id):
            return event_id
        return (MergedEvent.select(MergedEvent.into)
                .where(MergedEvent.owner == self.id, MergedEvent.merged_id == event_id).scalar())

    # "Is this mine?" asked once, here: another user's record is a 404, never confirmed to exist.
    def event_or_404(self, event_id):
        """The user's own event, or 404 whether it belongs to someone else or does not exist."""
        return _or_404(self.event_or_none(event_id))

    def event_or_none(self, event_id):
        """The user's own event, or None whether it belongs to someone else or does not exist."""
        return _own_event.first(owner=self.id, id=event_id)

    def person_or_404(self, person_id):
        """The user's own person, or 404 whether it belongs to someone else or does not exist."""
        return _or_404(_own_person.first(owner=self.id, id=person_id))

    def attachment_or_404(self, attachment_id):
        """The user's own voice note or photo, or 404 whether it is someone else's or does not exist."""
        return get_object_or_404(Attachment.select(), (Attachment.id == attachment_id) & (Attachment.owner == self.id))

    def follow_up_or_404(self, follow_up_id):
        """The user's own follow-up, with its person, or 404 whether it is someone else's or does not exist."""
        return get_object_or_404(FollowUp.select(FollowUp, Person).join(Person).where(Person.owner == self.id),
                                 FollowUp.id == follow_up_id)

    def open_follow_ups(self):
        """Follow-ups still to do, with their person and event, soonest due first."""
        return (
            FollowUp.select(FollowUp, Person, Event)
            .join(Person)
            .switch(FollowUp)
            .join(Event, JOIN.LEFT_OUTER)
            .where(FollowUp.owner == self.id, FollowUp.is_open)
            .order_by(FollowUp.due_on, FollowUp.id)
        )

    def due_follow_ups_count(self):
        """How many follow-ups are due today or overdue: the number the home screen shows."""
        return _due_count.scalar(owner=self.id, today=self.today())


def ends_after_midnight(starts_on, ends_on, start_time, end_time):
    """Whether an event is an evening that runs past midnight (its end on the next day, earlier than its start,
    in the small hours: by NIGHT_ENDS): a one-day event to lists, filters and messages, which count it on its first
    day alone. One that ends later the next day (an overnight hackathon, 18:00 to 17:00) is two days long."""
    # Counted back from the last day: a day after the last possible one (9999-12-31) cannot be made.
    return bool(ends_on and ends_on - starts_on == ONE_DAY and start_time and end_time and end_time < start_time
                and end_time <= NIGHT_ENDS)


class Event(Model):
    """A meetup, conference or networking evening, with the goal the user set for it."""

    owner = ForeignKeyField(User, backref="owned_events", on_delete="CASCADE")
    name = CharField(max_length=200)
    starts_on = DateField(index=True)
    start_time = TimeField(null=True)
    end_time = TimeField(null=True)
    ends_on = DateField(null=True)
    # The zone the event's wall-clock times are in (from an .ics TZID); empty means the user's own.
    timezone = CharField(max_length=64, default="")
    place = CharField(max_length=200, default="")
    kind = CharField(max_length=20, default="meetup")
    link = CharField(max_length=500, default="")
    description = TextField(default="")
    goal = IntegerField(default=DEFAULT_GOAL)
    goal_note = CharField(max_length=200, default="")
    # Made by "Met someone" on a day with no event planned; can be merged into a real event later.
    quick = BooleanField(default=False)
    # The calendar UID of an imported event, so importing it twice does not duplicate it.
    ics_uid = CharField(max_length=255, null=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = (
            (("owner", "ics_uid"), True),
            # Today's, the next and the latest events are read in date order from here, a few rows at a time.
            (("owner", "starts_on"), False),
        )

    @property
    def kind_name(self):
        if self.quick:
            return NOT_PLANNED_NAME
        return EVENT_KIND_NAMES.get(self.kind, "Other")

    def conversations(self):
        """Who the user met here, newest first."""
        return (
            Conversation.select(Conversation, Person)
            .join(Person)
            .where(Conversation.event == self)
            .order_by(Conversation.created_at.desc(), Conversation.id.desc())
        )

    def people_met(self):
        """Who the user met here, newest first, as MetHere rows (what the event's page shows of each, `following`
        when a follow-up is still open for them): one query, its SQL built once, and no model made per row."""
        return [MetHere(conversation_id, person_id, label_of(name, description, email, phone, company), company,
                        role, notes, bool(hiring), bool(following))
                for conversation_id, notes, person_id, name, description, email, phone, company, role, hiring, following
                in _met_here.tuples(event=self.id)]

    def people_to_follow_up(self):
        """Ids of the people met here who have a follow-up still open."""
        open_follow_ups = FollowUp.select(FollowUp.person).where(FollowUp.is_open)
        return {
            c.person_id
            for c in Conversation.select(Conversation.person).where(
                Conversation.event == self, Conversation.person.in_(open_follow_ups))
        }

    def met_count(self):
        counted = getattr(self, "met", None)  # set by User.events() and the event page
        if counted is not None:
            return counted
        return _met_count.scalar(event=self.id)

    def met_only_here(self):
        """How many of the people met here were met at no other event: deleting it leaves them no meeting."""
        elsewhere = Conversation.select(Conversation.person).where(Conversation.event != self.id)
        return (Conversation.select().where(Conversation.event == self.id, Conversation.person.not_in(elsewhere))
                .count())

    def progress(self, recount=False):
        """How many people were met here, against the goal. recount=True after a save: the count read with the
        event (User.next_events) is from before it."""
        if recount:
            self.met = None
        return Progress(met=self.met_count(), goal=self.goal)

    def merge_into(self, other):
        """Move everyone met here to other (a quick event to the real one it was), then delete this event.
        Someone already logged at other keeps one conversation there, with both notes. Call inside db.write()."""
        _move_meetings(Conversation.select().where(Conversation.event == self),
                       Conversation.select().where(Conversation.event == other),
                       same_place=lambda c: c.person_id, move=lambda c: setattr(c, "event", other))
        FollowUp.update(event=other).where(FollowUp.event == self).execute()
        MergedEvent.forward(self, other)
        self.delete_instance()

    @hybrid_property
    def last_day(self):
        """The event's last day: its end date for a conference, else its only day. Also usable in a query."""
        return self.ends_on or self.starts_on

    @last_day.expression
    def last_day(cls):  # noqa: N805 (the class, when used in a query)
        return fn.COALESCE(cls.ends_on, cls.starts_on)

    def is_today(self, today):
        return self.starts_on <= today <= self.last_day

    def start_and_end(self):
        """(start, end) on the event's own clock, as naive datetimes; the end None when it has none."""
        if self.start_time is None:
            return datetime.datetime.combine(self.starts_on, datetime.time()), None
        start = datetime.datetime.combine(self.starts_on, self.start_time)
        return start, self.end_time and datetime.datetime.combine(self.last_day, self.end_time)

    @property
    def last_day_on_the_form(self):
        """The last day as the event form shows it: none for an evening that runs past midnight, its end time
        earlier in the day than its start saying so; the Last day field is for events over several days."""
        past_midnight = ends_after_midnight(self.starts_on, self.ends_on, self.start_time, self.end_time)
        return None if past_midnight else self.ends_on

    @hybrid_property
    def last_day_listed(self):
        """The last day lists and filters count the event on: its last day, but an evening that runs past midnight
        is on its own day alone (as the form shows it). Also usable in a query."""
        return self.last_day_on_the_form or self.starts_on

    @last_day_listed.expression
    def last_day_listed(cls):  # noqa: N805 (the class, when used in a query)
        # Date arithmetic is each database's own: a date plus a number of days on PostgreSQL, date() on SQLite.
        day_after = cls.starts_on + SQL("1") if is_postgres() else fn.DATE(cls.starts_on, "+1 day")
        past_midnight = (cls.ends_on == day_after) & (cls.end_time < cls.start_time) & (cls.end_time <= NIGHT_ENDS)
        return Case(None, [(past_midnight, cls.starts_on)], cls.last_day)

    def last_day_after_the_first(self, was):
        """Keep the last day on or after the first. `was`: the event's (first day, last day) before an edit that
        left the last day as it was (EventForm refuses any other last day before the first): a first day moved
        past it takes it along, the event keeping its number of days (the conference put off a week)."""
        if self.ends_on is not None and self.ends_on < self.starts_on:
            self.ends_on = self.starts_on + (was[1] - was[0])

    def end_after_the_start(self, was=None):
        """Keep the end after the start. `was`: the event's (start, end) before an edit that left the end as it
        was: a start moved to or past that end takes the end along, the event keeping its length (the meetup
        moved from 19:00-21:00 to 22:00 ends at 00:00). Otherwise an end earlier in the day than the start of a
        one-day event is on the next day (a party until 02:00)."""
        if self.end_time is None or self.start_time is None:
            self.end_time = None  # an end with no start means nothing to the calendar or the clock
            return
        start, end = self.start_and_end()
        if was and was[1] and start >= was[1]:
            end = start + (was[1] - was[0])
        elif end <= start and self.ends_on is None:
            end += ONE_DAY
        self.end_time, self.ends_on = end.time(), end.date() if end.date() != self.starts_on else None

    # Which event someone met at `now` (aware, in the user's zone) belongs to: User.event_for_logging().
    def clock_at(self, now):
        """`now` as the clock reads where the event is: its own zone (planned for another place), else the
        user's, which is now's. A quick event is the day where the phone is ("Met on Mon 7 Dec"), as
        User.quick_event() finds it."""
        own = None if self.quick else _zone_named(self.timezone)
        return now.astimezone(own or now.tzinfo)

    def runs_at(self, now):
        """On its day where it is (every day of a conference), or last night's evening until NIGHT_ENDS."""
        local = self.clock_at(now)
        today = local.date()
        return self.is_today(today) or (local.time() < NIGHT_ENDS and self.last_day == today - ONE_DAY)

    def going_on_at(self, now):
        """Running at `now` and not over: today's, where "Met someone" logs (last night's evening in the small
        hours too, until it ended AFTER_THE_END ago)."""
        return self.runs_at(now) and not self.over_at(now)

    def over_at(self, now):
        """Ended AFTER_THE_END ago (an imported 22:00-02:00 on the next afternoon); with no end time, never
        before its day is over."""
        if self.end_time is None:
            return False
        local = self.clock_at(now)
        return local - datetime.datetime.combine(self.last_day, self.end_time, local.tzinfo) > AFTER_THE_END

    def in_progress_at(self, now, early=datetime.timedelta(0)):
        """Begun (or beginning within `early`) and not ended, on the clock where it is."""
        local = self.clock_at(now)
        today = local.date()
        started = self.starts_on < today or self.start_time is None or \
            datetime.datetime.combine(today, self.start_time, local.tzinfo) - early <= local
        return started and not self.ended_at(now)

    def ended_at(self, now):
        """Its end time has passed on its last day, on the clock where it is; with no end time, not before its
        last day is over."""
        local = self.clock_at(now)
        today = local.date()
        return self.last_day <= today and self.end_time is not None and (
            self.last_day < today or self.end_time < local.time())

    def last_touched_at(self, now):
        """The latest of "it started" and "someone was logged there": the evening meetup takes over from the
        morning workshop once it starts (or its doors open, DOORS_OPEN before), until the user logs someone at
        the workshop again. Before then the workshop, over since noon, is where people were met that afternoon."""
        local = self.clock_at(now)
        # Last night's events, still going after midnight, started on their own day: the afterparty at 21:00
        # took over from the meetup at 18:00, and still has.
        day = min(local.date(), self.last_day)
        start = self.start_time if self.starts_on == day and self.start_time else datetime.time.min
        touched = datetime.datetime.combine(day, start, local.tzinfo)
        if touched - DOORS_OPEN > local:  # still to begin: nothing yet, and the earliest of the day comes first
            touched = datetime.datetime.combine(day, datetime.time.min, local.tzinfo)
        met = getattr(self, "last_met", None)
        if met:
            if isinstance(met, str):  # SQLite hands back an aggregate's text as it is
                met = datetime.datetime.fromisoformat(met)
            touched = max(touched, met.replace(tzinfo=datetime.UTC))
        return touched

    def time_met(self, said, now):
        """When someone logged here on a phone with no signal was met: the time the phone says (`said`, aware),
        in its zone, but not later than `now` (a clock a little ahead), nor before the event's first day began
        on its clock (a form kept for an event moved to a later day since)."""
        first_day = datetime.datetime.combine(self.starts_on, datetime.time.min, self.clock_at(said).tzinfo)
        return min(max(said, first_day), now).astimezone(said.tzinfo)

    def is_past(self, now):
        """Over before today where the user is (`now`, aware, on the user's clock): last night's evening still
        going on after midnight is not, as home and "Met someone" count it; once it is over, it is."""
        return self.last_day_listed < now.date() and not self.going_on_at(now)

    @property
    def days(self):
        return (self.last_day - self.starts_on).days + 1


class MergedEvent(Model):
    """An event merged into another (a quick event into the real one it was), by the id it had: a phone still
    holding entries logged under it, from a log form kept before the merge, sends them where its people went.
    Not in the backup: a restore gives every event a new id."""

    owner = ForeignKeyField(User, backref="+", on_delete="CASCADE")
    merged_id = IntegerField()
    into = ForeignKeyField(Event, backref="+", on_delete="CASCADE")

    class Meta:
        indexes = ((("owner", "merged_id"), True),)

    @classmethod
    def forward(cls, merged, into):
        """Send what comes for `merged` (and for what was merged into it before) to `into`. Call inside
        db.write()."""
        cls.update(into=into.id).where(cls.into == merged.id).execute()
        # SQLite may give a deleted event's id to a later one, which may be merged in turn.
        (cls.insert(owner=merged.owner_id, merged_id=merged.id, into=into.id)
         .on_conflict(conflict_target=[cls.owner, cls.merged_id], update={cls.into: into.id}).execute())


class Progress:
    """How far the user is towards an event's goal: "2 of 3 met"."""

    def __init__(self, met, goal):
        self.met = met
        self.goal = goal

    @property
    def reached(self):
        return self.met >= self.goal

    @property
    def percent(self):
        return min(100, round(100 * self.met / self.goal)) if self.goal else 100

    def __str__(self):
        return f"{self.met} of {self.goal} met"


def lowered_spellings(name):
    """What LOWER(name) holds in the database for each way the stored name may be cased, given the name typed in
    any case: a list to look for with `fn.LOWER(Person.name).in_(...)` (on its index, person_owner_lower_name).

    PostgreSQL lowers every letter, but SQLite only A to Z: "Élodie Martin" is "Élodie martin" there, and
    "élodie martin" typed must also look for that. Besides all lower case, the letters beyond A-Z are taken
    capitalised at the start of each word (how names are written) and all capitalised (typed in capitals)."""
    lowered = name.strip().lower()

    def others_capitalised(at):
        return "".join(c.upper() if not c.isascii() and at(i) else c for i, c in enumerate(lowered))

    word_starts = others_capitalised(lambda i: i == 0 or not lowered[i - 1].isalpha())
    return list(dict.fromkeys([lowered, word_starts, others_capitalised(lambda i: True)]))


# Stable contact card UIDs (Person.card_uid).
CARD_NAMESPACE = uuid.UUID("6f1d0c4e-3b8a-5d7e-9a61-2f0c8b1e4d57")
# From then on a card's UID is made from when the person was added as well as their id: SQLite gives the id of the
# last one deleted to the next one added, whose card must not be the deleted one's. People added before keep the
# UID their cards went out with, which phones know their contacts by.
CARD_UID_WITH_CREATION_FROM = datetime.datetime(2026, 12, 7, 23, 0)


class Person(Model):
    """Someone the user met: who they are and how to find them again."""

    owner = ForeignKeyField(User, backref="owned_people", on_delete="CASCADE")
    name = CharField(max_length=120, default="")
    # For when the name was not caught: "red jacket, Postgres talk".
    description = CharField(max_length=200, default="")
    company = CharField(max_length=120, default="")
    role = CharField(max_length=120, default="")
    email = CharField(max_length=254, default="")
    phone = CharField(max_length=40, default="")
    linkedin_url = CharField(max_length=LONGEST_ADDRESS, default="", index=True)
    # The text of the contact QR they showed, as scanned: read again on the server when the phone's
    # reading of it was incomplete, and kept so nothing they shared is lost.
    scanned_text = TextField(default="")
    hiring = BooleanField(default=False)
    connected_on_linkedin = BooleanField(default=False)
    # From LinkedIn's export of connections: when you connected there.
    linkedin_connected_on = DateField(null=True)
    created_at = DateTimeField(default=utcnow, index=True)
    # The day of the latest event they were met at, or the day they were added: the People list's order.
    # The database's triggers keep it (webapp/people/last_met.py); whatever the app writes here is worked out again.
    last_met_on = DateField(null=True)

    class Meta:
        # Companies seen hiring are counted from this index alone, not from every person of the account.
        indexes = ((("owner", "hiring", "company"), False), (("owner", "last_met_on", "id"), False))

    @property
    def label(self):
        """How the person is shown (label_of)."""
        return label_of(self.name, self.description, self.email, self.phone, self.company)

    @property
    def card_uid(self):
        """The UID of their contact card: the same at every export, so a phone updates the contact instead of
        adding a twin, and the card brought back into the account finds them, and nobody given their id later."""
        name = f"{self.owner_id}:{self.id}"
        if self.created_at >= CARD_UID_WITH_CREATION_FROM:
            name += f":{self.created_at.isoformat()}"
        return "urn:uuid:" + str(uuid.uuid5(CARD_NAMESPACE, name))

    @property
    def phone_link(self):
        """A tel: link that calls the number noted (RFC 3966: + and digits only, for "+44 (0)20 7946 0958 ext. 12"
        +442079460958), or None when there is no number in it."""
        number = DIALLED.search(self.phone or "")
        if number is None:
            return None
        dialled = number.group()
        if dialled.startswith("+"):
            dialled = dialled.replace("(0)", "")  # the trunk 0 is not dialled from abroad
        return "tel:" + re.sub(r"[^+0-9]", "", dialled)

    def tags(self):
        return Tag.select().join(PersonTag).where(PersonTag.person == self).order_by(Tag.name)

    def tag_names(self):
        return [t.name for t in self.tags()]

    def set_tags(self, names):
        """Replace the person's tags with these names (created for the owner when new)."""
        PersonTag.delete().where(PersonTag.person == self).execute()
        self.add_tags(names)

    def add_tags(self, names):
        """Give a person with none of these tags yet (someone just met) these names."""
        # Cut to the column's length before removing repeats: two names that differ only past
        # character 40 once lower-cased ("İ" lower-cases to two characters) are one tag.
        wanted = list(dict.fromkeys(n.strip().lower()[:40] for n in names if n.strip()))
        if not wanted:
            return
        # Two queries whatever the number of tags, their SQL built once: the new names made (those known are
        # left as they are), then every name linked to the person.
        _make_tags.run(owner=self.owner_id, names=wanted)
        _tag_person.run(person=self.id, owner=self.owner_id, names=wanted)

    def conversations(self):
        return (
            Conversation.select(Conversation, Event)
            .join(Event)
            .where(Conversation.person == self)
            .order_by(Event.starts_on.desc(), Conversation.created_at.desc())
        )

    def open_follow_up(self):
        return (
            FollowUp.select()
            .where(FollowUp.person == self, FollowUp.is_open)
            .order_by(FollowUp.due_on)
            .first()
        )

    def details(self):
        """What is known of the person that a later meeting may say otherwise (MERGED_DETAILS), as a dict."""
        return {field: getattr(self, field) for field, _ in MERGED_DETAILS}

    def met_after(self, event):
        """Whether the person was met at an event later than this one: a meeting at it is written up afterwards."""
        return self.meetings.join(Event).where(Event.starts_on > event.starts_on).exists()

    def note_what_changes(self, details):
        """Before details replace what is known of the person (a new company, a new role): the values they replace
        go into the notes of the latest meeting ("Then: at Analytical Engines."), where they were true, so nothing
        noted is lost. A value that differs only in case is the same. Call inside db.write()."""
        then = then_note(self.details(), details)
        latest = self.conversations().first() if then else None
        if latest is not None:
            latest.notes = "\n\n".join(n for n in (latest.notes, then) if n)
            latest.save()

    def merge_into(self, other):
        """One person logged twice (met again with no signal, say) becomes one: other keeps its id, and gets
        this one's meetings, follow-ups, outcomes, voice notes, photos and tags; then this one is deleted.

        Where both have a detail, the one met later is kept (people change jobs), as when "Met before?" is
        answered on the log form: what the latest meeting said, not what was typed in last (a meeting written up
        afterwards, or sent late from a phone with no signal, tells what was true then). The earlier value is
        not lost, it is added to the notes of the earlier one's latest meeting ("Then: ..."). A meeting at an
        event both were logged at becomes one, with both notes. Call inside db.write(), with both read there.
        """
        earlier, later = sorted((self, other), key=Person._last_met_first)
        earlier.note_what_changes({field: getattr(later, field) for field, _ in MERGED_DETAILS})
        for field in ("description", *(field for field, _ in MERGED_DETAILS), "scanned_text"):
            old, new = getattr(earlier, field), getattr(later, field)
            # The same but for its case ("ada lovelace" typed in a hurry): the one known first stays.
            setattr(other, field, old if not new or new.strip().lower() == old.strip().lower() else new)
        other.hiring = later.hiring or earlier.hiring
        other.connected_on_linkedin = self.connected_on_linkedin or other.connected_on_linkedin
        other.linkedin_connected_on = min((d for d in (self.linkedin_connected_on, other.linkedin_connected_on) if d),
                                          default=None)
        other.created_at = min(self.created_at, other.created_at)
        other.save()
        _move_meetings(Conversation.select().where(Conversation.person == self),
                       Conversation.select().where(Conversation.person == other),
                       same_place=lambda c: c.event_id, move=lambda c: setattr(c, "person", other))
        other.keep_one_open_follow_up(self)  # first: the database holds each person to one open follow-up
        for model in (FollowUp, Outcome, Attachment):
            model.update(person=other).where(model.person == self).execute()
        other.add_tags(sorted(set(self.tag_names()) - set(other.tag_names())))
        self.delete_instance()

    def _last_met_first(self):
        """The order of two records of one person by when they were met: the day of the latest event each was met
        at (the day added, for one never met), then the one typed in last."""
        return (self.last_met_on or self.created_at.date(), self.created_at, self.id)

    def keep_one_open_follow_up(self, *others):
        """A person has one follow-up to do at most (the list shows a person once, the form ticks one box, and the
        database refuses a second: followup_person_open). Of this person's open follow-ups and those of others
        being made one with them, the soonest due stays, as this person's, with the others' reasons added to its
        own; past what a reason holds, they go into the notes of the latest meeting instead. The others' closed
        follow-ups are left where they are. Call inside db.write()."""
        whose = [self.id, *(other.id for other in others)]
        still_open = list(FollowUp.select().where(FollowUp.person.in_(whose), FollowUp.is_open)
                          .order_by(FollowUp.due_on, FollowUp.id))
        if not still_open:
            return
        kept, extra = still_open[0], still_open[1:]
        if extra:
            FollowUp.delete().where(FollowUp.id.in_([f.id for f in extra])).execute()
            reasons = FollowUp.distinct_reasons(f.reason for f in still_open)
            together = "; ".join(reasons)
            limit = FollowUp.reason.max_length
            latest = self.conversations().first() if len(together) > limit else None
            if latest is None:  # they fit (or, with no meeting to note them in, as much of them as fits)
                kept.reason = together[:limit]
            else:
                kept.reason = reasons[0]
                latest.notes = "\n\n".join(n for n in (latest.notes, "Also to follow up: " + "; ".join(reasons[1:]))
                                            if n)
                latest.save()
        if extra or kept.person_id != self.id:
            kept.person = self
            kept.save()

    @classmethod
    def keep_one_open_follow_up_each(cls):
        """Every person with more than one open follow-up (saved by a release that allowed it) keeps one."""
        doubled = (cls.select().join(FollowUp, on=(FollowUp.person == cls.id)).where(FollowUp.is_open)
                   .group_by(cls.id).having(fn.COUNT(FollowUp.id) > 1))
        for person in doubled:
            person.keep_one_open_follow_up()


def label_of(name, description, email, phone, company):
    """How a person is shown, the same on every page, list and file: their name, or what the user noted to
    recognise them; else, for someone imported with neither (a contact with only an email), how to reach them or
    where they work. From the columns LABELLED, for a list read as plain rows."""
    return name or description or email or phone or (f"Someone at {company}" if company else "Someone")


# The person's columns label_of() reads, in its order: what a list that shows people must select.
LABELLED = (Person.name, Person.description, Person.email, Person.phone, Person.company)


def _move_meetings(moving, staying, same_place, move):
    """Give each of the `moving` meetings its new event or person (`move`). One person meets at one event once:
    where one of `staying` has the same place (`same_place`: its person, or its event), the two become one,
    with both notes and the voice notes and photos of both. Call inside db.write()."""
    there = {same_place(c): c for c in staying}
    for conversation in moving:
        kept = there.get(same_place(conversation))
        if kept is None:
            move(conversation)
            conversation.save()
        else:
            kept.notes = "\n\n".join(n for n in (kept.notes, conversation.notes) if n)
            kept.save()
            Attachment.update(conversation=kept).where(Attachment.conversation == conversation).execute()
            # Its entries, sent again from a phone that never heard back, find the meeting they are now part of.
            LaterEntry.update(conversation=kept).where(LaterEntry.conversation == conversation).execute()
            LaterEntry.create(uuid=conversation.uuid, conversation=kept, sent=conversation.sent)
            conversation.delete_instance()


# A person's details that can differ between two records of the same person, with how "Then: ..." names them.
# Where a phone number starts and ends in what was noted or imported ("Mobile: +44 7700 900123 (work)").
DIALLED = re.compile(r"\+?[0-9][0-9 ()./-]*[0-9]")
MERGED_DETAILS = (("name", "name"), ("role", "role"), ("company", "at"), ("email", "email"), ("phone", "phone"),
                  ("linkedin_url", "LinkedIn"))


def then_note(then, now):
    """What then (a person's details, as a dict) says that now says otherwise, as a meeting's notes put it: "Then:
    role CTO · at Acme.", or "" when nothing differs. A value that differs only in case is the same."""
    differ = [f"{label} {then[field]}" for field, label in MERGED_DETAILS
              if then.get(field) and now.get(field) and then[field].strip().lower() != now[field].strip().lower()]
    return "Then: " + " · ".join(differ) + "." if differ else ""


class Conversation(Model):
    """Meeting a person at an event, with what was talked about there."""

    # Made on the phone for entries logged offline, so a retried sync stores them once.
    uuid = UUIDField(unique=True, default=uuid.uuid4)
    person = ForeignKeyField(Person, backref="meetings", on_delete="CASCADE")
    event = ForeignKeyField(Event, backref="meetings", on_delete="CASCADE")
    notes = TextField(default="")
    # When they were met: when it was saved, or for an entry the phone kept with no signal and sent later, when the
    # phone logged it (Event.time_met): the day met (a conference's exports, a follow-up) and which event of the
    # evening the phone was at then are counted from it.
    created_at = DateTimeField(default=utcnow)
    # What the entry that made this meeting sent, condensed (logbook.sent_as): the same entry sent again is known
    # as such even after the meeting was edited. Empty for meetings made before it was kept.
    sent = CharField(max_length=64, default="")

    class Meta:
        indexes = ((("event", "person"), True),)

    def day_met(self, zone):
        """The day of the meeting: the event's day, or for a conference of several days the day they were met, on
        the clock where the event is (zone: the user's, for an event in theirs). One logged outside the event's
        days (added afterwards, or imported) is put on its first day: the day it was met is not known."""
        event = self.event
        if event.last_day_listed == event.starts_on:  # an evening past midnight too
            return event.starts_on
        met = event.clock_at(self.created_at.replace(tzinfo=datetime.UTC).astimezone(zone)).date()
        return met if event.starts_on <= met <= event.last_day else event.starts_on


class LaterEntry(Model):
    """An entry (the log form's or the phone's id for one save) that went into a meeting another entry made:
    someone met again at an event they were already logged at, or two meetings made one. Its id still finds
    that meeting, so the same entry sent again (its answer lost on a weak signal) is not stored twice, and a
    voice note or photo sent after it finds its meeting. Not in the backup: a phone sends an entry again within
    hours or days of making it, not after a restore."""

    uuid = UUIDField(unique=True)
    conversation = ForeignKeyField(Conversation, backref="+", on_delete="CASCADE")
    # What it sent, condensed, as Conversation.sent.
    sent = CharField(max_length=64, default="")


def meeting_of_entry(entry):
    """The id of the meeting an entry went into, the one it made or the one it was added to, as a subquery."""
    return (Conversation.select(Conversation.id).where(Conversation.uuid == entry)
            .union_all(LaterEntry.select(LaterEntry.conversation).where(LaterEntry.uuid == entry)))


class Tag(Model):
    """A free label the user puts on people ("python", "recruiter")."""

    owner = ForeignKeyField(User, backref="tags", on_delete="CASCADE")
    name = CharField(max_length=40)

    class Meta:
        indexes = ((("owner", "name"), True),)


class PersonTag(Model):
    person = ForeignKeyField(Person, backref="person_tags", on_delete="CASCADE")
    tag = ForeignKeyField(Tag, backref="person_tags", on_delete="CASCADE")

    class Meta:
        indexes = ((("person", "tag"), True),)


class FollowUp(Model):
    """Something to do for a person after the event, with the reason it is worth doing."""

    person = ForeignKeyField(Person, backref="follow_ups", on_delete="CASCADE")
    # The person's owner, kept here too so an account's follow-ups are found by its own index: found through
    # its people, a large account reads them all; found from every follow-up due, a small account on a shared
    # server reads everyone else's. Filled from the person on save (and by the schema for older rows).
    owner = ForeignKeyField(User, null=True, backref="+", on_delete="CASCADE")
    event = ForeignKeyField(Event, null=True, backref="follow_ups", on_delete="SET NULL")
    reason = CharField(max_length=200, default="")
    due_on = DateField(index=True)
    done_on = DateField(null=True)
    dropped_on = DateField(null=True)
    # The user picked its due date ("Later…"): counted from its event no more, it stays when the event's dates
    # change. Counted again from a meeting when the person is met again with "Follow up" ticked.
    moved_by_hand = BooleanField(default=False)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        # Follow-ups done per event (Insights) are counted from the index alone.
        indexes = ((("event", "done_on"), False),)

    def save(self, *args, **kwargs):
        if self.owner_id is None and self.person_id is not None:
            self.owner_id = Person.select(Person.owner).where(Person.id == self.person_id).scalar()
        return super().save(*args, **kwargs)

    @staticmethod
    def distinct_reasons(reasons):
        """The reasons of follow-ups made one, in order, each once (whatever its case), the empty ones left out."""
        kept = []
        for reason in (r.strip() for r in reasons):
            if reason and reason.lower() not in (k.lower() for k in kept):
                kept.append(reason)
        return kept

    @hybrid_property
    def is_open(self):
        """Still to do: neither done nor dropped. Works on a follow-up and in a query (FollowUp.is_open)."""
        return self.done_on is None and self.dropped_on is None

    @is_open.expression
    def is_open(cls):  # noqa: N805 (the class, when used in a query)
        return cls.done_on.is_null() & cls.dropped_on.is_null()


OUTCOME_KINDS = [
    ("job_lead", "Job lead"),
    ("referral", "Referral"),
    ("advice", "Advice"),
    ("collaboration", "Collaboration"),
    ("helped_them", "Helped them"),
    ("friendship", "Friendship"),
    ("other", "Other"),
]


class Outcome(Model):
    """What came of meeting someone, recorded later: a job lead, a referral, a friendship."""

    person = ForeignKeyField(Person, backref="outcomes", on_delete="CASCADE")
    kind = CharField(max_length=20)
    happened_on = DateField()
    text = CharField(max_length=300, default="")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        # Outcomes by kind are counted from the index alone.
        indexes = ((("person", "kind"), False),)


# Only open follow-ups are ever listed or counted as due: this index holds an account's open ones and nothing
# else, so the number due today and the Follow-ups page cost the same after years of follow-ups done, and the
# same for a small account on a server shared with large ones.
FollowUp.add_index(FollowUp.index(FollowUp.owner, FollowUp.due_on, FollowUp.id, name="followup_owner_open_due_on")
                   .where(FollowUp.is_open))
# A person has one follow-up to do at most: two saves of the same person at the same moment (a phone and the
# web, on PostgreSQL) cannot make two (see _new_follow_up, which adds to the one there instead).
FollowUp.add_index(FollowUp.index(FollowUp.person, name="followup_person_open", unique=True).where(FollowUp.is_open))
# The last few done (the Follow-ups page) are read newest first from this index, not sorted from every one.
FollowUp.add_index(FollowUp.index(FollowUp.owner, FollowUp.done_on, FollowUp.id, name="followup_owner_done_on")
                   .where(FollowUp.done_on.is_null(False)))
# "Met before?" is asked on every person logged: by name in any case, or by LinkedIn profile, each answered
# from its own index instead of reading every person of the account.
Person.add_index(Person.index(Person.owner, fn.LOWER(Person.name), name="person_owner_lower_name"))
Person.add_index(Person.index(Person.owner, Person.linkedin_url, name="person_owner_linkedin_url"))
# Every page's header asks for today's and the next events (last day from today on), and home for the latest
# past ones: by their last day, read from here, not tested one by one over years of events.
Event.add_index(Event.index(Event.owner, Event.last_day, name="event_owner_last_day"))


# --- The questions every page asks, their SQL built once (see prepared.py) ------------------------------

NEXT_EVENTS_SHOWN = 10
# An evening's event is still "today's" until this time the next morning, unless its end time says otherwise,
# and one whose end time was this long ago is over. Yesterday's events read for it: at most this many.
NIGHT_ENDS = datetime.time(5, 0)
ONE_DAY = datetime.timedelta(days=1)
AFTER_THE_END = datetime.timedelta(hours=3)
# People met the days before a planned event (its eve, a workshop before a conference) may belong to it.
EARLY_DAYS = datetime.timedelta(days=3)
# People arrive before an event's start time: from this long before it, it takes over from the day's quick event.
DOORS_OPEN = datetime.timedelta(minutes=30)
LAST_NIGHT_READ = 5
# An event planned again with the same details within this time is the same event sent twice.
SENT_AGAIN_WITHIN = datetime.timedelta(minutes=2)
SOONEST_FIRST = (Event.starts_on, Event.start_time.asc(nulls="first"), Event.id)
# Past events, the one that ended last first: read in that order from the index on the last day.
LATEST_FIRST = (Event.last_day.desc(), Event.starts_on.desc(), Event.start_time.desc(nulls="last"), Event.id.desc())


def _with_met():
    """Events, each with how many people were met there: counted only for the rows asked for, so the
    latest five of 3,000 events cost five counts."""
    met = Conversation.select(fn.COUNT(Conversation.id)).where(Conversation.event == Event.id)
    return Event.select(Event, met.alias("met"))


def _zone_named(name):
    """The time zone of that name, or None (empty, or not a zone: a name from a cookie or a file never reaches
    the file system unless it is one)."""
    from .rules import is_time_zone  # rules checks values against these models

    if not is_time_zone(name):
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _or_404(found):
    if found is None:
        abort(404)
    return found


def _event_of(data, met, last_met):
    """An event of its own for this request, from the kept row of another (the request may change it)."""
    event = Event(__no_default__=1, **data)
    event.met, event.last_met = met, last_met
    event._dirty.clear()
    return event


def _events_from_the_day(met_by=False):
    """The events from the day `today` on (a conference until its last day), soonest first, each with when someone
    was last met there (`last_met`): met_by, only by the time `met_by`."""
    def build():
        met_here = Conversation.event == Event.id
        if met_by:
            met_here &= Conversation.created_at <= Param("met_by", Conversation.created_at)
        return (_with_met().select_extend(Conversation.select(fn.MAX(Conversation.created_at)).where(met_here)
                                          .alias("last_met"))
                .where(Event.owner == Param("owner"), Event.last_day >= Param("today", Event.starts_on))
                .order_by(*SOONEST_FIRST).limit(Param("limit")))
    return Prepared(build)


# Today's and later events, each with when someone was last logged there.
_next_events = _events_from_the_day()
# The events of a time someone was met (User.event_met_at), each as it stood then.
_events_met_by = _events_from_the_day(met_by=True)
_past_events = Prepared(lambda: _with_met().where(
    Event.owner == Param("owner"), Event.last_day < Param("today", Event.starts_on))
    .order_by(*LATEST_FIRST).limit(Param("limit")))
_own_event = Prepared(lambda: Event.select().where(Event.owner == Param("owner"), Event.id == Param("id")))
_own_person = Prepared(lambda: Person.select().where(Person.owner == Param("owner"), Person.id == Param("id")))
# Counted from the account's open follow-ups due (followup_owner_open_due_on), not through its people.
_due_count = Prepared(lambda: FollowUp.select(fn.COUNT(FollowUp.id)).where(
    FollowUp.owner == Param("owner"), FollowUp.is_open, FollowUp.due_on <= Param("today", FollowUp.due_on)).tuples())
# Someone met at an event, as its page lists them (a row, hashable: the row's HTML is kept under it).
MetHere = collections.namedtuple("MetHere", "conversation_id person_id label company role notes hiring following")
# The page shows the start of the notes (cut to 90 characters): only that much is read, and kept with the row.
NOTES_SHOWN = 200
# Only what the event's list shows, as plain rows: turning every column of 30 or 300 rows into models was most of
# the work.
_met_here = Prepared(lambda: (
    Conversation.select(Conversation.id, fn.SUBSTR(Conversation.notes, 1, NOTES_SHOWN), Person.id, *LABELLED,
                        Person.role, Person.hiring, fn.EXISTS(
        FollowUp.select(FollowUp.id).where(FollowUp.person == Conversation.person, FollowUp.is_open)
    ).alias("following"))
    .join(Person).where(Conversation.event == Param("event"))
    .order_by(Conversation.created_at.desc(), Conversation.id.desc())))
_make_tags = Prepared(lambda: Tag.insert_from(
    Select([NodeList((Texts("names"), SQL("AS wanted")))], [Param("owner"), SQL("wanted.value")]),
    [Tag.owner, Tag.name]).on_conflict_ignore().returning())
_tag_person = Prepared(lambda: PersonTag.insert_from(
    Tag.select(Param("person"), Tag.id).where(Tag.owner == Param("owner"), Tag.name.in_(Texts("names"))),
    [PersonTag.person, PersonTag.tag]).returning())
# The login a cookie names, with its account, in one query: asked on every request of a logged-in user.
_live_login = Prepared(lambda: Login.select(Login, User).join(User).where(
    Login.token == Param("token"), Login.started_at > Param("started_after", Login.started_at),
    Login.last_used_at > Param("used_after", Login.last_used_at)))
_count_a_change = Prepared(lambda: User.update(data_version=User.data_version + 1).where(User.id == Param("id")))
_met_count = Prepared(lambda: Conversation.select(fn.COUNT(Conversation.id))
                      .where(Conversation.event == Param("event")).tuples())


ATTACHMENT_KINDS = {"voice": "voice note", "photo": "photo"}
THUMBNAIL_SIDE = 160  # a photo's small copy fits in this square


class Attachment(Model):
    """A voice note or a photo taken while meeting someone: the other hand holds a drink.

    Kept in the database with the meeting, so one transaction, one backup and one server cover it.
    It may arrive before the meeting it belongs to (a phone sends what it kept offline in any order,
    and a form asking "Met before?" is sent twice): until then it waits under the entry's id with no
    person, and storing the meeting links it.
    """

    # Made on the phone: a voice note sent again after a lost answer is stored once.
    uuid = UUIDField(unique=True, default=uuid.uuid4)
    owner = ForeignKeyField(User, backref="attachments", on_delete="CASCADE")
    # The id of the log form's entry (the conversation's uuid) it was made with.
    entry = UUIDField(null=True, index=True)
    person = ForeignKeyField(Person, backref="attachments", null=True, on_delete="CASCADE")
    conversation = ForeignKeyField(Conversation, backref="attachments", null=True, on_delete="SET NULL")
    kind = CharField(max_length=10)
    content_type = CharField(max_length=40)
    content = BlobField()
    # A photo's small copy for lists (a few KB), so an event's page never loads every full photo.
    thumbnail = BlobField(null=True)
    size = IntegerField(default=0)
    width = IntegerField(null=True)
    height = IntegerField(null=True)
    created_at = DateTimeField(default=utcnow)

    @property
    def kind_name(self):
        return ATTACHMENT_KINDS.get(self.kind, self.kind)

    @property
    def small_size(self):
        """The small copy's width and height, so a list keeps its layout while the pictures load."""
        width, height = self.width or THUMBNAIL_SIDE, self.height or THUMBNAIL_SIDE
        scale = min(1, THUMBNAIL_SIDE / max(width, height))
        return max(1, round(width * scale)), max(1, round(height * scale))

    @classmethod
    def listed(cls):
        """Attachments without their bytes: what lists and checks need."""
        return cls.select(*[f for f in cls._meta.sorted_fields if not isinstance(f, BlobField)])

    @classmethod
    def of_people(cls, person_ids):
        """Every voice note and photo of these people, oldest first, without their bytes: one query."""
        return (cls.listed().where(cls.person.in_(list(person_ids)))
                .order_by(cls.created_at, cls.id))

    @classmethod
    def of_meetings(cls, conversation_ids):
        """The voice notes and photos made at these meetings, without their bytes: one query."""
        return _of_meetings.rows(ids=conversation_ids)

    @classmethod
    def waiting_for(cls, owner_id, entry):
        """What was sent with an entry not stored yet (the form asked "Met before?")."""
        return cls.listed().where(cls.owner == owner_id, cls.entry == entry, cls.person.is_null())

    @classmethod
    def link_entry(cls, owner_id, entry, conversation):
        """Give the voice notes and photos sent with this entry their person and meeting. Call inside db.write():
        one arriving at this moment waits for this meeting to be stored, or this for it to be kept (see
        attachments.store), so whichever comes second finds the other."""
        if entry is None:
            return 0
        User.take_turns(owner_id)
        return _link_entry.run(person=conversation.person_id, conversation=conversation.id, owner=owner_id,
                               entry=entry)


_of_meetings = Prepared(lambda: Attachment.listed().where(Attachment.conversation.in_(Ids("ids")))
                        .order_by(Attachment.created_at, Attachment.id))
_link_entry = Prepared(lambda: Attachment.update(person=Param("person"), conversation=Param("conversation")).where(
    Attachment.owner == Param("owner"), Attachment.entry == Param("entry", Attachment.entry),
    Attachment.person.is_null()))


class TwoPeople(Model):
    """Two people of an account with the same name or LinkedIn profile who are not the same person, as the user
    answered: neither page offers to make them one any more. `first` is the one with the smaller id."""

    owner = ForeignKeyField(User, backref="+", on_delete="CASCADE")
    first = ForeignKeyField(Person, backref="+", on_delete="CASCADE")
    second = ForeignKeyField(Person, backref="+", on_delete="CASCADE")

    class Meta:
        indexes = ((("first", "second"), True),)

    @classmethod
    def note(cls, a, b):
        """Remember that a and b (the owner's people) are two people; said twice, it is remembered once."""
        first, second = sorted((a.id, b.id))
        cls.insert(owner=a.owner_id, first=first, second=second).on_conflict_ignore().execute()


class Deletion(Model):
    """A person or an event just deleted, kept for a few minutes so the "Undo" in the message can bring it back
    (webapp/undo.py); then, for a person, only that they were deleted (no name, no notes), for as long as a login
    lasts, so an edit form left open on another device can say so.

    Not part of the backup: its copy is gone minutes later, and a restored account has nothing to undo.
    """

    owner = ForeignKeyField(User, backref="+", on_delete="CASCADE")
    # What was deleted: "person" or "event". Rows kept before events could be undone are people.
    kind = CharField(max_length=10, default="person")
    label = CharField(max_length=200, default="")
    # What was deleted with it, as JSON, ids included (a person: their meetings and everything about them; an
    # event: its meetings, and which follow-ups, voice notes and photos pointed at it); emptied once undone or too
    # old to undo.
    rows = TextField()
    deleted_at = DateTimeField(default=utcnow, index=True)
    # A deleted person's id, and the one Undo brought them back under: an edit form of theirs left open on another
    # device is told they were deleted, or is sent on to them, instead of a bare 404.
    person_id = IntegerField(null=True)
    back_as = IntegerField(null=True)

    @property
    def named(self):
        """What was deleted, as messages name it: a person by their label, an event in quotes."""
        return f"“{self.label}”" if self.kind == "event" else self.label

    class Meta:
        # The name from when only people were kept: an upgrade keeps the deletions of the last minutes and weeks.
        table_name = "deletedperson"


class Summary(Model):
    """Figures worked out from a whole account (Insights), kept as JSON until the account changes or the day
    does: looking again costs one row, however many people and events are behind it. Not in the backup."""

    owner = ForeignKeyField(User, backref="summaries", on_delete="CASCADE")
    name = CharField(max_length=40)
    data_version = IntegerField()
    day = DateField()
    figures = TextField()

    class Meta:
        indexes = ((("owner", "name"), True),)

    @classmethod
    def kept(cls, user, name, day):
        """The figures kept for the user's account as it is now, on this day, or None."""
        row = _summary.first(owner=user.id, name=name)
        if row is None or row.data_version != user.data_version or row.day != day:
            return None
        return json.loads(row.figures)

    @classmethod
    def keep(cls, user, name, day, figures):
        kept = {cls.data_version: user.data_version, cls.day: day, cls.figures: json.dumps(figures)}
        (cls.insert({cls.owner: user.id, cls.name: name, **kept})
         .on_conflict(conflict_target=[cls.owner, cls.name], update=kept).execute())


_summary = Prepared(lambda: Summary.select().where(Summary.owner == Param("owner"), Summary.name == Param("name")))


class Attempt(Model):
    """One counted try (a failed login, a sign-up, a reset request) for the limits that hold across
    every worker and host sharing this database. Rows older than their window are deleted."""

    key = CharField(max_length=255, index=True)
    at = DoubleField()
    expires_at = DoubleField(index=True)


class Login(Model):
    """One device logged in to an account (a phone, a borrowed laptop): its own session, which the profile lists and
    which ends alone ("Log out") or with the others ("Log out everywhere", a new password, deleting the account)."""

    # What the login cookie holds instead of the account's id: random, so knowing an id is not being logged in.
    token = CharField(max_length=64, unique=True, default=new_login_token)
    user = ForeignKeyField(User, backref="+", on_delete="CASCADE")  # user.logins() lists the live ones
    started_at = DateTimeField(default=utcnow)
    # Noted at most every few minutes (accounts.sessions.USE_NOTED_EVERY), not with a write on every page.
    last_used_at = DateTimeField(default=utcnow)
    device = CharField(max_length=80, default="")  # "Chrome on Android", from the browser's User-Agent

    @classmethod
    def live(cls, token, started_after, used_after):
        """The login a cookie names, its account joined (login.user), if it has not ended; else None."""
        return _live_login.first(token=token, started_after=started_after, used_after=used_after)

    def note_use(self, now):
        self.last_used_at = now
        Login.update(last_used_at=now).where(Login.id == self.id).execute()


# What an account holds (every part of it is in its backup) ...
ALL = [User, Event, Person, Conversation, Tag, PersonTag, FollowUp, Outcome, Attachment]
# ... and every table, with the server's own bookkeeping.
TABLES = [*ALL, LaterEntry, MergedEvent, TwoPeople, Deletion, Attempt, Summary, Login]
