"""Imports: events from an .ics calendar file, and restoring a backup into an empty account.

The calendar import has two steps (upload, then pick). The events found in the upload travel
to the second step inside a token signed with the app's secret, bound to the user and valid
for an hour: nothing the browser sends back can add an event that was not in the file, and no
server-side store is needed, so it works the same under any number of workers or machines.
"""

from datetime import date

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import SelectChoice

from .. import db, errors
from .calendar import (
    CalendarError,
    add_events,
    already_imported,
    imported_and_cancelled,
    last_day_listed,
    read_calendar,
)
from .forms import (
    CalendarUploadForm,
    ConnectionsUploadForm,
    ContactsUploadForm,
    PickEventsForm,
    PickPeopleForm,
    RestoreForm,
)
from .people import ContactsError, Preview, apply, read_connections, read_contacts
from .restore import BackupError, is_empty, read_backup, restore

bp = Blueprint("imports", __name__, url_prefix="/import")

TOKEN_MAX_AGE = 3600
# Years of events fit in a backup of this size (about 0.8 KB a person, about 0.4 MB a photo and 0.3 MB a
# voice note); the app-wide limit stays 5 MB.
BACKUP_MAX_BYTES = 100 * 1024 * 1024
# A phone's contacts come with their photos: 400 iPhone contacts make about 7 MB. The photos are skipped unread
# (see contact_cards.UNKEPT) and a file holds at most MAX_CARDS cards, so a file this big is read in seconds.
CONTACTS_MAX_BYTES = 50 * 1024 * 1024
# LinkedIn keeps at most 30,000 connections: about 6 MB.
CONNECTIONS_MAX_BYTES = 10 * 1024 * 1024
# Each upload's limit (its setting and default), and the page it comes back to when over it, saying so.
# A calendar keeps the app-wide 5 MB: icalendar reads about 0.7 MB a second, and a worker has 30 seconds.
UPLOADS = {
    "imports.backup": ("BACKUP_MAX_BYTES", BACKUP_MAX_BYTES, "imports/backup.html", RestoreForm,
                       "This file is over the {mb} MB a backup may have. Is it really a Hallway backup?"),
    "imports.contacts": ("CONTACTS_MAX_BYTES", CONTACTS_MAX_BYTES, "imports/contacts.html", ContactsUploadForm,
                         "This file is too big: over the {mb} MB a contacts file may have. Export fewer contacts "
                         "at a time (on an iPhone: one list of them)."),
    "imports.connections": ("CONNECTIONS_MAX_BYTES", CONNECTIONS_MAX_BYTES, "imports/connections.html",
                            ConnectionsUploadForm, "This file is too big: over the {mb} MB LinkedIn's "
                            "Connections.csv may have. Is it really Connections.csv?"),
    "imports.calendar": ("MAX_CONTENT_LENGTH", None, "imports/calendar.html", CalendarUploadForm,
                         "This file is too big: over the {mb} MB a calendar file may have. Export a shorter "
                         "stretch of the calendar, or the .ics of the events you want."),
}


@bp.url_value_preprocessor
def upload_limits(endpoint, values):
    """Limits for the big uploads, set before anything (the CSRF check included) reads the request body."""
    if endpoint in UPLOADS:
        request.max_content_length = upload_limit(endpoint)
    elif endpoint in ("imports.add", "imports.add_people"):
        # The token carries the file's events: let it be as big as the upload it came from.
        request.max_form_memory_size = current_app.config["MAX_CONTENT_LENGTH"]


def upload_limit(endpoint):
    setting, default, *_ = UPLOADS[endpoint]
    return current_app.config.get(setting, default)


@bp.errorhandler(RequestEntityTooLarge)
def too_big(error):
    """An upload over its limit gets its own page back, with the limit it has and what to do."""
    if request.endpoint not in UPLOADS or not current_user.is_authenticated:
        return errors.too_big(error)
    _, _, template, form_class, message = UPLOADS[request.endpoint]
    form = form_class(formdata=None)
    form.file.errors = [message.format(mb=upload_limit(request.endpoint) // 2**20)]
    empty = is_empty(current_user) if request.endpoint == "imports.backup" else None
    return render_template(template, form=form, empty=empty), 413


def _signer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=current_user.salt("hallway-calendar-import"))


@bp.route("/calendar", methods=("GET", "POST"))
@login_required
def calendar():
    """Upload an .ics file; the events in it are listed to pick from, upcoming ones ticked."""
    form = CalendarUploadForm()
    if form.validate_on_submit():
        today = current_user.today()
        try:
            found = read_calendar(form.file.data.read(), current_user.zone, today)
        except CalendarError as e:
            form.file.errors.append(str(e))
        else:
            token = _signer().dumps({"user": current_user.id, "events": found.events})
            upcoming = [i for i, e in enumerate(found.events) if last_day_listed(e) >= today]
            pick = PickEventsForm(formdata=None, token=token, events=upcoming)
            pick.events.choices = _choices(found.events)
            return _pick_page(pick, found.events, today, found=found)
    return render_template("imports/calendar.html", form=form)


@bp.route("/calendar/add", methods=("POST",))
@login_required
def add():
    """Add the ticked events; one already imported (same calendar UID) is updated, never doubled."""
    form = PickEventsForm()
    try:
        payload = _signer().loads(form.token.data or "", max_age=TOKEN_MAX_AGE)
        if payload["user"] != current_user.id:
            raise BadSignature("another account's upload")
        events = payload["events"]
    except (BadSignature, KeyError, TypeError):
        flash("That upload has expired. Choose the calendar file again.", "error")
        return redirect(url_for("imports.calendar"))
    form.events.choices = _choices(events)
    if not form.validate_on_submit():
        return _pick_page(form, events, current_user.today())
    with db.write():
        picked = [events[i] for i in sorted(set(form.events.data))]
        added, updated, unchanged = add_events(current_user, picked)
    flash(_summary(added, updated, unchanged), "success")
    return redirect(url_for("home.index"))


def _choices(events):
    return [SelectChoice(i, e["name"]) for i, e in enumerate(events)]


def _pick_page(form, events, today, found=None):
    """The events as checkboxes, marking the ones already imported; and the events imported before that the file
    cancels, each with a link to delete it."""
    known = set(already_imported(current_user, events))
    cancelled = imported_and_cancelled(current_user, found) if found else []
    return render_template("imports/pick.html", form=form, events=events, found=found, known=known,
                           cancelled=cancelled, today=today.isoformat())


@bp.app_template_filter("last_day_listed")
def listed_until(event):
    """An event of the file's last day as listed (calendar.last_day_listed), as the pick list's days are written:
    "2026-12-06"."""
    return last_day_listed(event).isoformat()


@bp.app_template_filter("iso_day")
def iso_day(value):
    """"2026-12-03" as "Thu 3 Dec 2026" on the pick list."""
    return date.fromisoformat(value).strftime("%a %-d %b %Y")


def _summary(added, updated, unchanged):
    parts = []
    if added:
        parts.append(f"{added} event{'s' if added != 1 else ''} added")
    if updated:
        parts.append(f"{updated} already imported and updated")
    if unchanged:
        parts.append(f"{unchanged} already imported and unchanged")
    return "; ".join(parts).capitalize() + "."


# Both people imports: what is read, and what the pages say.
PEOPLE_IMPORTS = {
    "connections": (ConnectionsUploadForm, read_connections, "imports/connections.html"),
    "contacts": (ContactsUploadForm, read_contacts, "imports/contacts.html"),
}


def _people_signer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=current_user.salt("hallway-people-import"))


@bp.route("/connections", methods=("GET", "POST"), defaults={"kind": "connections"}, endpoint="connections")
@bp.route("/contacts", methods=("GET", "POST"), defaults={"kind": "contacts"}, endpoint="contacts")
@login_required
def people_upload(kind):
    """Upload LinkedIn's Connections.csv or a phone's .vcf; a preview shows who matches and who could be added."""
    form_class, read, template = PEOPLE_IMPORTS[kind]
    form = form_class()
    if form.validate_on_submit():
        try:
            preview = Preview(current_user.id, read(form.file.data.stream))
        except ContactsError as e:
            form.file.errors.append(str(e))
        else:
            if not preview.total:
                form.file.errors.append("There is nobody in this file." + (
                    f" {skipped(preview)}" if preview.skipped else ""))
            else:
                # Only what the import would change travels: the people already up to date are a count.
                token = _people_signer().dumps({"user": current_user.id, "kind": kind, "matches": preview.matches,
                                                "others": preview.others, "up_to_date": preview.up_to_date})
                pick = PickPeopleForm(formdata=None, token=token, matches=preview.ticked())
                return _people_page(pick, kind, preview.matches, preview.others, preview)
    return render_template(template, form=form)


@bp.route("/people/add", methods=("POST",))
@login_required
def add_people():
    """Update the ticked matches and add the ticked others; importing the same file again changes nothing."""
    form = PickPeopleForm()
    try:
        payload = _people_signer().loads(form.token.data or "", max_age=TOKEN_MAX_AGE)
        if payload["user"] != current_user.id:
            raise BadSignature("another account's upload")
        kind, matches, others = payload["kind"], payload["matches"], payload["others"]
        up_to_date = payload.get("up_to_date", 0)  # a preview made before it was counted lists them
    except (BadSignature, KeyError, TypeError):
        flash("That upload has expired. Choose the file again.", "error")
        return redirect(url_for("imports.connections"))
    _people_choices(form, matches, others)
    if not form.validate_on_submit():
        return _people_page(form, kind, matches, others)
    with db.write():
        counts = apply(current_user.id, [matches[i] for i in sorted(set(form.matches.data)) if i < len(matches)],
                       [others[i] for i in sorted(set(form.others.data)) if i < len(others)])
    flash(f"{counts['updated']:,} updated, {counts['added']:,} added, "
          f"{counts['unchanged'] + up_to_date:,} already up to date.", "success")
    return redirect(url_for("people.index"))


def _people_choices(form, matches, others):
    # A preview made before rows had labels (its token lasts an hour) shows their names.
    form.matches.choices = [SelectChoice(i, m.get("label") or m["name"]) for i, m in enumerate(matches)]
    form.others.choices = [SelectChoice(i, o.get("label") or o["name"]) for i, o in enumerate(others)]


@bp.app_template_global()
def skipped(preview):
    """What the preview says of the rows it left out, and why."""
    rows = "1 contact was" if preview.skipped == 1 else f"{preview.skipped:,} contacts were"
    return f"{rows} left out: nothing to show them by (no name, email, phone, company or LinkedIn profile)."


def _people_page(form, kind, matches, others, preview=None):
    _people_choices(form, matches, others)
    return render_template("imports/pick_people.html", form=form, kind=kind, matches=matches, others=others,
                           preview=preview)


@bp.route("/backup", methods=("GET", "POST"))
@login_required
def backup():
    """Restore a Hallway backup into this account, if it is still empty."""
    empty = is_empty(current_user)
    form = RestoreForm()
    if form.validate_on_submit():
        try:
            counts = restore(current_user, read_backup(form.file.data.read()))
        except BackupError as e:
            form.file.errors.append(str(e))
        else:
            flash(f"Backup restored: {counts['events']} events and {counts['people']} people.", "success")
            return redirect(url_for("home.index"))
    return render_template("imports/backup.html", form=form, empty=empty)
