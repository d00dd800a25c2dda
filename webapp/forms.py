"""Small pieces shared by the forms of several areas."""

import copy

from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms.validators import ValidationError
from wtforms.widgets import Select
from wtforms.widgets.core import clean_key

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


def quick_html_params(**kwargs):
    """The same attributes as WTForms' html_params(), written with plain strings: its Markup.format() for
    every attribute was a quarter of the log form's time (sixteen fields, six attributes each)."""
    params = []
    for key, value in sorted(kwargs.items()):
        if value is True:
            params.append(str(escape(clean_key(key))))
        elif value is not False:
            params.append(f'{escape(clean_key(key))}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    return Markup(" ".join(params))


_quick_widgets = {}


def quick_widget(widget):
    """A copy of a field's widget that writes its attributes with quick_html_params (one per widget)."""
    if widget not in _quick_widgets:
        quick = copy.copy(widget)
        quick.html_params = quick_html_params
        _quick_widgets[widget] = quick
    return _quick_widgets[widget]


class Form(FlaskForm):
    """The base of every form here: CSRF from Flask-WTF, text cleaned of NUL characters in every field, and
    attributes written quickly."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            options["filters"] = (*unbound_field.kwargs.get("filters", ()), drop_nul)
            field = unbound_field.bind(form=form, **options)
            if hasattr(field.widget, "html_params"):
                field.widget = quick_widget(field.widget)
            return field

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        for field in self:
            if rules.has_broken_characters(field.data):
                field.errors = [*field.errors, "This has a broken character (half of an emoji?): type it again."]
                valid = False
        return valid


class ConfirmForm(Form):
    """A form with nothing but its CSRF token, for buttons that change things (delete, log out)."""
