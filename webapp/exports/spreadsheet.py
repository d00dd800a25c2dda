"""People as a CSV file for spreadsheets: one row per person per event where you met them."""

import csv
import io

from ..rules import FORMULA_STARTS

COLUMNS = ["Name", "Description", "Company", "Role", "Email", "Phone", "LinkedIn", "Hiring", "Connected on LinkedIn",
           "Tags", "Event", "Event date", "Event place", "Notes"]


def people_csv(contacts, event=None):
    """The CSV as bytes: UTF-8 with a byte order mark, so Excel shows 李小龍 and Zoë as they are.

    With an event, only the rows for that event; otherwise every meeting, and a row with no event
    for someone never met at one.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for contact in contacts:
        meetings = [m for m in contact.meetings if event is None or m.event_id == event.id]
        for meeting in meetings or ([None] if event is None else []):
            writer.writerow([neutralised(v) for v in _row(contact, meeting)])
    return out.getvalue().encode("utf-8-sig")


def neutralised(value):
    """The cell as text, with a leading quote when a spreadsheet would otherwise run it as a formula."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _row(contact, meeting):
    person = contact.person
    event = meeting.event if meeting else None
    return [
        person.name, person.description, person.company, person.role, person.email, person.phone, person.linkedin_url,
        "yes" if person.hiring else "no", "yes" if person.connected_on_linkedin else "no",
        ", ".join(contact.tags),
        event.name if event and not event.quick else "",  # a quick event ("Met on Tue 8 Dec") was no event
        meeting.met_on.isoformat() if event else "",
        event.place if event else "",
        meeting.notes if meeting else "",
    ]
