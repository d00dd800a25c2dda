"""Exports: your people as contacts (vCard) or a spreadsheet (CSV), and the whole account as a backup."""

import json
import re
import unicodedata
from itertools import islice
from urllib.parse import quote

from flask import Blueprint, Response, render_template
from flask_login import current_user, login_required

from .. import db
from ..errors import render_error
from ..models import Conversation, Person
from .backup import backup
from .contacts import SLICE, contacts
from .spreadsheet import people_csv
from .vcard import vcards

bp = Blueprint("exports", __name__)

VCARD_TYPE = "text/vcard"  # Flask adds "; charset=utf-8" to text types
CSV_TYPE = "text/csv"
JSON_TYPE = "application/json"


@bp.route("/export")
@login_required
def index():
    """The Export & import page: every download, the backup restore and the calendar import."""
    return render_template("exports/index.html", people=current_user.people().count(),
                           events=current_user.events().count())


@bp.route("/export/contacts.vcf")
@login_required
def everyone_vcard():
    """Everyone you have met, as one vCard file to import into a phone's contacts."""
    if not current_user.people().exists():
        return nobody_to_export()
    return download(streamed(vcards(contacts(current_user.people(), current_user.zone, photos=True))), VCARD_TYPE,
                    f"Hallway contacts {current_user.today().isoformat()}.vcf")


@bp.route("/export/people.csv")
@login_required
def everyone_csv():
    """Everyone you have met, one row per person per event, for a spreadsheet."""
    if not current_user.people().exists():
        return nobody_to_export()
    return download(people_csv(contacts(current_user.people(), current_user.zone)), CSV_TYPE,
                    f"Hallway people {current_user.today().isoformat()}.csv")


@bp.route("/export/backup.json")
@login_required
def backup_json():
    """The whole account (profile, events, people, notes, tags, follow-ups, outcomes) as one JSON file."""
    document = json.dumps(backup(current_user), ensure_ascii=False, indent=1)
    return download(document.encode(), JSON_TYPE, f"Hallway backup {current_user.today().isoformat()}.json")


@bp.route("/events/<int:event_id>/contacts.vcf")
@login_required
def event_vcard(event_id):
    """Everyone met at one event, as vCards."""
    event = current_user.event_or_404(event_id)
    if not met_at(event).exists():
        return nobody_to_export(event)
    return download(streamed(vcards(contacts(met_at(event), current_user.zone, photos=True))), VCARD_TYPE,
                    f"{event.name} {event.starts_on.isoformat()}.vcf")


@bp.route("/events/<int:event_id>/people.csv")
@login_required
def event_csv(event_id):
    """Everyone met at one event, with what you noted there, as a spreadsheet."""
    event = current_user.event_or_404(event_id)
    if not met_at(event).exists():
        return nobody_to_export(event)
    return download(people_csv(contacts(met_at(event), current_user.zone), event=event), CSV_TYPE,
                    f"{event.name} {event.starts_on.isoformat()}.csv")


@bp.route("/people/<int:person_id>/contact.vcf")
@login_required
def person_vcard(person_id):
    """One person as a contact card: "Save as contact" on their page."""
    person = current_user.person_or_404(person_id)
    them = Person.select().where(Person.id == person.id)
    return download(b"".join(vcards(contacts(them, current_user.zone, photos=True))), VCARD_TYPE,
                    f"{person.label or 'Contact'}.vcf")


def streamed(parts):
    """The parts of a download as they are made, after the view has returned: its request has given back its
    connection by then. A slice of them is read on a connection of its own, given back before they are sent, so
    a phone downloading slowly holds no connection."""
    parts = iter(parts)
    while True:
        with db.database().connection_context():
            ready = list(islice(parts, SLICE))
        if not ready:
            return
        yield b"".join(ready)


def nobody_to_export(event=None):
    """An export with nobody in it (at an event, or in the whole account): a page saying so, as a phone reports an
    empty contacts file as a broken one."""
    where = f"at {event.name} " if event else ""
    return render_error(404, "Nobody to export", f"Nobody is logged as met {where}yet, so there are no contacts "
                                                 "to export.")


def met_at(event):
    return Person.select().where(Person.id.in_(Conversation.select(Conversation.person)
                                              .where(Conversation.event == event)))


def download(data, mimetype, filename):
    """A file download named for the user; a non-ASCII name goes in filename*=UTF-8'' (RFC 5987). data: bytes, or
    an iterable of bytes sent as it is made."""
    name = safe_filename(filename)
    stem, _, ext = name.rpartition(".")
    plain = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    plain = " ".join(plain.replace("%", " ").split()) or "Hallway export"
    disposition = f'attachment; filename="{plain}.{ext}"'
    if plain != stem:
        disposition += f"; filename*=UTF-8''{quote(name, safe='')}"
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = disposition
    # Personal data: never kept by a shared cache or proxy.
    response.headers["Cache-Control"] = "private, no-store"
    return response


def safe_filename(name):
    """The name without path separators, quotes, control characters or %, and not absurdly long."""
    stem, dot, ext = name.rpartition(".")
    stem = re.sub(r'[\x00-\x1f\x7f/\\:*?"<>|%;]+', " ", stem)
    stem = " ".join(stem.split())[:80].strip(" .") or "Hallway export"
    return f"{stem}{dot}{ext}"
