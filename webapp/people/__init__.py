"""People: log someone in a few taps at the event, fix the details later."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from playhouse.flask_utils import get_object_or_404

from .. import db
from ..events import owned_event
from ..forms import ConfirmForm
from ..models import Conversation, Person
from .forms import PersonForm, split_tags
from .logbook import form_details, log_meeting, update_meeting

bp = Blueprint("people", __name__)


def owned_person(person_id):
    """The user's own person, or 404 whether it exists for someone else or not at all."""
    return get_object_or_404(Person.select().where(Person.owner == current_user.id), Person.id == person_id)


def details_from(form):
    details = {name: field.data for name, field in form._fields.items() if name != "csrf_token"}
    details["tags"] = split_tags(form.tags.data)
    return details


@bp.route("/events/<int:event_id>/people/new", methods=("GET", "POST"))
@login_required
def new(event_id):
    """Log someone just met: a name or a description is enough; back to the event with the goal moved."""
    event = owned_event(event_id)
    form = PersonForm()
    if form.validate_on_submit():
        with db.write():
            person, _ = log_meeting(current_user.id, event, details_from(form))
        progress = event.progress()
        flash(f"{person.label} saved. {progress}." + (" Goal reached!" if progress.met == progress.goal else ""),
              "success")
        return redirect(url_for("events.show", event_id=event.id))
    return render_template("people/form.html", form=form, event=event, person=None)


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
    """Everything known about a person: where you met them and what you talked about."""
    person = owned_person(person_id)
    return render_template("people/show.html", person=person, conversations=list(person.conversations()),
                           follow_up=person.open_follow_up())


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
