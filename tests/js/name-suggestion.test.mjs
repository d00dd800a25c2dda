// Run with: node --test tests/js/
import assert from "node:assert/strict";
import { test } from "node:test";

import { nameFromHandle } from "../../static/js/name-suggestion.js";

test("a LinkedIn handle suggests the person's name", () => {
  assert.equal(nameFromHandle("https://www.linkedin.com/in/jordan-kim-data"), "Jordan Kim");
  assert.equal(nameFromHandle("https://www.linkedin.com/in/ada-lovelace"), "Ada Lovelace");
  assert.equal(nameFromHandle("linkedin.com/in/grace-hopper-1a2b3c4d/"), "Grace Hopper");
  assert.equal(nameFromHandle("https://www.linkedin.com/in/j%C3%BCrgen-m%C3%BCller"), "Jürgen Müller");
});

test("a handle that says nothing about a name suggests nothing", () => {
  assert.equal(nameFromHandle("https://www.linkedin.com/in/12345678"), "");
  assert.equal(nameFromHandle("https://example.com/in/jordan-kim"), "");
  assert.equal(nameFromHandle(""), "");
  assert.equal(nameFromHandle("https://www.linkedin.com/in/%E0%A4%A"), "");
});
