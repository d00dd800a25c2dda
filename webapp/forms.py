"""Small pieces shared by the forms of several areas."""

import copy
import datetime
import hashlib
import json

from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import HiddenField, SelectField
from wtforms.fields.choices import Choice
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


# Offered as you type; any other zone of the ~600 can still be typed. A list of all of them made the
# profile page 36 KB on a venue's weak signal.
COMMON_TIMEZONES = (
    "UTC Europe/London Europe/Dublin Europe/Lisbon Europe/Paris Europe/Berlin Europe/Amsterdam Europe/Brussels "
    "Europe/Madrid Europe/Rome Europe/Zurich Europe/Vienna Europe/Stockholm Europe/Oslo Europe/Copenhagen "
    "Europe/Helsinki Europe/Warsaw Europe/Prague Europe/Athens Europe/Istanbul Europe/Kyiv Africa/Lagos "
    "Africa/Nairobi Africa/Johannesburg Africa/Cairo Asia/Dubai Asia/Kolkata Asia/Singapore Asia/Shanghai "
    "Asia/Hong_Kong Asia/Tokyo Asia/Seoul Australia/Sydney Australia/Melbourne Pacific/Auckland "
    "America/Sao_Paulo America/Mexico_City America/Bogota America/New_York America/Toronto America/Chicago "
    "America/Denver America/Los_Angeles America/Vancouver"
).split()


def time_zone(form, field):
    """A zone as typed ("america/new york") in its proper name (America/New_York), or a message; empty passes
    (a field that may be left empty says so with Optional)."""
    if not (field.data or "").strip():
        field.data = ""
        return
    zone = rules.time_zone_named(field.data)
    if zone is None:
        # A zone is named after one city of its own: San Francisco is in Los Angeles's, Munich in Berlin's.
        close = rules.zones_spelled_like(field.data)
        maybe = f" Did you mean {' or '.join(close)}?" if close else ""
        raise ValidationError(f"That time zone is not known.{maybe} Type the city its zone is named after (Los "
                              "Angeles for San Francisco, Berlin for Munich) or the zone itself, such as "
                              "America/New_York.")
    field.data = zone


def suggested_zones(typed):
    """The common zones, and the one typed when it is not one of them."""
    own = rules.time_zone_named(typed)
    return COMMON_TIMEZONES if own in COMMON_TIMEZONES or own is None else [own, *COMMON_TIMEZONES]


class KeptChoices(list):
    """Choices that stay the same over many requests (an account's tags, its latest events): the widget writes
    their options once, and each page only marks the chosen one."""

    def __init__(self, choices):
        super().__init__(choices)
        self.values = {choice.value for choice in self}
        # Only options with nothing but a text value and a label are written ahead.
        self.plain = all(isinstance(c.value, str) and not c.render_kw and c.optgroup is None for c in self)
        self.html = None  # the options, none chosen, once ManyOptions has written them


class ManyOptions(Select):
    """A list of hundreds of options (every event, every tag): each plain option is written directly, at a
    fraction of the cost of WTForms' general attribute writer, which took most of the People page's time;
    KeptChoices are written once and reused."""

    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw or isinstance(choice.value, bool):
            return super().render_option(choice, **kwargs)
        selected = "selected " if choice.selected else ""  # WTForms writes the attributes sorted
        return Markup(f'<option {selected}value="{escape(choice.value)}">{escape(choice.label or choice.value)}'
                      "</option>")

    def __call__(self, field, **kwargs):
        kept = field.choices
        if not isinstance(kept, KeptChoices) or not kept.plain or self.multiple or field.coerce is not str:
            return super().__call__(field, **kwargs)
        if kept.html is None:
            kept.html = "".join(self.render_option(Choice(choice.value, choice.label, False, None))
                                for choice in kept)
        options = kept.html
        if isinstance(field.data, str) and field.data in kept.values:  # WTForms: selected if value == data
            value = f'value="{escape(field.data)}">'
            options = options.replace("<option " + value, "<option selected " + value)
        # The select itself as Select.__call__ writes it.
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for k in dir(flags):
            if k in self.validation_attrs and k not in kwargs:
                kwargs[k] = getattr(flags, k)
        return Markup(f"<select {quick_html_params(name=field.name, **kwargs)}>{options}</select>")


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


def field(f, hint=True, **attributes):
    """A field as every form shows it: label, input, hint and errors, so all forms look and behave alike.

    A template global rather than a Jinja macro: a macro call cost about a fifth of a form page's time.
    The input is described by its hint and its error (aria-describedby) and marked invalid after a failed
    submit; required fields say so to the browser (except a checkbox, where it would mean "must tick"). The
    first field to fix has the focus when the page comes back, so a screen reader reads it with its message."""
    described = []
    if f.description and hint:
        described.append(f"{f.id}-hint")
    if f.errors:
        described.append(f"{f.id}-error")
        attributes["aria-invalid"] = "true"
        if f.in_form.takes_the_focus(f):
            attributes["autofocus"] = True
    if described:
        attributes["aria-describedby"] = " ".join(described)
    is_checkbox = f.type == "BooleanField"
    if f.flags.required and not is_checkbox:
        attributes["required"] = True
    error_class = " has-error" if f.errors else ""
    if is_checkbox:
        html = [f'  <div class="field field-check{error_class}">\n    <label class="check" for="{escape(f.id)}">',
                f(**attributes), f" <span>{escape(f.label.text)}</span></label>\n"]
    else:
        html = [f'  <div class="field{error_class}">\n    ', f.label(), "\n    ", f(**attributes), "\n"]
    if f.description and hint:
        html.append(f'<p class="hint" id="{escape(f.id)}-hint">{escape(f.description)}</p>')
    if f.errors:
        html.append(f'<p class="error" id="{escape(f.id)}-error">{" ".join(str(escape(e)) for e in f.errors)}</p>')
    html.append("  </div>")
    return Markup("".join(html))


class Form(FlaskForm):
    """The base of every form here: CSRF from Flask-WTF, text cleaned of NUL characters in every field, and
    attributes written quickly."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            options["filters"] = (*unbound_field.kwargs.get("filters", ()), drop_nul)
            field = unbound_field.bind(form=form, **options)
            if hasattr(field.widget, "html_params"):
                field.widget = quick_widget(field.widget)
            field.in_form = form  # WTForms keeps no way back from a field to its form
            return field

    def first_field_to_fix(self):
        """A field the user sees with a message beside it (the first in the form's order); None when the message
        is about nothing the user sees (a hidden field), and the summary above the form takes the focus instead."""
        return next((f for f in self if f.errors and getattr(f.widget, "input_type", None) != "hidden"), None)

    def takes_the_focus(self, field):
        """Whether field, which has a message, is the one a failed submit takes the user to: the first one the page
        writes (field() writes them in the page's order, which is the template's, not always the form's: the
        reason for a follow-up comes before the company folded away under "More details")."""
        if getattr(self, "_focused", None) is None:
            self._focused = field
        return self._focused is field

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        for field in self:
            if rules.has_broken_characters(field.data):
                field.errors = [*field.errors, "This has a broken character (half of an emoji?): type it again."]
                valid = False
        return valid


class ConfirmForm(Form):
    """A form with nothing but its CSRF token, for buttons that change things (delete, log out)."""


# Where as_opened keeps when the record was made: a key no field's name can be.
MADE_AT = "made at"
# Twice what the longest edit form writes (the event's: 13 fields of ~25 characters).
LONGEST_AS_OPENED = 1000


class EditedOnTwoDevices:
    """An edit form that knows what each field said when it was opened, so a save changes only what was changed
    in it: one account open on a laptop and a phone, a field saved meanwhile on the other device keeps that
    change (a merge field by field, with what was opened as the common base). A field changed on both is shown
    again with what it says now, the value typed here kept in the form to save again.

    Mixed into a form before Form; opened_with() on showing the form, changed_elsewhere() once it validated."""

    # What each field said, as a short fingerprint per field (the values themselves are on the page already).
    # Kept with the phone's draft (data-kept): a draft brought back days later still merges from where it began.
    as_opened = HiddenField()

    def opened_with(self, stored, made_at):
        """Note what the form shows: stored is what is saved now, by field name, as the form's fields take it, of
        the record made at made_at (which tells it from another record given its id later: see opened_for)."""
        opened = {name: fingerprint(value) for name, value in stored.items() if name in self}
        self.as_opened.data = json.dumps({**opened, MADE_AT: made_at.isoformat()}, separators=(",", ":"))

    def opened_for(self):
        """When the record the form was opened for was made, or None for a form sent without it. SQLite hands the
        id of the latest row deleted to the next one made: a form left open on someone deleted since must not
        save onto whoever has their id now."""
        made_at = self._opened().get(MADE_AT)
        try:
            return datetime.datetime.fromisoformat(made_at) if isinstance(made_at, str) else None
        except ValueError:
            return None

    def opened_for_another(self, made_at):
        """Whether the form was opened for another record than the one made at made_at, now under its id."""
        opened_for = self.opened_for()
        return opened_for is not None and opened_for != made_at

    # Fields merged as one: a rule checks them together (a start and an end) or one means little without the
    # other (a follow-up and its reason). Changed on both devices, even each in another of its fields, the group
    # is shown again as it was here, never as a mix neither device saw (an evening from 20:00 to 19:30).
    merged_together = ()

    def changed_elsewhere(self, stored, made_at):
        """Merge what is saved now (stored and made_at, as for opened_with) into the submitted form: a field (or a
        group of merged_together) left as it was opened takes the stored value; one changed here keeps what was
        typed. Returns the fields changed elsewhere, in a group also changed here since the form was opened, for
        the user to look at (changed_message). A form sent without what it was opened with (a page from before
        this, or made by hand) saves what it holds, as it always did."""
        opened = self._opened()
        both = []
        for group in self._groups([name for name in stored if name in self and name in opened]):
            typed = {name: fingerprint(self[name].data) for name in group}
            here = [name for name in group if typed[name] != opened[name]]
            there = [name for name in group if fingerprint(stored[name]) != opened[name]]
            if not here:  # left as it was: what is saved now stands
                for name in group:
                    self[name].data, self[name].raw_data = stored[name], None
            elif there:  # changed on both: what was typed here is shown again, with what the other device saved
                for name in (name for name in there if fingerprint(stored[name]) != typed[name]):
                    both.append(self[name])
                    self[name].errors = [*self[name].errors, f"Changed on your other device: now "
                                                             f"{shown(self[name], stored[name])}."]
        self.opened_with(stored, made_at)  # shown again, the next save is against what is saved now
        return both

    def left_as_opened(self, field):
        """Whether field says what it said when the form was opened; None for a form sent without that."""
        opened = self._opened()
        return fingerprint(field.data) == opened[field.name] if field.name in opened else None

    def _groups(self, names):
        """names in groups merged as one: those of merged_together, each other name alone."""
        grouped = [[name for name in group if name in names] for group in self.merged_together]
        alone = [[name] for name in names if not any(name in group for group in grouped)]
        return [group for group in grouped if group] + alone

    def _opened(self):
        """What the form was opened with, or {} for anything but what opened_with() wrote (a page made by hand: too
        long, or nested deep enough to exhaust the JSON reader)."""
        text = self.as_opened.data or "{}"
        if len(text) > LONGEST_AS_OPENED:
            return {}
        try:
            opened = json.loads(text)
        except (ValueError, RecursionError):
            return {}
        return opened if isinstance(opened, dict) else {}


def changed_message(fields, stored, said=()):
    """What to tell the user about fields changed on both devices (see EditedOnTwoDevices.changed_elsewhere); said:
    changes the caller puts in words of its own ("the follow-up was marked done"), first."""
    changes = "; ".join([*said, *(f"{f.label.text} is now {shown(f, stored[f.name])}" for f in fields)])
    return (f"Changed on your other device since you opened this: {changes}. What you typed is still below: "
            "save again to keep it.")


def fingerprint(value):
    """A field's value in a few characters, the same however the browser sent it back (line ends, spaces)."""
    return hashlib.blake2b(_as_text(value).encode(), digest_size=6).hexdigest()


def _as_text(value):
    if value is None or value is False:
        return ""
    if value is True:
        return "y"
    if isinstance(value, list | tuple):
        return ", ".join(_as_text(v) for v in value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").strip()


def shown(field, value, longest=80):
    """A stored value as a message quotes it: “US Navy Reserve”, ticked, empty, a choice by its label."""
    if isinstance(value, bool):
        return "ticked" if value else "not ticked"
    if isinstance(field, SelectField):
        value = {c.value: c.label for c in field.iter_choices()}.get(value, value)
    if isinstance(value, datetime.date):
        value = value.strftime("%-d %b %Y")
    elif isinstance(value, datetime.time):
        value = value.strftime("%H:%M")
    text = _as_text(value)
    if not text:
        return "empty"
    return f"“{text if len(text) <= longest else text[:longest - 1] + '…'}”"
