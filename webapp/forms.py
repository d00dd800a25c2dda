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


def drop_nul(value):
    """NUL never means anything in typed or pasted text, and PostgreSQL cannot store it."""
    return value.replace("\x00", "") if isinstance(value, str) else value


class Form(FlaskForm):
    """The base of every form here: CSRF from Flask-WTF, and text cleaned of NUL characters in every field."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            options["filters"] = (*unbound_field.kwargs.get("filters", ()), drop_nul)
            return unbound_field.bind(form=form, **options)


class ConfirmForm(Form):
    """A form with nothing but its CSRF token, for buttons that change things (delete, log out)."""
