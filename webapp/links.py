"""Where a page may send the user next: shared by every area that redirects to a `next` address."""

import unicodedata
from urllib.parse import urlsplit


def safe_next(target):
    """Only ever send the user on to a page of this site (after logging in, after a tick on a list).

    Malformed addresses ("https://[", control characters) go home instead of failing.
    """
    if not target or not isinstance(target, str):
        return None
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(unicodedata.category(c)[0] == "C" for c in target):
        return None
    try:
        parts = urlsplit(target)
    except ValueError:
        return None
    if parts.scheme or parts.netloc:
        return None
    return target
