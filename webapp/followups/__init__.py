"""Follow-ups: what you promised people, overdue first, with a message drafted for each.

One person at a time: Hallway drafts, the user copies and sends it themselves.
Nothing is ever sent in bulk or automatically.
"""

from urllib.parse import quote_plus

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from .. import db
from ..forms import ConfirmForm
from ..models import Conversation, FollowUp, Person
from . import message
from .forms import DueDateForm

bp = Blueprint("followups", __name__, url_prefix="/follow-ups")
DONE_SHOWN = 10
LINKEDIN_SEARCH = "https://www.linkedin.com/search/results/people/?keywords="


def linkedin_link(person):
    """Their profile when known, else a LinkedIn people search for their name and company."""
    if person.linkedin_url:
        return person.linkedin_url, "Open their LinkedIn"
    if not person.name:
        return None, None
    words = " ".join(w for w in (person.name, person.company) if w)
    return LINKEDIN_SEARCH + quote_plus(words), "Find them on LinkedIn"


def notes_for(follow_ups):
    """The notes of the conversation each follow-up came from (or the person's latest): one query."""
    people = {f.person_id for f in follow_ups}
    by_meeting, latest = {}, {}
    for c in (Conversation.select(Conversation.person, Conversation.event, Conversation.notes)
              .where(Conversation.person.in_(people)).order_by(Conversation.created_at, Conversation.id)):
        by_meeting[(c.person_id, c.event_id)] = c.notes
        if c.notes:
            latest[c.person_id] = c.notes
    return {f.id: by_meeting.get((f.person_id, f.event_id)) or latest.get(f.person_id, "")
            for f in follow_ups}


@bp.route("/")
@login_required
def index():
    """Overdue, due today and upcoming follow-ups across all events, each with a message to copy."""
    today = current_user.today()
    open_ones = list(current_user.open_follow_ups())
    notes = notes_for(open_ones)
    sender = current_user.display_name
    drafts = {f.id: message.draft(f, f.person, f.event if f.event_id else None, notes[f.id], sender)
              for f in open_ones}
    links = {f.id: linkedin_link(f.person) for f in open_ones}
    done = list(FollowUp.select(FollowUp, Person).join(Person)
                .where(Person.owner == current_user.id, FollowUp.done_on.is_null(False))
                .order_by(FollowUp.done_on.desc(), FollowUp.id.desc()).limit(DONE_SHOWN))
    groups = [
        ("overdue", "Overdue", [f for f in open_ones if f.due_on < today]),
        ("due", "Due today", [f for f in open_ones if f.due_on == today]),
        ("upcoming", "Coming up", [f for f in open_ones if f.due_on > today]),
    ]
    return render_template("followups/index.html", groups=groups, drafts=drafts, links=links, done=done,
                           today=today, any_open=bool(open_ones), confirm=ConfirmForm(),
                           due_form=DueDateForm())


def _close(follow_up_id, field, said):
    follow_up = current_user.follow_up_or_404(follow_up_id)
    if ConfirmForm().validate_on_submit():
        if not follow_up.is_open:
            flash("That follow-up was already closed.", "info")
        else:
            with db.write():
                setattr(follow_up, field, current_user.today())
                follow_up.save()
            flash(f"{follow_up.person.label}: {said}", "success")
    return redirect(url_for("followups.index"))


@bp.route("/<int:follow_up_id>/done", methods=("POST",))
@login_required
def done(follow_up_id):
    """Mark a follow-up done today; the date is kept on the person's page."""
    return _close(follow_up_id, "done_on", "follow-up done. Nice.")


@bp.route("/<int:follow_up_id>/drop", methods=("POST",))
@login_required
def drop(follow_up_id):
    """Let a follow-up go: it leaves the list and no one is nagged about it again."""
    return _close(follow_up_id, "dropped_on", "follow-up dropped.")


@bp.route("/<int:follow_up_id>/due", methods=("POST",))
@login_required
def reschedule(follow_up_id):
    """Move a follow-up's due date."""
    follow_up = current_user.follow_up_or_404(follow_up_id)
    form = DueDateForm()
    if not follow_up.is_open:
        flash("That follow-up was already closed.", "info")
    elif form.validate_on_submit():
        with db.write():
            follow_up.due_on = form.due_on.data
            follow_up.save()
        flash(f"{follow_up.person.label}: now due {follow_up.due_on.strftime('%a %-d %b')}.", "success")
    else:
        problem = " ".join(form.due_on.errors or ["That date was not understood."])
        flash(f"{follow_up.person.label}: {problem}", "error")
    return redirect(url_for("followups.index") + f"#follow-up-{follow_up.id}")
