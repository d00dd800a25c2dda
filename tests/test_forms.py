"""Fields are written by WTForms' widgets with a quicker attribute writer: the same HTML, a fraction of the work."""

import re
from html.parser import HTMLParser

from conftest import without_tokens
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup
from steps import PASSWORD, add_event
from wtforms.widgets import Select
from wtforms.widgets.core import html_params

from webapp import forms
from webapp.imports.forms import PickEventsForm

KEYS = st.sampled_from(["id", "name", "value", "class_", "class__", "for_", "data_fresh_entry", "data_a_b",
                        "aria_describedby", "aria-invalid", "required", "checked", "maxlength", "type", "list"])
VALUES = st.one_of(st.booleans(), st.none(), st.integers(), st.text(), st.text().map(Markup),
                   st.sampled_from(['"', "'", "<b>", "&amp;", 'a"b', Markup('x="y"')]))


@given(st.dictionaries(KEYS, VALUES, max_size=8))
def test_the_quick_writer_writes_exactly_what_wtforms_writes(attributes):
    quick = forms.quick_html_params(**attributes)
    assert isinstance(quick, Markup)
    assert quick == html_params(**attributes)


def page_without_tokens(client, path):
    html = without_tokens(client.get(path).get_data(as_text=True))
    return re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "", html)  # fresh entry ids


def test_every_form_page_is_the_same_with_either_writer(client, user, monkeypatch):
    event = add_event(client, name="PyLondon")
    client.post(f"{event}/people/new", data={"name": "Grace Hopper", "tags": "compilers"})
    paths = [f"{event}/people/new", "/events/new", f"{event}/edit", "/profile", "/people?q=grace",
             "/import/calendar", "/follow-ups/"]
    client.get("/")  # shows the flashed messages, which would be on the first page only
    quick = {path: page_without_tokens(client, path) for path in paths}
    monkeypatch.setattr(forms, "quick_widget", lambda widget: widget)  # WTForms' own writer
    assert "Grace Hopper" in quick["/people?q=grace"]
    for path in paths:
        assert 'name="' in quick[path], path
        assert page_without_tokens(client, path) == quick[path], path


def test_the_people_filters_written_once_are_the_options_wtforms_writes(client, user, monkeypatch):
    """The account's tags and events are written once per change of the account; each page marks the chosen
    ones as WTForms would, whatever their text."""
    first = add_event(client, name='Rust & "Friends" <Berlin>')
    second = add_event(client, name="PyLondon")
    client.post(f"{first}/people/new", data={"name": "Grace Hopper", "tags": "c++, <b>, o'brien"})
    client.post(f"{second}/people/new", data={"name": "Ada Lovelace", "tags": "python"})
    first, second = first.rsplit("/", 1)[1], second.rsplit("/", 1)[1]
    paths = ["/people", "/people?tag=c%2B%2B", f"/people?event={first}", f"/people?tag=o%27brien&event={second}",
             "/people?tag=%3Cb%3E", "/people?tag=nobody&event=999999", "/people?q=grace"]
    client.get("/")
    once = {path: page_without_tokens(client, path) for path in paths}
    assert once["/people?tag=c%2B%2B"].count("<option selected") == 4  # the tag, and "any" for the others
    assert once[f"/people?tag=o%27brien&event={second}"].count("<option selected") == 4
    monkeypatch.setattr(forms.ManyOptions, "__call__", Select.__call__)
    monkeypatch.setattr(forms.ManyOptions, "render_option", Select.__dict__["render_option"])
    for path in paths:
        assert page_without_tokens(client, path) == once[path], path


def test_a_field_is_labelled_described_by_its_hint_and_error_and_marked_invalid(client, user):
    """Every form writes its fields alike, so a screen reader hears the hint and the error of each."""
    html = client.post("/events/new", data={"name": "", "starts_on": "2026-13-45", "goal": "3"}).get_data(
        as_text=True)
    name = re.search(r'<div class="field has-error">\s*<label for="name">[^<]*</label>\s*(<input[^>]*>)\s*'
                     r'<p class="error" id="name-error">([^<]+)</p>\s*</div>', html)
    assert name, html
    assert 'aria-describedby="name-error"' in name[1] and 'aria-invalid="true"' in name[1]
    assert " required" in name[1]
    note = re.search(r'<div class="field">\s*<label for="goal_note">[^<]*</label>\s*(<input[^>]*>)\s*'
                     r'<p class="hint" id="goal_note-hint">[^<]+</p>\s*</div>', html)
    assert note and 'aria-describedby="goal_note-hint"' in note[1] and "aria-invalid" not in note[1], html
    assert "required" not in note[1]


def test_a_checkbox_sits_in_its_label_and_is_never_required(client, user):
    event = add_event(client)
    html = client.get(f"{event}/people/new").get_data(as_text=True)
    hiring = re.search(r'<div class="field field-check">\s*<label class="check" for="hiring">(<input[^>]*>) '
                       r"<span>They are hiring</span></label>\s*</div>", html)
    assert hiring and 'type="checkbox"' in hiring[1] and "required" not in hiring[1], html


class _Focus(HTMLParser):
    """The ids of the elements a page gives the focus to (autofocus) and of the fields it marks invalid, in order."""

    def __init__(self, html):
        super().__init__()
        self.focused, self.invalid = [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "autofocus" in attrs:
            self.focused.append(attrs.get("id") or attrs.get("class"))
        if attrs.get("aria-invalid") == "true":
            self.invalid.append(attrs["id"])


def test_a_form_sent_back_has_its_first_field_to_fix_focused_so_a_screen_reader_reads_it(app, client, user):
    """Not the page's top: the first field with a message, which a screen reader reads with its message."""
    event = add_event(client)
    wrong = {"password": "not the password"}
    sent = [("/events/new", {"name": "", "starts_on": "2026-13-45", "goal": "3"}),
            # "Ends at" comes before "Last day" on the page, though not in the form.
            ("/events/new", {"name": "PyData", "starts_on": "2026-05-05", "ends_on": "2026-05-01", "end_time": "10:00",
                             "goal": "3"}),
            # The follow-up's reason is above the company, folded away under "More details".
            (f"{event}/people/new", {"name": "Al", "follow_up": "y", "follow_up_reason": "x" * 201,
                                     "company": "x" * 121}),
            (f"{event}/edit", {"name": "PyData", "starts_on": "2026-01-02", "goal": "0"}),
            ("/profile", {"display_name": "Ada", "linkedin_url": "https://example.com/ada", "timezone": "Nowhere"}),
            ("/account/password", {"current_password": "not the password", "new_password": PASSWORD + "!"}),
            ("/account/delete", wrong)]
    client.get("/")  # shows the sign-up's flashed message
    for path, data in sent:
        page = _Focus(client.post(path, data=data).get_data(as_text=True))
        assert page.invalid, path
        assert page.focused == page.invalid[:1], path
    user.logout()
    for path, data in [("/login", {"email": "ada@example.com", **wrong}), ("/signup", {"display_name": "Ada"}),
                       ("/account/forgot-password", {"email": ""})]:
        page = _Focus(client.post(path, data=data).get_data(as_text=True))
        assert page.invalid, path
        assert page.focused == page.invalid[:1], path


def test_a_message_about_no_field_on_the_page_has_the_summary_focused(app):
    with app.test_request_context():
        form = PickEventsForm()  # its uploaded file's events travel in a hidden field
        form.token.errors = ["This field is required."]
        summary = app.jinja_env.get_template("_form.html").module.form_errors(form)
    assert _Focus(summary).focused == ["error-summary"]
