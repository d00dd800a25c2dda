"""Sessions that really end, one per device.

Each login is its own session (a `Login`: a phone, a borrowed laptop), and the login cookie holds
its random token, never the account's id. "Log out" ends this device's login; "Log out everywhere",
a new password and deleting the account end them all (the device that set the password logs in
again); the profile lists them, each with a button that ends it alone. Ended, it is deleted: every
copy of its cookie stops working at once. A session also ends after SESSION_IDLE_TIMEOUT without a
request (the signed cookie carries the time it was last refreshed, and the server refuses an older
one; the login's last use, noted every few minutes, is checked too) and SESSION_MAX_AGE after
logging in, whatever happens.
"""

import datetime
import re
import time

from flask import current_app, g, request, session
from flask_login import LoginManager, login_user
from peewee import DatabaseError
from ua_parser import BasicResolver, Domain, Parser, load_lazy_builtins

from ..models import Login, utcnow

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
# How stale a login's "last used" may get: noting every request would be a write per page.
USE_NOTED_EVERY = datetime.timedelta(minutes=5)


@login_manager.user_loader
def load_user(login_id):
    """The account of the login whose token the cookie holds, while that login has not ended: one query."""
    token, _, started = str(login_id).partition(".")
    if not token or len(token) > TOKEN_LONGEST or not started.isdigit():
        return None  # cookies from before session tokens held the bare id: they are over
    # The cookie's own start counts too: a login kept from before each device had its own (schema.py) began then.
    if time.time() - int(started) > current_app.config["SESSION_MAX_AGE"].total_seconds():
        return None
    now = utcnow()
    login = Login.live(token, *_still_live(now))
    if login is None:
        return None
    if login.last_used_at < now - USE_NOTED_EVERY:
        try:
            login.note_use(now)
        except DatabaseError:  # a read-only or full database still shows the pages; it is noted next time
            current_app.logger.warning("could not note when a login was last used", exc_info=True)
    user = login.user
    user.this_device = login
    user.phone_zone = request.cookies.get(PHONE_ZONE_COOKIE)  # checked by User.zone
    return user


def _still_live(now):
    """(started after, last used after): a login outside either has ended, whatever its cookie says."""
    config = current_app.config
    return now - config["SESSION_MAX_AGE"], now - config["SESSION_IDLE_TIMEOUT"] - USE_NOTED_EVERY


def start_session(user):
    """Log in on this device with a new session: nothing from before (a CSRF token, a planted cookie) carries over."""
    session.clear()
    user.forget_ended_logins(*_still_live(utcnow()))  # cookies thrown away without logging out leave them
    user.log_in(device=device_of(request.headers.get("User-Agent", "")))
    login_user(user)
    session.permanent = True  # expires after SESSION_IDLE_TIMEOUT without use, see config


def logins_of(user):
    """The account's devices still logged in, as the profile lists them: "This device", "Firefox on Windows · last
    used 3 days ago"."""
    now = utcnow()
    logins = sorted(user.logins(*_still_live(now)), key=lambda login: login.id != user.this_device.id)  # this one first
    return [(login, _described(login, user, now)) for login in logins]


def _described(login, user, now):
    device = login.device or "A browser that did not say which"
    if login.id == user.this_device.id:
        return f"This device · {device}"
    return f"{device} · last used {_time_since(login.last_used_at, now)}"


def _time_since(when, now):
    minutes = int((now - when).total_seconds() // 60)
    if minutes < 2 * USE_NOTED_EVERY.total_seconds() // 60:
        return "in the last few minutes"  # when it was last noted says no more than that
    size, unit = next((size, unit) for size, unit in ((24 * 60, "day"), (60, "hour"), (1, "minute")) if minutes >= size)
    count = minutes // size
    return f"{count} {unit}{'s' if count > 1 else ''} ago"


_parser = Parser(BasicResolver(load_lazy_builtins()))  # each rule compiled when first needed


def device_of(user_agent):
    """The browser and system a User-Agent names, as its owner would: "Chrome on Android", "Safari on iOS"."""
    found = _parser(user_agent[:1000], Domain.USER_AGENT | Domain.OS)
    browser = found.user_agent and found.user_agent.family
    system = found.os and found.os.family
    if browser and browser != "Other":
        # "Chrome Mobile iOS", "Mobile Safari": the phone says it is a phone.
        browser = re.sub(r"\s*\bMobile\b( iOS)?\s*", " ", browser).strip()
    else:
        browser = ""
    system = system if system and system != "Other" else ""
    return " on ".join(part for part in (browser, system) if part)[:Login.device.max_length]


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
