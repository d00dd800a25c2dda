"""LinkedIn profile addresses: accept what people paste, keep one canonical form."""

import re
from urllib.parse import quote, unquote, urlsplit

CANONICAL_PREFIX = "https://www.linkedin.com/in/"
EXPECTED = "Paste your LinkedIn profile address, like linkedin.com/in/your-name."

# Profile handles are 3-100 letters, digits or hyphens; LinkedIn allows letters beyond ASCII.
HANDLE = re.compile(r"^[^\W_][\w\-]{1,99}$")
HOST = re.compile(r"^([a-z]{1,3}\.)?(www\.)?linkedin\.com$")


class NotAProfile(ValueError):
    """The text is not a LinkedIn profile address; the message says what is expected."""


def canonical_profile_url(text):
    """Return https://www.linkedin.com/in/<handle> for anything that points at a LinkedIn profile.

    Accepts a bare "linkedin.com/in/jane", country and mobile hosts, trailing slashes,
    tracking parameters and the share links of the mobile apps.
    Raises NotAProfile with a message for the user otherwise.
    """
    text = (text or "").strip()
    if not text:
        raise NotAProfile(EXPECTED)
    if "://" not in text:
        if re.match(r"^[a-z][a-z0-9+.-]*:", text, re.I) and not re.match(r"^[\w.-]+\.[a-z]{2,}[:/]", text, re.I):
            raise NotAProfile(EXPECTED)  # javascript:, mailto:, data: ...
        text = "https://" + text.lstrip("/")
    try:
        parts = urlsplit(text)
    except ValueError:
        raise NotAProfile(EXPECTED) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise NotAProfile(EXPECTED)
    host = (parts.hostname or "").lower()
    if host == "lnkd.in":
        raise NotAProfile("That is a short link: open it, then copy the full linkedin.com/in/… address.")
    if not HOST.match(host):
        raise NotAProfile("That is not a LinkedIn address. " + EXPECTED)
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) < 2 or segments[0].lower() != "in":
        if segments and segments[0].lower() in ("company", "school", "showcase", "groups", "jobs", "posts"):
            raise NotAProfile("That is a LinkedIn page, not a person's profile. " + EXPECTED)
        raise NotAProfile(EXPECTED)
    handle = unquote(segments[1]).strip()
    if not HANDLE.match(handle):
        raise NotAProfile("That profile address looks cut short. " + EXPECTED)
    return CANONICAL_PREFIX + quote(handle.lower(), safe="-")


def is_profile_url(text):
    try:
        canonical_profile_url(text)
    except NotAProfile:
        return False
    return True
