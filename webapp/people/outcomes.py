"""Outcomes: what came of meeting someone (a job lead, a referral, a friendship), recorded on their page."""

import uuid

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from playhouse.flask_utils import get_object_or_404

from .. import db
from ..attachments.forms import AddAttachmentForm
from ..followups import listing
from ..forms import ConfirmForm
from ..models import OUTCOME_KINDS, Attachment, FollowUp, Outcome
from .forms import OutcomeForm
from .same_person import twins_of

OUTCOME_KIND_NAMES = dict(OUTCOME_KINDS)


def person_page(person, outcome_form=None, status=200):
    """The person page, with the outcome form (holding the user's input and errors after a failed add)."""
    if outcome_form is None:
        outcome_form = OutcomeForm(data={"happened_on": current_user.today()})
    outcomes = list(person.outcomes.order_by(Outcome.happened_on.desc(), Outcome.id.desc()))
    follow_ups = list(person.follow_ups.order_by(FollowUp.due_on.desc(), FollowUp.id.desc()))
    follow_up = next((f for f in follow_ups if f.is_open), None)  # one at most (followup_person_open)
    due_by = listing.due_by(follow_up, current_user.today()) if follow_up else None
    return render_template("people/show.html", person=person, conversations=list(person.conversations()),
                           follow_up=follow_up, due_by=due_by, follow_ups=follow_ups, outcomes=outcomes,
                           outcome_form=outcome_form, outcome_kinds=OUTCOME_KIND_NAMES,
                           confirm=ConfirmForm(), attachments=list(Attachment.of_people([person.id])),
                           attachment_form=AddAttachmentForm(data={"token": str(uuid.uuid4())}),
                           twins=twins_of(person)), status


@login_required
def add_outcome(person_id):
    """Record what came of meeting this person; back to their page."""
    person = current_user.person_or_404(person_id)
    form = OutcomeForm()
    if not form.validate_on_submit():
        return person_page(person, form, 400)
    with db.write():
        Outcome.create(person=person, kind=form.kind.data, happened_on=form.happened_on.data,
                       text=form.text.data)
    flash(f"Outcome saved: {OUTCOME_KIND_NAMES[form.kind.data]}.", "success")
    return redirect(url_for("people.show", person_id=person.id) + "#outcomes")


@login_required
def delete_outcome(person_id, outcome_id):
    """Forget one outcome; the person and the rest stay."""
    person = current_user.person_or_404(person_id)
    outcome = get_object_or_404(Outcome.select().where(Outcome.person == person), Outcome.id == outcome_id)
    if ConfirmForm().validate_on_submit():
        with db.write():
            outcome.delete_instance()
        flash("Outcome deleted.", "info")
    return redirect(url_for("people.show", person_id=person.id) + "#outcomes")
