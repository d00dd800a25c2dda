// The offline queue (queue.js) for the pages' modules. queue.js itself stays a classic script because
// the service worker loads it with importScripts; importing it here runs it and names its functions.
import "./queue.js";

const queue = self.HallwayQueue;
export const { uuid4, add, remove, send, settle, syncAll, progressOf } = queue;

export const available = "indexedDB" in self;

// Every entry this account left on this phone, oldest first; none when storage is unavailable.
export function entriesOf(account) {
  if (!available || !account) return Promise.resolve([]);
  return queue.entries(account).catch(() => []);
}

export function waiting(entries) { return entries.filter((e) => e.state === "waiting"); }
export function refused(entries) { return entries.filter((e) => e.state === "refused"); }
// People the server has, kept on the phone only to say which voice note or photo it refused with them.
export function storedWithout(entries) { return entries.filter((e) => e.state === "stored"); }
export function notOnTheServer(entries) { return entries.filter((e) => e.state !== "stored"); }

// What the server did not keep with a stored person ("photo", "voice note and photo"), and why, in its words.
export function filesNotKept(entry) {
  const files = entry.not_kept || [];
  const kinds = new Set(files.map((f) => (f.kind === "voice" ? "voice note" : "photo")));
  return { what: [...kinds].join(" and "), why: [...new Set(files.map((f) => f.message))].join(" ") };
}

// The entries that go to an event: those logged there and, for a quick event (quickDay: its day), those logged on
// that day on a form that named no event, which the server files under the day's quick event.
export function filedUnder(entries, eventId, quickDay) {
  const noEventThatDay = (e) => e.event_id == null && Boolean(quickDay) && e.quick_day === quickDay;
  return entries.filter((e) => e.event_id === eventId || noEventThatDay(e));
}

// How many people the waiting entries add to their event's count: someone picked in "Already met?" who was
// already met at the event is not met again, and the same person picked twice is met once.
export function newHere(entries) {
  const picked = new Set();
  return waiting(entries).filter((e) => {
    const who = e.fields.same_as;
    if (!who) return true;
    if (e.met_here || picked.has(who)) return false;
    picked.add(who);
    return true;
  }).length;
}

// How a person logged on the phone is called in lists and messages.
// Someone picked in "Already met?" goes by the name they are known by, not the letters typed to find them.
export function label(entry) { return entry.known_as || entry.fields.name || entry.fields.description; }
