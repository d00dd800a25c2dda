"""Small pieces shared by the forms of several areas."""

from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms.validators import ValidationError
from wtforms.widgets import Select

from . import rules
from .rules import drop_nul


def strip(value):
    """Trim text fields; a field left out of the request counts as empty text, not None."""
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else value


def web_address(form, field):
    """A link the user can tap later: http(s) only, so no javascript: or data: ever lands in an href."""
    if not field.data:
        return
    try:
        field.data = rules.web_link(field.data)
    except rules.Invalid as e:
        raise ValidationError(str(e)) from None


def a_day(form, field):
    """A date a person can mean (see rules.day)."""
    if field.data is not None:
        try:
            rules.day(field.data)
        except rules.Invalid as e:
            raise ValidationError(str(e)) from None


def time_zone(form, field):
    if not rules.is_time_zone(field.data):
        raise ValidationError("Pick a time zone from the list.")


class ManyOptions(Select):
    """A list of hundreds of options (every event, every tag): each plain option is written directly, at a
    fraction of the cost of WTForms' general attribute writer, which took most of the People page's time."""

    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw or isinstance(choice.value, bool):
            return super().render_option(choice, **kwargs)
        selected = " selected" if choice.selected else ""
        return Markup(f'<option value="{escape(choice.value)}"{selected}>{escape(choice.label or choice.value)}'
                      "</option>")


class Form(FlaskForm):
    """The base of every form here: CSRF from Flask-WTF, and text cleaned of NUL characters in every field."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            options["filters"] = (*unbound_field.kwargs.get("filters", ()), drop_nul)
            return unbound_field.bind(form=form, **options)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        for field in self:
            if rules.has_broken_characters(field.data):
                field.errors = [*field.errors, "This has a broken character (half of an emoji?): type it again."]
                valid = False
        return valid


class ConfirmForm(Form):
    """A form with nothing but its CSRF token, for buttons that change things (delete, log out)."""
