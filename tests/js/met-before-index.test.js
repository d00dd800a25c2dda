// When the phone asks again for its index of people already met: when a page shows the account changed since
// it was kept (someone was logged), not on every page; a copy of a page kept from before changes nothing.
import assert from "node:assert/strict";
import { test } from "node:test";

import { behind } from "../../static/js/met-before-index.js";

const now = Date.parse("2026-11-23T19:00:00Z");
const kept = (version, minutesAgo = 1) => ({ account: "7", version, fetched: now - minutesAgo * 60_000, index: {} });

test("a phone that keeps no index asks for one", () => {
  assert.ok(behind(null, 12, now));
});

test("a page made after a save asks again; a page as new as the index does not", () => {
  assert.ok(behind(kept(12), 13, now));
  assert.ok(!behind(kept(12), 12, now));
});

test("a page the phone kept from before the index was asked is not newer than it", () => {
  assert.ok(!behind(kept(12), 10, now));
});

test("an index an hour old is asked again, and so is one kept by an older release", () => {
  assert.ok(behind(kept(12, 60), 12, now));
  assert.ok(behind(kept("3f2a9c1b7d4e5f60"), 12, now));
  assert.ok(!behind(kept(12), null, now)); // a page that does not say its version: only the hour counts
});
