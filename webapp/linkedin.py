"""LinkedIn profile addresses: accept what people paste and what LinkedIn's apps produce, keep one canonical form.

The phone applies the same rule (static/js/linkedin.js); both are tested against tests/data/linkedin-links.json.
"""

import re
import unicodedata
from urllib.parse import quote, unquote, urlsplit

CANONICAL_PREFIX = "https://www.linkedin.com/in/"
EXPECTED = "Paste your LinkedIn profile address, like linkedin.com/in/your-name."
SHORT_LINK = "That is a short link: open it, then copy the full linkedin.com/in/… address."
OLD_LINK = ("That is an old-style LinkedIn address that no longer opens a profile. Open the profile in "
            "LinkedIn and copy its linkedin.com/in/… address.")
NOT_A_PERSON = "That is a LinkedIn page, not a person's profile. "
CUT_SHORT = "That profile address looks cut short. "
TOO_LONG = "That profile address is longer than any LinkedIn gives (100 characters after /in/). "
NOT_A_NAME = "That profile address has characters LinkedIn does not use in one. "
# LinkedIn's longest handle, in characters of any script; the canonical address writes each one percent-encoded,
# up to four UTF-8 bytes ("%F0%A0%80%80"), so a 29-letter Cyrillic handle is already over 200 characters.
LONGEST_HANDLE = 100
# The longest canonical address: every profile LinkedIn gives fits a column this long.
LONGEST_ADDRESS = len(CANONICAL_PREFIX) + LONGEST_HANDLE * len("%F0%A0%80%80")
# The longest text taken to read one from: the longest address as a browser's address bar copies it (encoded, a
# country host, the share link's utm_ parameters), with room to spare.
LONGEST_PASTED = 2 * LONGEST_ADDRESS

# Country and mobile hosts (uk., de., m.), with or without www., and a trailing dot as DNS allows.
HOST = re.compile(r"^([a-z]{1,3}\.)?(www\.)?linkedin\.com\.?$")
# Paths of LinkedIn's apps and emails in front of /in/: the mobile site and the "comm" links in emails.
SURFACES = ("mwlite", "comm")
PAGES = ("company", "school", "showcase", "groups", "jobs", "posts", "feed", "pulse", "learning", "events")
# A member id handle (in links from messages and the apps) is case sensitive; a chosen name is not.
MEMBER_ID = re.compile(r"^ACoAA[A-Za-z0-9_-]+$")


# The address as LinkedIn itself writes it (its exports, its share links without parameters).
PLAIN = re.compile(r"^https://www\.linkedin\.com/in/([A-Za-z0-9][A-Za-z0-9-]{1,99})/?$")


class NotAProfile(ValueError):
    """The text is not a LinkedIn profile address; the message says what is expected."""


def _is_handle(handle):
    """2-100 letters, digits, hyphens or underscores in any script; direction marks written into it are kept."""
    if not 2 <= len(handle) <= LONGEST_HANDLE:
        return False
    if not any(unicodedata.category(c)[0] in "LN" for c in handle):
        return False
    return all(c in "-_" or unicodedata.category(c)[0] in "LMN" or unicodedata.category(c) == "Cf"
               for c in handle)


def _visible(text):
    """The text without the invisible format characters (Unicode's Cf: a zero-width space, a byte order mark, a
    direction mark) a copy brings along: no one can see them, so no one means them. Those written into an address
    (%E2%80%8E: LinkedIn made a few handles with direction marks) stay, as they are part of it."""
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def canonical_profile_url(text):
    """Return https://www.linkedin.com/in/<handle> for anything that points at a LinkedIn profile.

    Raises NotAProfile with a message for the user otherwise.
    """
    text = _visible(text or "").strip()
    if not text:
        raise NotAProfile(EXPECTED)
    plain = PLAIN.match(text)
    if plain:  # the common case, taken apart no further: the same answer, quicker for 10,000 connections
        handle = plain.group(1)
        return CANONICAL_PREFIX + (handle if MEMBER_ID.match(handle) else handle.lower())
    if "://" not in text:
        if re.match(r"^[a-z][a-z0-9+.-]*:", text, re.I) and not re.match(r"^[\w.-]+\.[a-z]{2,}\.?[:/]", text, re.I):
            raise NotAProfile(EXPECTED)  # javascript:, mailto:, data: ...
        text = "https://" + text.lstrip("/")
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower()
    except ValueError:
        raise NotAProfile(EXPECTED) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise NotAProfile(EXPECTED)
    if host.rstrip(".") == "lnkd.in":
        raise NotAProfile(SHORT_LINK)
    if not HOST.match(host) or parts.username is not None:
        raise NotAProfile("That is not a LinkedIn address. " + EXPECTED)
    segments = [s for s in parts.path.split("/") if s]
    if segments and segments[0].lower() in SURFACES:
        segments = segments[1:]
    first = segments[0].lower() if segments else ""
    if first == "pub" or (first == "profile" and "id=" in parts.query):
        raise NotAProfile(OLD_LINK)
    if first in PAGES:
        raise NotAProfile(NOT_A_PERSON + EXPECTED)
    if first != "in" or len(segments) < 2:
        raise NotAProfile(EXPECTED)
    # One spelling of an accent: "é" as one character, as LinkedIn writes it, not "e" and a combining accent
    # (what some keyboards and Macs paste), which would make a different address.
    handle = unicodedata.normalize("NFC", unquote(segments[1]).strip())
    if not _is_handle(handle):
        # A character cut in half (%E0%A4%A) is a copy cut short too.
        cut = len(handle) < 2 or "\ufffd" in handle
        problem = CUT_SHORT if cut else TOO_LONG if len(handle) > LONGEST_HANDLE else NOT_A_NAME
        raise NotAProfile(problem + EXPECTED)
    if not MEMBER_ID.match(handle):
        handle = handle.lower()
    return CANONICAL_PREFIX + quote(handle, safe="-")


def readable_profile_url(url):
    """The address as a person reads it: "linkedin.com/in/jürgen-müller", not "linkedin.com/in/j%C3%BCrgen-...";
    the link and the QR code keep the encoded one."""
    return unquote(url).removeprefix("https://").removeprefix("www.")


def is_profile_url(text):
    try:
        canonical_profile_url(text)
    except NotAProfile:
        return False
    return True
