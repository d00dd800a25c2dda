"""Small pieces shared by the forms of several areas."""

from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from wtforms.validators import ValidationError


def strip(value):
    """Trim text fields; a field left out of the request counts as empty text, not None."""
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else value


def web_address(form, field):
    """A link the user can tap later: http(s) only, so no javascript: or data: ever lands in an href."""
    if not field.data:
        return
    value = field.data.strip()
    if "://" not in value:
        value = "https://" + value
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or "." not in (parts.hostname or ""):
        raise ValidationError("Enter a web address such as https://www.meetup.com/…")
    field.data = value


class ConfirmForm(FlaskForm):
    """A form with nothing but its CSRF token, for buttons that change things (delete, log out)."""
