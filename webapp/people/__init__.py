"""People: log someone in a few taps at the event, fix the details later, find them again years on."""

import re
import uuid

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from peewee import IntegrityError
from playhouse.flask_utils import get_object_or_404
from wtforms import BooleanField, HiddenField, StringField

from .. import db
from ..accounts import safe_next
from ..events import owned_event
from ..forms import ConfirmForm, strip
from ..models import Conversation
from . import directory, outcomes
from .directory import owned_person
from .forms import PersonForm, split_tags
from .logbook import already_logged, form_details, known_people, log_meeting, meet_again, update_meeting

bp = Blueprint("people", __name__)
bp.add_url_rule("/people", view_func=directory.index)
bp.add_url_rule("/people/<int:person_id>/outcomes", view_func=outcomes.add_outcome, methods=("POST",))
bp.add_url_rule("/people/<int:person_id>/outcomes/<int:outcome_id>/delete", view_func=outcomes.delete_outcome,
                methods=("POST",))

__all__ = ["bp", "owned_person"]
SAME_AS = re.compile(r"[0-9]{1,12}")


class LogPersonForm(PersonForm):
    # Set by the "Yes, same person" / "No, someone new" buttons after a possible match was shown.
    same_as = StringField(filters=[strip])
    # Made when the form opens (anew by the page's script for a copy the phone kept): sending the
    # same entry twice stores it once.
    entry = HiddenField(filters=[strip])


class ConnectedForm(ConfirmForm):
    connected = BooleanField()
    next = HiddenField()


def valid_uuid(text):
    try:
        return uuid.UUID(str(text))
    except ValueError:
        return None


def details_from(form):
    skip = ("csrf_token", "same_as", "entry")
    details = {name: field.data for name, field in form._fields.items() if name not in skip}
    details["tags"] = split_tags(details["tags"])
    return details


@bp.route("/events/<int:event_id>/people/new", methods=("GET", "POST"))
@login_required
def new(event_id):
    """Log someone just met: a name or a description is enough; back to the event with the goal moved."""
    event = owned_event(event_id)
    form = LogPersonForm()
    if not form.is_submitted():
        form.entry.data = str(uuid.uuid4())
    matches = []
    if form.validate_on_submit():
        details = details_from(form)
        earlier = already_logged(current_user.id, form.entry.data)
        if earlier:
            flash(f"{earlier.person.label} is already saved.", "info")
            return redirect(url_for("events.show", event_id=earlier.event_id))
        entry = valid_uuid(form.entry.data)
        if entry and Conversation.select().where(Conversation.uuid == entry).exists():
            entry = None  # another account's id: never confirmed, a new one is made
        choice = form.same_as.data
        choice = choice if choice == "new" or SAME_AS.fullmatch(choice) else ""
        # Someone with this name or profile is already known: ask before making a second one.
        matches = [] if choice else known_people(current_user.id, details)
        if not matches:
            try:
                with db.write():
                    if choice.isdigit():
                        person, _ = meet_again(owned_person(int(choice)), event, details, conversation_uuid=entry)
                    else:
                        person, _ = log_meeting(current_user.id, event, details, conversation_uuid=entry)
            except IntegrityError:
                # The same entry arrived twice at once and the other copy won, or the id is taken:
                # either way it is stored once, under the first.
                if already_logged(current_user.id, entry):
                    flash("Already saved.", "info")
                    return redirect(url_for("events.show", event_id=event.id))
                raise
            progress = event.progress()
            reached = " Goal reached!" if progress.met == progress.goal else ""
            flash(f"{person.label} saved. {progress}.{reached}", "success")
            return redirect(url_for("events.show", event_id=event.id))
    return render_template("people/form.html", form=form, event=event, person=None, matches=matches)


@bp.route("/events/<int:event_id>/people/<int:person_id>/edit", methods=("GET", "POST"))
@login_required
def edit(event_id, person_id):
    """Correct or complete what was noted about someone met at this event."""
    event = owned_event(event_id)
    person = owned_person(person_id)
    conversation = get_object_or_404(Conversation.select(), (Conversation.event == event)
                                     & (Conversation.person == person))
    # On POST the submitted fields take precedence over these saved values.
    form = PersonForm(data=form_details(person, conversation))
    if form.validate_on_submit():
        with db.write():
            update_meeting(person, conversation, details_from(form))
        flash(f"{person.label} updated.", "success")
        return redirect(url_for("events.show", event_id=event.id))
    return render_template("people/form.html", form=form, event=event, person=person)


@bp.route("/people/<int:person_id>")
@login_required
def show(person_id):
    """Everything known about a person: every event where you met them, the notes, follow-ups, outcomes."""
    return outcomes.person_page(owned_person(person_id))


@bp.route("/people/<int:person_id>/connected", methods=("POST",))
@login_required
def connected(person_id):
    """Tick (or untick) "connected on LinkedIn", then back to where the user was."""
    person = owned_person(person_id)
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
    person = owned_person(person_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        first_event = person.conversations().first()
        with db.write():
            person.delete_instance()
        flash(f"{person.label} was deleted.", "info")
        if first_event:
            return redirect(url_for("events.show", event_id=first_event.event_id))
        return redirect(url_for("home.index"))
    return render_template("people/delete.html", person=person, form=form)
