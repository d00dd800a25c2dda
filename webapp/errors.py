"""Friendly pages for the errors a user can run into; never a bare stack trace."""

import sqlite3

from flask import current_app, jsonify, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from peewee import InterfaceError, OperationalError

MESSAGES = {
    400: ("That request was not understood", "Go back and try again."),
    403: ("Not allowed", "You cannot do that here."),
    404: ("Not found", "There is nothing here, or it is not yours to see."),
    405: ("Not allowed", "That page does not take this kind of request."),
    410: ("Gone", "This link no longer works."),
    413: ("That is too big", "The upload is too big. Try a smaller file."),
    429: ("Slow down", "Too many tries. Wait a while and try again."),
    500: ("Something went wrong", "Nothing you saved is lost. Try again in a moment."),
}
# Seconds a client is asked to wait when the database is away (restarting, full, read-only).
RETRY_AFTER = 30
# What SQLite answers when the file, not the statement, is the trouble: busy or locked past the timeout, out of
# memory, read-only, a disk error, damaged, full, cannot be opened, not allowed, not a database.
SQLITE_AWAY = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_NOMEM, sqlite3.SQLITE_READONLY,
               sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_FULL, sqlite3.SQLITE_CANTOPEN,
               sqlite3.SQLITE_PROTOCOL, sqlite3.SQLITE_PERM, sqlite3.SQLITE_NOTADB}
# PostgreSQL's error classes for the same: connection lost (08), a deadlock or serialization failure to retry
# (40), out of disk, memory or connections (53), shut down or restarting (57), an I/O error (58).
POSTGRES_AWAY = {"08", "40", "53", "57", "58"}


def render_error(code, title=None, message=None, forgot_password=False):
    """forgot_password: the page also offers to reset the password (the login's "too many tries")."""
    default_title, default_message = MESSAGES.get(code, MESSAGES[500])
    return (
        render_template("errors/error.html", code=code, title=title or default_title,
                        message=message or default_message, forgot_password=forgot_password),
        code,
    )


def too_big_message():
    """The limit this request had (5 MB for most forms; more where a photo or a backup may come), in MB."""
    limit = request.max_content_length
    if not limit:
        return MESSAGES[413][1]
    return f"The upload is over the {limit // 2**20} MB limit. Try a smaller file."


def too_big(error):
    return render_error(413, message=too_big_message())


def database_away(error):
    """Whether the database itself is away (stopped, unreachable, locked, full, read-only), rather than refusing
    a statement it was sent (too deep, naming no such table): only the first is over if the user tries again.

    The error raised may be a later one that the first caused (a full SQLite file ends the transaction, whose
    rollback then fails): each error in the chain is asked."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if _says_away(error):
            return True
        error = error.__context__
    return False


def _says_away(error):
    if isinstance(error, InterfaceError):  # a connection closed under the app
        return True
    if isinstance(error, sqlite3.Error):
        # The primary result code, whatever its extended detail (SQLITE_IOERR_SHORT_READ is SQLITE_IOERR).
        return (getattr(error, "sqlite_errorcode", sqlite3.SQLITE_ERROR) & 0xFF) in SQLITE_AWAY
    if hasattr(error, "pgcode"):  # psycopg2's, with PostgreSQL's SQLSTATE: none when the server never answered
        return error.pgcode is None or error.pgcode[:2] in POSTGRES_AWAY
    return False


def database_error(error):
    """A database that is away gets its 503; a statement it refuses is a fault of the app's, a 500 like any."""
    if database_away(error):
        return database_unavailable(error)
    current_app.logger.error("the database refused a statement", exc_info=error)
    return render_error(500)


def database_unavailable(error):
    """The database is down, full or read-only: a 503 that needs nothing from it, and asks to retry.

    The phone's sync gets JSON, so the entry stays queued on the phone and is sent again later.
    """
    current_app.logger.warning("database unavailable: %s", error)
    headers = {"Retry-After": str(RETRY_AFTER), "Cache-Control": "no-store"}
    if request.path.startswith("/sync/") or request.accept_mimetypes.best == "application/json":
        response = jsonify(error="The server cannot save just now. Nothing is lost: this phone keeps the "
                                 "entry and sends it again shortly.", reason="unavailable")
        return response, 503, headers
    # Rendered without the app's context processors: they ask the database about the user.
    page = current_app.jinja_env.get_template("errors/unavailable.html").render(request=request, url_for=url_for)
    return page, 503, headers


def init_app(app):
    for code in MESSAGES.keys() - {413}:
        app.register_error_handler(code, lambda e, code=code: render_error(code))
    app.register_error_handler(413, too_big)  # says the limit the request had
    # PostgreSQL stopped or unreachable, SQLite read-only, locked past its timeout, or the disk full.
    app.register_error_handler(OperationalError, database_error)
    app.register_error_handler(InterfaceError, database_error)

    @app.errorhandler(CSRFError)
    def csrf_error(e):
        return render_error(
            400, "This form has expired",
            "Your session changed since the page was opened (for example you logged in again). "
            "Go back, reload the page and send it again.",
        )
