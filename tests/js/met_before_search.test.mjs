// The phone's "have I met them before?" search, run with `node --test` (tests/test_met_before.py runs it).
import assert from "node:assert/strict";
import { test } from "node:test";

import { distance, fold, search } from "../../static/js/met-before-search.js";

const index = {
  v: 1,
  events: [["FOSDEM", "2024-02-03"], ["PyData London", "2025-03-12"]],
  tags: ["kubernetes", "python"],
  people: [
    [4, "Mei Chen", "Postgres Inc", [1], 1],
    [3, "Ana Silva", "Acme", [], 1],
    [2, "Anna Kowalski", "Initech", [0], 0],
    [1, "Zoë Ødegård", "", [], -1],
  ],
};
const names = (text) => search(index, text).map((p) => p.label);

test("a prefix of any word finds the person, newest first", () => {
  assert.deepEqual(names("an"), ["Ana Silva", "Anna Kowalski"]);
  assert.deepEqual(names("ACME"), ["Ana Silva"]);
});

test("typos are forgiven: postgress, kubernets, ana finds Anna", () => {
  assert.deepEqual(names("postgress"), ["Mei Chen"]);
  assert.deepEqual(names("kubernets"), ["Anna Kowalski"]);
  assert.deepEqual(names("ana"), ["Ana Silva", "Anna Kowalski"]);
  assert.deepEqual(names("anna"), ["Anna Kowalski", "Ana Silva"]);
});

test("a number a digit off is another number, not a typo", () => {
  const withYears = { ...index, people: [[5, "Raj Patel", "Class of 2019", [], -1], ...index.people] };
  const found = (text) => search(withYears, text).map((p) => p.label);
  assert.deepEqual(found("2019"), ["Raj Patel"]);
  assert.deepEqual(found("2018"), []);
});

test("accents and every word typed must match", () => {
  assert.deepEqual(names("zoe"), ["Zoë Ødegård"]);
  assert.deepEqual(names("ana initech"), ["Anna Kowalski"]);
  assert.deepEqual(names("ana globex"), []);
  assert.deepEqual(names("   "), []);
});

test("a match carries the last event met at", () => {
  const [anna] = search(index, "kowalski");
  assert.deepEqual(anna.event, ["FOSDEM", "2024-02-03"]);
  assert.deepEqual(anna.tags, ["kubernetes"]);
  assert.equal(search(index, "zoe")[0].event, null);
});

test("the edit distance stops early but counts right", () => {
  assert.equal(distance("kitten", "sitting", 3), 3);
  assert.equal(distance("abc", "abcdefgh", 2), 3);
  assert.equal(fold("Zoë ÅSA"), "zoe asa");
});

// The same words as the server's fold gives them (tests/test_search.py checks its side with this text).
test("letters that are not accented ones are spelled out, as the server does", () => {
  assert.equal(fold("Łukasz Straße Þór Søren Œdipe Ægir Işık Đorđe"), "lukasz strasse thor soren oedipe aegir isik dorde");
});
