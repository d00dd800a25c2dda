"""Where a page may send the user next: shared by every area that redirects to a `next` address."""

from urllib.parse import urlsplit


def safe_next(target):
    """Only ever send the user on to a page of this site (after logging in, after a tick on a list)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target
