"""vCard 3.0 files that phones and address books import: one card per person, written by vobject."""

import vobject


def vcards(contacts):
    """The cards one after the other, each as UTF-8 bytes of a .vcf file: sent as they are made, so a download of
    thousands of people with photos is never held whole in memory."""
    for contact in contacts:
        yield card(contact).serialize().encode()


def card(contact):
    """One person as a vobject vCard."""
    person = contact.person
    vc = vobject.vCard()
    # A card needs a formatted name, and phones show it: someone with no name goes by how Hallway shows them
    # ("Someone at Globex", a phone number, the few words they were logged by), with an empty structured name
    # so that an import (this one too: contact_cards.read_card) does not take it for a name.
    vc.add("fn").value = person.label
    vc.add("n").value = _structured_name(person.name) if person.name else vobject.vcard.Name()
    vc.add("uid").value = person.card_uid
    if person.company:
        vc.add("org").value = [person.company]
    if person.role:
        vc.add("title").value = person.role
    if person.email:
        email = vc.add("email")
        email.value = person.email
        email.type_param = "INTERNET"
    if person.phone:
        vc.add("tel").value = person.phone
    if person.linkedin_url:
        vc.add("url").value = person.linkedin_url
        profile = vc.add("x-socialprofile")
        profile.value = person.linkedin_url
        profile.type_param = "linkedin"
    note = _note(contact)
    if note:
        vc.add("note").value = note
    if contact.tags:
        vc.add("categories").value = list(contact.tags)
    if contact.photo:
        photo = vc.add("photo")
        photo.value = contact.photo  # vobject writes it in base64, as ENCODING=b says
        photo.encoding_param = "b"
        photo.type_param = "JPEG"
    return vc


def _structured_name(name):
    """Given names first, family name last: the common case; a one-word name stays whole as the given name."""
    parts = name.split()
    if len(parts) < 2:
        return vobject.vcard.Name(given=name)
    return vobject.vcard.Name(family=parts[-1], given=" ".join(parts[:-1]))


def _note(contact):
    """Where and when you met them, with what you noted each time."""
    person = contact.person
    lines = []
    if person.description:
        lines.append(person.description)
    if person.hiring:
        lines.append("Hiring")
    for meeting in contact.meetings:
        event = meeting.event
        met = f"{_met_where(event)} on {meeting.met_on.isoformat()}"
        if event.place:
            met += f" ({event.place})"
        lines.append(met + (":\n" + meeting.notes if meeting.notes else ""))
    return "\n\n".join(lines)


def _met_where(event):
    """ "Met at PyData Berlin"; just "Met" on a day with nothing planned: a quick event's name ("Met on Tue 8 Dec")
    is Hallway's, and would read "Met at Met on Tue 8 Dec"."""
    return "Met" if event.quick else f"Met at {event.name}"
