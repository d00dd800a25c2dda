""""Have I met this person before?" with no signal: a small index of everyone met, kept on the phone.

The phone asks for it when online (static/js/met-before-index.js), again whenever a page shows a newer version
of the account (User.data_version), and keeps it in IndexedDB, so the log form and the People page can answer at
a venue with no signal. It holds only what recognises someone:
how they are shown everywhere (their name, or how the user described them), company, tags, and the last event
they were met at. Never notes, emails or links, but for someone known by nothing else (a contact imported with
only an email or a phone: that is how every page shows them). Logging out forgets it.

Compact by design (5,000 people in well under 300 KB): rows are arrays, and events and tags are listed
once and referred to by position.
"""

import json

from flask import Blueprint, current_app
from flask_login import current_user, login_required
from peewee import fn

from .models import LABELLED, Conversation, Event, Person, PersonTag, Tag, label_of, utcnow

bp = Blueprint("met_before", __name__)
FORMAT = 1


def last_events(owner_id):
    """Each person's last event (id), by the event's date: one query."""
    ranked = (Conversation.select(Conversation.person, Conversation.event,
                                  fn.ROW_NUMBER().over(partition_by=[Conversation.person],
                                                       order_by=[Event.starts_on.desc(), Event.id.desc()])
                                  .alias("rank"))
              .join(Event).where(Event.owner == owner_id).cte("ranked"))
    rows = ranked.select_from(ranked.c.person_id, ranked.c.event_id).where(ranked.c.rank == 1).tuples()
    return dict(rows)


def build(owner_id):
    """The index: {"v", "made", "events": [[name, date, id]], "tags": [name], "people": [[id, label, company,
    [tag positions], event position or -1]]}, newest person first."""
    events, event_at = [], {}
    for event_id, name, starts_on in (Event.select(Event.id, Event.name, Event.starts_on)
                                      .where(Event.owner == owner_id).order_by(Event.starts_on).tuples()):
        event_at[event_id] = len(events)
        events.append([name, starts_on.isoformat(), event_id])
    tags, tag_at = [], {}
    for tag_id, name in Tag.select(Tag.id, Tag.name).where(Tag.owner == owner_id).order_by(Tag.name).tuples():
        tag_at[tag_id] = len(tags)
        tags.append(name)
    tagged = {}
    for person_id, tag_id in (PersonTag.select(PersonTag.person, PersonTag.tag).join(Tag)
                              .where(Tag.owner == owner_id).tuples()):
        tagged.setdefault(person_id, []).append(tag_at[tag_id])
    last = last_events(owner_id)
    people = []
    for person_id, *labelled in (Person.select(Person.id, *LABELLED).where(Person.owner == owner_id)
                                 .order_by(Person.id.desc()).tuples()):
        company = labelled[-1]
        people.append([person_id, label_of(*labelled), company, sorted(tagged.get(person_id, [])),
                       event_at.get(last.get(person_id), -1)])
    return {"v": FORMAT, "made": utcnow().isoformat(timespec="seconds") + "Z", "events": events, "tags": tags,
            "people": people}


@bp.route("/people/met-before.json")
@login_required
def index():
    """The user's own index of people, for the phone to keep."""
    body = json.dumps(build(current_user.id), ensure_ascii=False, separators=(",", ":"))
    response = current_app.response_class(body, mimetype="application/json")
    # Kept by the page's script in IndexedDB, never in the browser's HTTP cache or a shared one.
    response.headers["Cache-Control"] = "private, no-store"
    return response
