"""Sessions that really end.

The login cookie holds the account's session token (User.session_token), never its id. Logging
out, a new password, "log out everywhere" and deleting the account replace the token, so every
copy of every cookie of that account stops working at once, on every device. A session also ends
after SESSION_IDLE_TIMEOUT without a request (the signed cookie carries the time it was last
refreshed, and the server refuses an older one) and SESSION_MAX_AGE after logging in, whatever
happens.
"""

import time

from flask import g, request, session
from flask_login import LoginManager, login_user

from ..models import User

login_manager = LoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message = "Log in to see that page."
login_manager.login_message_category = "info"

HSTS = "max-age=63072000; includeSubDomains"
# The phone's time zone, set by every page (static/js/phone-zone.js): "today" is where the user is now.
PHONE_ZONE_COOKIE = "phone_zone"
# The device zone static/js/phone-zone.js last saw; "chosen" when the profile has just set phone_zone.
ZONE_SEEN_COOKIE, ZONE_CHOSEN = "zone_seen", "chosen"
TOKEN_LONGEST = 64


@login_manager.user_loader
def load_user(login_id):
    """The account whose current session token the cookie holds, while this login is young enough."""
    from flask import current_app

    token, _, started = str(login_id).partition(".")
    if not token or len(token) > TOKEN_LONGEST or not started.isdigit():
        return None  # cookies from before session tokens held the bare id: they are over
    if time.time() - int(started) > current_app.config["SESSION_MAX_AGE"].total_seconds():
        return None
    user = User.by_session_token(token)
    if user is not None:
        user.phone_zone = request.cookies.get(PHONE_ZONE_COOKIE)  # checked by User.zone
    return user


def start_session(user):
    """Log in on this device with a new session: nothing from before (a CSRF token, a planted cookie) carries over."""
    session.clear()
    if not user.session_token:  # an account from before session tokens
        user.end_all_sessions()
    login_user(user)
    session.permanent = True  # expires after SESSION_IDLE_TIMEOUT without use, see config


def init_app(app):
    login_manager.init_app(app)

    @app.after_request
    def private_pages_are_not_stored(response):
        # Only look at a user already loaded: this also runs after a 503, when the database is away.
        user = g.get("_login_user")
        if user is not None and user.is_authenticated and request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")
            response.vary.add("Cookie")
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response
