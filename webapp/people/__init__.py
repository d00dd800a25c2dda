"""People: log someone in a few taps at the event, fix the details later, find them again years on."""

import uuid

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from playhouse.flask_utils import get_object_or_404
from werkzeug.exceptions import NotFound

from .. import attachments, db, kept
from ..attachments import store as kept_files
from ..forms import ConfirmForm, changed_message
from ..links import safe_next
from ..models import ATTACHMENT_KINDS, Attachment, Conversation, FollowUp
from ..undo import can_undo
from . import directory, outcomes, same_person, undo
from .forms import ConnectedForm, LogPersonForm, MeetingEditForm, PersonDetailsForm
from .logbook import (
    ALREADY_SAVED,
    CONFLICT,
    MAYBE_KNOWN,
    NOT_FOUND,
    UPDATED,
    meeting_details,
    saved_message,
    store_meeting,
    update_meeting,
    update_person,
)

bp = Blueprint("people", __name__)


@bp.url_value_preprocessor
def upload_limits(endpoint, values):
    if endpoint in ("people.new", "people.met_someone"):
        attachments.allow_uploads()  # the log form carries a voice note and a photo
bp.add_url_rule("/people", view_func=directory.index)
bp.add_url_rule("/people/<int:person_id>/outcomes", view_func=outcomes.add_outcome, methods=("POST",))
bp.add_url_rule("/people/deleted/<int:kept_id>/undo", view_func=undo.undo_delete, methods=("POST",))
bp.add_url_rule("/people/<int:person_id>/same-as/<int:other_id>", view_func=same_person.make_one,
                methods=("GET", "POST"))
bp.add_url_rule("/people/<int:person_id>/not-same-as/<int:other_id>", view_func=same_person.two_people,
                methods=("POST",))
bp.add_url_rule("/people/<int:person_id>/outcomes/<int:outcome_id>/delete", view_func=outcomes.delete_outcome,
                methods=("POST",))


@bp.route("/met", methods=("GET", "POST"))
@login_required
def met_someone():
    """"Met someone" from anywhere: logs into today's event, or with none today into a quick event for today
    (never silently into tomorrow's), with the nearest planned event one tap away."""
    event = current_user.event_for_logging()
    if event:
        return log_form(event, others=[e for e in current_user.events_today() if e.id != event.id])
    response = make_response(log_form(None, nearest=current_user.nearest_event()))
    # The first person saved here makes the day's quick event: the phone's copy of this page is then out of date
    # (static/js/sw.js), as a form kept from before it could not name the event.
    response.headers["X-Hallway-Makes-Event"] = "1"
    return response


@bp.route("/events/<int:event_id>/people/new", methods=("GET", "POST"))
@login_required
def new(event_id):
    """Log someone just met: a name or a description is enough; back to the event with the goal moved."""
    event = _event_logged_at(event_id)
    if event.id != event_id and request.method == "GET":
        return redirect(url_for("people.new", event_id=event.id))
    others = []
    if event.is_today(current_user.today()):
        others = [e for e in current_user.events_today() if e.id != event.id]
    if request.method == "GET":
        # A new entry's form: the same for every visit until the event's name, the events of the day or the
        # day change (not with each person saved: it shows none), but for the entry's id (and the CSRF token),
        # which each visit gets its own of.
        entry = str(uuid.uuid4())
        shown = (event.id, event.name, [(e.id, e.name) for e in others], current_user.quick_event_name())
        body = kept.part("log form", lambda: new_entry(event, others, entry), *shown,
                         fresh=[entry], shows_the_account=False)
        return render_template("people/form.html", body=body, person=None)
    return log_form(event, others=others)


def _event_logged_at(event_id):
    """The user's event whose log form this is; or, for the day's quick event merged since (its form left open in
    a tab), the event its people went to, so what was typed is saved there and not lost to a 404."""
    try:
        return current_user.event_or_404(event_id)
    except NotFound:
        into = current_user.event_now(event_id)
        if into is None:
            raise
        return current_user.event_or_404(into)


def new_entry(event, others, entry):
    """What the log form shows for someone not logged yet."""
    form = LogPersonForm(formdata=None)
    form.entry.data = entry
    return render_template("people/_form_page.html", **form_page(form, event, others=others))


def log_form(event, others=(), nearest=None):
    """The log form for event (None: today's quick event, made when the first person is saved)."""
    form = LogPersonForm()
    if not form.is_submitted():
        form.entry.data = str(uuid.uuid4())
    matches, waiting = [], []
    if form.validate_on_submit():
        if event is None:
            with db.write():
                event = current_user.quick_event()
        entry = _entry_id(form)
        details = form.details()
        checked = form.checked()
        if checked and not (details["name"] or details["description"]):
            names = " and ".join(ATTACHMENT_KINDS[kind] for kind in checked).capitalize()
            details["description"] = f"{names} at {current_user.now():%H:%M}"
        # Kept first, under the entry's id: they wait there while "Met before?" is asked, and storing the
        # meeting links them. Sent twice, the same form keeps them once.
        for kind, file in checked.items():
            kept_files.keep(current_user.id, file, entry=entry,
                            attachment_id=kept_files.form_file_id(current_user.id, entry, kind))
        # A form sent again after its answer was lost finds its first copy instead of making a second
        # person; another account's entry id is never confirmed, the person gets a new one.
        logged = store_meeting(current_user.id, event, details, entry=entry,
                               same_as=form.choice(), fresh_id_if_taken=True, today=current_user.today())
        if logged.status == NOT_FOUND:
            abort(404)
        if logged.status in (ALREADY_SAVED, CONFLICT):
            flash(f"{logged.conversation.person.label} is already saved.", "info")
            return redirect(url_for("events.show", event_id=logged.conversation.event_id))
        if logged.status == UPDATED:  # sent again, with what was added after its answer was lost
            flash(f"{logged.conversation.person.label} is saved, with your changes.", "success")
            return redirect(url_for("events.show", event_id=logged.conversation.event_id))
        if logged.status != MAYBE_KNOWN:
            flash(saved_message(logged.conversation.person, event.progress(recount=True), counted=logged.new_here),
                  "success")
            return redirect(url_for("events.show", event_id=event.id))
        matches = logged.matches
        # The form comes back without its files (a browser cannot refill a file field): say they are kept.
        waiting = [ATTACHMENT_KINDS[a.kind] for a in Attachment.waiting_for(current_user.id, entry)]
    return render_template("people/form.html", **form_page(form, event, matches, others, waiting, nearest))


def form_page(form, event, matches=(), others=(), waiting=(), nearest=None):
    """The log form's page for event (None: today's quick event), as people/_form_page.html takes it."""
    action = url_for("people.new", event_id=event.id) if event else url_for("people.met_someone")
    return dict(form=form, event=event, person=None, matches=matches, action=action, others=others, waiting=waiting,
                nearest=nearest, quick_name=current_user.quick_event_name(), today=current_user.today(),
                recommended=recommended_choice(matches, event, form.linkedin_url.data))


def _entry_id(form):
    try:
        return uuid.UUID(form.entry.data)
    except (TypeError, ValueError):
        form.entry.data = str(uuid.uuid4())
        return uuid.UUID(form.entry.data)


def recommended_choice(matches, event, linkedin_url):
    """What Save does once "Met before?" was asked: the same person when the profile matches or they are
    already logged at this event, else someone new (nothing is merged on a guess)."""
    for known, last in matches:
        if linkedin_url and known.linkedin_url == linkedin_url:
            return str(known.id)
        if last is not None and event is not None and last.event_id == event.id:
            return str(known.id)
    return "new"


@bp.route("/events/<int:event_id>/people/<int:person_id>/edit", methods=("GET", "POST"))
@login_required
def edit(event_id, person_id):
    """Correct or complete what was noted about someone met at this event."""
    event = current_user.event_or_404(event_id)
    person = _person_edited(person_id, MeetingEditForm, event)
    conversation = get_object_or_404(Conversation.select(), (Conversation.event == event)
                                     & (Conversation.person == person))
    stored = meeting_details(person, conversation)
    # On POST the submitted fields take precedence over these saved values.
    form = MeetingEditForm(data=stored)
    if not form.is_submitted():
        form.opened_with(stored, person.created_at)
    if form.validate_on_submit():
        changed_elsewhere = form.changed_elsewhere(stored, person.created_at)
        if not changed_elsewhere:
            with db.write():
                update_meeting(person, conversation, form.details(), today=current_user.today())
            flash(f"{person.label} updated.", "success")
            return redirect(url_for("events.show", event_id=event.id))
        flash(_changed_message(changed_elsewhere, stored, person), "error")
    return render_template("people/form.html", form=form, event=event, person=person)


@bp.route("/people/<int:person_id>/edit", methods=("GET", "POST"))
@login_required
def edit_person(person_id):
    """Correct or complete what is known of someone, whether or not a meeting with them is logged."""
    person = _person_edited(person_id, PersonDetailsForm)
    stored = meeting_details(person)
    # On POST the submitted fields take precedence over these saved values.
    form = PersonDetailsForm(data=stored)
    if not form.is_submitted():
        form.opened_with(stored, person.created_at)
    if form.validate_on_submit():
        changed_elsewhere = form.changed_elsewhere(stored, person.created_at)
        if not changed_elsewhere:
            with db.write():
                update_person(person, form.details(), today=current_user.today())
            flash(f"{person.label} updated.", "success")
            return redirect(url_for("people.show", person_id=person.id))
        flash(_changed_message(changed_elsewhere, stored, person), "error")
    return render_template("people/form.html", form=form, event=None, person=person)


def _changed_message(fields, stored, person):
    """changed_message, with a follow-up done or dropped on the other device said in words: what typed here
    (still ticked, a reason) makes a new one when saved again."""
    if stored["follow_up"] or not any(f.name == "follow_up" for f in fields):
        return changed_message(fields, stored)
    latest = person.follow_ups.order_by(FollowUp.created_at.desc(), FollowUp.id.desc()).first()
    ended = f"the follow-up was {'marked done' if latest and latest.done_on else 'dropped'}"
    return changed_message([f for f in fields if f.name not in ("follow_up", "follow_up_reason")], stored, [ended])


def _person_edited(person_id, form_class, event=None):
    """The user's person an edit form is for. For one they deleted on another device since it was opened, the
    answer instead (raised, as a 404 is): the form sent on to them where Undo brought them back under another id,
    else a page saying they were deleted, with what was typed. So too when someone else has their id now (SQLite
    hands it to the next person logged): the form knows whom it was opened for. Anyone else's id, or one never
    used, is a 404."""
    form = form_class()
    opened_for = form.opened_for()
    try:
        person = current_user.person_or_404(person_id)
    except NotFound:
        person = None
    if person is not None and not form.opened_for_another(person.created_at):
        return person
    deleted = undo.deleted_elsewhere(current_user.id, person_id, made_at=opened_for)
    if deleted is None:
        if person is not None:  # made at another time since it was opened: merged with a twin, still them
            return person
        raise NotFound()
    if deleted.back_as:
        # 307: a browser sends the form again there, with what was typed; it is merged as any edit is.
        values = dict(request.view_args, person_id=deleted.back_as)
        abort(redirect(url_for(request.endpoint, **values), code=307))
    typed = [(f, f.data) for f in form if f.data and f.type not in ("HiddenField", "CSRFTokenField")]
    label = deleted.label or form.name.data or form.description.data or "This person"
    # What was typed can be saved as someone new: at the event the form was for, else where they were last met;
    # once that is forgotten, as someone met today ("Met someone").
    event = event or undo.last_event_of(deleted)
    abort(make_response(render_template("people/deleted.html", label=label, typed=typed, event=event,
                                        undo_id=deleted.id if can_undo(deleted) else None), 410))


@bp.route("/people/<int:person_id>")
@login_required
def show(person_id):
    """Everything known about a person: every event where you met them, the notes, follow-ups, outcomes."""
    return outcomes.person_page(current_user.person_or_404(person_id))


@bp.route("/people/<int:person_id>/connected", methods=("POST",))
@login_required
def connected(person_id):
    """Tick (or untick) "connected on LinkedIn", then back to where the user was."""
    person = current_user.person_or_404(person_id)
    form = ConnectedForm()
    if form.validate_on_submit():
        with db.write():
            person.connected_on_linkedin = form.connected.data
            person.save(only=[type(person).connected_on_linkedin])
        flash(f"{person.label}: " + ("connected on LinkedIn." if person.connected_on_linkedin
                                     else "not connected on LinkedIn."), "success")
    return redirect(safe_next(form.next.data) or url_for("people.show", person_id=person.id))


@bp.route("/people/<int:person_id>/delete", methods=("GET", "POST"))
@login_required
def delete(person_id):
    """Ask first, then forget a person and every note about them."""
    person = current_user.person_or_404(person_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        first_event = person.conversations().first()
        with db.write():
            undo.delete_person(person)
        flash(f"{person.label} was deleted.", "undo")
        if first_event:
            return redirect(url_for("events.show", event_id=first_event.event_id))
        return redirect(url_for("home.index"))
    return render_template("people/delete.html", person=person, form=form)
