"""What every page shares: CSRF protection, security headers, compression and static files cached for a year,
the header's event progress, the links and the kept HTML of a list's rows, and counting the changes each user
makes."""

from flask import current_app, g, has_request_context, request, url_for
from flask.json.provider import DefaultJSONProvider
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user
from flask_wtf.csrf import CSRFProtect

from . import assets, db, kept, rules, undo
from .models import User

csrf = CSRFProtect()

# Everything a page loads comes from this server: the venue may have no signal,
# and no third party learns who the user met. 'wasm-unsafe-eval' lets the QR reader compile its own
# WebAssembly file (served from here); it allows no eval of JavaScript.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' data: blob:; media-src 'self' blob:; "
    "worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, but a body nested deeper than Python's decoder goes ("[[[[..." 100,000 times) is JSON that
    cannot be read, as any other: a 400 from request.get_json() (each form reads a JSON body), not a RecursionError
    and a 500."""

    def loads(self, s, **kwargs):
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("The JSON is nested too deeply to read.") from None


def nothing_changed():
    """This POST changed nothing after all (the phone sent again an entry already saved): the account's version
    stays, and every page kept under it stays good. Call inside its db.write(), before the transaction ends."""
    g.nothing_changed = True


@db.before_commit
def count_the_change_with_it():
    """A POST's write moves the account's version in its own transaction (see count_the_change): on SQLite a
    transaction of its own after the request was a commit, a write to disk, for every person logged."""
    if has_request_context() and request.method == "POST" and current_user.is_authenticated and \
            not g.get("nothing_changed"):
        User.count_a_change(current_user.id)
        g.change_counted = True


# Read by static/js/drafts.js, which deletes it as a form is posted.
SAVED_FORM_COOKIE = "form_saved"

# Sent by the service worker (static/js/sw.js) when it fetches a page to keep for no signal, in the background.
KEPT_COPY_HEADER = "X-Hallway-Kept-Copy"


def is_kept_copy():
    """This request is the service worker's, in the background: its answer is kept for later, not shown now."""
    return request.headers.get(KEPT_COPY_HEADER) == "1"


class SessionOfTheUsersPages(SecureCookieSessionInterface):
    """Flask's signed session cookie, set by the answers to the pages the user opens, never by a page the service
    worker keeps in the background. Every answer sends the whole session back (the message just flashed, the
    deletion Undo offers, the follow-up just closed), and the worker's fetches run beside the user's pages with the
    cookie of before: whichever answer came last won, so "Event saved." showed again on the next page, or an Undo
    came back. The user's own pages keep the session from going idle."""

    def save_session(self, app, session, response):
        if not is_kept_copy():
            return super().save_session(app, session, response)
        if session.accessed:  # the page still depends on whose cookie it was
            response.vary.add("Cookie")
        return None


def cookie_for_the_page(response, name, value, max_age):
    """A cookie the page's own scripts read and change (so not HttpOnly): secure wherever the session's is."""
    response.set_cookie(name, value, max_age=max_age, samesite="Lax", httponly=False,
                        secure=current_app.config.get("SESSION_COOKIE_SECURE", False))

# The pages of the forms whose drafts the phone keeps (data-draft in templates/people/_form_page.html and
# templates/events/form.html), and the person page's voice notes and photos form, whose files the phone keeps
# until the server answered it (static/js/person-files.js).
FORMS_WITH_DRAFTS = {"people.met_someone", "people.new", "people.edit", "people.edit_person", "events.new",
                     "events.edit", "attachments.add"}

# A number put where a row's id goes in row_url's addresses (ids stop at rules.LARGEST_ID).
_ANY_ROW = rules.LARGEST_ID + 1


def row_url(endpoint, **values):
    """url_for(endpoint, **values) for a link repeated on every row of a list (the people met, the follow-ups):
    werkzeug builds the address once per request, and each row puts its own id in it. url_for takes 8 µs,
    which is a quarter of the time it takes to render a list of 30 people; this takes 2 µs."""
    ((name, row_id),) = values.items()
    addresses = g.setdefault("row_urls", {})
    around = addresses.get((endpoint, name))
    if around is None:
        around = addresses[endpoint, name] = url_for(endpoint, **{name: _ANY_ROW}).split(str(_ANY_ROW))
    if len(around) != 2:  # the number shows elsewhere in the address too (the app's own path)
        return url_for(endpoint, **values)
    return f"{around[0]}{int(row_id)}{around[1]}"


def init_app(app):
    app.json = JSONProvider(app)
    app.session_interface = SessionOfTheUsersPages()
    csrf.init_app(app)
    app.add_template_global(row_url)
    app.add_template_global(kept.row, "kept_row")
    assets.init_app(app, CONTENT_SECURITY_POLICY)
    app.url_map.converters["int"] = rules.RowIdConverter
    app.before_request(undo.forget_expired_copies_when_due)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(self), geolocation=()")
        return response

    @app.after_request
    def count_the_change(response):
        """Every change a user makes moves their account's version (User.data_version), so what was worked out
        from the old one (Insights, the follow-up groups, the phone's index of people) is worked out again. A
        POST that succeeded is a change: the forms, the phone's sync, imports, restores and deletions all are."""
        if request.method == "POST" and response.status_code < 400 and current_user.is_authenticated and \
                not g.get("change_counted") and not g.get("nothing_changed"):
            User.count_a_change(current_user.id)
        return response

    @app.after_request
    def name_the_saved_form(response):
        """A form the server saved answers with a redirect (post, redirect, get): this cookie names the address
        it was posted to. The page after it ends the form's draft on the phone, but a quick thumb can leave that
        page before its scripts run; the form's own page then sees its posted draft was saved (drafts.js) and
        starts empty, instead of bringing back the last person's typing, and their entry id with it. A form posted
        by a user who is not logged in is sent to the login page, not saved: its draft stays."""
        if request.method == "POST" and response.status_code in (302, 303) and current_user.is_authenticated \
                and request.endpoint in FORMS_WITH_DRAFTS:
            cookie_for_the_page(response, SAVED_FORM_COOKIE, request.script_root + request.path, max_age=600)
        return response

    @app.context_processor
    def flashes_for_the_user():
        """A page the service worker keeps in the background takes no message: the one just flashed ("Profile
        saved.") is for the page the user sees next, and a kept copy would show it again days later."""
        return {"shows_flashes": not is_kept_copy()}

    @app.context_processor
    def header_event():
        """The event in the header, so the goal is always one glance away: the same one "Met someone" logs into."""
        if not current_user.is_authenticated:
            # The offline page is made as for nobody logged in: a deletion's message shows there without its Undo.
            return {"undo_offer": undo.undo_offer}
        if "header_event" not in g:
            g.header_event = current_user.event_for_logging()
        return {"header_event": g.header_event, "undo_offer": undo.undo_offer}
