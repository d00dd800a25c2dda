"""vCard 3.0 files that phones and address books import: one card per person, written by vobject."""

import uuid

import vobject

# Stable card UIDs: exporting the same person again updates the contact instead of adding a twin.
CARD_NAMESPACE = uuid.UUID("6f1d0c4e-3b8a-5d7e-9a61-2f0c8b1e4d57")


def vcards(contacts):
    """The cards one after the other, each as UTF-8 bytes of a .vcf file: sent as they are made, so a download of
    thousands of people with photos is never held whole in memory."""
    for contact in contacts:
        yield card(contact).serialize().encode()


def card(contact):
    """One person as a vobject vCard."""
    person = contact.person
    vc = vobject.vCard()
    label = person.label or "Unnamed"
    vc.add("fn").value = label
    vc.add("n").value = _structured_name(person.name) if person.name else vobject.vcard.Name(given=label)
    vc.add("uid").value = "urn:uuid:" + str(uuid.uuid5(CARD_NAMESPACE, f"{person.owner_id}:{person.id}"))
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
    if person.name and person.description:
        lines.append(person.description)
    if person.hiring:
        lines.append("Hiring")
    for meeting in contact.meetings:
        event = meeting.event
        met = f"Met at {event.name} on {meeting.met_on.isoformat()}"
        if event.place:
            met += f" ({event.place})"
        lines.append(met + (":\n" + meeting.notes if meeting.notes else ""))
    return "\n\n".join(lines)
