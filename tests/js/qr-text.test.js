// What a scanned QR code fills in on the log form: LinkedIn profiles, vCards and MeCards, anything else as notes.
import assert from "node:assert/strict";
import { test } from "node:test";

import { linkedinProfile, parseMeCard, parseVCard, readQrText } from "../../static/js/qr-text.js";

test("a LinkedIn profile address in any usual spelling becomes the canonical one", () => {
  for (const text of [
    "https://www.linkedin.com/in/Ada-Lovelace/",
    "http://linkedin.com/in/ada-lovelace?utm_source=share",
    "linkedin.com/in/ada-lovelace",
    "  https://uk.linkedin.com/in/ada-lovelace  ",
    "https://www.linkedin.com/in/ada%2Dlovelace",
  ]) {
    assert.equal(linkedinProfile(text), "https://www.linkedin.com/in/ada-lovelace", text);
  }
});

test("a handle in another script is kept, lower-cased and encoded", () => {
  assert.equal(linkedinProfile("https://www.linkedin.com/in/Łukasz"), "https://www.linkedin.com/in/%C5%82ukasz");
});

test("company pages, other hosts and broken addresses are not profiles", () => {
  for (const text of [
    "https://www.linkedin.com/company/acme", "https://linkedin.com.evil.example/in/ada",
    "https://example.com/in/ada", "https://www.linkedin.com/in/", "https://www.linkedin.com/in/%E0%A4%A",
    "https://www.linkedin.com/in/a", "mailto:ada@example.com", "", null,
  ]) {
    assert.equal(linkedinProfile(text), null, String(text));
  }
});

test("a vCard fills name, company, role and email, folded lines and escapes included", () => {
  const card = parseVCard([
    "BEGIN:VCARD", "VERSION:3.0", "N:Lovelace;Ada;;;", "FN:Ada Lovelace", "ORG:Analytical Engines\\, Ltd;R&D",
    "TITLE:Chief", " Programmer", "EMAIL;TYPE=INTERNET:ada@example.com", "item1.URL:https://linkedin.com/in/ada",
    "NOTE:Met at PyData\\nTalk on notes", "END:VCARD",
  ].join("\r\n"));
  assert.deepEqual(card, {
    urls: ["https://linkedin.com/in/ada"], name: "Ada Lovelace", company: "Analytical Engines, Ltd",
    role: "ChiefProgrammer", email: "ada@example.com", note: "Met at PyData\nTalk on notes",
  });
});

test("a vCard without FN takes its name from N, given name first", () => {
  assert.equal(parseVCard("BEGIN:VCARD\nN:Hopper;Grace\nEND:VCARD").name, "Grace Hopper");
});

test("a MeCard fills the same fields, with escaped separators kept", () => {
  assert.deepEqual(parseMeCard("MECARD:N:Hopper,Grace;ORG:Navy\\; COBOL;EMAIL:grace@example.com;" +
    "URL:https://example.com/grace;NOTE:Bug;;"), {
    urls: ["https://example.com/grace"], name: "Grace Hopper", company: "Navy; COBOL",
    email: "grace@example.com", note: "Bug",
  });
});

test("reading a profile code fills only their LinkedIn", () => {
  assert.deepEqual(readQrText("https://www.linkedin.com/in/ada"),
    { kind: "linkedin", fields: { linkedin_url: "https://www.linkedin.com/in/ada" }, notes: [] });
});

test("reading a contact card puts a LinkedIn URL in its field and other links and the note in the notes", () => {
  const found = readQrText("BEGIN:VCARD\nFN:Ada\nURL:https://example.com\nURL:linkedin.com/in/Ada\nNOTE:hi\nEND:VCARD");
  assert.deepEqual(found, {
    kind: "contact", fields: { name: "Ada", linkedin_url: "https://www.linkedin.com/in/ada" },
    notes: ["https://example.com", "hi"],
  });
});

test("a code that holds no contact goes to the notes as it is; an empty one does nothing", () => {
  assert.deepEqual(readQrText("  WIFI:S:venue;;  "), { kind: "text", fields: {}, notes: ["WIFI:S:venue;;"] });
  assert.equal(readQrText("   "), null);
});
