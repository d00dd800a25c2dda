// Which count of people met a page shows: its own, or a newer one another page showed on this phone.
import assert from "node:assert/strict";
import { test } from "node:test";

import { forgetCounts, newestMet } from "../../static/js/met-counts.js";

// Storage as the browser's localStorage behaves (Node 20 has none): strings in, strings out.
class Storage {
  constructor() { this.items = new Map(); }
  getItem(key) { return this.items.has(key) ? this.items.get(key) : null; }
  setItem(key, value) { this.items.set(key, String(value)); }
  removeItem(key) { this.items.delete(key); }
}

test("a copy made before the last save shows the count a newer page showed", () => {
  const storage = new Storage();
  assert.equal(newestMet("7", 3, 0, 10, storage), 0); // the form, kept on the phone at version 10
  assert.equal(newestMet("7", 3, 1, 12, storage), 1); // the event page after a save
  assert.equal(newestMet("7", 3, 0, 10, storage), 1); // the form's copy again
  assert.equal(newestMet("7", 4, 0, 10, storage), 0); // another event: its own count
});

test("a newer page wins even when it counts fewer: someone was deleted since", () => {
  const storage = new Storage();
  newestMet("7", 3, 2, 12, storage);
  assert.equal(newestMet("7", 3, 1, 15, storage), 1);
  assert.equal(newestMet("7", 3, 2, 12, storage), 1);
});

test("another account on the same phone never sees these counts, nor does anyone after logging out", () => {
  const storage = new Storage();
  newestMet("7", 3, 5, 40, storage);
  assert.equal(newestMet("8", 3, 0, 1, storage), 0);
  newestMet("7", 3, 5, 40, storage);
  forgetCounts(storage);
  assert.equal(newestMet("7", 3, 0, 1, storage), 0);
});

test("a page without a version or account shows its own count, and broken storage changes nothing", () => {
  const storage = new Storage();
  newestMet("7", 3, 5, 40, storage);
  assert.equal(newestMet("7", 3, 1, null, storage), 1); // a copy from a release that did not say its version
  assert.equal(newestMet("", 3, 1, 2, storage), 1);
  storage.setItem("hallway:met-counts", "{not json");
  assert.equal(newestMet("7", 3, 2, 41, storage), 2);
  const full = { getItem: () => null, setItem: () => { throw new Error("QuotaExceededError"); }, removeItem() {} };
  assert.equal(newestMet("7", 3, 2, 41, full), 2);
});

test("the twenty most recently counted events are kept, not every event ever", () => {
  const storage = new Storage();
  for (let event = 1; event <= 30; event++) newestMet("7", event, event, 100 + event, storage);
  const kept = JSON.parse(storage.getItem("hallway:met-counts")).counts;
  assert.equal(Object.keys(kept).length, 20);
  assert.deepEqual(kept["30"], { met: 30, version: 130 });
  assert.equal(kept["5"], undefined);
});
