"""At the venue: installs to the home screen, opens with no signal, stores what was logged offline once."""

import uuid

from flask import Blueprint, current_app, flash, g, jsonify, make_response, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError, generate_csrf
from peewee import DataError
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest, NotFound, RequestEntityTooLarge

from .. import assets, attachments, db, errors
from ..attachments import store as kept_files
from ..people.logbook import ALREADY_SAVED, CONFLICT, CREATED, NOT_FOUND, UPDATED, saved_message, store_meeting
from ..web import nothing_changed
from .forms import SyncedAttachmentForm, SyncedMeetingForm, type_errors

bp = Blueprint("offline", __name__)


@bp.url_value_preprocessor
def upload_limits(endpoint, values):
    if endpoint == "offline.sync_attachment":
        attachments.allow_uploads()

STATUS_CODES = {CREATED: 201, ALREADY_SAVED: 200, UPDATED: 200, CONFLICT: 409, NOT_FOUND: 404}


def _always_checked(body, mimetype):
    """A file the browser must check with the server on each visit (no-cache), so a new release arrives;
    unchanged, the answer is a short 304."""
    response = make_response(body)
    response.mimetype = mimetype
    response.headers["Cache-Control"] = "no-cache"
    response.add_etag()
    return response.make_conditional(request)


@bp.route("/sw.js")
def service_worker():
    """The service worker, served from the root so it controls every page of the app. It carries this
    release's list of files and their hashed URLs, so any change to them installs a new worker."""
    return _always_checked(assets.release().service_worker, "text/javascript")


@bp.route("/manifest.webmanifest")
def manifest():
    """What the phone needs to install Hallway to the home screen, its icons at their hashed URLs."""
    return _always_checked(assets.release().manifest, "application/manifest+json")


@bp.route("/offline")
def fallback():
    """Shown with no signal for a page this phone has not kept yet. The same for everyone (the service worker
    fetches it without the session), and made without the database, which may be away when a phone installs the
    app: as for someone not logged in."""
    g._login_user = current_app.login_manager.anonymous_user()  # what Flask-Login sets when there is no session
    return render_template("offline/fallback.html")


def _json_error(code, message, **extra):
    response = jsonify(error=message, **extra)
    response.status_code = code
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(CSRFError)
def csrf_error(e):
    return _json_error(400, "The page's security token is missing or out of date. "
                            "Reload the page and try again.", reason="csrf")


@bp.errorhandler(BadRequest)
def not_understood(e):
    # The phone reads every answer here as JSON: a body that cannot be read at all (a JSON body sent where a file
    # goes, or JSON nested too deeply) gets a message it can show, not the error page.
    return _json_error(400, "This could not be read. Send it again from the app.", reason="unreadable")


@bp.errorhandler(RequestEntityTooLarge)
def too_big(e):
    # A refusal the phone shows with the entry: it will never fit, so it is not sent again.
    return _json_error(413, errors.too_big_message(), reason="too_big")


@bp.errorhandler(DataError)
def not_storable(e):
    # A value the database refuses (longer than its column, a number out of range) is refused however often it is
    # sent: a 5xx would have the phone send it again for ever. The details are for whoever runs the server.
    current_app.logger.exception("an entry refused by the database")
    return _json_error(400, "This entry holds something the server cannot store, so it was not saved.",
                       reason="unstorable")


@bp.route("/sync/session")
def session_state():
    """Who is logged in and a fresh CSRF token, so a phone only sends an account its own entries."""
    if not current_user.is_authenticated:
        return _json_error(401, "Log in to send what was saved on this phone.", reason="login")
    response = jsonify(account=current_user.account_key, csrf_token=generate_csrf())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/sync/meetings", methods=("POST",))
def sync_meeting():
    """Store one person logged on the phone without signal, exactly once per UUID.

    201 when new; 200 when this UUID was already stored with the same content; 409 when it was
    stored with different content; 404 for another user's UUID; 403 for an entry another account logged on the
    phone; 400 for bad input. An event that is not the user's (deleted since) files it as if none was named.
    """
    if not current_user.is_authenticated:
        return _json_error(401, "Log in to send what was saved on this phone.", reason="login")
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return _json_error(400, "Send the person as a JSON object.", fields={})
    errors = type_errors(payload)
    if errors:
        return _json_error(400, "Some fields could not be read.", fields=errors)
    # As form data, not data=: Optional() and InputRequired() look at the raw input, which data= leaves empty.
    form = SyncedMeetingForm(formdata=MultiDict({k: v for k, v in payload.items() if v is not None}))
    if not form.validate():
        return _json_error(400, "Please check the fields marked.", fields=form.errors)
    if form.account.data and not current_user.logged_the_entry(form.account.data, form.made_at):
        return _json_error(403, "This was saved on this phone by another account. "
                                "Log in with that account to send it.", reason="account")
    # When the phone logged it, where the user is: the meeting keeps it, whichever event it goes to.
    met_at = form.when_met(current_user.now())
    event_id = form.event_id.data
    if event_id is not None:
        # Logged under a quick event on a log form the phone kept, and merged into the real event since (as the app
        # suggests once a planned event begins): the entry goes where its people went. An event deleted since (on
        # another device, while the phone had no signal) leaves the person met all the same: filed as if the form
        # had named no event, as is an event that was never the account's, so the answer says nothing about it.
        event_id = current_user.event_now(event_id)
    if event_id is None and met_at:
        event = current_user.event_met_at(met_at)
        event_id = event.id if event else None
    made_event = False
    with db.write():
        if event_id is None:
            day = form.day_met(met_at)
            event = current_user.quick_event(day, make=False)  # made by the day's first entry
            if event is None:
                event, made_event = current_user.quick_event(day), True
            event_id = event.id
        # "Already met?" answered on the phone: that person met again; nobody can be asked here, so else someone new.
        outcome = store_meeting(current_user.id, event_id, form.details(), entry=form.uuid.data,
                                same_as=form.choice() or "new", today=current_user.today(), met_at=met_at)
        changed = made_event or outcome.status not in (ALREADY_SAVED, CONFLICT)
        if not changed:
            nothing_changed()  # sent again (its answer lost): every page kept for the account stays good
    if outcome.status == NOT_FOUND:
        return _json_error(404, "There is nothing here, or it is not yours.")
    conversation = outcome.conversation
    person, event = conversation.person, conversation.event
    body = {"status": outcome.status, "uuid": str(conversation.uuid), "person_id": person.id,
            "event_id": event.id, "person_url": url_for("people.show", person_id=person.id)}
    if outcome.status == CONFLICT:
        return _json_error(409, f"{person.label} was already saved from this phone with different details. "
                                "Open them to change what was saved.", **body)
    progress = event.progress()
    # The account's version this count is as new as: a POST that stored something moves it on once it succeeds
    # (count_the_change), so a page the phone kept from before counts fewer and is told so (static/js/met-counts.js).
    version = current_user.data_version + (1 if changed else 0)
    body["progress"] = {"met": progress.met, "goal": progress.goal, "version": version}
    if outcome.status == CREATED and request.headers.get("X-Hallway-Announce"):
        flash(saved_message(person, progress), "success")
    response = jsonify(body)
    response.status_code = STATUS_CODES[outcome.status]
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/sync/attachments", methods=("POST",))
def sync_attachment():
    """Store one voice note or photo kept on the phone, exactly once per its UUID: made with an entry, or added on
    a person's page (person: their id).

    201 when new; 200 when already stored; 404 for another user's UUID or person; 400 for what is not a voice
    note or a photo. It may come before its entry: storing the entry links it then.
    """
    if not current_user.is_authenticated:
        return _json_error(401, "Log in to send what was saved on this phone.", reason="login")
    form = SyncedAttachmentForm()
    if not form.validate():
        return _json_error(400, "This file could not be kept.", fields=form.errors)
    person = None
    if form.person.data is not None:
        try:
            person = current_user.person_or_404(form.person.data)
        except NotFound:
            return _json_error(404, "This person is no longer here (deleted, or in another account).")
    status, attachment = kept_files.keep(current_user.id, form.checked, attachment_id=uuid.UUID(form.uuid.data),
                                         entry=uuid.UUID(form.entry.data) if form.entry.data else None,
                                         person=person)
    if status == kept_files.NOT_FOUND:
        return _json_error(404, "There is nothing here, or it is not yours.")
    response = jsonify(status=status, uuid=str(attachment.uuid), linked=attachment.person_id is not None)
    response.status_code = 201 if status == kept_files.CREATED else 200
    response.headers["Cache-Control"] = "no-store"
    return response
