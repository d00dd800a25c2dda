// What a scanned code's text fills in, as far as it needs no page: their LinkedIn found among other words, and
// what a contact card holds besides the contact fields. The scanner itself is tested in Chromium.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import vm from "node:vm";

// linkedin.js and contact-card.js are classic scripts the log form loads side by side: run here as it runs them.
const page = vm.createContext({ TextEncoder, TextDecoder, URL });
for (const name of ["linkedin.js", "contact-card.js"]) {
  vm.runInContext(readFileSync(new URL(`../../static/js/${name}`, import.meta.url), "utf8"), page);
}
// Their objects come from the page's realm: compared as plain data.
const plain = (value) => JSON.parse(JSON.stringify(value));
const inText = (text) => plain(page.HallwayLinkedIn.inText(text));
const readCard = (text) => plain(page.HallwayContactCard.read(text));

const JANE = "https://www.linkedin.com/in/jane-doe";

test("a LinkedIn profile anywhere in a code's text fills their LinkedIn", () => {
  for (const text of ["Jane Doe\nhttps://www.linkedin.com/in/jane-doe",
    "Scan to connect: https://www.linkedin.com/in/jane-doe",
    "Scan to connect:https://www.linkedin.com/in/Jane-Doe/?utm_source=qr", "Find me (linkedin.com/in/jane-doe).",
    "Jane Doe\nStaff Engineer, Acme\nhttps://uk.linkedin.com/in/jane-doe\nhttps://acme.example"]) {
    assert.equal(inText(text).profile, JANE, text);
  }
});

test("a name on the line above their link suggests their name; other words do not", () => {
  assert.equal(inText("Jane Doe\nhttps://www.linkedin.com/in/jane-doe").name, "Jane Doe");
  assert.equal(inText("Jürgen Müller\nSenior Engineer\nde.linkedin.com/in/jm42").name, "Jürgen Müller");
  assert.equal(inText("山田 太郎\nhttps://jp.linkedin.com/in/taro-yamada").name, "山田 太郎");
  for (const text of ["Scan to connect: https://www.linkedin.com/in/jane-doe", "https://www.linkedin.com/in/jane-doe",
    "Connect with me\nhttps://www.linkedin.com/in/jane-doe", "LinkedIn\nhttps://www.linkedin.com/in/jane-doe",
    "Scan to connect:\nhttps://www.linkedin.com/in/jane-doe", "Booth 42\nhttps://www.linkedin.com/in/jane-doe"]) {
    assert.equal(inText(text).name, "", text);
  }
});

test("a LinkedIn short link or page in a code says what to do instead; other text is not about LinkedIn", () => {
  for (const text of ["https://lnkd.in/dXyZ123", "Connect: lnkd.in/dXyZ123", "https://www.linkedin.com/company/acme"]) {
    const found = inText(text);
    const word = text.split(" ").pop();
    assert.equal(found.profile, null, text);
    assert.equal(found.message, page.HallwayLinkedIn.read(word).message, text);
  }
  assert.match(inText("https://lnkd.in/dXyZ123").message, /short link/);
  for (const text of ["Find me at the Postgres talk, room 4", "https://example.com/in/jane-doe", "LinkedIn: jane doe",
    "https://www.linkedin.com.evil.example/in/jane-doe", ""]) {
    assert.equal(inText(text), null, text);
  }
});

test("a card's website written without a scheme and its address go to the notes with the rest", () => {
  // ZXing's own MeCard test.
  const mecard = readCard("MECARD:N:Owen,Sean;TEL:+12125551212;URL:google.com;EMAIL:srowen@example.org;" +
    "ADR:76 9th Ave, New York, NY 10011;NOTE:ZXing Team;;");
  assert.deepEqual([mecard.name, mecard.email, mecard.phone, mecard.note], ["Sean Owen", "srowen@example.org",
    "+12125551212", "ZXing Team"]);
  assert.deepEqual(mecard.urls, ["google.com"]);
  assert.equal(mecard.address, "76 9th Ave, New York, NY 10011");
  const vcard = readCard("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Sean Owen\r\nADR;TYPE=work:;;76 9th Ave;New York;NY;" +
    "10011;USA\r\nURL:google.com\r\nURL:linkedin.com/in/sean-owen\r\nEND:VCARD\r\n");
  assert.deepEqual(vcard.urls, ["google.com"]);
  assert.equal(vcard.linkedin, "https://www.linkedin.com/in/sean-owen");
  assert.equal(vcard.address, "76 9th Ave, New York, NY, 10011, USA");
  const bizcard = readCard("BIZCARD:N:Sean;X:Owen;C:Google;A:76 9th Avenue, New York, NY 10011;E:srowen@example.org;;");
  assert.equal(bizcard.address, "76 9th Avenue, New York, NY 10011");
});

// The log form as a scan leaves it: what scanInto says to clear, fill and write in the notes, applied to values.
function scanned(values, text) {
  const scan = plain(page.HallwayContactCard.scanInto(values, text));
  const after = { ...values, scanned_text: text, scanned_filled: Object.keys(scan.fields).join(" "),
    notes: scan.notes };
  for (const name of scan.clear) after[name] = "";
  return { ...after, ...scan.fields };
}

const JANE_MECARD = "MECARD:N:Doe,Jane;ORG:Acme;TEL:+4915112345;EMAIL:jane@acme.de;" +
  "URL:https\\://www.linkedin.com/in/janedoe;NOTE:Badge 42;;";
const JUERGEN_VCARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dr. Jürgen Müller\r\nORG:Größe GmbH\r\n" +
  "TITLE:Geschäftsführer\r\nEMAIL:j@groesse.de\r\nURL:https://de.linkedin.com/in/jürgen-müller\r\nEND:VCARD";

test("a second code replaces what the first filled in: nothing of the first person is left", () => {
  const jane = scanned({ name: "", notes: "" }, JANE_MECARD);
  assert.deepEqual([jane.name, jane.phone, jane.notes], ["Jane Doe", "+4915112345", "Badge 42"]);
  const juergen = scanned(jane, JUERGEN_VCARD);
  assert.deepEqual(
    [juergen.name, juergen.company, juergen.role, juergen.email, juergen.phone, juergen.linkedin_url, juergen.notes],
    ["Dr. Jürgen Müller", "Größe GmbH", "Geschäftsführer", "j@groesse.de", "",
      "https://www.linkedin.com/in/j%C3%BCrgen-m%C3%BCller", ""]);
  // A LinkedIn code after a card: the card's name and company go too.
  const linus = scanned(jane, "https://www.linkedin.com/in/linus");
  assert.deepEqual([linus.name, linus.company, linus.phone, linus.linkedin_url, linus.notes],
    ["", "", "", "https://www.linkedin.com/in/linus", ""]);
  // And a LinkedIn code with a name, then a code that is only words.
  const grace = scanned(jane, "Grace Hopper\nhttps://www.linkedin.com/in/grace-hopper");
  assert.deepEqual([grace.name, grace.linkedin_url], ["Grace Hopper", "https://www.linkedin.com/in/grace-hopper"]);
  const words = scanned(grace, "Find me at the Postgres talk, room 4");
  assert.deepEqual([words.name, words.linkedin_url, words.notes], ["", "", "Find me at the Postgres talk, room 4"]);
  assert.equal(scanned(words, JANE_MECARD).notes, "Badge 42");
});

test("what the user typed stays when another code is scanned, and the same code twice fills in once", () => {
  const typed = { name: "Ada", description: "red jacket", notes: "Talked about Postgres" };
  const linkedin = scanned(typed, "Grace Hopper\nhttps://www.linkedin.com/in/grace-hopper");
  assert.deepEqual([linkedin.name, linkedin.linkedin_url], ["Ada", "https://www.linkedin.com/in/grace-hopper"]);
  const card = scanned(linkedin, JANE_MECARD);
  assert.deepEqual([card.name, card.description, card.notes],
    ["Jane Doe", "red jacket", "Talked about Postgres\nBadge 42"]);
  const more = { ...card, notes: card.notes + "\nWants the slides" };
  const again = scanned(scanned(more, JANE_MECARD), JANE_MECARD);
  assert.equal(again.notes, "Talked about Postgres\nWants the slides\nBadge 42");
  const juergen = scanned(more, JUERGEN_VCARD);
  assert.deepEqual([juergen.name, juergen.phone, juergen.description, juergen.notes],
    ["Dr. Jürgen Müller", "", "red jacket", "Talked about Postgres\nWants the slides"]);
  // A plain code of several lines leaves as a whole.
  const lines = scanned({ name: "", notes: "Mine" }, "Room 4\nBooth 12");
  assert.equal(lines.notes, "Mine\nRoom 4\nBooth 12");
  assert.equal(scanned(lines, JANE_MECARD).notes, "Mine\nBadge 42");
});
