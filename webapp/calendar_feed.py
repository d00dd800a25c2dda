"""Reminders that reach the user with no push service: a private calendar feed their calendar app polls.

The address holds a long random token (no login: calendar apps cannot log in), so it is shown only
to its owner and a new one revokes the old. The feed holds the upcoming events with their goal and
each open follow-up on its due day, with a link back and an alert at 09:00; notes only if the user turns
that on.
Built with icalendar; UIDs stay the same across refreshes so calendars update entries in place.
"""

import datetime
import re
import secrets
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_login import current_user, login_required
from icalendar import Alarm, Calendar
from icalendar import Event as CalendarEvent
from peewee import JOIN
from wtforms import BooleanField

from . import db, rules
from .forms import ConfirmForm, Form
from .models import Conversation, Event, FollowUp, Person, User, utcnow

bp = Blueprint("calendar_feed", __name__)
TOKEN_BYTES = 32
PAST_DAYS = 30  # events just gone stay a while, so the day after still shows the goal met or not
NOTES_LENGTH = 500
# When a follow-up's alert goes off: this long after the start of its all-day entry, its day's midnight where the
# user's calendar is, so 09:00 on the day wherever they are. An all-day entry marked free has no alert of its own
# in most calendar apps: without one the reminder would only be seen by someone who opened the calendar that day.
REMIND_AT = datetime.timedelta(hours=9)


class FeedNotesForm(Form):
    """Notes in the feed: off unless the user asks (a calendar is often shared or synced elsewhere)."""

    notes = BooleanField("Show my notes in the calendar")


@bp.app_template_global()
def calendar_notes_form():
    return FeedNotesForm(formdata=None, notes=current_user.calendar_notes)


def new_token():
    return secrets.token_urlsafe(TOKEN_BYTES)


# What new_token() makes (URL-safe base64): anything else in the address is no token, and is not looked up.
A_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


@bp.app_template_global("calendar_feed_url")
def feed_url(user, scheme=None):
    """The feed's address: https wherever the app is served over https."""
    if not user.calendar_token:
        return None
    scheme = scheme or ("https" if request.is_secure or current_app.config.get("SESSION_COOKIE_SECURE")
                        else request.scheme)
    return url_for("calendar_feed.feed", token=user.calendar_token, _external=True, _scheme=scheme)


def _uid(kind, row_id):
    return f"{kind}-{row_id}@hallway"


def _event_entry(event, user, stamp):
    entry = CalendarEvent()
    entry.add("uid", _uid("event", event.id))
    entry.add("dtstamp", stamp)
    entry.add("summary", event.name)
    # An end no one can mean (year 9999, imported before imports refused it) would overflow: start only.
    ends_on = event.ends_on if event.ends_on and event.ends_on <= rules.LATEST_DAY else None
    if event.start_time:
        zone = _zone(event.timezone) or user.zone
        start = datetime.datetime.combine(event.starts_on, event.start_time, zone)
        entry.add("dtstart", start.astimezone(datetime.UTC))
        if event.end_time:
            end = datetime.datetime.combine(ends_on or event.starts_on, event.end_time, zone)
        elif ends_on:  # a conference from 09:00 runs through its last day, not for an instant on its first
            end = datetime.datetime.combine(ends_on + datetime.timedelta(days=1), datetime.time(), zone)
        else:
            end = start
        if end > start:
            entry.add("dtend", end.astimezone(datetime.UTC))
    else:
        entry.add("dtstart", event.starts_on)
        entry.add("dtend", (ends_on or event.starts_on) + datetime.timedelta(days=1))
    goal = f"Your goal: meet {event.goal} {'person' if event.goal == 1 else 'people'}."
    lines = [goal, event.goal_note, url_for("events.show", event_id=event.id, _external=True)]
    entry.add("description", "\n".join(line for line in lines if line))
    if event.place:
        entry.add("location", event.place)
    entry.add("url", url_for("events.show", event_id=event.id, _external=True))
    return entry


def _zone(name):
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _follow_up_entry(follow_up, notes, stamp, today):
    """An open follow-up on its due day; an overdue one on today, saying since when, so that it comes up again each
    day until it is done (the feed is read again every few hours) instead of staying on a day long gone, where a new
    subscriber would never see it nor be reminded."""
    overdue = follow_up.due_on < today
    day = today if overdue else follow_up.due_on
    entry = CalendarEvent()
    entry.add("uid", _uid("follow-up", follow_up.id))
    entry.add("dtstamp", stamp)
    summary = f"Follow up: {follow_up.person.label}" + (" (overdue)" if overdue else "")
    entry.add("summary", summary)
    entry.add("dtstart", day)  # all day: VALUE=DATE
    entry.add("dtend", day + datetime.timedelta(days=1))
    entry.add("transp", "TRANSPARENT")  # a reminder, not a busy slot
    link = url_for("followups.show", follow_up_id=follow_up.id, _external=True)  # its card, on whichever page
    lines = [f"Overdue: it was due on {_long_date(follow_up.due_on)}." if overdue else "", follow_up.reason]
    if follow_up.event_id and not follow_up.event.quick:  # "Met at Met on Mon 7 Dec" names no place
        lines.append(f"Met at {follow_up.event.name}.")
    if notes:
        lines.append(notes[:NOTES_LENGTH])
    lines.append(link)
    entry.add("description", "\n".join(line for line in lines if line))
    entry.add("url", link)
    entry.add_component(_reminder(summary))
    return entry


def _long_date(day):
    return f"{day:%a} {day.day} {day:%b %Y}"  # Thu 5 Mar 2026


def _reminder(text):
    """An alert at REMIND_AT on the entry's day. Only follow-ups have one: an event is in the user's diary because
    they chose to go, their calendar's own default alerts already cover it, and an alert the feed adds cannot be
    turned off in a subscribed calendar, only all of the feed's alerts at once."""
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text)  # what the alert shows: DISPLAY needs one
    alarm.add("trigger", REMIND_AT)  # related to the start, as RFC 5545 takes it when not said
    return alarm


def build_feed(user):
    """The user's calendar: upcoming events, then open follow-ups, as iCalendar bytes."""
    stamp = utcnow().replace(tzinfo=datetime.UTC, microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", "-//Hallway//Follow-ups and events//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Hallway")
    calendar.add("x-wr-caldesc", "Your events and follow-ups from Hallway")
    calendar.add("refresh-interval", datetime.timedelta(hours=6), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")
    since = user.today() - datetime.timedelta(days=PAST_DAYS)
    # A quick event ("Met on Mon 7 Dec") is where Hallway files a day with nothing planned, not a date in the diary.
    for event in (Event.select().where(Event.owner == user.id, Event.starts_on >= since, ~Event.quick)
                  .order_by(Event.starts_on)):
        calendar.add_component(_event_entry(event, user, stamp))
    follow_ups = list(FollowUp.select(FollowUp, Person, Event).join(Person).switch(FollowUp)
                      .join(Event, JOIN.LEFT_OUTER).where(FollowUp.owner == user.id, FollowUp.is_open)
                      .order_by(FollowUp.due_on, FollowUp.id))
    notes = _notes(follow_ups) if user.calendar_notes else {}
    for follow_up in follow_ups:
        calendar.add_component(_follow_up_entry(follow_up, notes.get(follow_up.id, ""), stamp, user.today()))
    return calendar.to_ical()


def _notes(follow_ups):
    """The notes of the meeting each follow-up came from: one query for the whole feed."""
    people = {f.person_id for f in follow_ups}
    by_meeting = {}
    for c in (Conversation.select(Conversation.person, Conversation.event, Conversation.notes)
              .where(Conversation.person.in_(people), Conversation.notes != "")):
        by_meeting[(c.person_id, c.event_id)] = c.notes
        by_meeting.setdefault((c.person_id, None), c.notes)
    return {f.id: by_meeting.get((f.person_id, f.event_id)) or by_meeting.get((f.person_id, None), "")
            for f in follow_ups}


@bp.route("/calendar/<token>.ics")
def feed(token):
    """The private feed a calendar app subscribes to; a wrong or revoked token is simply not found."""
    if not A_TOKEN.fullmatch(token):  # a NUL, say, which PostgreSQL cannot even compare
        abort(404)
    user = User.get_or_none(User.calendar_token == token)
    if user is None or not secrets.compare_digest(user.calendar_token, token):
        abort(404)
    response = current_app.response_class(build_feed(user), mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="hallway.ics"'
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.route("/calendar/feed", methods=("POST",))
@login_required
def turn_on():
    """Make a new private address for the feed (and so revoke the old one, if any)."""
    if ConfirmForm().validate_on_submit():
        with db.write():
            User.update(calendar_token=new_token()).where(User.id == current_user.id).execute()
        flash("Your calendar address is ready: add it to your calendar app. Any older address stops working.",
              "success")
    return redirect(url_for("accounts.profile") + "#calendar-feed")


@bp.route("/calendar/feed/off", methods=("POST",))
@login_required
def turn_off():
    """Stop the feed: its address answers "not found" from now on."""
    if ConfirmForm().validate_on_submit():
        with db.write():
            User.update(calendar_token=None).where(User.id == current_user.id).execute()
        flash("The calendar feed is off; calendars that had it stop getting updates.", "success")
    return redirect(url_for("accounts.profile") + "#calendar-feed")


@bp.route("/calendar/feed/notes", methods=("POST",))
@login_required
def notes_setting():
    """Whether the feed may show the user's notes about people (off unless chosen)."""
    form = FeedNotesForm()
    if form.validate_on_submit():
        with db.write():
            User.update(calendar_notes=form.notes.data).where(User.id == current_user.id).execute()
        flash("Notes are shown in your calendar." if form.notes.data else "Notes stay out of your calendar.",
              "success")
    return redirect(url_for("accounts.profile") + "#calendar-feed")
