"""Limits on tries that hold across every gunicorn worker and, on PostgreSQL, across hosts.

By default the tries are counted in the app's own database (the `Attempt` table), so no extra
server is needed; `RATELIMIT_STORAGE_URI` (for example redis://host:6379) points the same limits
at a shared store instead. Windows are moving: "10 per 15 minutes" is never more than 10 in any
15 minutes, not 10 before and 10 after a clock boundary.
"""

import hashlib
import random
import time
import zlib

from flask import current_app, request
from limits import parse
from limits.storage import MovingWindowSupport, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter
from peewee import DatabaseError, PostgresqlDatabase, fn

from .. import db
from ..models import Attempt

# Defaults; each can be changed with the setting of the same name (e.g. HALLWAY_LOGIN_PER_ADDRESS).
LIMITS = {
    # Counted before the password is checked, so neither parallel requests nor several workers
    # get past it; a successful login is not counted.
    "FAILED_LOGINS_PER_ACCOUNT": "10 per 15 minutes",
    # The password asked again of someone logged in (to change it, to delete the account): a stolen session
    # cannot guess it, and others' wrong logins never stop the owner from changing it.
    "WRONG_PASSWORDS_LOGGED_IN": "10 per 15 minutes",
    # Every login try costs a slow password hash (unknown emails too, so they take as long):
    # one client cannot make the server busy for everyone else.
    "LOGINS_PER_ADDRESS": "20 per minute",
    "SIGNUPS_PER_ADDRESS": "30 per hour",
    "RESET_REQUESTS_PER_ADDRESS": "10 per 15 minutes",
    # Nobody's inbox is filled with reset mails they did not ask for.
    "RESET_REQUESTS_PER_ACCOUNT": "3 per hour",
}
CLEANUP_CHANCE = 0.01


class DatabaseStorage(Storage, MovingWindowSupport):
    """A `limits` storage in the app's database: one row per counted try."""

    STORAGE_SCHEME = ["hallway-database"]

    @property
    def base_exceptions(self):
        return DatabaseError

    def acquire_entry(self, key, limit, expiry, amount=1):
        now = time.time()
        with db.write():
            _serialise(key)
            Attempt.delete().where(Attempt.key == key, Attempt.at <= now - expiry).execute()
            if amount > limit or self._count(key, now - expiry) + amount > limit:
                return False
            Attempt.insert_many([{"key": key, "at": now, "expires_at": now + expiry}] * amount).execute()
        if random.random() < CLEANUP_CHANCE:
            Attempt.delete().where(Attempt.expires_at < now).execute()
        return True

    def get_moving_window(self, key, limit, expiry):
        now = time.time()
        row = (Attempt.select(fn.MIN(Attempt.at).alias("oldest"), fn.COUNT(Attempt.id).alias("count"))
               .where(Attempt.key == key, Attempt.at > now - expiry).dicts().get())
        return (row["oldest"] or now), row["count"]

    def give_back(self, key):
        """Forget the newest try for a key (a login that turned out to be right)."""
        newest = Attempt.select(Attempt.id).where(Attempt.key == key).order_by(Attempt.at.desc()).limit(1)
        with db.write():
            Attempt.delete().where(Attempt.id.in_(newest)).execute()

    def _count(self, key, since):
        return Attempt.select().where(Attempt.key == key, Attempt.at > since).count()

    # The fixed-window interface of `limits`, for completeness: the same rows, each expiring on its own.
    def incr(self, key, expiry, amount=1):
        now = time.time()
        with db.write():
            _serialise(key)
            Attempt.insert_many([{"key": key, "at": now, "expires_at": now + expiry}] * amount).execute()
            return Attempt.select().where(Attempt.key == key, Attempt.expires_at > now).count()

    def get(self, key):
        return Attempt.select().where(Attempt.key == key, Attempt.expires_at > time.time()).count()

    def get_expiry(self, key):
        return (Attempt.select(fn.MAX(Attempt.expires_at)).where(Attempt.key == key).scalar()
                or time.time())

    def check(self):
        try:
            Attempt.select().limit(1).exists()
        except DatabaseError:
            return False
        return True

    def reset(self):
        return Attempt.delete().execute()

    def clear(self, key):
        Attempt.delete().where(Attempt.key == key).execute()


def _serialise(key):
    """On PostgreSQL, tries for one key wait for each other (SQLite's IMMEDIATE transaction already does)."""
    if isinstance(db.database(), PostgresqlDatabase):
        db.database().execute_sql("SELECT pg_advisory_xact_lock(%s, %s)", (0x4A11, zlib.crc32(key.encode()) - 2**31))


def init_app(app):
    for name, default in LIMITS.items():
        app.config.setdefault(name, default)
    app.config.setdefault("RATELIMIT_ENABLED", True)
    uri = app.config.get("RATELIMIT_STORAGE_URI")
    storage = storage_from_string(uri) if uri else DatabaseStorage()
    app.extensions["hallway-limits"] = MovingWindowRateLimiter(storage)


def _limiter():
    return current_app.extensions["hallway-limits"]


def client_address():
    """The address the request came from (behind a proxy, configure ProxyFix so this is the client's)."""
    return request.remote_addr or "unknown"


def too_many_tries(name, *identifiers, at_login=False):
    """The answer once a limit is reached, saying how long until the next try is let through (the moving
    window's oldest try expires): the same for a right and a wrong password. At the login it offers a reset,
    which clears the account's count of wrong passwords (forget())."""
    from ..errors import render_error

    response, code = render_error(429, message=f"Too many tries. Wait {_wait(name, *identifiers)} and try again.",
                                  forgot_password=at_login)
    return response, code, {"Retry-After": str(seconds_to_wait(name, *identifiers))}


def refused(*limits, at_login=False):
    """Count a try against each (name, identifier) in turn; the 429 answer for the first limit reached, or None."""
    for name, identifier in limits:
        if not take(name, identifier):
            return too_many_tries(name, identifier, at_login=at_login)
    return None


def seconds_to_wait(name, *identifiers):
    if not current_app.config["RATELIMIT_ENABLED"]:
        return 0
    item = parse(current_app.config[name])
    stats = _limiter().get_window_stats(item, name.lower(), *_hashed(identifiers))
    return max(1, int(stats.reset_time - time.time()) + 1)


def _wait(name, *identifiers):
    seconds = seconds_to_wait(name, *identifiers)
    minutes = -(-seconds // 60)
    return "a minute" if minutes <= 1 else f"{minutes} minutes"


def wait_message(name, *identifiers):
    """For a form that says it in place: "Too many wrong passwords. Wait 12 minutes and try again." """
    return f"Too many wrong passwords. Wait {_wait(name, *identifiers)} and try again."


def _hashed(identifiers):
    # Keys stay short and the table never holds email addresses in clear.
    return [hashlib.sha256(str(i).encode("utf-8", "surrogatepass")).hexdigest()[:40] for i in identifiers]


def take(name, *identifiers):
    """Count one try against the named limit; False when the limit is already reached."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return True
    return _limiter().hit(parse(current_app.config[name]), name.lower(), *_hashed(identifiers))


def forget(name, *identifiers):
    """Forget every try counted against the named limit for these identifiers (in any store)."""
    if current_app.config["RATELIMIT_ENABLED"]:
        _limiter().clear(parse(current_app.config[name]), name.lower(), *_hashed(identifiers))


def give_back(name, *identifiers):
    """Uncount the last try, where the store can (the database store can; others keep it counted)."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return
    limiter = _limiter()
    if isinstance(limiter.storage, DatabaseStorage):
        limiter.storage.give_back(parse(current_app.config[name]).key_for(name.lower(), *_hashed(identifiers)))
