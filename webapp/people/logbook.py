"""Writing down a meeting: the person, the conversation at the event, and any follow-up.

`store_meeting` is the one way in for someone just met, from the log form and from the
phone's offline queue alike: it stores each entry once however often it is sent.
"""

import datetime
import hashlib
import json
import uuid

from peewee import JOIN, IntegrityError, fn

from .. import db, rules, search
from ..followups.wording import said_due
from ..imports.contact_cards import fill_from_card
from ..models import (
    Attachment,
    Conversation,
    Event,
    FollowUp,
    LaterEntry,
    Person,
    User,
    as_stored,
    lowered_spellings,
    meeting_of_entry,
    then_note,
)
from ..prepared import Param, Prepared, PreparedInsert

FOLLOW_UP_AFTER = datetime.timedelta(days=2)
PERSON_FIELDS = ("name", "description", "company", "role", "email", "phone", "linkedin_url", "scanned_text", "hiring")
# Everything noted about a meeting: what the log form and the phone send, and what the edit form shows; with
# which contact fields the phone filled from a scanned card (see fill_from_card), which is not kept.
MEETING_FIELDS = (*PERSON_FIELDS, "notes", "tags", "follow_up", "follow_up_reason", "scanned_filled")

CREATED, ALREADY_SAVED, UPDATED, CONFLICT, NOT_FOUND, MAYBE_KNOWN = (
    "created", "already saved", "updated", "conflict", "not found", "maybe known")


class Logged:
    """What became of one entry: its status, the conversation when stored, and who it may be when asked."""

    def __init__(self, status, conversation=None, matches=(), new_here=True):
        self.status = status
        self.conversation = conversation
        self.matches = list(matches)
        # False when a known person was confirmed at an event they were already logged at: the count did not move.
        self.new_here = new_here


def split_tags(text):
    """Tag names as stored (see rules.split_tags): one definition for the form, the phone and the tags."""
    return rules.split_tags(text)


def store_meeting(owner_id, event, details, entry=None, same_as="new", fresh_id_if_taken=False, today=None,
                  met_at=None):
    """Store someone met at the owner's event once per entry id; the log form and the phone's sync both call this.

    event: the owner's Event, as the caller already read it, or an event's id (checked to be the owner's).
    details: a dict of MEETING_FIELDS (PersonForm.details()). entry: the id the form or phone made
    for this entry; None (or not a UUID) makes a new one. same_as: "new" for someone new, a person's
    id to link someone already known, None to ask first when a known person looks the same
    (MAYBE_KNOWN, with the matches). A person id that is not the owner's person (deleted since it was
    picked, on another phone say, or never theirs) makes someone new: the entry is not lost, and
    nothing says whether that person exists.

    An entry already stored for the owner is ALREADY_SAVED when its content matches and CONFLICT
    when it does not; nothing is written again. Another user's entry id or event is NOT_FOUND
    (never confirmed to exist); with fresh_id_if_taken another user's
    entry id is quietly replaced by a new one instead. Two identical requests racing each other
    both succeed: the loser of the unique index finds the winner's row on its second look.
    today: the day it is for the user (User.today()), which a follow-up is counted from (see follow_up_due).
    met_at: when the phone logged an entry it kept with no signal (aware, in the user's zone): the meeting keeps
    that time, and its follow-up counts from that day, not from the day it was sent (see _when_met).
    """
    entry = _as_uuid(entry)
    details = fill_from_card(details)  # what the phone could not read from a scanned contact card
    event_id = event.id if isinstance(event, Event) else event
    for last_try in (False, True):
        try:
            with db.write():
                # A second try reads the event again: it may have been deleted meanwhile.
                logged = _store(owner_id, event_id if last_try else event, details, entry, same_as,
                                fresh_id_if_taken, today, met_at)
                if logged.conversation is not None and logged.status != CONFLICT:
                    # The voice notes and photos made with this entry, sent before it or with it.
                    Attachment.link_entry(owner_id, entry, logged.conversation)
                return logged
        except IntegrityError:
            if last_try:
                raise


def _store(owner_id, event, details, entry, same_as, fresh_id_if_taken, today, met_at):
    event_id = event.id if isinstance(event, Event) else event
    existing = entry and _entry_stored.first(entry=entry)
    if existing and existing.person.owner_id != owner_id:
        if not fresh_id_if_taken:
            return Logged(NOT_FOUND)
        existing, entry = None, None
    if existing:
        # The same entry if it says what it said when stored, however the meeting was edited or added to since.
        sent = existing.sent if existing.uuid == entry else existing.later.sent
        if sent:
            same = sent == sent_as(details, event_id)
        else:  # stored before what was sent was kept: the same if the meeting still says it
            same = comparable(meeting_details(existing.person, existing), existing.event_id) == comparable(
                details, event_id)
        if not same and _changed_on_the_phone_only(existing, entry, event_id, sent):
            # Its answer was lost, and the form came back with it: what was added there before saving again
            # is the user's latest word, and nothing was changed here since to be overwritten.
            update_meeting(existing.person, existing, details, _when_met(existing.event, met_at, today)[1])
            existing.sent = sent_as(details, event_id)
            existing.save()
            return Logged(UPDATED, existing)
        return Logged(ALREADY_SAVED if same else CONFLICT, existing)
    if not isinstance(event, Event):
        event = Event.get_or_none((Event.id == event_id) & (Event.owner == owner_id))
        if event is None:
            return Logged(NOT_FOUND)
    met_at, today = _when_met(event, met_at, today)
    if same_as is None:
        # Someone with this name or profile is already known: ask before making a second one (the same someone
        # saved from two tabs at once too: the second waits for the first and is asked).
        User.take_turns(owner_id)
        matches = known_people(owner_id, details)
        if matches:
            return Logged(MAYBE_KNOWN, matches=matches)
    person = None
    if same_as not in (None, "new"):
        person = Person.get_or_none((Person.id == same_as) & (Person.owner == owner_id))
    if person is None:
        _, conversation = log_meeting(owner_id, event, details, conversation_uuid=entry, today=today, met_at=met_at)
    else:
        already_here = Conversation.select().where(Conversation.person == person,
                                                   Conversation.event == event).exists()
        _, conversation = meet_again(person, event, details, conversation_uuid=entry, today=today, met_at=met_at)
        return Logged(CREATED, conversation, new_here=not already_here)
    return Logged(CREATED, conversation)


def _when_met(event, met_at, today):
    """When someone logged at event was met, and the day their follow-up counts from: for an entry the phone kept
    (met_at), the time it says, within reason (Event.time_met), and its day where the event is; for one saved as
    it was made, None (now) and today."""
    if met_at is None:
        return None, today
    met_at = event.time_met(met_at, datetime.datetime.now(datetime.UTC))
    return met_at, event.clock_at(met_at).date()


def _changed_on_the_phone_only(existing, entry, event_id, sent):
    """Whether an entry sent again with other details can simply be applied: the meeting is the one this entry
    made, at the same event, and still says what the entry first sent (not edited on the web, nor added to
    by another entry since). Otherwise the first version stands and the phone is told (CONFLICT)."""
    return bool(sent) and existing.uuid == entry and existing.event_id == event_id and sent == sent_as(
        meeting_details(existing.person, existing), existing.event_id)


def saved_message(person, progress, counted=True):
    """What the user is told once someone is saved: "Jane saved. 2 of 3 met." and the goal when reached
    (only by the person who reached it: confirming someone already logged here does not reach it again)."""
    reached = " Goal reached!" if counted and progress.met == progress.goal else ""
    return f"{person.label} saved. {progress}.{reached}"


def comparable(details, event_id):
    """The parts of an entry that must match for a repeat to count as the same entry."""
    wanted = bool(details.get("follow_up"))
    tags = details.get("tags") or []
    if isinstance(tags, str):
        tags = split_tags(tags)
    return {
        **{k: details.get(k) or _empty(k) for k in PERSON_FIELDS},
        "notes": details.get("notes") or "",
        "tags": sorted({t.strip().lower()[:40] for t in tags if t.strip()}),
        "follow_up": wanted,
        "follow_up_reason": (details.get("follow_up_reason") or "") if wanted else "",
        "event_id": event_id,
    }


def sent_as(details, event_id):
    """An entry's content, condensed: kept with what it stored, to know the same entry when it is sent again."""
    text = json.dumps(comparable(details, event_id), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def log_meeting(owner_id, event, details, conversation_uuid=None, today=None, met_at=None):
    """Create a person met at event from details (a dict of the form's fields), met at met_at (aware; None: now).
    Call inside db.write()."""
    with search.indexed_once(db.database()) as index:
        person = _new_person.create(owner=owner_id, **{k: details.get(k) or _empty(k) for k in PERSON_FIELDS})
        index(person.id)
        conversation = _new_conversation.create(person=person, event=event, notes=details.get("notes") or "",
                                                sent=sent_as(details, event.id), **_made(conversation_uuid, met_at))
        # Someone new has no tags or follow-up to replace: two queries fewer on every person logged.
        person.add_tags(details.get("tags") or [])
    if details.get("follow_up"):
        _new_follow_up(person, event, details.get("follow_up_reason"), today=today, noted_at=met_at)
    return person, conversation


def _made(entry, met_at):
    """The columns of a new row that say which entry made it and when, where they are not the defaults."""
    return {**({"uuid": entry} if entry else {}), **({"created_at": as_stored(met_at)} if met_at else {})}


def known_people(owner_id, details, limit=3):
    """People already known who may be the one just logged: the same name (any case) or LinkedIn profile.

    Each comes with the latest conversation, to say where the user met them before.
    """
    name = (details.get("name") or "").strip()
    linkedin_url = details.get("linkedin_url") or ""
    found = {}
    for lookup, values in ((_named, name and _spellings(name)),
                           (_with_profile, linkedin_url and {"value": linkedin_url})):
        if values:
            for p in lookup.rows(owner=owner_id, limit=limit, **values):
                found[p.id] = p
    people = sorted(found.values(), key=lambda p: (p.created_at, p.id), reverse=True)[:limit]
    if not people:  # the usual answer: someone new
        return []
    latest = {}
    for c in (Conversation.select(Conversation, Event).join(Event)
              .where(Conversation.person.in_([p.id for p in people]))
              .order_by(Event.starts_on, Conversation.created_at)):
        latest[c.person_id] = c
    return [(p, latest.get(p.id)) for p in people]


def _latest_people_where(matching):
    """The owner's latest people matching(), newest first."""
    return Prepared(lambda: Person.select().where(Person.owner == Param("owner"), matching())
                    .order_by(Person.created_at.desc(), Person.id.desc()).limit(Param("limit")))


# One lookup per way of being the same, each on its own index: an OR of the two reads every person. The
# spellings of a name are three values of their own: bound as one list, SQLite read every person newest first.
SPELLINGS = 3
_named = _latest_people_where(lambda: fn.LOWER(Person.name).in_([Param(f"spelling{i}") for i in range(SPELLINGS)]))
_with_profile = _latest_people_where(lambda: Person.linkedin_url == Param("value"))


def _spellings(name):
    spellings = lowered_spellings(name)
    return {f"spelling{i}": spellings[min(i, len(spellings) - 1)] for i in range(SPELLINGS)}
# Someone new is the one write every save makes: its SQL is built once.
_new_person = PreparedInsert(Person)
_new_conversation = PreparedInsert(Conversation)
# The meeting an entry went into, made by it or added to (with how it was sent then, in `sent`).
_entry_stored = Prepared(lambda: Conversation.select(Conversation, Person, LaterEntry.sent).join(Person)
                         .switch(Conversation)
                         .join(LaterEntry, JOIN.LEFT_OUTER, on=(LaterEntry.conversation == Conversation.id)
                               & (LaterEntry.uuid == Param("entry", LaterEntry.uuid)), attr="later")
                         .where(Conversation.id.in_(meeting_of_entry(Param("entry", Conversation.uuid)))))


def names_them(typed, name):
    """Whether what was typed is the name, or the start of it as typed to find them in "Already met?": each word
    typed begins a word of the name, in any case and with or without accents ("grace hop", "zoe" for "Zoë")."""
    known = [search.fold(w) for w in search.WORD.findall(name)]
    typed_words = [search.fold(w) for w in search.WORD.findall(typed)]
    return bool(typed_words) and all(any(k.startswith(t) for k in known) for t in typed_words)


def meet_again(person, event, details, conversation_uuid=None, today=None, met_at=None):
    """Link someone already known to one more event instead of making a duplicate. Call inside db.write().

    What was typed at their latest meeting is the newest news (a new company, a new role), so it
    replaces what was known, which goes into the notes of where it was true ("Then: at Acme."). A
    meeting written up after a later one (back-filled) tells what was true then: what is known stays,
    and what differs goes into this meeting's notes. Either way fields left empty keep their old
    value, tags are added, notes go to this event's conversation (appended if they were already
    logged here).
    """
    typed = dict(details)
    if person.name and names_them(details.get("name") or "", person.name):
        typed["name"] = ""  # "jane doe" typed in a hurry, or "grace hop" typed to find her: "Jane Doe" stays
    then = ""
    if person.met_after(event):
        then = then_note(typed, person.details())
        news = {k: v for k, v in typed.items() if not getattr(person, k, None)}  # only what was not known
    else:
        person.note_what_changes(typed)  # before this meeting is added: the latest one so far is where they were
        news = typed
        person.hiring = person.hiring or bool(details.get("hiring"))
    for k in PERSON_FIELDS:
        if k != "hiring" and news.get(k):
            setattr(person, k, news[k])
    with search.indexed_once(db.database()) as index:
        index(person.id)
        person.save()
        notes = "\n\n".join(n for n in (details.get("notes") or "", then) if n)
        conversation = Conversation.get_or_none(Conversation.person == person, Conversation.event == event)
        if conversation is None:
            conversation = _new_conversation.create(person=person, event=event, notes=notes,
                                                    sent=sent_as(details, event.id),
                                                    **_made(conversation_uuid, met_at))
        elif notes:
            conversation.notes = (conversation.notes + "\n\n" + notes).strip()
            conversation.save()
        if conversation_uuid and conversation.uuid != conversation_uuid:
            # Logged here already: this entry's id finds the meeting it went into, should it be sent again.
            LaterEntry.create(uuid=conversation_uuid, conversation=conversation, sent=sent_as(details, event.id))
        person.set_tags(person.tag_names() + list(details.get("tags") or []))
    if details.get("follow_up"):
        # Met again with "Follow up" ticked and no reason typed: the reason noted before stays.
        set_follow_up(person, event, True, details.get("follow_up_reason"), keep_reason=True, today=today,
                      met_again=True, noted_at=met_at)
    return person, conversation


def update_meeting(person, conversation, details, today=None):
    """Apply edited details to a person and the notes of one conversation. Call inside db.write()."""
    update_person(person, details, conversation, today)


def update_person(person, details, conversation=None, today=None):
    """Apply edited details to a person, and the notes to conversation when a meeting is edited: from their own
    page there is none (imported, or their events deleted since). A follow-up ticked there goes with their latest
    meeting, if any. Call inside db.write()."""
    for k in PERSON_FIELDS:
        setattr(person, k, details.get(k) or _empty(k))
    with search.indexed_once(db.database()) as index:
        index(person.id)
        person.save()
        if conversation is not None:
            conversation.notes = details.get("notes") or ""
            conversation.save()
        person.set_tags(details.get("tags") or [])
    meeting = conversation or person.conversations().first()
    set_follow_up(person, meeting and meeting.event, details.get("follow_up"), details.get("follow_up_reason"),
                  today=today)


def set_follow_up(person, event, wanted, reason, keep_reason=False, today=None, met_again=False, noted_at=None):
    """Keep at most one open follow-up per person: create, reword, or drop it. keep_reason: an empty reason
    leaves the one noted before (the log form starts empty; the edit form shows the reason it changes).

    met_again: "Follow up" was ticked while logging a meeting at event. An open follow-up from an earlier
    meeting is then promised again at this one: it moves here, due as counted from it, so its card, its
    message ("great to meet you at...") and the calendar all speak of the latest meeting, not of one long past.
    noted_at: when a new one was noted, on a phone with no signal (aware; None: now).
    """
    current = person.open_follow_up()
    if wanted and current:
        changed = met_again and _renewed(current, event, today)
        if current.reason != reason and not (keep_reason and not reason):
            _reword(current, reason, today or datetime.date.today(), person.owner_id)
            changed = True
        if changed:
            current.save()
    elif wanted:
        _new_follow_up(person, event, reason, keep_reason, today, noted_at)
    elif current:
        current.dropped_on = datetime.date.today()
        current.save()


def _reword(follow_up, reason, today, owner_id):
    """Give an open follow-up a new reason, and the day it makes due by the same rule as when it is noted
    (follow_up_due): reworded to say when ("ping in 2 days"), it is due then, counted from today, and still not
    before the event is over; reworded to say no time any more, it is due as if it never had. A day picked with
    "Later…" stays."""
    said_before = _said_due(follow_up.reason, today)
    follow_up.reason = reason
    said = _said_due(reason, today)
    if follow_up.moved_by_hand or not (said or said_before):  # no time before or now: its day stays
        return
    event = follow_up.event if follow_up.event_id else None
    meeting = (Conversation.select(Conversation.created_at).order_by(Conversation.created_at.desc())
               .where(Conversation.person == follow_up.person_id, Conversation.event == follow_up.event_id).first())
    zone = User.select(User.timezone).where(User.id == owner_id).get().zone
    due = follow_up_due(event, _day_noted(follow_up.created_at, meeting and meeting.created_at, zone))
    follow_up.due_on = max(due, said) if said else due


def _day_noted(created_at, met_at, zone):
    """The day, in zone, a follow-up was noted: when it was made (ticked when a meeting was edited, say), or at
    the meeting it was promised again at (met_at), whichever is later."""
    noted_at = max(created_at, met_at or created_at)
    return noted_at.replace(tzinfo=datetime.UTC).astimezone(zone).date()


def _renewed(follow_up, event, today):
    """Move an open follow-up to a meeting at event when that event is later than its own (or it has none left);
    whether it moved. Logged at an earlier event (written up afterwards), it stays with the latest meeting."""
    if follow_up.event_id == event.id or (follow_up.event_id and follow_up.event.starts_on >= event.starts_on):
        return False
    follow_up.event = event
    follow_up.due_on = follow_up_due(event, today or datetime.date.today(), follow_up.reason)
    follow_up.moved_by_hand = False
    return True


def follow_ups_due_again(event, zone):
    """After an event's dates changed: its open follow-ups are due by follow_up_due again, each counted from the
    day it was noted (in zone, the user's), so none is due before the event is over, or even before it starts.
    Those the user moved by hand keep the day they picked. Call inside db.write()."""
    for follow_up in (FollowUp.select(FollowUp.id, FollowUp.due_on, FollowUp.reason, FollowUp.created_at,
                                      Conversation.created_at)
                      .join(Conversation, JOIN.LEFT_OUTER, attr="meeting",
                            on=(Conversation.person == FollowUp.person) & (Conversation.event == FollowUp.event))
                      .where(FollowUp.event == event.id, FollowUp.is_open, ~FollowUp.moved_by_hand)):
        met_at = follow_up.meeting.created_at if getattr(follow_up, "meeting", None) else None
        due_on = follow_up_due(event, _day_noted(follow_up.created_at, met_at, zone), follow_up.reason)
        if due_on != follow_up.due_on:
            FollowUp.update(due_on=due_on).where(FollowUp.id == follow_up.id).execute()


def follow_up_due(event, today, reason=""):
    """When a follow-up noted today for someone met at event is due: FOLLOW_UP_AFTER after the day they were met,
    and not before the day after the event's last day; or later, when its reason says when ("check in in 3
    months": three months after the day they were met).

    A follow-up is for after the event: at a six-day conference, someone met on the first day is followed up
    once it is over (the day after, with the others), not while both are still there; someone met on its last
    day gets the same two days as at an evening meetup. The day they were met is today, within the event's
    days: logged after midnight at last night's meetup, or from a card a week later, it was the event's last day.
    """
    if event is None:  # someone imported, or whose events were deleted: from the day it is noted
        return max(today + FOLLOW_UP_AFTER, _said_due(reason, today) or today)
    met_on = min(max(today, event.starts_on), event.last_day)
    try:
        due = max(met_on + FOLLOW_UP_AFTER, event.last_day + datetime.timedelta(days=1))
    except OverflowError:  # an event on the last days a date can hold, kept from before dates were checked
        return event.last_day
    return max(due, _said_due(reason, met_on) or due)


def _said_due(reason, day):
    try:
        return said_due(reason, day)
    except (OverflowError, ValueError):  # "in 999 years" from a date near the end of the calendar
        return None


def _new_follow_up(person, event, reason, keep_reason=False, today=None, noted_at=None):
    # today: the user's (User.today()); without one (a script, a test), the server's. noted_at: on the phone, when
    # its entry was made: it is counted from then again when the event's days change (follow_ups_due_again).
    due_on = follow_up_due(event, today or datetime.date.today(), reason)
    # Another save of this person that made one meanwhile (PostgreSQL lets both read "none"): this reason replaces
    # its, as it would have a moment later (an empty one too, unless the reason before is to stay).
    kept = FollowUp.reason if keep_reason and not reason else reason
    noted = {"created_at": as_stored(noted_at)} if noted_at else {}
    (FollowUp.insert(person=person, owner=person.owner_id, event=event, reason=reason, due_on=due_on, **noted)
     .on_conflict(conflict_target=[FollowUp.person], conflict_where=FollowUp.is_open,
                  update={FollowUp.reason: kept}).execute())


def meeting_details(person, conversation=None):
    """What is noted about a stored meeting, as the form shows it (tags as text): fills the edit form. With no
    conversation, what is known of the person, for the form on their own page."""
    follow_up = person.open_follow_up()
    details = {k: getattr(person, k) for k in PERSON_FIELDS}
    details.update(
        notes=conversation.notes if conversation else "",
        tags=", ".join(person.tag_names()),
        follow_up=follow_up is not None,
        follow_up_reason=follow_up.reason if follow_up else "",
    )
    return details


def _as_uuid(text):
    try:
        return uuid.UUID(str(text)) if text else None
    except ValueError:
        return None


def _empty(field):
    return False if field == "hiring" else ""
