"""Reading events from an .ics file (Meetup, Eventbrite, any calendar) with icalendar.

Times keep their meaning: a time with a TZID is stored as the wall-clock time in that zone
(the zone goes in Event.timezone); a UTC time as the wall-clock time in the calendar's own
zone (X-WR-TIMEZONE), else where the user is, that zone stored with it so the event stays at
its instant wherever the user goes next; an all-day event has a date and no time.
"""

import copy
import datetime
import hashlib
import re
import threading
import time
from zoneinfo import ZoneInfo

import icalendar
from icalendar.timezone import tzid_from_dt, tzp
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON
from peewee import SQL, Select, ValuesList, fn

from .. import rules
from ..models import Event, ends_after_midnight

# More than this on one page is no longer a choice anyone can make on a phone.
MAX_SHOWN = 200
# A repeating event is offered as its occurrences in the coming year, up to this many of them, or with none to
# come as its latest in the last ten years; looked for in these windows, in days from today.
UPCOMING_WINDOWS, PAST_WINDOWS = (8, 64, 366), (8, 64, 366, 10 * 366)
# Marks, in memory only, a repeating event whose end was dropped because it cannot be read.
END_UNREADABLE = "X-HALLWAY-END-UNREADABLE"
# Marks, in memory only, a repeating event whose end, before its start, was dropped.
END_BEFORE_START = "X-HALLWAY-END-BEFORE-START"
MAX_OCCURRENCES = 12
# What reading a file's repeating events may take before the rest are offered as written.
EXPANDING_FOR_S = 3.0
FIELD_LIMITS = {"name": 200, "place": 200, "description": 5000}
# A time in UTC is an instant: shown in a zone someone lives in (a calendar exported in UTC names none).
UTC_NAMES = ("", "UTC", "Etc/UTC")
URL_IN_TEXT = re.compile(r"https?://[^\s<>\"']+")
CALENDAR_END = re.compile(r"^END:VCALENDAR[ \t]*\r?$", re.MULTILINE | re.IGNORECASE)
# icalendar keeps each zone a file defines under a name of its own ("(UTC+09:00) Osaka") for the life of the
# process, the first definition winning: the next file, another account's, would be read with it. Each file is
# read on its own, with what the process knew emptied first, one file at a time per process.
_ONE_FILE_AT_A_TIME = threading.Lock()


class CalendarError(ValueError):
    """The file cannot be read as a calendar; the message tells the user why."""


class Found:
    """What a calendar file holds: the events to offer (upcoming first), and what was left out: `cancelled` counts
    the cancelled events, `cancelled_events` are those of them that can be read (to find the ones imported before)."""

    def __init__(self, events, total, unreadable, cancelled, cancelled_events=()):
        self.events = events
        self.total = total
        self.unreadable = unreadable
        self.cancelled = cancelled
        self.cancelled_events = list(cancelled_events)

    @property
    def without_end(self):
        """How many events are offered with their start only, their end or duration being unreadable."""
        return sum(1 for e in self.events if e.get("end_unreadable"))

    @property
    def ending_before_they_start(self):
        """How many events are offered with their start only, their end being before it."""
        return sum(1 for e in self.events if e.get("end_before_start"))

    @property
    def capped(self):
        return self.total > len(self.events)


def read_calendar(data, user_zone, today):
    """Found for the bytes of an .ics file, or CalendarError with a message for the user.

    A UTC time in a calendar that names no zone of its own is shown in user_zone (where the user is), and stored
    with that zone's name."""
    with _ONE_FILE_AT_A_TIME:
        tzp.use(tzp.name)  # forgets the zones earlier files defined
        return _read_calendar(data, user_zone, today)


def _read_calendar(data, user_zone, today):
    calendars = _parse(_text(data))
    candidates, unreadable, cancelled, seen = [], 0, [], set()
    deadline = time.monotonic() + EXPANDING_FOR_S
    for calendar in calendars:
        default_zone = _zone_name(str(calendar.get("X-WR-TIMEZONE", "")))
        # The organiser's cancellation, as Outlook and Google mail it: every event in it is cancelled, with a
        # STATUS line or not (Outlook writes none, and names the event "Canceled: ...").
        cancelling = str(calendar.get("METHOD", "")).strip().upper() == "CANCEL"
        for components in _series(calendar):
            try:
                occurrences = _occurrences(calendar, components, today, deadline)
            except Exception:  # a series the recurrence library cannot expand: offered as written
                occurrences = _as_written(components)
            if not occurrences:
                cancelled.append(None)
            for component, repeated in occurrences:
                is_cancelled = cancelling or str(component.get("STATUS", "")).upper() == "CANCELLED"
                try:
                    event = _candidate(component, user_zone, default_zone, repeated)
                except (ValueError, TypeError, AttributeError, OverflowError, KeyError):
                    if is_cancelled:
                        cancelled.append(None)  # counted, but not to be found among the events imported
                    else:
                        unreadable += 1
                    continue
                if is_cancelled:
                    cancelled.append(event)
                elif event["uid"] not in seen:
                    seen.add(event["uid"])
                    candidates.append(event)
    if not candidates and not unreadable and not cancelled:
        raise CalendarError("There are no events in this calendar file.")
    readable_cancelled = _upcoming_first([e for e in cancelled if e is not None], today)
    return Found(_upcoming_first(candidates, today)[:MAX_SHOWN], len(candidates), unreadable, len(cancelled),
                 readable_cancelled[:MAX_SHOWN])


def _upcoming_first(events, today):
    upcoming = sorted((e for e in events if last_day_listed(e) >= today), key=_start)
    past = sorted((e for e in events if last_day_listed(e) < today), key=_start, reverse=True)
    return upcoming + past


def _series(calendar):
    """The calendar's events grouped by UID: a repeating event with its changed instances, or one event."""
    groups, order = {}, []
    for number, component in enumerate(calendar.walk("VEVENT")):
        uid = str(component.get("UID", "")).strip() or f"no-uid-{number}"
        if uid not in groups:
            groups[uid] = []
            order.append(uid)
        groups[uid].append(component)
    return [groups[uid] for uid in order]


def _repeats(components):
    return any(c.get("RRULE") is not None or c.get("RDATE") is not None or c.get("RECURRENCE-ID") is not None
               for c in components)


def _occurrences(calendar, components, today, deadline):
    """[(component, repeated)]: a single event as it is; a repeating one as its upcoming occurrences.

    The occurrences come from recurring-ical-events, which applies EXDATE and the changed instances
    (RECURRENCE-ID) whatever their order in the file. A series with nothing upcoming is offered as its
    latest occurrence, so every event with a start can still be imported. A series repeating more often
    than daily (no meetup does), or met once the file has taken its time (time.monotonic() past deadline),
    is offered as written: a few lines of RRULE can mean millions of occurrences.
    """
    if not _repeats(components):
        # One event written more than once (an invitation and its update): the latest version (SEQUENCE).
        return [(max(components, key=_version), False)]
    if time.monotonic() > deadline or any(_more_often_than_daily(c) for c in components):
        return _as_written(components)
    import recurring_ical_events  # only a calendar with a repeating event needs it; the app starts quicker

    own = icalendar.Calendar()
    for zone in calendar.walk("VTIMEZONE"):
        own.add_component(zone)
    for component in components:
        own.add_component(_without_broken_end(component))
    query = recurring_ical_events.of(own)
    # The next few, then the latest before today, looked for in windows going forward, then back: a daily
    # series is not listed for a year to show twelve, nor one that ended last month for ten years.
    upcoming, start = {}, today
    for days in UPCOMING_WINDOWS:
        end = today + datetime.timedelta(days=days)
        for occurrence in sorted(query.between(start, end), key=_day_and_time):
            upcoming.setdefault(_day_and_time(occurrence), occurrence)  # one over two windows comes twice
        if len(upcoming) >= MAX_OCCURRENCES or time.monotonic() > deadline:
            break
        start = end
    if upcoming:
        return [(occurrence, True) for occurrence in list(upcoming.values())[:MAX_OCCURRENCES]]
    end = today
    for days in PAST_WINDOWS:
        start = today - datetime.timedelta(days=days)
        found = query.between(start, end)
        if found:
            return [(max(found, key=_day_and_time), True)]
        if time.monotonic() > deadline:
            break
        end = start
    return _as_written(components)


def _version(component):
    try:
        return int(component.get("SEQUENCE", 0))
    except (TypeError, ValueError):
        return 0


def _more_often_than_daily(component):
    rule = component.get("RRULE")
    rules_ = rule if isinstance(rule, list) else [rule] if rule is not None else []
    return any(str(r.get("FREQ", [""])[0]).upper() in ("SECONDLY", "MINUTELY", "HOURLY") for r in rules_)


def _day_and_time(occurrence):
    start = occurrence.get("DTSTART").dt
    if not isinstance(start, datetime.datetime):
        return datetime.datetime.combine(start, datetime.time())
    return start if start.tzinfo is None else start.astimezone(datetime.UTC).replace(tzinfo=None)


def _without_broken_end(component):
    """A copy of the event without an end that cannot be read or comes before its start, marked so, for the
    recurrence library: it would move the start back to a backwards end, and each occurrence would begin then."""
    try:
        start = component.get("DTSTART").dt
    except (ValueError, TypeError, AttributeError):
        return component
    end, unreadable = _end(component, start)
    backwards = end is not None and _comparable(start, end) and end < start
    if not (unreadable or backwards):
        return component
    clean = copy.copy(component)
    for name in ("DTEND", "DURATION"):
        if name in clean:
            del clean[name]
    clean[END_UNREADABLE if unreadable else END_BEFORE_START] = "1"
    return clean


def _as_written(components):
    """The series' own first event, or its last changed instance when the file has only those."""
    masters = [c for c in components if c.get("RECURRENCE-ID") is None]
    return [(c, False) for c in (masters[:1] or components[-1:])]


def _text(data):
    """The file as text: UTF-8 (with or without a byte order mark), or UTF-16 with one. A NUL means nothing in an
    event's name or description, and PostgreSQL cannot store it: it is dropped."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        return rules.drop_nul(data.decode(encoding))
    except UnicodeDecodeError:
        raise CalendarError("This file is not in a text encoding Hallway can read (calendars are UTF-8). "
                            "Download it again from the event page, or save it as UTF-8.") from None


def _parse(text):
    start = text.lstrip().upper()
    if not start.startswith("BEGIN:VCALENDAR"):
        if not (start.startswith("BEGIN:") and "BEGIN:VEVENT" in start):
            raise CalendarError("This is not a calendar file. Choose the .ics file from the event's "
                                "“Add to calendar” link.")
        # A lone event, as some apps share one: the calendar around it is implied.
        text = "BEGIN:VCALENDAR\r\n" + text.strip() + "\r\nEND:VCALENDAR\r\n"
    if not CALENDAR_END.search(text):
        if start.count("BEGIN:VEVENT") != start.count("END:VEVENT"):
            raise CalendarError("This calendar file is cut off before its end. Download it again and retry.")
    # The parser raises many kinds of error on damaged input; all of them mean the same to the user.
    for attempt in (text, text.rstrip() + "\r\nEND:VCALENDAR\r\n"):
        try:
            return icalendar.Calendar.from_ical(attempt, multiple=True)
        except Exception:
            continue
    raise CalendarError("This calendar file is damaged and could not be read. Download it again and retry.")


def _candidate(component, user_zone, default_zone, repeated=False):
    """One event as plain data (kept in the signed token between the two steps)."""
    start = component.get("DTSTART")
    if start is None:
        raise ValueError("no start")
    start = start.dt
    end, end_unreadable = _end(component, start)
    starts_on, start_time, zone = _wall_clock(start, user_zone, default_zone)
    rules.day(starts_on)  # a year 9999 event is unreadable here, not a crash later
    ends_on = end_time = None
    if end is not None and not _before_the_last_day(end):
        end, end_unreadable = None, True  # a year 9999 end: the event is kept with its start only
    # An end before the start (a typo in the file, or a time zone lost on the way) is not the event's: it is kept
    # with its start only, and the pick page says so. An end at the start is an event of no length, as written.
    end_before_start = bool(component.get(END_BEFORE_START)) or (
        end is not None and _comparable(start, end) and end < start)
    if end is not None and _comparable(start, end) and end > start:
        if start_time is None:  # an all-day DTEND is the day after the last day
            last = end - datetime.timedelta(days=1)
            ends_on = last if last > starts_on else None
        else:
            ends_on, end_time, _ = _wall_clock(end, user_zone, zone, into=zone)
            ends_on = ends_on if ends_on != starts_on else None
    description = _text_of(component, "DESCRIPTION")
    uid, earlier_uids = _uid(component, starts_on), None
    if repeated:  # each occurrence is an event of its own, imported once
        uid, earlier_uids = _occurrence_uids(component, uid, (starts_on, start_time, zone), user_zone, default_zone)
    return {
        "uid": uid,
        "earlier_uids": earlier_uids,
        "end_unreadable": end_unreadable,
        "end_before_start": end_before_start,
        "name": _text_of(component, "SUMMARY", "name") or "Untitled event",
        "starts_on": starts_on.isoformat(),
        "start_time": start_time and start_time.isoformat(timespec="minutes"),
        "ends_on": ends_on and ends_on.isoformat(),
        "end_time": end_time and end_time.isoformat(timespec="minutes"),
        "timezone": zone,
        "place": _text_of(component, "LOCATION", "place"),
        "link": _link(str(component.get("URL", ""))) or _link_in(description),
        "description": description[:FIELD_LIMITS["description"]],
    }


def _end(component, start):
    """(end or None, whether an end was given but cannot be read): a damaged end keeps the event."""
    if component.get(END_UNREADABLE):
        return None, True
    try:
        end = component.get("DTEND")
        if end is not None:
            return end.dt, False
        if component.get("DURATION") is not None:
            return start + component.get("DURATION").dt, False
        return None, False
    except (ValueError, TypeError, AttributeError, OverflowError):
        return None, True


def _before_the_last_day(value):
    try:
        rules.day(value.date() if isinstance(value, datetime.datetime) else value)
        return True
    except rules.Invalid:
        return False


def _comparable(start, end):
    """Both dates, or both times with (or both without) a zone: anything else is a broken DTEND, ignored."""
    if type(start) is not type(end):
        return False
    return not isinstance(start, datetime.datetime) or (start.tzinfo is None) == (end.tzinfo is None)


def _wall_clock(value, user_zone, default_zone, into=None):
    """(date, time or None, zone name) as the event page shows it. A time with a zone keeps it, by name: an event
    stored with "" would be read on the clock of wherever the phone is next (Event.clock_at), and a UTC time is
    one instant, not a time of day anywhere."""
    if not isinstance(value, datetime.datetime):
        return value, None, ""
    if value.tzinfo is None:  # floating time: the calendar's own zone if it names one
        return value.date(), value.time(), default_zone
    zone = into if into is not None else _zone_name(tzid_from_dt(value) or "")
    if zone in UTC_NAMES:  # as the calendar's owner sees it, else as the user does where they are
        zone = default_zone if default_zone not in UTC_NAMES else user_zone.key
    local = value.astimezone(ZoneInfo(zone))
    return local.date(), local.time().replace(tzinfo=None), zone


def _zone_name(tzid):
    """An IANA zone name for a TZID: as is, from a Windows name, or from an old /vendor/Region/City path."""
    tzid = WINDOWS_TO_OLSON.get(tzid, tzid).strip()
    parts = tzid.strip("/").split("/")
    for i in range(len(parts)):
        name = "/".join(parts[i:])
        if not name:
            continue
        if rules.is_time_zone(name):  # "America" or "Etc" are folders of zones, not zones
            return name
    return ""


def _occurrence_uids(component, series_uid, start, user_zone, default_zone):
    """(the occurrence's UID, how Hallway knew it before). An occurrence is known by the day the series gives it
    (its RECURRENCE-ID, the day it had before any move), so one the organiser moved to another day, or a series
    moved to another hour, updates the events imported before. Hallway used to know it by the day and time it
    started: "series@2026-12-17T19:00:00"."""
    starts_on, start_time, zone = start
    original = component.get("RECURRENCE-ID")
    original_on = _wall_clock(original.dt, user_zone, default_zone, into=zone)[0] if original else starts_on
    earlier = {"series": f"{series_uid}@", "on_the_day": f"{series_uid}@{original_on.isoformat()}T",
               "as_it_starts": _uid_of_length(f"{series_uid}@{starts_on.isoformat()}"
                                              + (f"T{start_time}" if start_time else ""))}
    return _uid_of_length(f"{series_uid}@{original_on.isoformat()}"), earlier


def already_imported(owner, events):
    """{an event's UID: the owner's Event imported from it before}, in one query. An occurrence imported by an
    earlier version of Hallway is found under the UID it had then: on the same day at any hour (the series
    moved), else as it starts now (a day moved). Each Event is found for one occurrence only."""
    earlier = [e["earlier_uids"] for e in events if e.get("earlier_uids")]
    where = Event.ics_uid.in_([e["uid"] for e in events] + [uids["as_it_starts"] for uids in earlier])
    if earlier:
        where |= _of_a_series(sorted({uids["series"] for uids in earlier}))
    stored = list(owner.events().where(where).order_by(Event.id)) if events else []
    by_uid, found = {e.ics_uid: e for e in stored}, {}
    for event in events:
        if event["uid"] in by_uid:
            found[event["uid"]] = by_uid[event["uid"]]
    ways = (lambda uid, uids: uid.startswith(uids["on_the_day"]), lambda uid, uids: uid == uids["as_it_starts"])
    for way in ways:
        for event in events:
            if event["uid"] in found or not event.get("earlier_uids"):
                continue
            taken = {e.id for e in found.values()}
            match = next((e for e in stored if e.id not in taken and way(e.ics_uid, event["earlier_uids"])), None)
            if match is not None:
                found[event["uid"]] = match
    return found


def imported_and_cancelled(owner, found):
    """The owner's events, imported before, that the file says are cancelled, soonest first: the pick page offers
    to delete them (never without asking: people may have been logged there)."""
    events = already_imported(owner, found.cancelled_events).values()
    return sorted({e.id: e for e in events}.values(), key=lambda e: (e.starts_on, e.start_time or datetime.time.min))


def _of_a_series(prefixes):
    """An event whose UID starts with one of the prefixes ("series@"): the prefixes are a list of values the query
    joins, not one condition each, as a file may hold hundreds of series and SQL parsers nest conditions only so
    deep. Compared exactly, as the UIDs are."""
    series = ValuesList([(prefix,) for prefix in prefixes], alias="series")
    prefix = series.c.column1  # what SQLite and PostgreSQL both call a VALUES list's first column
    return fn.EXISTS(Select([series], [SQL("1")]).where(fn.SUBSTR(Event.ics_uid, 1, fn.LENGTH(prefix)) == prefix))


def _uid(component, starts_on):
    uid = str(component.get("UID", "")).strip()
    if not uid:  # no UID: the same summary on the same day is the same event
        uid = "no-uid:" + hashlib.sha256(f"{component.get('SUMMARY', '')}|{starts_on}".encode()).hexdigest()
    return _uid_of_length(uid)


def _uid_of_length(uid):
    if len(uid) > 255:
        uid = "sha256:" + hashlib.sha256(uid.encode()).hexdigest()
    return uid


def _text_of(component, name, limit_key=None):
    value = component.get(name)
    if isinstance(value, list):
        value = value[0] if value else ""
    text = str(value or "").replace("\r\n", "\n").strip()
    if limit_key:
        text = " ".join(text.split())
        if len(text) > FIELD_LIMITS[limit_key]:
            text = text[:FIELD_LIMITS[limit_key] - 1] + "…"
    return text


def _link(value):
    """The value if it is an http(s) address that fits; nothing else may become a link."""
    value = value.strip()
    if not value.lower().startswith(("http://", "https://")):
        return ""
    try:
        return rules.web_link(value)
    except rules.Invalid:
        return ""


def _link_in(text):
    for match in URL_IN_TEXT.finditer(text):
        link = _link(match.group().rstrip(".,;:!?)]"))
        if link:
            return link
    return ""


def _start(event):
    return event["starts_on"], event["start_time"] or ""


def last_day_listed(event):
    """The last day an event of the file is listed on, as the app lists its own (Event.last_day_listed): an
    evening running past midnight is on its first day alone."""
    starts_on, ends_on = (datetime.date.fromisoformat(event[k]) if event[k] else None for k in ("starts_on", "ends_on"))
    start_time, end_time = (datetime.time.fromisoformat(event[k]) if event[k] else None
                            for k in ("start_time", "end_time"))
    return starts_on if ends_after_midnight(starts_on, ends_on, start_time, end_time) else ends_on or starts_on


CALENDAR_FIELDS = ("name", "starts_on", "start_time", "ends_on", "end_time", "timezone", "place", "link",
                   "description")


def add_events(owner, events):
    """Add the picked events, or refresh the ones already imported (same UID). Call inside db.write().

    Returns (added, updated, unchanged) counts.
    """
    added = updated = unchanged = 0
    imported = already_imported(owner, events)
    for candidate in events:
        values = {
            "name": candidate["name"],
            "starts_on": datetime.date.fromisoformat(candidate["starts_on"]),
            "start_time": _time(candidate["start_time"]),
            "ends_on": candidate["ends_on"] and datetime.date.fromisoformat(candidate["ends_on"]),
            "end_time": _time(candidate["end_time"]),
            "timezone": candidate["timezone"],
            "place": candidate["place"],
            "link": candidate["link"],
            "description": candidate["description"],
        }
        event = imported.get(candidate["uid"])
        if event is None:
            Event.create(owner=owner.id, ics_uid=candidate["uid"], **values)
            added += 1
            continue
        if event.ics_uid != candidate["uid"]:  # imported by an earlier version: found by its UID from now on
            Event.update(ics_uid=candidate["uid"]).where(Event.id == event.id).execute()
        if any(getattr(event, k) != v for k, v in values.items()):
            # Only what the calendar says changes; the goal and the people met stay.
            Event.update(**values).where(Event.id == event.id).execute()
            updated += 1
        else:
            unchanged += 1
    return added, updated, unchanged


def _time(value):
    return datetime.time.fromisoformat(value) if value else None
