"""One person logged twice becomes one: met again in a basement with no signal, the phone could not ask
"Met before?", so a second record of them was made. Their page says so, and one tap (after a look at both)
makes one person of the two, with everything from both."""

import datetime

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from peewee import SQL, fn

from .. import db
from ..forms import ConfirmForm
from ..models import Conversation, Event, Person, TwoPeople, lowered_spellings

MAX_TWINS = 3


def twins_of(person):
    """Other people of the account who may be this one (the same name in any case, or the same LinkedIn
    profile), newest first, each with the event and day they were last met: what "Met before?" would have
    offered. One query, each way of being the same on its own index."""
    ways = []
    if person.name:
        ways.append(fn.LOWER(Person.name).in_(lowered_spellings(person.name)))
    if person.linkedin_url:
        ways.append(Person.linkedin_url == person.linkedin_url)
    if not ways:
        return []
    query = None
    for way in ways:
        part = (Person.select(Person, _last_met(Event.name).alias("last_event"),
                              _last_met(Event.starts_on).alias("last_met_on"))
                .where(Person.owner == person.owner_id, Person.id != person.id, way,
                       # not someone the user said is another person
                       Person.id.not_in(TwoPeople.select(TwoPeople.second).where(TwoPeople.first == person.id)),
                       Person.id.not_in(TwoPeople.select(TwoPeople.first).where(TwoPeople.second == person.id))))
        query = part if query is None else query | part
    twins = list(query.order_by(SQL("created_at").desc(), SQL("id").desc()).limit(MAX_TWINS))
    for twin in twins:  # a value from a subquery is not converted by peewee: a string on SQLite
        if twin.last_met_on is not None and not isinstance(twin.last_met_on, datetime.date):
            twin.last_met_on = datetime.date.fromisoformat(str(twin.last_met_on)[:10])
    return twins


def _first_met_first(people):
    return sorted(people, key=lambda p: (p.created_at, p.id))


def _last_met(column):
    """The column of the event where the person in the outer query was last met."""
    return (Conversation.select(column).join(Event)
            .where(Conversation.person == Person.id)
            .order_by(Event.starts_on.desc(), Conversation.created_at.desc()).limit(1))


@login_required
def make_one(person_id, other_id):
    """Ask first (both shown side by side), then make one person of the two. The one met first keeps its
    page (links to it stay good); the other's page is gone after."""
    person, other = current_user.person_or_404(person_id), current_user.person_or_404(other_id)
    if person.id == other.id:
        abort(404)
    kept, twin = _first_met_first((person, other))
    form = ConfirmForm()
    if form.validate_on_submit():
        with db.write():
            # Read again under the lock: a second tap (or another tab) may have made them one already.
            both = _first_met_first(db.for_update(Person.select().where(
                Person.id.in_([kept.id, twin.id]), Person.owner == current_user.id)))
            if len(both) == 2:
                kept, twin = both
                twin.merge_into(kept)
            elif not both or both[0].id != kept.id:
                abort(404)  # the one to keep was deleted meanwhile
        flash(f"{kept.label} is one person now, with everything from both.", "success")
        return redirect(url_for("people.show", person_id=kept.id))
    both = [(p, list(p.conversations())) for p in (kept, twin)]
    return render_template("people/same_person.html", person=person, other=other, both=both, form=form)


@login_required
def two_people(person_id, other_id):
    """They are two people after all (two Alex Kims): neither page asks again. Back to the person's page."""
    person, other = current_user.person_or_404(person_id), current_user.person_or_404(other_id)
    if person.id == other.id:
        abort(404)
    if ConfirmForm().validate_on_submit():
        with db.write():
            TwoPeople.note(person, other)
        flash(f"Noted: {person.label} and {other.label} are two people.", "success")
    return redirect(url_for("people.show", person_id=person.id))
