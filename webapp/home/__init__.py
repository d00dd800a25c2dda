"""Home: tonight's event front and centre, with "Met someone" and "My card" one tap away."""

from flask import Blueprint, current_app, render_template
from flask_login import current_user

bp = Blueprint("home", __name__)

PAST_ON_HOME = 5


@bp.route("/")
def index():
    """Logged in: today's (or the next) event with its progress, then upcoming and recent events."""
    if not current_user.is_authenticated:
        return render_template("home/welcome.html")
    current = current_user.current_event()
    upcoming = [e for e in current_user.upcoming_events() if not current or e.id != current.id]
    past = list(current_user.past_events().limit(PAST_ON_HOME + 1))
    return render_template(
        "home/index.html",
        current=current,
        progress=current.progress() if current else None,
        is_today=bool(current and current.is_today(current_user.today())),
        upcoming=upcoming,
        past=past[:PAST_ON_HOME],
        more_past=len(past) > PAST_ON_HOME,
        due_follow_ups=current_user.due_follow_ups_count(),
    )


@bp.route("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says; answer from static/."""
    return current_app.send_static_file("icons/favicon.ico")
