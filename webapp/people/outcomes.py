"""Outcomes: what came of meeting someone (a job lead, a referral, a friendship), recorded on their page."""

import datetime

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from playhouse.flask_utils import get_object_or_404
from wtforms import DateField, SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired, Length, ValidationError

from .. import db
from ..forms import ConfirmForm, Form, strip
from ..models import OUTCOME_KINDS, FollowUp, Outcome
from .directory import owned_person

OUTCOME_KIND_NAMES = dict(OUTCOME_KINDS)


class OutcomeForm(Form):
    kind = SelectField("Kind of outcome", choices=[SelectChoice(v, label) for v, label in OUTCOME_KINDS],
                       validators=[InputRequired("Pick what came of it.")])
    happened_on = DateField("When", validators=[InputRequired("Enter the date it happened.")],
                            format="%Y-%m-%d")
    text = StringField("In a line", filters=[strip],
                       validators=[Length(max=300, message="Keep it to one line (300 characters).")],
                       description='"Intro to the data team at Acme", "coffee every month".')

    def validate_happened_on(self, field):
        if field.data is None:  # not a date at all: the field already says so
            return
        if not datetime.date(1950, 1, 1) <= field.data <= current_user.today() + datetime.timedelta(days=366):
            raise ValidationError("That date looks wrong: enter the day it happened.")


def person_page(person, outcome_form=None, status=200):
    """The person page, with the outcome form (holding the user's input and errors after a failed add)."""
    if outcome_form is None:
        outcome_form = OutcomeForm(data={"happened_on": current_user.today()})
    outcomes = list(person.outcomes.order_by(Outcome.happened_on.desc(), Outcome.id.desc()))
    follow_ups = list(person.follow_ups.order_by(FollowUp.due_on.desc(), FollowUp.id.desc()))
    return render_template("people/show.html", person=person, conversations=list(person.conversations()),
                           follow_up=person.open_follow_up(), follow_ups=follow_ups, outcomes=outcomes,
                           outcome_form=outcome_form, outcome_kinds=OUTCOME_KIND_NAMES,
                           confirm=ConfirmForm()), status


@login_required
def add_outcome(person_id):
    """Record what came of meeting this person; back to their page."""
    person = owned_person(person_id)
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
    person = owned_person(person_id)
    outcome = get_object_or_404(Outcome.select().where(Outcome.person == person), Outcome.id == outcome_id)
    if ConfirmForm().validate_on_submit():
        with db.write():
            outcome.delete_instance()
        flash("Outcome deleted.", "info")
    return redirect(url_for("people.show", person_id=person.id) + "#outcomes")
