"""Contact cards (vCard 2.1, 3.0, 4.0) read with vobject: a scanned contact QR, or a .vcf from the phone's contacts.

The phone reads a scanned card first (static/js/contact-card.js); its text comes along with the entry, with the
fields the phone filled from it, and what the phone could not read is filled from it here.
"""

import io
import quopri
import re

import vobject

from ..linkedin import LONGEST_ADDRESS, NotAProfile, canonical_profile_url

CARD_FIELDS = ("name", "company", "role", "email", "phone", "linkedin_url")
LIMITS = {"name": 120, "company": 120, "role": 120, "email": 254, "phone": 40, "linkedin_url": LONGEST_ADDRESS,
          "description": 200}
# A card's UID finds the person whose card it is (Person.card_uid) and is kept no further: longer is no such card.
LONGEST_UID = 100
# vobject reads 2.1's quoted-printable only on a line of its own; a soft line break ("=" at the end)
# continues the value on the next line, so those lines are joined first.
SOFT_BREAK = re.compile(r"=\r?\n")
# A phone's export carries each contact's photo (or logo, sound, key) as many KB of base64 that Hallway does not
# keep: left out before vobject reads the card, a file of 1,000 photos is read in a second, not in ten.
UNKEPT = re.compile(r"(?:[\w-]+\.)?(?:PHOTO|LOGO|SOUND|KEY)[;:]", re.IGNORECASE)
BASE64_LINE = re.compile(r"[A-Za-z0-9+/=]+$")


def read_card(card):
    """The fields Hallway keeps from one vobject vCard component, as a dict (missing ones empty)."""
    found = dict.fromkeys(CARD_FIELDS, "")
    org = _first(card, "org")
    if org is not None:
        value = org.value if isinstance(org.value, list) else [org.value]
        found["company"] = _decoded(org, value[0] if value else "")
    found["role"] = _text(card, "title")
    found["email"] = _text(card, "email", preferred=True).removeprefix("mailto:")
    found["phone"] = _text(card, "tel", preferred=True).removeprefix("tel:")
    found["linkedin_url"] = _linkedin(card)
    found["name"] = "" if _stands_in_for_a_name(card, found) else _text(card, "fn") or _structured_name(card)
    return {k: " ".join(v.split())[:LIMITS[k]] if k != "linkedin_url" else v for k, v in found.items()}


def _stands_in_for_a_name(card, found):
    """Whether the card's formatted name only stands in for a name it has not: a company's card (Apple's
    X-ABShowAs:COMPANY), or a card with no structured name whose formatted name is its company, email or phone,
    "Someone at" its company, or the few words of its note (as Hallway writes the card of someone with no name:
    exports.vcard)."""
    if _text(card, "x-abshowas").upper() == "COMPANY":
        return True
    formatted = " ".join(_text(card, "fn").split())
    if not formatted or _structured_name(card):
        return False
    company = " ".join(found["company"].split())
    return formatted in (company, found["email"], found["phone"], f"Someone at {company}" if company else "Someone",
                         card_description(card))


def card_description(card):
    """The few words someone with no name was logged by, as Hallway's card of them carries them: the card's
    formatted name, when its note opens with it and it has no structured name; "" for any other card."""
    formatted = " ".join(_text(card, "fn").split())
    note = _text(card, "note").split("\n\n")[0].strip()
    return formatted if formatted and not _structured_name(card) and formatted == " ".join(note.split()) else ""


def read_card_text(text):
    """The fields of the first vCard in a scanned text, or {} when it holds none that can be read."""
    if not re.match(r"\s*BEGIN:VCARD", text or "", re.I):
        return {}
    card = _component(text)
    return read_card(card) if card is not None else {}


class TooManyCards(ValueError):
    """The file holds more cards than may be read at once (the number it holds is the argument)."""


def read_cards(text, at_most=None):
    """(fields of each vCard in a .vcf file's text that can be read, how many could not be); text: a str, or
    a file of text read line by line. TooManyCards, before any is read, when there are more than at_most."""
    found, damaged, cards = [], 0, list(_each_card(text))
    if at_most is not None and len(cards) > at_most:
        raise TooManyCards(len(cards))
    for card_text in cards:
        card = _component(card_text)
        if card is None or card.name.upper() != "VCARD":
            damaged += 1
        else:
            uid = _text(card, "uid")
            found.append({**read_card(card), "description": card_description(card)[:LIMITS["description"]],
                          "uid": uid if len(uid) <= LONGEST_UID else ""})
    return found, damaged


def _component(text):
    """vobject's reading of one card: with 2.1's soft line breaks joined, else as written (a value that is not
    in its charset once joined may still leave the other lines readable); None when neither can be read."""
    for attempt in (unfold_soft_breaks(text), text):
        try:
            return vobject.readOne(attempt, ignoreUnreadable=True)
        except Exception:  # vobject raises many kinds of error on damaged input; all mean "cannot be read"
            continue
    return None


def _each_card(text):
    """Each card's lines, a card inside another (2.1's AGENT) kept in it, without its photo and the like."""
    card, depth, unkept = [], 0, False
    for line in io.StringIO(text, newline="") if isinstance(text, str) else text:
        line = line.rstrip("\r\n")
        # The unkept value goes on: folded, or in 2.1 as lines of base64 (some phones do not indent them).
        if unkept and (line[:1] in (" ", "\t") or BASE64_LINE.match(line)):
            continue
        unkept = bool(UNKEPT.match(line))
        if unkept:
            continue
        word = line.strip().upper()
        if word == "BEGIN:VCARD":
            depth += 1
        if depth:
            card.append(line)
        if word == "END:VCARD" and depth:
            depth -= 1
            if not depth:
                yield "\r\n".join(card) + "\r\n"
                card = []
    if card:  # cut off before its end
        yield "\r\n".join(card) + "\r\n"


def fill_from_card(details):
    """details with its empty contact fields filled from the scanned card it came with, but for those the phone
    filled itself (scanned_filled, their names): one of those left empty was emptied by the user, and stays so.
    With no word from the phone (a plain post, a page from before it said), every empty field is filled."""
    text = details.get("scanned_text") or ""
    if not text:
        return details
    filled_on_phone = set((details.get("scanned_filled") or "").split())
    card = read_card_text(text)
    missing = {k: v for k, v in card.items() if v and not details.get(k) and k not in filled_on_phone}
    return {**details, **missing} if missing else details


def unfold_soft_breaks(text):
    """The card's text with 2.1's quoted-printable values joined across their soft line breaks."""
    lines, out = text.replace("\r\n", "\n").split("\n"), []
    for line in lines:
        if out and out[-1].endswith("=") and "QUOTED-PRINTABLE" in out[-1].split(":", 1)[0].upper():
            out[-1] = out[-1][:-1] + line
        else:
            out.append(line)
    # A PROFILE:VCARD line (Lotus Notes, Apple) makes vobject refuse the whole card; it says nothing.
    return "\r\n".join(line for line in out if not re.match(r"PROFILE:", line, re.I))


def _first(card, name):
    values = card.contents.get(name)
    return values[0] if values else None


def _preferred(card, name):
    """The card's preferred one of several emails or phone numbers ("TYPE=pref" in vCard 3.0 and Apple's,
    "PREF" in 2.1, the lowest "PREF=1".."100" in 4.0), else its first."""
    def rank(prop):
        types = [t.upper() for t in prop.params.get("TYPE", []) + getattr(prop, "singletonparams", [])]
        pref = (prop.params.get("PREF") or [""])[0]
        if pref.isdigit():
            return int(pref)
        return 1 if "PREF" in types else 101
    values = card.contents.get(name)
    return min(values, key=rank) if values else None


def _decoded(prop, value):
    """A 2.1 quoted-printable value in its CHARSET (vobject leaves some of them encoded)."""
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    value = value or ""
    encoding = [e.upper() for e in prop.params.get("ENCODING", [])]
    singletons = [s.upper() for s in getattr(prop, "singletonparams", [])]
    if "QUOTED-PRINTABLE" in encoding or "QUOTED-PRINTABLE" in singletons:
        if re.search(r"=[0-9A-F]{2}", value):
            charset = (prop.params.get("CHARSET") or ["utf-8"])[0]
            try:
                value = quopri.decodestring(value.encode("latin-1", "replace")).decode(charset, "replace")
            except LookupError:
                value = quopri.decodestring(value.encode("latin-1", "replace")).decode("utf-8", "replace")
    return value.strip()


def _text(card, name, preferred=False):
    prop = _preferred(card, name) if preferred else _first(card, name)
    if prop is None or not isinstance(prop.value, str):
        return ""
    return _decoded(prop, prop.value)


def _structured_name(card):
    n = _first(card, "n")
    if n is None or isinstance(n.value, str):
        return ""
    name = n.value
    parts = [name.prefix, name.given, name.additional, name.family, name.suffix]
    return " ".join(_decoded(n, " ".join(p) if isinstance(p, list) else p) for p in parts if p).strip()


def _linkedin(card):
    """A LinkedIn profile from URL, X-SOCIALPROFILE or IMPP, in that order."""
    for name in ("url", "x-socialprofile", "impp"):
        for prop in card.contents.get(name, []):
            # Google Contacts escapes the colon ("https\://..."), which vCard 3.0 does not ask for.
            value = prop.value.replace("\\:", ":") if isinstance(prop.value, str) else ""
            try:
                return canonical_profile_url(value)
            except NotAProfile:
                user = (prop.params.get("X-USER") or [""])[0]
                kinds = " ".join(prop.params.get("TYPE", []) + prop.params.get("X-SERVICE-TYPE", []))
                if user and "linkedin" in kinds.lower():
                    try:
                        return canonical_profile_url("linkedin.com/in/" + user)
                    except NotAProfile:
                        pass
    return ""
