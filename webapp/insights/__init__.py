"""Insights: which events pay off. Goal hit rate, people met, follow-ups done and outcomes per event and
per kind of event, and the companies seen hiring, drawn as bar charts on the server."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from ..models import EVENT_KIND_NAMES, EVENT_KINDS, OUTCOME_KINDS
from . import figures

bp = Blueprint("insights", __name__, url_prefix="/insights")
EVENTS_CHARTED = 12
SERIES = ["People met", "Follow-ups done", "Outcomes"]


@bp.route("/")
@login_required
def index():
    """How the user's events went, in a handful of aggregate queries whatever the number of events."""
    today = current_user.today()
    events = figures.per_event(current_user.id, today)
    finished = [e for e in events if e.starts_on < today]
    reached = sum(1 for e in finished if e.met >= e.goal)
    by_kind = figures.per_kind(events)
    kinds = [(EVENT_KIND_NAMES.get(k, "Other"), [t.met, t.done, t.outcomes], t.events)
             for k, _ in EVENT_KINDS for t in [by_kind.get(k)] if t]
    outcome_names = dict(OUTCOME_KINDS)
    outcomes = [(outcome_names.get(kind, "Other"), [count])
                for kind, count in figures.outcomes_by_kind(current_user.id)]
    return render_template(
        "insights/index.html",
        events=[(e.name, [e.met, e.done, e.outcomes]) for e in events[:EVENTS_CHARTED]],
        more_events=len(events) > EVENTS_CHARTED,
        kinds=kinds,
        kind_rows=[(name, values) for name, values, _ in kinds],
        series=SERIES,
        finished=len(finished),
        reached=reached,
        hit_rate=round(100 * reached / len(finished)) if finished else None,
        hiring=[(name, [count]) for name, count in figures.companies_hiring(current_user.id)],
        outcomes=outcomes,
        total_met=sum(e.met for e in events),
    )
