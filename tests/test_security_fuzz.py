"""Every form and the sync JSON, fed generated junk (hypothesis): a message or a 4xx, never a 5xx.

Each test counts what it sent; `-s` prints the totals. The example counts are kept modest so the
suite stays quick; HYPOTHESIS_FUZZ_EXAMPLES raises them for a longer hunt.
"""

import datetime
import os
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from webapp import db
from webapp.models import FollowUp, Outcome

EXAMPLES = int(os.environ.get("HYPOTHESIS_FUZZ_EXAMPLES", "10"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
TOTALS = {"requests": 0, "5xx": 0}

NASTY = ["", " ", "\x00", "\x00" * 3, "9999-12-31", "0000-00-00", "1900-01-01", "2999-12-31", "-1", "0", "1e9",
         "NaN", str(2**31), str(2**63), str(-(2**63)), "https://[", "http://[::1", "javascript:alert(1)",
         "https://ｅｘａｍｐｌｅ.com", "https://exa\x01mple.com", "linkedin.com/in/" + "a" * 120,
         "İ" * 39 + "A, " + "İ" * 39 + "B", "UTC", "America", "Etc", "../../etc/passwd", "<script>x</script>",
         "%00", "\r\nX: y", "😀" * 300, "x" * 6000, "a@b", "@", "y", "on", "true", "false", "[]", "{}",
         "12:30", "25:99", "2026-02-30", "\u202e", "\ufeff"]
# Form data travels as UTF-8: every character but a lone surrogate (those go in the JSON tests).
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)
VALUE = st.one_of(TEXT, st.sampled_from(NASTY), st.integers().map(str), st.dates().map(str),
                  st.lists(st.sampled_from(NASTY), min_size=2, max_size=3))


def form_of(names):
    return st.fixed_dictionaries({}, optional={name: VALUE for name in names})


def send(client, method, path, **kwargs):
    response = getattr(client, method)(path, **kwargs)
    TOTALS["requests"] += 1
    if response.status_code >= 500:
        TOTALS["5xx"] += 1
    assert response.status_code < 500, (path, kwargs, response.get_data(as_text=True)[:500])
    return response


@pytest.fixture
def account(client, user):
    """Ada with an event, a person met there, an open follow-up and an outcome: every form has a target."""
    response = client.post("/events/new", data={"name": "PyData", "starts_on": datetime.date.today().isoformat(),
                                                "kind": "meetup", "goal": "3"})
    event_url = response.headers["Location"]
    client.post(event_url + "/people/new", data={"name": "Grace", "follow_up": "y", "follow_up_reason": "Say hi"})
    with db.database().connection_context():
        follow_up = FollowUp.get()
        person_id = follow_up.person_id
    client.post(f"/people/{person_id}/outcomes", data={"kind": "advice", "happened_on": "2026-11-01", "text": "ok"})
    with db.database().connection_context():
        outcome_id = Outcome.get().id
    return {"event": event_url, "event_id": int(event_url.rsplit("/", 1)[1]), "person": person_id,
            "follow_up": follow_up.id, "outcome": outcome_id}


FORMS = {
    "/events/new": ["name", "starts_on", "start_time", "place", "kind", "link", "goal", "goal_note", "description"],
    "{event}/edit": ["name", "starts_on", "start_time", "place", "kind", "link", "goal", "goal_note", "description"],
    "{event}/people/new": ["name", "description", "company", "role", "notes", "hiring", "follow_up",
                           "follow_up_reason", "linkedin_url", "email", "tags", "same_as", "entry"],
    "{event}/people/{person}/edit": ["name", "description", "company", "role", "notes", "hiring", "follow_up",
                                     "follow_up_reason", "linkedin_url", "email", "tags"],
    "/people/{person}/edit": ["name", "description", "company", "role", "hiring", "follow_up", "follow_up_reason",
                              "linkedin_url", "email", "phone", "tags"],
    "/people/{person}/outcomes": ["kind", "happened_on", "text"],
    "/people/{person}/connected": ["connected", "next"],
    "/follow-ups/{follow_up}/due": ["due_on"],
    "/profile": ["display_name", "headline", "linkedin_url", "timezone"],
    "/account/password": ["current_password", "new_password"],
    "/import/calendar/add": ["token", "events"],
}


@pytest.mark.parametrize("path", list(FORMS))
def test_every_form_answers_junk_without_a_5xx(client, account, path):
    url = path.format(**account)

    @FUZZ
    @given(data=form_of(FORMS[path]))
    def post(data):
        send(client, "post", url, data=data)
        send(client, "get", url if path not in ("/people/{person}/outcomes", "/people/{person}/connected",
                                                 "/follow-ups/{follow_up}/due", "/import/calendar/add") else "/")

    post()


@pytest.mark.parametrize("path, names", [
    ("/people", ["q", "tag", "hiring", "follow_up", "event", "sort", "page"]),
    ("/events/", ["x"]), ("/follow-ups/", ["x"]), ("/insights/", ["x"]), ("/login", ["next"]),
])
def test_every_search_and_query_string_answers_junk_without_a_5xx(client, account, path, names):
    @FUZZ
    @given(query=form_of(names))
    def get(query):
        send(client, "get", path, query_string=query)

    get()


@pytest.mark.parametrize("path, names", [
    ("/signup", ["email", "password", "display_name", "timezone"]),
    ("/login", ["email", "password", "next"]),
    ("/account/forgot-password", ["email"]),
    ("/account/reset/not-a-token", ["new_password"]),
])
def test_every_form_before_login_answers_junk_without_a_5xx(client, path, names):
    @FUZZ
    @given(data=form_of(names))
    def post(data):
        send(client, "post", path, data=data)

    post()


def test_deleting_and_confirming_forms_answer_junk_without_a_5xx(client, account):
    targets = [f"/follow-ups/{account['follow_up']}/done", f"/follow-ups/{account['follow_up']}/drop",
               f"/people/{account['person']}/outcomes/{account['outcome']}/delete", "/account/delete"]

    @FUZZ
    @given(data=form_of(["csrf_token", "password", "x"]), target=st.sampled_from(targets))
    def post(data, target):
        send(client, "post", target, data=data)

    post()


# The sync JSON: every JSON type in every field, lone surrogates included.
JSON_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=60),
                        st.sampled_from(NASTY + ["\ud800", "a\udfffb"]))
JSON_VALUE = st.recursive(JSON_SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                               st.dictionaries(st.text(max_size=5), inner,
                                                                               max_size=3)), max_leaves=6)
SYNC_FIELDS = ["uuid", "event_id", "account", "name", "description", "company", "role", "notes", "hiring",
               "follow_up", "follow_up_reason", "linkedin_url", "email", "tags"]


def test_the_sync_json_answers_junk_without_a_5xx(client, account):
    import json

    valid = {"uuid": str(uuid.uuid4()), "event_id": account["event_id"], "name": "Grace"}

    @FUZZ
    @given(fields=st.fixed_dictionaries({}, optional={name: JSON_VALUE for name in SYNC_FIELDS}),
           base=st.booleans())
    def sync(fields, base):
        body = {**(dict(valid, uuid=str(uuid.uuid4())) if base else {}), **fields}
        raw = json.dumps(body)  # escapes keep lone surrogates as \\udXXX, as a phone's JSON may carry them
        send(client, "post", "/sync/meetings", data=raw, content_type="application/json")

    sync()

    @FUZZ
    @given(raw=st.one_of(st.binary(max_size=200), JSON_VALUE.map(lambda v: json.dumps(v).encode())))
    def not_an_object(raw):
        send(client, "post", "/sync/meetings", data=raw, content_type="application/json")

    not_an_object()


def test_zz_report_the_fuzzing_totals():
    """Printed with -s: how many requests the fuzz tests above sent, and how many got a 5xx (none)."""
    print(f"\nfuzzing: {TOTALS['requests']} requests, {TOTALS['5xx']} answered 5xx")
    assert TOTALS["5xx"] == 0
