"""Voice notes and photos: kept with the person met, played and shown on their page and the event's list."""

from flask import Blueprint, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .. import db
from ..forms import ConfirmForm
from . import store
from .checks import SERVED_TYPES
from .forms import AddAttachmentForm

bp = Blueprint("attachments", __name__)

# A request carrying a photo from a page without script (straight from the camera) may be this big.
UPLOAD_MAX_BYTES = 20 * 1024 * 1024


def allow_uploads():
    """Let this request carry a voice note and a photo; call before anything reads the body (CSRF included)."""
    request.max_content_length = current_app.config.get("UPLOAD_MAX_BYTES", UPLOAD_MAX_BYTES)


@bp.url_value_preprocessor
def upload_limits(endpoint, values):
    if endpoint == "attachments.add":
        allow_uploads()


@bp.route("/attachments/<int:attachment_id>")
@login_required
def show(attachment_id):
    """The voice note or the photo itself; another user's is a 404."""
    attachment = current_user.attachment_or_404(attachment_id)
    return _file(attachment.content, attachment.content_type)


@bp.route("/attachments/<int:attachment_id>/small")
@login_required
def small(attachment_id):
    """A photo's small copy, for lists."""
    attachment = current_user.attachment_or_404(attachment_id)
    if attachment.thumbnail is None:
        return _file(attachment.content, attachment.content_type)
    return _file(attachment.thumbnail, "image/jpeg")


def _file(content, content_type):
    content = bytes(content)
    response = make_response(content)
    # Only types checked on the way in are ever served, never one a backup file or a phone claimed.
    response.mimetype = content_type if content_type in SERVED_TYPES else "application/octet-stream"
    # Asked again each time (a 304 when unchanged): a browser's cache outlives a logout, and on a shared phone
    # the next person must not find someone's photos there.
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.add_etag()
    # Safari plays audio only from a server that answers byte ranges.
    return response.make_conditional(request, accept_ranges=True, complete_length=len(content))


@bp.route("/people/<int:person_id>/attachments", methods=("POST",))
@login_required
def add(person_id):
    """Add a voice note or a photo to someone already logged, from their page."""
    person = current_user.person_or_404(person_id)
    form = AddAttachmentForm()
    if not form.validate_on_submit():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        flash(errors[0] if errors else "Record a voice note or take a photo first.", "error")
        return redirect(url_for("people.show", person_id=person.id) + "#attachments")
    added = []
    for kind, checked in form.checked().items():
        status, attachment = store.keep(current_user.id, checked, person=person,
                                        attachment_id=store.form_file_id(current_user.id, form.token.data, kind)
                                        if form.token.data else None)
        if status != store.NOT_FOUND:
            added.append(attachment.kind_name)
    flash(f"{' and '.join(added).capitalize()} added to {person.label}.", "success")
    return redirect(url_for("people.show", person_id=person.id) + "#attachments")


@bp.route("/attachments/<int:attachment_id>/delete", methods=("GET", "POST"))
@login_required
def delete(attachment_id):
    """Ask first, then forget one voice note or photo; the person stays."""
    attachment = current_user.attachment_or_404(attachment_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        with db.write():
            attachment.delete_instance()
        flash(f"The {attachment.kind_name} was deleted.", "info")
        if attachment.person_id:
            return redirect(url_for("people.show", person_id=attachment.person_id) + "#attachments")
        return redirect(url_for("home.index"))
    return render_template("attachments/delete.html", attachment=attachment, form=form)
