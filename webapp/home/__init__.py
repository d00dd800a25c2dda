"""Home: tonight's event front and centre, with "Met someone" and "My card" one tap away."""

from flask import Blueprint, current_app, render_template
from flask_login import current_user

from .. import kept
from ..models import NEXT_EVENTS_SHOWN

bp = Blueprint("home", __name__)

PAST_ON_HOME = 5


@bp.route("/")
def index():
    """Logged in: today's (or the next) event with its progress, then upcoming and recent events."""
    if not current_user.is_authenticated:
        return render_template("home/welcome.html")
    # The same event as the header's count and the tab bar's "Met someone" when one runs today; read from
    # the one list of today's and the next events the header uses too. Which of today's events that is
    # depends on the time of day, so it is part of what the kept page is kept under.
    today_event = current_user.event_for_logging()
    # Today's events over by now are not to come: which ones depends on the time of day, like today_event.
    now = current_user.now()
    over = tuple(e.id for e in current_user.next_events() if e.ended_at(now))
    body = kept.part("home", lambda: page_body(today_event, over), today_event.id if today_event else None, over)
    return render_template("home/index.html", body=body)


def page_body(today_event, over):
    upcoming = [e for e in current_user.next_events() if e.id not in over]
    current = today_event or (upcoming[0] if upcoming else None)
    today = current_user.today()
    # The day's quick event is today's, not one to come: its people are offered to today's planned event instead.
    upcoming = [e for e in upcoming if (not current or e.id != current.id) and not (e.quick and e.is_today(today))]
    past = current_user.latest_past_events(PAST_ON_HOME + 1)
    return render_template(
        "home/_page.html",
        current=current,
        progress=current.progress() if current else None,
        is_today=today_event is not None,
        moved_here=current_user.quick_event_before(today_event) if today_event else None,
        upcoming=upcoming[:NEXT_EVENTS_SHOWN - 1],
        more_upcoming=len(upcoming) >= NEXT_EVENTS_SHOWN,
        past=past[:PAST_ON_HOME],
        more_past=len(past) > PAST_ON_HOME,
        due_follow_ups=current_user.due_follow_ups_count(),
    )


@bp.route("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says; answer from static/."""
    return current_app.send_static_file("icons/favicon.ico")
