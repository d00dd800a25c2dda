// The offline queue's decisions, without storage: what is sent for an entry, what each answer means,
// and why a refused entry was not stored. IndexedDB itself is tested in Chromium (tests/test_javascript.py).
import assert from "node:assert/strict";
import { test } from "node:test";
import { webcrypto } from "node:crypto";

// queue.js is a classic script shared with the service worker: it puts HallwayQueue on `self`.
globalThis.self = globalThis;
if (!globalThis.crypto) globalThis.crypto = webcrypto; // Node 18 has Web Crypto, but not as a global
await import("../../static/js/queue.js");
const queue = globalThis.HallwayQueue;

const entry = {
  uuid: "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b", account: "7.1764000000000", event_id: 3, state: "waiting",
  created_at: "2026-11-23T19:00:00.000Z", fields: { name: "Ada", notes: "Engines", hiring: true },
};

test("an entry is sent as the form's fields plus its id, event, account and when it was made", () => {
  assert.deepEqual(queue.payload(entry), {
    uuid: entry.uuid, event_id: 3, account: "7.1764000000000", met_at: "2026-11-23T19:00:00.000Z", name: "Ada", notes: "Engines",
    hiring: true,
  });
});

test("only a stored entry counts as sent: created, or stored before with the same content", () => {
  assert.equal(queue.verdict({ status: 201, body: {} }), "sent");
  assert.equal(queue.verdict({ status: 200, body: { status: "already saved" } }), "sent");
});

test("logged out, an expired token or a failing server mean: keep it and try again later", () => {
  assert.equal(queue.verdict({ status: 401, body: { reason: "login" } }), "retry");
  assert.equal(queue.verdict({ status: 400, body: { reason: "csrf" } }), "retry");
  for (const status of [500, 502, 503]) assert.equal(queue.verdict({ status, body: {} }), "retry");
});

test("an answer that will never change is a refusal, kept on the phone with its reason", () => {
  for (const status of [400, 403, 404, 409]) assert.equal(queue.verdict({ status, body: {} }), "refused");
});

test("a refusal says why in the server's words, field by field", () => {
  assert.equal(queue.refusal({ status: 400, body: {
    error: "Please check the fields marked.",
    fields: { linkedin_url: ["That is not a person's profile."], tags: ["Too long.", "Really."] },
  } }), "That is not a person's profile. Too long. Really.");
  assert.equal(queue.refusal({ status: 409, body: { error: "Ada was already saved from this phone." } }),
    "Ada was already saved from this phone.");
  assert.equal(queue.refusal({ status: 403, body: {} }), "The server did not accept it.");
});

test("an entry another account saved is told apart from other refusals", () => {
  assert.match(queue.refusal({ status: 404, body: { error: "There is nothing here, or it is not yours." } }),
    /saved in another account/);
});

test("an account takes only its own entries, never those a deleted account with the same id left on the phone",
  () => {
  const made = Date.parse("2026-12-07T10:00:00.000Z"); // the account, made with the id 15 a deleted one had
  const account = "15." + made;
  const queued = (owner, createdAt) => ({ ...entry, account: owner, created_at: createdAt });
  assert.ok(queue.loggedBy(queued(account, "2026-12-07T09:00:00.000Z"), account)); // its key: its own
  assert.ok(!queue.loggedBy(queued("15." + (made - 3600000), "2026-12-07T09:30:00.000Z"), account)); // the deleted one's
  // Queued before accounts had keys, under the id alone: its own only if made since it was.
  assert.ok(queue.loggedBy(queued("15", "2026-12-07T10:00:01.000Z"), account));
  assert.ok(!queue.loggedBy(queued("15", "2026-12-07T09:59:59.000Z"), account));
  assert.ok(!queue.loggedBy(queued("1", "2026-12-07T10:00:01.000Z"), account));
});

test("entry ids are version 4 UUIDs, also where crypto.randomUUID is missing (http on a LAN)", (t) => {
  const v4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  assert.match(queue.uuid4(), v4);
  const real = Object.getOwnPropertyDescriptor(globalThis, "crypto");
  t.after(() => { if (real) Object.defineProperty(globalThis, "crypto", real); });
  Object.defineProperty(globalThis, "crypto", {
    configurable: true, value: { getRandomValues: (bytes) => webcrypto.getRandomValues(bytes) },
  });
  const ids = new Set(Array.from({ length: 200 }, () => queue.uuid4()));
  assert.equal(ids.size, 200);
  for (const id of ids) assert.match(id, v4);
});

test("an entry made with no event carries when it was met, for the server to find its event or the day's quick one",
  () => {
  const quick = { ...entry, event_id: null, quick_day: "2026-11-23" };
  assert.deepEqual(queue.payload(quick), {
    uuid: entry.uuid, event_id: null, quick_day: "2026-11-23", met_at: "2026-11-23T19:00:00.000Z", account: "7.1764000000000",
    name: "Ada", notes: "Engines", hiring: true,
  });
});

test("a voice note goes to the server as a form with its own id, its entry's id, its kind and its bytes",
  async (t) => {
    const http = await import("node:http");
    const received = [];
    const server = http.createServer((request, response) => {
      const chunks = [];
      request.on("data", (c) => chunks.push(c));
      request.on("end", () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("latin1") });
        response.writeHead(201, { "Content-Type": "application/json" });
        response.end(JSON.stringify({ status: "created" }));
      });
    });
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    t.after(() => server.close());
    const url = `http://127.0.0.1:${server.address().port}/sync/attachments`;
    const note = { uuid: "0e7f7a0c-3b0a-4c5e-9d57-6a1f4cf1b0aa", kind: "voice",
      blob: new Blob([new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 1, 2, 3])], { type: "audio/webm" }) };
    const answer = await queue.sendAttachment(entry, note, url, "token-1");
    assert.equal(answer.status, 201);
    const [{ headers, body }] = received;
    assert.equal(headers["x-csrftoken"], "token-1");
    assert.match(headers["content-type"], /^multipart\/form-data; boundary=/);
    for (const [name, value] of [["uuid", note.uuid], ["entry", entry.uuid], ["kind", "voice"]]) {
      assert.match(body, new RegExp(`name="${name}"\\r\\n\\r\\n${value}\\r\\n`));
    }
    assert.match(body, /name="file"; filename="voice-note"\r\nContent-Type: audio\/webm\r\n\r\n\x1a\x45\xdf\xa3\x01\x02\x03\r\n/);
    // One added on a person's page with no signal names the person, who is on the server already, not an entry.
    await queue.sendAttachment({ ...entry, person_id: 12, fields: {} }, note, url, "token-1");
    assert.match(received[1].body, /name="person"\r\n\r\n12\r\n/);
    assert.doesNotMatch(received[1].body, /name="entry"/);
  });

test("a person saved without a voice note or a photo the server refused says which and why, and waits no more",
  async () => {
    const { filesNotKept, notOnTheServer, storedWithout, waiting } = await import("../../static/js/offline-queue.js");
    const grace = { ...entry, state: "stored", not_kept: [
      { kind: "photo", message: "This is not a photo this app can read." },
      { kind: "voice", message: "This is not a sound recording." }] };
    assert.deepEqual(filesNotKept(grace), {
      what: "photo and voice note", why: "This is not a photo this app can read. This is not a sound recording." });
    assert.deepEqual(filesNotKept({ ...grace, not_kept: [grace.not_kept[0]] }),
      { what: "photo", why: "This is not a photo this app can read." });
    assert.deepEqual(storedWithout([entry, grace]), [grace]);
    assert.deepEqual(notOnTheServer([entry, grace]), [entry]);
    assert.deepEqual(waiting([entry, grace]), [entry]);
  });

test("only a stored entry's answer tells its event's count, with the account's version", () => {
  const progress = { met: 2, goal: 3, version: 41 };
  assert.deepEqual(queue.progressOf({ status: 201, body: { event_id: 3, progress } }), { event_id: 3, ...progress });
  assert.deepEqual(queue.progressOf({ status: 200, body: { event_id: 3, progress } }), { event_id: 3, ...progress });
  assert.equal(queue.progressOf({ status: 409, body: { event_id: 3, progress } }), null);
  assert.equal(queue.progressOf({ status: 500, body: {} }), null);
  assert.equal(queue.progressOf({ status: 201, body: { event_id: 3 } }), null);
});

test("waiting people count once at their event: not someone already met there, nor one person picked twice", async () => {
  const { newHere } = await import("../../static/js/offline-queue.js");
  const waitingEntry = (fields, extra = {}) => ({ ...entry, fields, ...extra });
  const ada = waitingEntry({ name: "Ada" });
  const grace = waitingEntry({ name: "grace", same_as: "12" });
  const graceAgain = waitingEntry({ name: "Grace H", same_as: "12" });
  const metHere = waitingEntry({ name: "alan", same_as: "40" }, { met_here: true });
  const sent = waitingEntry({ name: "Edsger" }, { state: "refused" });
  assert.equal(newHere([]), 0);
  assert.equal(newHere([ada, grace]), 2);
  assert.equal(newHere([ada, grace, graceAgain]), 2);
  assert.equal(newHere([ada, metHere]), 1);
  assert.equal(newHere([sent, metHere]), 0);
});

// Which waiting people an event's page counts and lists (static/js/progress.js).
const { filedUnder } = await import("../../static/js/offline-queue.js");

const logged = (uuid, where) => ({ uuid, state: "waiting", fields: { name: uuid }, ...where });

test("a quick event's page counts the people logged that day on a form that named no event", () => {
  const entries = [
    logged("at the quick event", { event_id: 5 }),
    logged("on a form kept before the quick event was made", { event_id: null, quick_day: "2026-12-07" }),
    logged("the day before", { event_id: null, quick_day: "2026-12-06" }),
    logged("at another event", { event_id: 6 }),
  ];
  const uuids = (list) => list.map((e) => e.uuid);
  assert.deepEqual(uuids(filedUnder(entries, 5, "2026-12-07")),
    ["at the quick event", "on a form kept before the quick event was made"]);
  assert.deepEqual(uuids(filedUnder(entries, 6, undefined)), ["at another event"]); // a planned event: its own only
  assert.deepEqual(uuids(filedUnder(entries, 7, "")), []);
});
