"""Fields are written by WTForms' widgets with a quicker attribute writer: the same HTML, a fraction of the work."""

import re

from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup
from steps import add_event
from wtforms.widgets.core import html_params

from webapp import forms

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
    html = client.get(path).get_data(as_text=True)
    html = re.sub(r"[\w-]{20,}\.[\w-]{4,}\.[\w-]{20,}", "", html)  # CSRF tokens, signed with the time
    return re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "", html)  # fresh entry ids


def test_every_form_page_is_the_same_with_either_writer(client, user, monkeypatch):
    event = add_event(client, name="PyLondon")
    client.post(f"/events/{event}/people/new", data={"name": "Grace Hopper", "tags": "compilers"})
    paths = [f"/events/{event}/people/new", "/events/new", f"/events/{event}/edit", "/profile", "/people?q=grace",
             "/import/calendar", "/follow-ups/"]
    quick = {path: page_without_tokens(client, path) for path in paths}
    monkeypatch.setattr(forms, "quick_widget", lambda widget: widget)  # WTForms' own writer
    for path in paths:
        assert 'name="' in quick[path], path
        assert page_without_tokens(client, path) == quick[path], path
