"""Parts of pages worked out from an account's data, kept until the account changes.

Every change a user makes moves their account's version (User.data_version, see web.count_the_change), and
the day is part of what a page says ("due today", "last spring"). A part kept under an older version or day
is never read again: it falls out of the cache as newer parts come in. Each worker keeps its own parts; the
version is read from the database on every request, so workers on several hosts never show an old page.

The page's CSRF token is signed anew for each request: a kept part holds a mark in its place, and each
visit puts its own token there.
"""

import threading

from cachelib import SimpleCache
from flask import request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

PARTS_KEPT = 400  # per worker; the parts are 10-45 KB each


def _mark(number):
    return f"\x00fresh-{number}\x00"


# A part is kept under its day, so none is of use after a day; past the threshold the oldest go first. Those
# that show the account are kept apart from those kept under what they show alone, which outlive its changes.
_parts = SimpleCache(threshold=PARTS_KEPT, default_timeout=24 * 60 * 60)
_parts_kept_by_key = SimpleCache(threshold=PARTS_KEPT, default_timeout=24 * 60 * 60)


def part(name, render, *key, fresh=(), shows_the_account=True):
    """The HTML render() returns for this user, kept under their account's version, the day and key.

    fresh: what this visit's part holds that no other visit may get (a new entry's id); like the CSRF token,
    it is kept as a mark and each visit puts its own value there. Each value must be one that cannot appear
    in the page by chance (a random id, a signed mark), as every copy of it in the page is replaced.
    shows_the_account=False: the part shows nothing of the account but what is in key (the log form shows
    its event's name), so a change elsewhere in the account does not make it again.
    The account's key (its id with when it was made) is in the key: an account deleted and another made with the
    same id (SQLite may give it again) starts its version again, and must never see the old account's pages. So is
    the app's own address, which every link in the part starts with."""
    user = current_user
    version = user.data_version if shows_the_account else None
    whole_key = repr((name, user.id, user.account_key, version, user.today().isoformat(), request.script_root,
                      key))
    values = [generate_csrf(), *fresh]
    parts = _parts if shows_the_account else _parts_kept_by_key
    kept = parts.get(whole_key)
    if kept is None:
        html = kept = str(render())
        for number, value in enumerate(values):
            kept = kept.replace(value, _mark(number))
        parts.set(whole_key, kept)
        return Markup(html)
    for number, value in enumerate(values):
        kept = kept.replace(_mark(number), value)
    return Markup(kept)


_TOKEN = _mark("token")
# Per worker, what the rows' HTML may take in all: a person's row is under 1 KB (long notes are cut, see
# models.NOTES_SHOWN), a follow-up card with its messages 3-5 KB.
ROWS_KEPT_BYTES = 16 * 2**20
_rows = {}
_rows_bytes = 0
_rows_lock = threading.Lock()


def row(*shown, caller):
    """One row of a list, kept under what it shows: `{% call kept_row(row) %}<a ...>{{ row.label }}</a>{% endcall %}`.

    A save makes the page around it again (a new account version), but most of its rows show the same as before:
    each is made from `shown` alone (a tuple of plain values, the row as the query gave it) and kept under it, so
    only a changed or new row is made again. The row must show nothing but `shown` and the page's CSRF token
    (kept as a mark, as in a part): the account and the app's address are in the key, so no row is ever shared
    between accounts."""
    key = (current_user.id, request.script_root, shown)
    kept = _rows.get(key)
    if kept is None:
        html = caller()
        kept = Markup(str(html).replace(generate_csrf(), _TOKEN))
        _keep_row(key, kept)
        return html
    return Markup(str(kept).replace(_TOKEN, generate_csrf())) if _TOKEN in kept else kept


VALUES_KEPT = 2000  # per worker: a few rows each
_values = {}


def for_account(user, name, work_out):
    """What work_out() returns for this user, kept under their account's version and the day, like a part: for
    the few rows every page reads (the header's events). Keep plain values: each request makes its own objects
    from them, so no request changes what another reads. Kept under the account's key, as a part is."""
    key = (name, user.id, user.account_key, user.data_version, user.today())
    value = _values.get(key)
    if value is None:
        if len(_values) >= VALUES_KEPT:
            _values.clear()
        value = _values[key] = work_out()
    return value


def _keep_row(key, html):
    """Keep a row's HTML, the oldest rows going first past ROWS_KEPT_BYTES."""
    global _rows_bytes
    with _rows_lock:
        if key in _rows:  # made by another request meanwhile
            return
        _rows[key] = html
        _rows_bytes += len(html)
        while _rows_bytes > ROWS_KEPT_BYTES and _rows:
            _rows_bytes -= len(_rows.pop(next(iter(_rows))))


def forget_pages():
    """Drop every kept part and value made from an account's version, keeping the rows and the parts kept under
    what they show: what a change to each account does to a worker's pages (bench/pages.py measures the first look
    after a save with it)."""
    _parts.clear()
    _values.clear()


def forget_all():
    """Drop every kept part, row and value (tests that change the data behind the app's back)."""
    global _rows_bytes
    _parts.clear()
    _parts_kept_by_key.clear()
    with _rows_lock:
        _rows.clear()
        _rows_bytes = 0
    _values.clear()
