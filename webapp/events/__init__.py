"""Events: plan one with a goal, see who you met there and how close you are to the goal."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .. import db, kept
from ..forms import ConfirmForm, changed_message
from ..models import Attachment, Event, event_label
from ..people.logbook import follow_ups_due_again
from . import undo
from .forms import EventEditForm, EventForm, MergeForm

bp = Blueprint("events", __name__, url_prefix="/events")
bp.add_url_rule("/deleted/<int:kept_id>/undo", view_func=undo.undo_delete, methods=("POST",))
PAST_PER_PAGE = 50
# Years of planned events would still make one long page: the soonest are shown, the rest as they come closer.
UPCOMING_SHOWN = 100
MAX_PAGE = 10_000  # a page number from the address bar must not overflow the database's integers
MERGE_CHOICES = 50  # the planned events offered for a quick event's people, the nearest to its day


@bp.route("/")
@login_required
def index():
    """The events to come, soonest first, then the past ones, latest first, fifty to a page."""
    try:
        page = int(request.args.get("page", 1))
    except ValueError:
        page = 0
    if page < 1:
        flash("There is no such page of events: here is the first.", "info")
        return redirect(url_for("events.index"))
    page = min(page, MAX_PAGE)
    upcoming = []
    if page == 1:  # older pages hold only past events
        upcoming = list(current_user.upcoming_events().limit(UPCOMING_SHOWN + 1))
    # One more than shown tells whether there is an older page.
    past = list(current_user.past_events().offset((page - 1) * PAST_PER_PAGE).limit(PAST_PER_PAGE + 1))
    return render_template("events/index.html", page=page, upcoming=upcoming[:UPCOMING_SHOWN],
                           more_upcoming=len(upcoming) > UPCOMING_SHOWN, past=past[:PAST_PER_PAGE],
                           has_older=len(past) > PAST_PER_PAGE)


@bp.route("/new", methods=("GET", "POST"))
@login_required
def new():
    """Plan an event: when, where, what kind, and the goal (three new people unless you say otherwise)."""
    form = EventForm()
    if not form.is_submitted():
        form.starts_on.data = current_user.today()
        form.timezone.data = current_user.away_from_home()
    if form.validate_on_submit():
        with db.write():
            event = Event(owner=current_user.id)
            form.populate_obj(event)
            if "timezone" not in request.form:  # a form kept on the phone from before the field
                event.timezone = current_user.away_from_home()
            event.end_after_the_start()
            event = current_user.same_event_just_planned(event) or event
            event.save()
        flash("Event saved. Have a good one!", "success")
        return redirect(url_for("events.show", event_id=event.id))
    return render_template("events/form.html", form=form, event=None)


@bp.route("/<int:event_id>")
@login_required
def show(event_id):
    """The goal's progress and everyone met here, newest first."""
    event = current_user.event_or_404(event_id)
    # Last night's evening turns past in the small hours, not at midnight: part of what the page is kept under.
    past = event.is_past(current_user.now())
    return render_template("events/show.html", event=event,
                           body=kept.part("event", lambda: page_body(event, past), event.id, past))


def page_body(event, past):
    conversations = event.people_met()
    event.met = len(conversations)
    attachments = {}
    for a in Attachment.of_meetings([c.conversation_id for c in conversations]):
        attachments.setdefault(a.conversation_id, []).append(a)
    return render_template("events/_page.html", event=event, conversations=conversations, progress=event.progress(),
                           attachments=attachments, past=past,
                           merge=merge_form(event) if event.quick else None,
                           moved_here=current_user.quick_event_before(event))


def merge_form(event):
    """The planned events nearest the quick event's day, offered to move its people to."""
    form = MergeForm()
    form.into.choices = [(e.id, event_label(e.name, e.starts_on))
                         for e in current_user.planned_events_near(event.starts_on, MERGE_CHOICES)]
    return form


@bp.route("/<int:event_id>/merge", methods=("POST",))
@login_required
def merge(event_id):
    """Put the people of a quick event under the real event they were met at."""
    event = current_user.event_or_404(event_id)
    # Any of the user's planned events will do, not only the ones the list offered (a page kept from before).
    form = MergeForm()
    if not form.validate_on_submit():
        flash("Pick the event these people belong to.", "error")
        return redirect(url_for("events.show", event_id=event.id))
    into = current_user.event_or_404(form.into.data)
    if into.quick or into.id == event.id:
        flash("People met on a day with no event planned can be moved to an event you planned, not to another day.",
              "error")
        return redirect(url_for("events.show", event_id=event.id))
    with db.write():
        event.merge_into(into)
        # Their follow-ups are for after the event they were met at now: not due while a conference still runs.
        follow_ups_due_again(into, current_user.zone)
    flash(f"Everyone from “{event.name}” is now under “{into.name}”.", "success")
    return redirect(url_for("events.show", event_id=into.id))


@bp.route("/<int:event_id>/edit", methods=("GET", "POST"))
@login_required
def edit(event_id):
    """Change an event's details or goal; the people met there stay."""
    event = current_user.event_or_404(event_id)
    stored = EventEditForm.details_of(event)
    form = EventEditForm(obj=event)
    if form.opened_for_another(event.created_at):  # deleted since, and its id given to the next one (SQLite)
        abort(404)
    form.last_day_shown = event.last_day_on_the_form
    if not form.is_submitted():
        form.ends_on.data = event.last_day_on_the_form
        form.opened_with(stored, event.created_at)
    if form.validate_on_submit():
        changed_elsewhere = form.changed_elsewhere(stored, event.created_at)
        if not changed_elsewhere:
            with db.write():
                save_changes(event, form)
            flash("Event updated.", "success")
            return redirect(url_for("events.show", event_id=event.id))
        flash(changed_message(changed_elsewhere, stored), "error")
    return render_template("events/form.html", form=form, event=event)


def save_changes(event, form):
    """Write the edit form's details to event, and move its follow-ups with its days. Call inside db.write()."""
    zone, days, was = event.timezone, (event.starts_on, event.last_day), event.start_and_end()
    end = event.end_time, event.last_day_on_the_form
    # A form kept on the phone from before a field was added leaves what it did not show as it was.
    if "end_time" not in request.form:
        form.end_time.data = event.end_time
    end_as_it_was = (form.end_time.data, form.ends_on.data) == end
    form.populate_obj(event)
    if "timezone" not in request.form:
        event.timezone = zone
    event.last_day_after_the_first(days)
    event.end_after_the_start(was if end_as_it_was else None)
    event.save()
    if (event.starts_on, event.last_day) != days:  # moved, or a day longer: so are its follow-ups
        follow_ups_due_again(event, current_user.zone)


@bp.route("/<int:event_id>/delete", methods=("GET", "POST"))
@login_required
def delete(event_id):
    """Ask first, then delete the event; the people stay in the address book, and the message's Undo brings the
    event back for a few minutes."""
    event = current_user.event_or_404(event_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        with db.write():
            undo.delete_event(event)
        flash(f"“{event.name}” was deleted.", "undo")
        return redirect(url_for("home.index"))
    return render_template("events/delete.html", event=event, met=event.met_count(), only_here=event.met_only_here(),
                           form=form)
