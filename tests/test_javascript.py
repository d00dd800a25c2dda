"""The phone's JavaScript on its own. Modules that need no page (QR text, the queue's decisions, the form's
rules) run under Node's test runner from tests/js/; the parts that need a browser's storage and the server's
markup run in Chromium against the live server, with real IndexedDB, localStorage and templates."""

import io
import re
import shutil
import subprocess

import pytest
from conftest import IN_CI, ROOT
from PIL import Image
from playwright.sync_api import expect
from steps import add_event_today, sign_up, stored_meetings

from webapp import assets
from webapp.attachments import checks
from webapp.people.forms import PersonForm

NODE = shutil.which("node")


def served_to_phones(folder):
    """static/js as the server sends it (webapp/assets.py): minified, each file under its plain name and its
    hashed one, the names the modules import each other by."""
    for name, (hashed, content) in assets.hashed_contents(assets._static_files(ROOT / "static")).items():
        if name.startswith("js/"):
            for served_as in (name, hashed):
                (folder / served_as).parent.mkdir(parents=True, exist_ok=True)
                (folder / served_as).write_bytes(content)


@pytest.mark.parametrize("modules", ["as written", "as served"])
def test_the_phones_modules_pass_their_node_tests(tmp_path, modules):
    if NODE is None:
        reason = "Node.js not found: apt-get install -y nodejs"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    # The modules and their tests, copied beside a package.json that tells Node they are ES modules
    # (static/ gets no package.json: it is served to phones as it is).
    if modules == "as written":
        shutil.copytree(ROOT / "static/js", tmp_path / "static/js")
    else:
        served_to_phones(tmp_path / "static")
        assert len((tmp_path / "static/js/queue.js").read_bytes()) < len((ROOT / "static/js/queue.js").read_bytes())
    shutil.copytree(ROOT / "tests/js", tmp_path / "tests/js")
    (tmp_path / "package.json").write_text('{"type": "module"}\n')
    files = sorted(str(p.relative_to(tmp_path)) for pattern in ("*.test.js", "*.test.mjs")
                   for p in (tmp_path / "tests" / "js").glob(pattern))
    assert files, "no JavaScript tests found in tests/js"
    result = subprocess.run([NODE, "--test", *files], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    passed = int(re.search(r"^# pass (\d+)$", report, re.M).group(1))
    assert passed >= 10 and re.search(r"^# fail 0$", report, re.M), report


# --- In Chromium: the modules as the pages load them ------------------------------------------------

def module(page, name, script, arg=None):
    """Run script (an async function of the module and arg) in the page, with /static/js/<name> imported."""
    return page.evaluate(f"async ([arg]) => {{ const m = await import('/static/js/{name}'); "
                         f"return await ({script})(m, arg); }}", [arg])


ENTRY = """(m, [uuid, account, eventId, name, createdAt]) => m.add({
    uuid, account, event_id: eventId, state: "waiting", created_at: createdAt,
    fields: {name, description: "", notes: "talked about " + name}})"""


def uuid_for(n):
    return f"00000000-0000-4000-8000-{n:012d}"


@pytest.mark.browser
def test_the_queue_keeps_each_accounts_entries_on_the_phone_oldest_first(live_server, page):
    page.goto(live_server.url + "/login")
    for n, account, created in ((1, "7", "2026-11-23T19:02:00Z"), (2, "8", "2026-11-23T19:00:00Z"),
                                (3, "7", "2026-11-23T19:01:00Z")):
        module(page, "offline-queue.js", ENTRY, [uuid_for(n), account, 1, f"Person {n}", created])
    names = "(m, account) => m.entriesOf(account).then(list => list.map(e => e.fields.name))"
    assert module(page, "offline-queue.js", names, "7") == ["Person 3", "Person 1"]
    assert module(page, "offline-queue.js", names, "8") == ["Person 2"]
    assert module(page, "offline-queue.js", names, "") == []  # logged out: nobody's entries
    page.reload()  # kept in IndexedDB, not in the page
    module(page, "offline-queue.js", "(m, uuid) => m.remove(uuid)", uuid_for(3))
    assert module(page, "offline-queue.js", names, "7") == ["Person 1"]


@pytest.mark.browser
def test_only_a_success_removes_an_entry_and_a_refusal_keeps_it_with_the_servers_reason(live_server, page):
    page.goto(live_server.url + "/login")
    for n in (1, 2, 3):
        module(page, "offline-queue.js", ENTRY, [uuid_for(n), "7", 1, f"Person {n}", f"2026-11-23T19:0{n}:00Z"])
    answers = [
        (uuid_for(1), {"status": 201, "body": {"status": "created"}}),
        (uuid_for(2), {"status": 503, "body": {}}),
        (uuid_for(3), {"status": 400, "body": {"error": "Please check the fields marked.",
                                               "fields": {"linkedin_url": ["Not a person's profile."]}}}),
    ]
    outcomes = module(page, "offline-queue.js", """async (m, answers) => {
        const all = await m.entriesOf("7");
        const out = [];
        for (const [uuid, answer] of answers) out.push(await m.settle(all.find(e => e.uuid === uuid), answer));
        return out;
    }""", answers)
    assert outcomes == ["sent", "retry", "refused"]
    left = module(page, "offline-queue.js", "(m) => m.entriesOf('7')")
    assert [(e["uuid"], e["state"]) for e in left] == [(uuid_for(2), "waiting"), (uuid_for(3), "refused")]
    assert left[1]["message"] == "Not a person's profile."
    assert left[1]["errors"] == {"linkedin_url": ["Not a person's profile."]}


@pytest.mark.browser
def test_syncing_sends_the_logged_in_accounts_entries_once_and_leaves_other_accounts_waiting(live_server, page):
    sign_up(page, live_server.url, "Ada Queue")
    event_id = add_event_today(page, live_server.url, "Queue meetup")
    account = page.locator("body").get_attribute("data-account")
    for n, owner in ((11, account), (12, account), (13, "999999")):
        module(page, "offline-queue.js", ENTRY, [uuid_for(n), owner, event_id, f"Person {n}",
                                                 f"2026-11-23T19:{n}:00Z"])
    # Two syncs at once (a page load and the "online" event) share one run: nothing is sent twice.
    results = module(page, "offline-queue.js", """(m) => {
        const urls = {session: document.body.dataset.sessionUrl, sync: document.body.dataset.syncUrl};
        return Promise.all([m.syncAll(urls), m.syncAll(urls)]);
    }""")
    assert results[0] == results[1]
    progress = results[0].pop("progress")
    assert results[0] == {"sent": 2, "refused": 0, "waiting": 1, "retry": False}
    assert {k: progress[str(event_id)][k] for k in ("met", "goal")} == {"met": 2, "goal": 3}
    left = module(page, "offline-queue.js", "(m) => self.HallwayQueue.entries(null)")
    assert [(e["uuid"], e["account"]) for e in left] == [(uuid_for(13), "999999")]
    stored = stored_meetings(live_server.database, event_id)
    assert sorted((s[0].replace("-", ""), s[1]) for s in stored) == [
        (uuid_for(11).replace("-", ""), "Person 11"), (uuid_for(12).replace("-", ""), "Person 12")]
    # The same entry sent again (its answer was lost) is a success, and is still stored once.
    module(page, "offline-queue.js", ENTRY, [uuid_for(11), account, event_id, "Person 11", "2026-11-23T19:11:00Z"])
    again = module(page, "offline-queue.js", """(m) => m.syncAll(
        {session: document.body.dataset.sessionUrl, sync: document.body.dataset.syncUrl})""")
    assert again["sent"] == 1
    assert len(stored_meetings(live_server.database, event_id)) == 2


@pytest.mark.browser
def test_a_draft_holds_what_was_typed_and_posted_drafts_end_on_the_next_page(live_server, page):
    sign_up(page, live_server.url, "Ada Drafts")
    event_id = add_event_today(page, live_server.url, "Draft meetup")
    path = f"/events/{event_id}/people/new"
    page.goto(live_server.url + path)
    page.fill("#name", "Grace")
    page.check("#hiring")
    page.click("details.more-fields summary")
    page.fill("#tags", "cobol, navy")
    account = page.locator("body").get_attribute("data-account")
    draft = module(page, "drafts.js", "(m, [account, path]) => m.readDraft(m.draftKey(account, path))",
                   [account, path])
    values = draft["values"]
    assert "csrf_token" not in values and re.fullmatch(r"[0-9a-f-]{36}", values["entry"])
    assert (values["name"], values["hiring"], values["tags"], values["follow_up"]) == ("Grace", True, "cobol, navy",
                                                                                      False)
    assert draft["posted"] is False
    # Another account's draft of the same page, and drafts of this account: one posted and saved (the server's
    # cookie names its form), one posted with no word of it being saved (the post failed), one still typed.
    module(page, "drafts.js", """(m, [account, path]) => {
        const keep = (page, posted, who = account) => localStorage.setItem(m.draftKey(who, page),
            JSON.stringify({values: {name: page}, posted, action: page}));
        keep("/events/900001/people/new", true);
        keep("/events/900002/people/new", false);
        keep("/events/900003/people/new", true);
        keep("/events/900001/people/new", true, "other" + account);
        document.cookie = "form_saved=/events/900001/people/new; path=/";
    }""", [account, path])
    page.goto(live_server.url + "/")  # a page with no draft form: posted drafts of this account that were saved end
    keys = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('hallway:draft:')).sort()")
    assert keys == sorted([f"hallway:draft:{account}:/events/900002/people/new", f"hallway:draft:{account}:{path}",
                           f"hallway:draft:{account}:/events/900003/people/new",
                           f"hallway:draft:other{account}:/events/900001/people/new"])
    page.goto(live_server.url + path)  # the typed draft comes back into the form, with the server's note
    page.wait_for_selector(".draft-note")
    assert page.input_value("#name") == "Grace" and page.is_checked("#hiring")
    assert page.locator("details.more-fields").get_attribute("open") is not None  # tags are in there


@pytest.mark.browser
def test_a_saved_form_starts_empty_even_when_the_page_after_it_was_left_before_its_scripts_ran(live_server, page):
    """Ten seconds between conversations: "Save", then straight back to the form. Had the event page's scripts not
    run yet, the posted draft was still on the phone, and came back with the last person's name and entry id."""
    sign_up(page, live_server.url, "Ada Quick")
    event_id = add_event_today(page, live_server.url, "Quick meetup")
    path = f"/events/{event_id}/people/new"
    page.goto(live_server.url + path)
    page.fill("#name", "Grace")
    page.fill("#notes", "likes Svelte")
    page.check("#hiring")
    page.check("#follow_up")
    page.click("details.more-fields summary")
    page.fill("#company", "Acme")
    account = page.locator("body").get_attribute("data-account")
    key = module(page, "drafts.js", "(m, [account, path]) => m.draftKey(account, path)", [account, path])
    typed = page.evaluate("key => localStorage.getItem(key)", key)
    page.click("form[data-draft] button[type=submit]")
    page.wait_for_selector(".flash-success")
    # Back after Save: the browser does not put Grace's note and ticks back into the form, for the next person.
    page.go_back()
    page.wait_for_load_state("load")
    expect(page.locator("#name")).to_have_value("")
    for form_page in ("back", "met someone next"):
        assert page.input_value("#notes") == "" and page.input_value("#company") == ""
        assert not page.is_checked("#hiring") and not page.is_checked("#follow_up")
        assert page.locator(".draft-note").count() == 0
        page.goto(live_server.url + "/")  # leaving the page keeps no draft of what the browser put back
        assert page.evaluate("key => localStorage.getItem(key)", key) is None, form_page
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
    # Saved again, and the event page left before it ends the draft: the phone still holds the posted draft
    # (as typed the first time), and the server's cookie names this form as saved.
    page.fill("#name", "Grace Again")
    page.click("form[data-draft] button[type=submit]")
    page.wait_for_selector(".flash-success")
    posted = typed.replace('"posted":false', '"posted":true')
    assert posted != typed
    page.evaluate("([key, draft]) => localStorage.setItem(key, draft)", [key, posted])
    page.goto(live_server.url + path)
    page.wait_for_load_state("load")
    assert page.input_value("#name") == "" and page.input_value("#company") == ""
    assert page.locator(".draft-note").count() == 0
    assert page.locator("details.more-fields").get_attribute("open") is None
    assert page.evaluate("key => localStorage.getItem(key)", key) is None
    assert "form_saved=" not in page.evaluate("document.cookie")
    # A posted draft the server has not said it saved (no answer came) is never dropped: it comes back. (Put
    # there from a file with no scripts: leaving the form's page keeps what it holds as its draft.)
    page.goto(live_server.url + "/static/css/app.css")
    page.evaluate("([key, draft]) => localStorage.setItem(key, draft)", [key, posted])
    page.goto(live_server.url + path)
    page.wait_for_selector(".draft-note")
    assert page.input_value("#name") == "Grace" and page.input_value("#company") == "Acme"
    assert [s[1] for s in stored_meetings(live_server.database, event_id)] == ["Grace", "Grace Again"]


# How a form tells what to fix: its summary, each marked field with its error, and where the focus is.
ERROR_MARKS = """() => {
    const form = document.querySelector("form[data-draft]");
    const fields = [...form.querySelectorAll("input, textarea")].filter(f => f.id && f.type !== "hidden");
    return {
        summary: [...form.querySelectorAll(".error-summary")].map(e => [e.textContent, e.role, e.ariaLive]),
        fields: Object.fromEntries(fields.map(f => [f.id,
            [f.getAttribute("aria-invalid"), f.getAttribute("aria-describedby")]])),
        errors: [...form.querySelectorAll(".field.has-error .error")].map(e => [e.id, e.textContent]),
        focused: document.activeElement.id,
    };
}"""


@pytest.mark.browser
def test_the_log_form_carries_the_servers_own_rules_and_error_markup(live_server, page):
    sign_up(page, live_server.url, "Ada Rules")
    event_id = add_event_today(page, live_server.url, "Rules meetup")
    form_page = live_server.url + f"/events/{event_id}/people/new"
    page.goto(form_page)
    rules = module(page, "form-errors.js", "(m) => m.rulesOf(document.querySelector('form[data-draft]'))")
    # "Follow up" needs no reason: the only rule is a name or a few words to recognise them by.
    assert rules == [{"name": "name", "unless": "description", "when": None, "message": PersonForm.NEEDS_NAME}]
    valid = page.evaluate(ERROR_MARKS)
    page.check("#follow_up")
    page.get_by_role("button", name="Save", exact=True).click()  # the server's answer, with the signal
    page.wait_for_selector(".error-summary")
    servers = page.evaluate(ERROR_MARKS)
    assert servers["summary"] == [[PersonForm.NEEDS_NAME, "alert", "assertive"]]
    assert servers["errors"] == [["name-error", PersonForm.NEEDS_NAME]] and servers["focused"] == "name"
    check = """async (m) => {
        const form = document.querySelector("form[data-draft]");
        const drafts = await import("/static/js/drafts.js");
        m.showErrors(form, m.broken(m.rulesOf(form), drafts.formValues(form)));
    }"""
    # Checked on the phone, the same form says the same, marked the same way for a screen reader: on a fresh
    # form, and on the server's answer, whose messages it replaces.
    page.goto(form_page)
    page.check("#follow_up")
    module(page, "form-errors.js", check)
    assert page.evaluate(ERROR_MARKS) == servers
    page.goto(form_page)
    page.check("#follow_up")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_selector(".error-summary")
    module(page, "form-errors.js", check)
    assert page.evaluate(ERROR_MARKS) == servers
    # Fixed and checked again: the old messages and marks go, the hints stay.
    page.fill("#name", "Grace")
    module(page, "form-errors.js", check)
    assert page.evaluate(ERROR_MARKS) == {**valid, "focused": "name"}


@pytest.mark.browser
def test_a_see_through_picture_is_made_a_jpeg_on_white_on_the_phone_as_on_the_server(live_server, page):
    """A badge or a logo with see-through parts, picked as the photo: the phone makes it JPEG before sending it,
    and what was see-through lies on white, as the server keeps a picture sent without script."""
    picture = io.BytesIO()
    Image.new("RGBA", (800, 600), (0, 128, 0, 128)).save(picture, "PNG")
    page.goto(live_server.url + "/login")
    jpeg = module(page, "capture.js", """async (m, png) => {
        const picked = new File([Uint8Array.from(png)], "badge.png", {type: "image/png"});
        const photo = await m.shrinkPhoto(picked);
        return [photo.type, Array.from(new Uint8Array(await photo.arrayBuffer()))];
    }""", list(picture.getvalue()))
    assert jpeg[0] == "image/jpeg"
    with Image.open(io.BytesIO(bytes(jpeg[1]))) as sent:
        on_phone = sent.convert("RGB").getpixel((400, 300))
    on_server = Image.open(io.BytesIO(checks.check_photo(picture.getvalue()).content)).convert("RGB")
    assert all(abs(a - b) <= 3 for a, b in zip(on_phone, on_server.getpixel((400, 300)), strict=True)), on_phone
