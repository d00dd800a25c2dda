"""Home: tonight's event front and centre, with "Met someone" and "My card" one tap away."""

from flask import Blueprint, current_app, render_template
from flask_login import current_user

from ..models import NEXT_EVENTS_SHOWN

bp = Blueprint("home", __name__)

PAST_ON_HOME = 5


@bp.route("/")
def index():
    """Logged in: today's (or the next) event with its progress, then upcoming and recent events."""
    if not current_user.is_authenticated:
        return render_template("home/welcome.html")
    # The same list the header reads tonight's event from: asked once for both.
    upcoming = current_user.next_events()
    current = upcoming[0] if upcoming else None
    past = current_user.latest_past_events(PAST_ON_HOME + 1)
    return render_template(
        "home/index.html",
        current=current,
        progress=current.progress() if current else None,
        is_today=bool(current and current.is_today(current_user.today())),
        upcoming=upcoming[1:NEXT_EVENTS_SHOWN],
        more_upcoming=len(upcoming) > NEXT_EVENTS_SHOWN,
        past=past[:PAST_ON_HOME],
        more_past=len(past) > PAST_ON_HOME,
        due_follow_ups=current_user.due_follow_ups_count(),
    )


@bp.route("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says; answer from static/."""
    return current_app.send_static_file("icons/favicon.ico")
