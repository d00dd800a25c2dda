"""Events: plan one with a goal, see who you met there and how close you are to the goal."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from .. import db
from ..forms import ConfirmForm
from ..models import Event
from .forms import EventForm

bp = Blueprint("events", __name__, url_prefix="/events")


@bp.route("/")
@login_required
def index():
    """Every event, upcoming first, then the past ones newest first."""
    return render_template("events/index.html", upcoming=current_user.upcoming_events(),
                           past=current_user.past_events())


@bp.route("/new", methods=("GET", "POST"))
@login_required
def new():
    """Plan an event: when, where, what kind, and the goal (three new people unless you say otherwise)."""
    form = EventForm()
    if not form.is_submitted():
        form.starts_on.data = current_user.today()
    if form.validate_on_submit():
        with db.write():
            event = Event(owner=current_user.id)
            form.populate_obj(event)
            event.save()
        flash("Event saved. Have a good one!", "success")
        return redirect(url_for("events.show", event_id=event.id))
    return render_template("events/form.html", form=form, event=None)


@bp.route("/<int:event_id>")
@login_required
def show(event_id):
    """The goal's progress and everyone met here, newest first."""
    event = current_user.event_or_404(event_id)
    conversations = event.people_met()
    event.met = len(conversations)
    return render_template("events/show.html", event=event, conversations=conversations, progress=event.progress(),
                           following={c.person_id for c in conversations if c.following})


@bp.route("/<int:event_id>/edit", methods=("GET", "POST"))
@login_required
def edit(event_id):
    """Change an event's details or goal; the people met there stay."""
    event = current_user.event_or_404(event_id)
    form = EventForm(obj=event)
    if form.validate_on_submit():
        with db.write():
            form.populate_obj(event)
            event.save()
        flash("Event updated.", "success")
        return redirect(url_for("events.show", event_id=event.id))
    return render_template("events/form.html", form=form, event=event)


@bp.route("/<int:event_id>/delete", methods=("GET", "POST"))
@login_required
def delete(event_id):
    """Ask first, then delete the event; the people stay in the address book."""
    event = current_user.event_or_404(event_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        with db.write():
            event.delete_instance()
        flash(f"“{event.name}” was deleted.", "info")
        return redirect(url_for("home.index"))
    return render_template("events/delete.html", event=event, met=event.met_count(), form=form)
