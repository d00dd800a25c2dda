// The index of people already met, kept on the phone (IndexedDB) so "Already met?" answers with no signal.
// Asked first by the log form or the People page (met-before.js), then kept in step with the account while
// there is signal: every page the server makes says the account's version (<body data-version>), and a page
// newer than the index asks for it again (offline.js), once per change rather than on every page: the index
// is up to 300 KB for 5,000 people. Forgotten after logout.
import { pageSettings } from "./page.js";

const DB_NAME = "hallway-met-before";
const STORE = "index";
// Asked again after this long whatever the versions say: a copy kept on the phone says an old version.
const FRESH_MS = 60 * 60 * 1000;

function request(r) {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function open() {
  const opening = indexedDB.open(DB_NAME, 1);
  opening.onupgradeneeded = () => opening.result.createObjectStore(STORE);
  return request(opening);
}

async function read() {
  const db = await open();
  try {
    return await request(db.transaction(STORE).objectStore(STORE).get("kept"));
  } finally {
    db.close();
  }
}

async function write(value) {
  const db = await open();
  try {
    const done = new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, "readwrite");
      tx.objectStore(STORE).put(value, "kept");
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    await done;
  } finally {
    db.close();
  }
}

export function forget() {
  return request(indexedDB.deleteDatabase(DB_NAME)).catch(() => {});
}

// Whether the kept index (or none) is older than what this page shows of the account.
export function behind(saved, version, now = Date.now()) {
  if (!saved || now - saved.fetched >= FRESH_MS) return true;
  return version != null && !(saved.version >= version);
}

let asking = null;

// The index from the server, kept with the account's version the page says (the index is at least as new).
function fetchIndex(url, account, version) {
  asking = asking || (async () => {
    try {
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!response.ok || !response.headers.get("content-type").startsWith("application/json")) return null;
      const saved = { account, version, fetched: Date.now(), index: await response.json() };
      await write(saved);
      return saved;
    } catch {
      return null; // no signal: the kept copy answers
    } finally {
      asking = null;
    }
  })();
  return asking;
}

async function keptFor(account) {
  const saved = await read().catch(() => null);
  return saved && saved.account === account ? saved : null; // another account's: never shown
}

// The kept index for this account (or null), asked again first when online and behind this page.
export async function kept(url) {
  const { account, version } = pageSettings();
  let saved = await keptFor(account);
  if (behind(saved, version) && navigator.onLine !== false) saved = (await fetchIndex(url, account, version)) || saved;
  return saved ? saved.index : null;
}

// On a page the server just made: an index this phone keeps is asked again when the account changed since
// (someone was logged, renamed or deleted), after the page has loaded. A phone that never asked keeps none.
export function follow(url) {
  const { account, version } = pageSettings();
  if (!account || !url || !window.indexedDB) return;
  const check = async () => {
    const saved = await keptFor(account);
    if (saved && behind(saved, version) && navigator.onLine) fetchIndex(url, account, version);
  };
  if (document.readyState === "complete") check();
  else window.addEventListener("load", check, { once: true });
}
