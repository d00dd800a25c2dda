// Drafts and the log form's own rules, as far as they need no page: which typing counts as new, whose
// draft a key is, and which rules a set of values breaks. With a real page they are tested in Chromium.
import assert from "node:assert/strict";
import { test } from "node:test";

import { draftKey, keepEarlierDraft, readDraft, sameTyping } from "../../static/js/drafts.js";
import { broken } from "../../static/js/form-errors.js";

const rules = [
  { name: "name", unless: "description company", when: null, message: "Add a name." },
  { name: "follow_up_reason", unless: null, when: "follow_up", message: "Say why." },
];

test("a draft belongs to one account and one page", () => {
  assert.notEqual(draftKey("1", "/events/3/people/new"), draftKey("2", "/events/3/people/new"));
  assert.notEqual(draftKey("1", "/events/3/people/new"), draftKey("1", "/events/4/people/new"));
  // "1" then "/x" must not read as account "1/" and so on: the account ends at its own separator.
  assert.notEqual(draftKey("1", "1:/x"), draftKey("11", ":/x"));
});

// Storage as the browser's localStorage behaves (Node 20 has none): strings in, strings out.
class Storage {
  constructor() { this.items = new Map(); }
  getItem(key) { return this.items.has(key) ? this.items.get(key) : null; }
  setItem(key, value) { this.items.set(key, String(value)); }
  removeItem(key) { this.items.delete(key); }
}

test("a draft kept under the account's id alone stays its own, unless a deleted account with that id typed it",
  (t) => {
  globalThis.localStorage = new Storage();
  t.after(() => { delete globalThis.localStorage; });
  const made = Date.parse("2026-12-07T10:00:00.000Z");
  const account = "15." + made; // made with the id 15 a deleted account had
  const keep = (path, savedAt) => localStorage.setItem(draftKey("15", path),
    JSON.stringify({ saved_at: savedAt, values: { name: "typed at " + savedAt } }));
  keep("/met", made + 1000);
  keep("/events/3/people/new", made - 1000);
  keepEarlierDraft(account, "/met");
  keepEarlierDraft(account, "/events/3/people/new");
  assert.equal(readDraft(draftKey(account, "/met")).values.name, "typed at " + (made + 1000));
  assert.equal(readDraft(draftKey("15", "/met")), null);
  assert.equal(readDraft(draftKey(account, "/events/3/people/new")), null);
});

test("a draft that differs only by its entry id holds nothing new", () => {
  assert.ok(sameTyping({ entry: "a", name: "Ada", hiring: false }, { entry: "b", name: "Ada", hiring: false }));
  assert.ok(!sameTyping({ entry: "a", name: "Ada", hiring: false }, { entry: "a", name: "Ada", hiring: true }));
  assert.ok(!sameTyping({ name: "Ada" }, { name: "Ada " }));
});

test("a name or a description is enough; blanks do not count", () => {
  assert.deepEqual(broken(rules, { name: "Ada", description: "", follow_up: false }), {});
  assert.deepEqual(broken(rules, { name: "", description: "red jacket", follow_up: false }), {});
  assert.deepEqual(broken(rules, { name: "  ", description: "\n", follow_up: false }), { name: ["Add a name."] });
});

test("any one of the fields a name may be done without is enough, as someone imported with only a company", () => {
  assert.deepEqual(broken(rules, { name: "", description: "", company: "Globex", follow_up: false }), {});
  assert.deepEqual(broken(rules, { name: "", description: "", company: " ", follow_up: false }),
    { name: ["Add a name."] });
});

test("a follow-up needs its reason only when it is ticked", () => {
  assert.deepEqual(broken(rules, { name: "Ada", follow_up: true, follow_up_reason: " " }),
    { follow_up_reason: ["Say why."] });
  assert.deepEqual(broken(rules, { name: "Ada", follow_up: true, follow_up_reason: "the CDC article" }), {});
  assert.deepEqual(broken(rules, { name: "Ada", follow_up: false, follow_up_reason: "" }), {});
});

test("every broken rule is reported, each under its own field", () => {
  assert.deepEqual(broken(rules, { name: "", description: "", follow_up: true, follow_up_reason: "" }),
    { name: ["Add a name."], follow_up_reason: ["Say why."] });
});
