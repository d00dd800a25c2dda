"""Insights: which events pay off. Goal hit rate, people met, follow-ups done and outcomes per event and
per kind of event, and the companies seen hiring, drawn as bar charts on the server."""

from flask import Blueprint, current_app, render_template
from flask_login import current_user, login_required
from peewee import DatabaseError

from .. import kept
from ..models import EVENT_KIND_NAMES, EVENT_KINDS, NOT_PLANNED_NAME, OUTCOME_KINDS, Summary, event_label
from . import figures

bp = Blueprint("insights", __name__, url_prefix="/insights")
EVENTS_CHARTED = 12
SERIES = ["People met", "Follow-ups done", "Outcomes"]
# Kept figures worked out by an earlier version of this page lack what it shows now: they are worked out again.
FIGURES_VERSION = 3
LABEL_ROOM = 38  # characters of a label the chart's width shows (templates/insights/_chart.html)


@bp.route("/")
@login_required
def index():
    """How the user's events went: worked out by a handful of aggregate queries when the account has changed
    since the last look, else read back from the one row that kept them. The page itself is kept by each worker
    for the same account version and day (kept.py): the row is for a worker's first look."""
    # Last night's evening still going on in the small hours is not finished yet, and is once it is over: which
    # ones are is part of what the page and its figures are kept under.
    still_going = current_user.last_nights_still_going()
    return render_template("insights/index.html", body=kept.part("insights", lambda: page_body(still_going),
                                                                 still_going))


def page_body(still_going):
    today = current_user.today()
    context = Summary.kept(current_user, "insights", today)
    if context is None or context.get("version") != FIGURES_VERSION or context.get("still_going") != still_going:
        context = work_out(today, still_going)
        try:
            Summary.keep(current_user, "insights", today, context)
        except DatabaseError:  # a read-only database still shows the page, worked out each time
            current_app.logger.warning("the Insights figures could not be kept", exc_info=True)
    return render_template("insights/_page.html", **context)


def chart_label(name, day):
    """An event's label as the chart has room for it (LABEL_ROOM characters): a long name is cut short, not its
    day, which tells this month's meetup from last month's."""
    label = event_label(name, day)
    if len(label) <= LABEL_ROOM:
        return label
    return event_label(name[:len(name) - (len(label) - LABEL_ROOM) - 1].rstrip() + "…", day)


def work_out(today, still_going):
    """Everything the Insights page shows, as JSON-ready values."""
    events = figures.latest_events(current_user.id, today, EVENTS_CHARTED + 1)
    totals = figures.totals(current_user.id, today, still_going)
    kinds = [(EVENT_KIND_NAMES.get(k, "Other"), [t.met, t.done, t.outcomes], t.events)
             for k, _ in EVENT_KINDS for t in [totals.kinds.get(k)] if t]
    not_planned = totals.kinds.get(figures.NOT_PLANNED)
    outcome_names = dict(OUTCOME_KINDS)
    outcomes = [(outcome_names.get(kind, "Other"), [count])
                for kind, count in figures.outcomes_by_kind(current_user.id)]
    return dict(
        version=FIGURES_VERSION,
        still_going=still_going,
        # With its day: the months of a monthly meetup are one name many times.
        events=[(event_label(e.name, e.starts_on), [e.met, e.done, e.outcomes], chart_label(e.name, e.starts_on))
                for e in events[:EVENTS_CHARTED]],
        more_events=len(events) > EVENTS_CHARTED,
        event_count=sum(count for _, _, count in kinds),
        kinds=kinds,
        # The days someone was logged with nothing planned: a group of their own, after the kinds of event.
        not_planned=[not_planned.met, not_planned.events] if not_planned else None,
        not_planned_name=NOT_PLANNED_NAME,
        kind_rows=[(name, values) for name, values, _ in kinds]
        + ([(NOT_PLANNED_NAME, [not_planned.met, not_planned.done, not_planned.outcomes])] if not_planned else []),
        series=SERIES,
        finished=totals.finished,
        reached=totals.reached,
        hit_rate=round(100 * totals.reached / totals.finished) if totals.finished else None,
        hiring=[(name, [count]) for name, count in figures.companies_hiring(current_user.id)],
        outcomes=outcomes,
        total_met=totals.people,
    )
