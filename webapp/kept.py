"""Parts of pages worked out from an account's data, kept until the account changes.

Every change a user makes moves their account's version (User.data_version, see web.count_the_change), and
the day is part of what a page says ("due today", "last spring"). A part kept under an older version or day
is never read again: it falls out of the cache as newer parts come in. Each worker keeps its own parts; the
version is read from the database on every request, so workers on several hosts never show an old page.

The page's CSRF token is signed anew for each request: a kept part holds a mark in its place, and each
visit puts its own token there.
"""

from cachelib import SimpleCache
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

PARTS_KEPT = 400  # per worker; People, Follow-ups and Insights parts are 10-45 KB each
TOKEN_MARK = "\x00csrf-token\x00"

_parts = SimpleCache(threshold=PARTS_KEPT, default_timeout=0)


def part(name, render, *key):
    """The HTML render() returns for this user, kept under their account's version, the day and key.

    The random session token is in the key: an account deleted and another made with the same id (SQLite
    may give it again) starts its version again, and must never see the old account's pages."""
    user = current_user
    whole_key = repr((name, user.id, user.session_token, user.data_version, user.today().isoformat(), key))
    token = generate_csrf()
    kept = _parts.get(whole_key)
    if kept is None:
        html = str(render())
        _parts.set(whole_key, html.replace(token, TOKEN_MARK))
        return Markup(html)
    return Markup(kept.replace(TOKEN_MARK, token))


def forget_all():
    """Drop every kept part (tests that change the clock or the data behind the app's back)."""
    _parts.clear()
