// How many people the account has met at an event, as newest known on this phone. A page's count is as
// new as the account's version when the server made it (<body data-version>); "Met someone" opens from
// the phone's copy at once, made before the last save, so the newest count seen on any page wins.
const KEY = "hallway:met-counts";
const KEEP = 20; // events: more than a conference week

function read(storage) {
  try { return JSON.parse(storage.getItem(KEY)) || null; } catch { return null; }
}

function write(storage, value) {
  try { storage.setItem(KEY, JSON.stringify(value)); } catch { /* no storage: each page shows its own count */ }
}

// The count of people met at eventId to show: this page's (met, made at version) or, when another page made
// since counted differently, that one. Counts are kept for one account, the one logged in.
export function newestMet(account, eventId, met, version, storage = globalThis.localStorage) {
  if (!account || !Number.isInteger(version) || !storage) return met;
  const known = read(storage);
  const counts = known && known.account === account ? known.counts : {};
  const seen = counts[eventId];
  if (seen && seen.version > version) return seen.met;
  if (!seen || seen.version < version || seen.met !== met) {
    counts[eventId] = { met, version };
    const newest = Object.entries(counts).sort((a, b) => b[1].version - a[1].version).slice(0, KEEP);
    write(storage, { account, counts: Object.fromEntries(newest) });
  }
  return met;
}

// Logged out: the next account on this phone starts afresh.
export function forgetCounts(storage = globalThis.localStorage) {
  try { if (storage) storage.removeItem(KEY); } catch { /* nothing kept */ }
}
