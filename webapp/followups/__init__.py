"""Follow-ups: what you promised people, overdue first, with a message drafted for each.

One person at a time: Hallway drafts, the user edits and sends it themselves (share sheet,
email or LinkedIn), which marks it done, with a few minutes to undo. Nothing is ever sent
in bulk or automatically.
"""

from urllib.parse import quote, quote_plus

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from itsdangerous import BadSignature, URLSafeTimedSerializer
from peewee import IntegrityError

from .. import db, kept
from ..links import safe_next
from ..models import FollowUp, User
from . import listing, message
from .forms import DoneForm, DueDateForm, MessageSettingsForm, UndoForm

bp = Blueprint("followups", __name__, url_prefix="/follow-ups")
LINKEDIN_SEARCH = "https://www.linkedin.com/search/results/people/?keywords="
MAX_PAGE = 10_000
UNDO_SECONDS = 10 * 60
SENT_VIA = {"share": "Shared", "copy": "Copied to send", "email": "Emailed", "linkedin": "Sent on LinkedIn"}


def linkedin_link(person):
    """Their profile when known, else a LinkedIn people search for their name and company."""
    if person.linkedin_url:
        return person.linkedin_url, "Open their LinkedIn"
    if not person.name:
        return None, None
    words = " ".join(w for w in (person.name, person.company) if w)
    return LINKEDIN_SEARCH + quote_plus(words), "Find them on LinkedIn"


def mailto(person, draft):
    """A mailto: link with the subject and the long message filled in (RFC 6068: %-encoded, CRLF lines)."""
    if not person.email:
        return None
    body = draft.long.replace("\n", "\r\n")
    return f"mailto:{quote(person.email, safe='@')}?subject={quote(draft.subject)}&body={quote(body)}"


def card_url(follow_up):
    """Where a follow-up's card is: at it, on the page of the list it is on; the list itself once it is closed."""
    if not follow_up.is_open:
        return url_for("followups.index")
    page = listing.page_of(current_user.id, follow_up)
    return url_for("followups.index", page=page if page > 1 else None) + f"#follow-up-{follow_up.id}"


def _undo_signer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=current_user.salt("follow-up-undo"))


@bp.route("/")
@login_required
def index():
    """Overdue, due today and upcoming follow-ups, one card per person, ten to a page, each with a message."""
    page = min(max(1, request.args.get("page", 1, type=int)), MAX_PAGE)
    closed = _closed_note(session.pop("follow_up_closed", None))
    return render_template("followups/index.html", body=kept.part("follow-ups", lambda: page_body(page), page),
                           closed=closed)


def page_body(page):
    """The cards of one page, with their messages drafted, and those done lately."""
    today = current_user.today()
    items, has_more = listing.cards(current_user.id, page)
    sizes = listing.group_sizes(current_user, today)
    return render_template("followups/_page.html", groups=listing.page_groups(items, today), sizes=sizes,
                           card_shows=_card_shows, card_extras=_card_extras,
                           done=listing.recently_closed(current_user.id), today=today, any_open=any(sizes.values()),
                           page=page, shown=len(items), has_more=has_more, due_label=listing.due_label,
                           limit=message.LIMIT)


def _card_shows(f, today):
    """Everything a card is made from, as plain values: its follow-up, person and event as the query read them
    (listing.CARD), the day, and how the user opens and signs their messages. A card is kept under it
    (kept.row): after a save, only the cards that changed are made again, their messages drafted again."""
    rows = (f.__data__, f.person.__data__, f.event.__data__ if f.event_id else {})
    return (*(tuple(sorted(row.items())) for row in rows), listing.day_met(f, current_user.zone), today,
            current_user.display_name, current_user.greeting, current_user.sign_off)


def _card_extras(f):
    """A card's message, drafted, and its ways to send it: (draft, LinkedIn link and its label, mailto)."""
    draft = message.draft(f, f.person, f.event if f.event_id else None, current_user.display_name,
                          current_user.greeting, current_user.sign_off, met_on=listing.day_met(f, current_user.zone))
    return draft, *linkedin_link(f.person), mailto(f.person, draft)


def _closed_note(note):
    """The confirmation shown once after closing a follow-up, with its Undo (while still undoable)."""
    if not note:
        return None
    return {**note, "undo": UndoForm(formdata=None, token=note["token"], next=note.get("back") or "")}


@bp.app_template_global()
def follow_up_closed_on(person):
    """The note with Undo after one of this person's follow-ups was closed from their page, shown once."""
    note = session.get("follow_up_closed")
    if not note or note.get("person_id") != person.id:
        return None
    return _closed_note(session.pop("follow_up_closed"))


def _close(follow_up_id, field, said):
    follow_up = current_user.follow_up_or_404(follow_up_id)
    form = DoneForm()
    back = safe_next(form.next.data)
    if not form.validate_on_submit():
        flash("That button's page was out of date: try again.", "error")
        return redirect(back or url_for("followups.index"))
    if not follow_up.is_open:
        flash("That follow-up was already closed.", "info")
        return redirect(back or url_for("followups.index"))
    with db.write():
        setattr(follow_up, field, current_user.today())
        follow_up.save()
    how = SENT_VIA.get(form.via.data)
    note = {"id": follow_up.id, "label": follow_up.person.label,
            "said": f"{how}: follow-up done." if how else said,
            "token": _undo_signer().dumps([current_user.id, follow_up.id, field]),
            "person_id": follow_up.person_id, "back": back}
    if request.headers.get("X-Requested-With") == "fetch":  # a send button: the card turns into the note
        return render_template("followups/_closed.html", closed=_closed_note(note))
    session["follow_up_closed"] = note
    return redirect(back or url_for("followups.index"))


@bp.route("/<int:follow_up_id>")
@login_required
def show(follow_up_id):
    """A follow-up's card, wherever it is in the list: what the person page and the calendar link to."""
    return redirect(card_url(current_user.follow_up_or_404(follow_up_id)))


@bp.route("/<int:follow_up_id>/done", methods=("POST",))
@login_required
def done(follow_up_id):
    """Mark a follow-up done today; the date is kept on the person's page."""
    return _close(follow_up_id, "done_on", "follow-up done. Nice.")


@bp.route("/<int:follow_up_id>/drop", methods=("POST",))
@login_required
def drop(follow_up_id):
    """Let a follow-up go: it leaves the list and no one is nagged about it again."""
    return _close(follow_up_id, "dropped_on", "follow-up dropped.")


@bp.route("/<int:follow_up_id>/undo", methods=("POST",))
@login_required
def undo(follow_up_id):
    """Put a follow-up that was just marked done or dropped back on the list (for a few minutes after)."""
    follow_up = current_user.follow_up_or_404(follow_up_id)
    form = UndoForm()
    try:
        user_id, signed_id, field = _undo_signer().loads(form.token.data or "", max_age=UNDO_SECONDS)
    except BadSignature:  # SignatureExpired is one
        user_id = signed_id = field = None
    if not form.validate_on_submit() or (user_id, signed_id) != (current_user.id, follow_up.id) or \
            field not in ("done_on", "dropped_on"):
        flash("Too late to undo that: open the person to change it.", "info")
    else:
        # A person has one follow-up on the list at a time: met again with "follow up" ticked since, this one
        # stays closed. So it does when the other was made at this very moment (PostgreSQL lets both read "none"
        # and the database refuses the second).
        try:
            with db.write():
                other = follow_up.person.open_follow_up()
                if other is None:
                    setattr(follow_up, field, None)
                    follow_up.save()
        except IntegrityError:
            other = follow_up.person.open_follow_up() or FollowUp(reason="")
        if other is None or other.id == follow_up.id:  # Undo sent twice: already back
            flash(f"{follow_up.person.label}: back on your list.", "success")
        else:
            stays = "done" if field == "done_on" else "dropped"
            reason = f" ({other.reason})" if other.reason else ""
            flash(f"{follow_up.person.label} already has a follow-up on your list{reason}: this one stays {stays}.",
                  "info")
    return redirect(safe_next(form.next.data) or card_url(follow_up))


@bp.route("/<int:follow_up_id>/due", methods=("POST",))
@login_required
def reschedule(follow_up_id):
    """Move a follow-up's due date."""
    follow_up = current_user.follow_up_or_404(follow_up_id)
    form = DueDateForm()
    if not follow_up.is_open:
        flash("That follow-up was already closed.", "info")
    elif form.validate_on_submit():
        with db.write():
            follow_up.due_on = form.due_on.data
            follow_up.moved_by_hand = True
            follow_up.save()
        flash(f"{follow_up.person.label}: now due {follow_up.due_on.strftime('%a %-d %b')}.", "success")
    else:
        problem = " ".join(form.due_on.errors or ["That date was not understood."])
        flash(f"{follow_up.person.label}: {problem}", "error")
    return redirect(card_url(follow_up))


@bp.app_template_global()
def message_settings_form():
    """The greeting and sign-off fields, as the profile shows them."""
    return MessageSettingsForm(formdata=None, obj=current_user)


@bp.route("/settings", methods=("POST",))
@login_required
def settings():
    """How every drafted message opens and closes (set once, on the profile)."""
    form = MessageSettingsForm()
    if form.validate_on_submit():
        with db.write():
            User.update(greeting=form.greeting.data or "", sign_off=form.sign_off.data or "").where(
                User.id == current_user.id).execute()
        flash("Greeting and sign-off saved.", "success")
    else:
        problems = [e for errors in form.errors.values() for e in errors]
        flash(" ".join(problems) or "That was not saved: try again.", "error")
    return redirect(url_for("accounts.profile") + "#message-settings")
