// Hallway's service worker: the app shell from the cache, the event-day pages network first with the
// last good copy kept for when there is no signal, and Background Sync for people logged offline.
// Served as /sw.js so it controls the whole app. The server writes RELEASE above this file: this
// release's content-hashed URLs ({shell: [url], urls: {"js/queue.js": url}}). A new release
// changes those bytes, so the browser installs a new worker, which fetches only the files that changed.
/* global HallwayQueue, RELEASE */
importScripts(RELEASE.urls["js/queue.js"]);

// The layout of the caches below: change it only when that layout changes, never for a new release.
const CACHE_VERSION = "hallway-v3";
const SHELL_CACHE = CACHE_VERSION + "-shell";
const PAGES_CACHE = CACHE_VERSION + "-pages";
const OFFLINE_PAGE = "/offline";
const MANIFEST = "/manifest.webmanifest";
// Not content-hashed, so fetched again by every new worker.
const CHECKED = [OFFLINE_PAGE, MANIFEST];
const SHELL = CHECKED.concat(RELEASE.shell);
const HASHED = new Set(Object.values(RELEASE.urls));
const STATIC = "/static/";
// The pages a person needs at the event: home, an event, "Met someone", and the card.
// "/met" is the log form with no event today: what it logs goes to the day's quick event.
const LOG_FORM = /^\/events\/\d+\/people\/new$|^\/met$/;
const KEPT_PAGES = [/^\/$/, /^\/card$/, /^\/events\/\d+$/, /^\/events\/\d+\/people\/new$/, /^\/met$/];
// These open from the saved copy at once (and are refreshed behind it): the card is shown to someone
// waiting, and "Met someone" is tapped while the conversation is still fresh.
const INSTANT_PAGES = [/^\/card$/, LOG_FORM];
// Logging in or out changes whose pages these are: forget them all. A new password set from a reset link logs
// in too, maybe another account than the one whose pages the phone holds.
const ACCOUNT_CHANGES = /^\/(?:login|logout|signup)$|^\/account\/reset\//;
// A new profile is a new card: the saved one must not open instead.
const CARD_CHANGES = ["/profile"];
// Planning, editing, merging or deleting events (or importing them) changes which event "Met someone" logs into:
// once the server saved it, the kept log forms are out of date, and no longer open at once nor decide the event.
const EVENT_CHANGES = /^\/events\/(new|\d+\/(edit|delete|merge))$|^\/import\/(calendar\/add|backup)$/;
// Headers of a kept copy: when it was kept, the account's version it shows, and that events changed since.
const KEPT_AT = "X-Hallway-Kept-At";
const KEPT_VERSION = "X-Hallway-Kept-Version";
// On the worker's own fetch of a page to keep (webapp/web.py KEPT_COPY_HEADER).
const KEPT_COPY = "X-Hallway-Kept-Copy";
const OUT_OF_DATE = "X-Hallway-Out-Of-Date";
// The server's header on "Met someone" with no event today: the first person saved makes the day's quick event.
const MAKES_EVENT = "X-Hallway-Makes-Event";
const MET_SOMEONE = "/met";
// An instant page is fetched again by a page opened with signal once its copy is this old: a copy from
// yesterday, or from before a change made on another device, must not last, and a venue's weak signal must not
// carry the card and the log forms again with every page (a change made on this phone marks them at once).
const FRESH_MS = 5 * 60 * 1000;
// Every page says the account's version it was made at (<body data-version>, webapp/kept.py). A page seen with a
// newer one than the card's copy means the account changed, here or on another device (a new LinkedIn): that copy
// is fetched again at once, is not opened at once meanwhile, and a card shown from it replaces itself with the
// new one when it arrives. (A log form opens at once whatever changed: it counts what was saved since itself, and
// says when it was kept before a change to events.)
const VERSION = /<body\b[^>]*\sdata-version="(\d+)"/;
const FOLLOWS_THE_VERSION = /^\/card$/;
const NETWORK_WAIT_MS = 4000;
const SYNC_TAG = "hallway-meetings";
const SYNC_URLS = { session: "/sync/session", sync: "/sync/meetings", attachments: "/sync/attachments" };

let forgetting = Promise.resolve();
// The newest version of the account this worker has seen on a page (0: none since it started).
let newestVersion = 0;
// One round of keeping at a time: two pages opened in a row must not download the same page twice.
let keeping = Promise.resolve();

function kept(path) {
  return KEPT_PAGES.some((pattern) => pattern.test(path));
}

// A hashed file already kept never changes: only what this release changed is downloaded.
async function fillShell() {
  const cache = await caches.open(SHELL_CACHE);
  const have = new Set((await cache.keys()).map((request) => new URL(request.url).pathname));
  const missing = SHELL.filter((url) => CHECKED.includes(url) || !have.has(url));
  await cache.addAll(missing.map((url) => new Request(url, {
    cache: "reload",
    // The offline page is the same for everyone: fetched without the session, it holds nobody's data.
    credentials: url === OFFLINE_PAGE ? "omit" : "same-origin",
  })));
}

self.addEventListener("install", (event) => {
  event.waitUntil(fillShell().then(() => self.skipWaiting()));
});

// Older caches go, and so do the files of older releases.
async function dropOldFiles() {
  const names = await caches.keys();
  await Promise.all(names.filter((n) => !n.startsWith(CACHE_VERSION + "-")).map((n) => caches.delete(n)));
  const cache = await caches.open(SHELL_CACHE);
  const current = new Set(SHELL);
  const old = (await cache.keys()).filter((request) => !current.has(new URL(request.url).pathname));
  await Promise.all(old.map((request) => cache.delete(request)));
}

self.addEventListener("activate", (event) => {
  event.waitUntil(dropOldFiles().then(() => self.clients.claim()));
});

// Every kept page, or only the one at path.
function forgetPages(path) {
  if (!path) newestVersion = 0; // another account's versions are counted apart
  const before = forgetting;
  forgetting = before.then(() => (path ? caches.open(PAGES_CACHE).then((c) => c.delete(path)) : caches.delete(PAGES_CACHE)));
  return forgetting;
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "forget") event.waitUntil(forgetPages());
  if (data.type === "keep") {
    sawVersion(Number(data.version) || 0);
    keeping = keeping.then(() => keepPages(data.urls || [])).catch(() => undefined);
    event.waitUntil(keeping);
  }
});

function instant(path) {
  return INSTANT_PAGES.some((pattern) => pattern.test(path));
}

function sawVersion(version) {
  newestVersion = Math.max(newestVersion, version);
}

function versionOf(copy) {
  return Number(copy.headers.get(KEPT_VERSION)) || 0;
}

// A page's copy, with when it was kept and the account's version it shows (a copy's own headers say nothing the
// page could be asked for); the copy is returned as kept.
async function keepCopy(cache, path, response) {
  const html = await response.text();
  const version = Number((VERSION.exec(html) || [])[1]) || 0;
  sawVersion(version);
  const headers = new Headers(response.headers);
  headers.set(KEPT_AT, String(Date.now()));
  headers.set(KEPT_VERSION, String(version));
  const copy = new Response(html, { status: response.status, headers });
  await cache.put(path, copy.clone());
  return copy;
}

// Neither marked out of date nor, for the card, older than a page seen since.
function upToDate(copy, path) {
  if (!copy || copy.headers.has(OUT_OF_DATE)) return false;
  return !FOLLOWS_THE_VERSION.test(path) || versionOf(copy) >= newestVersion;
}

// Fetch the event-day pages the user has not opened yet, so they open with no signal too; and the instant
// pages again, as they open from their copy.
async function keepPages(urls) {
  await forgetting;
  const cache = await caches.open(PAGES_CACHE);
  for (const href of urls) {
    const url = new URL(href, self.location.origin);
    if (url.origin !== self.location.origin || !kept(url.pathname)) continue;
    const copy = await cache.match(url.pathname);
    if (copy && !instant(url.pathname)) continue;
    if (upToDate(copy, url.pathname) && Date.now() - Number(copy.headers.get(KEPT_AT) || 0) < FRESH_MS) continue;
    try {
      // Marked as a copy: the server leaves a message just flashed for the page the user opens next.
      const response = await fetch(url.pathname, {
        credentials: "same-origin", redirect: "manual", headers: { [KEPT_COPY]: "1" },
      });
      if (response.status === 200 && response.type === "basic") await keepCopy(cache, url.pathname, response);
    } catch (e) {
      return; // no signal: try again on the next page
    }
  }
}

// After a change to events, every kept log form is marked (kept for no signal, never opened at once).
async function logFormsOutOfDate() {
  await forgetting;
  const cache = await caches.open(PAGES_CACHE);
  for (const request of await cache.keys()) {
    if (!LOG_FORM.test(new URL(request.url).pathname)) continue;
    const copy = await cache.match(request);
    if (!copy) continue;
    const headers = new Headers(copy.headers);
    headers.set(OUT_OF_DATE, "1");
    await cache.put(request, new Response(await copy.blob(), { status: copy.status, headers }));
  }
}

// A person saved while the kept "Met someone" names no event: the day's quick event exists now, so that copy is out
// of date (and, as with a change to events, fetched again by the next page opened with signal).
async function quickEventMade() {
  await forgetting;
  const copy = await caches.open(PAGES_CACHE).then((cache) => cache.match(MET_SOMEONE));
  if (copy && copy.headers.has(MAKES_EVENT)) await logFormsOutOfDate();
}

// The page a log form was posted from, where its draft is kept: "Met someone" (/met) posts to its event's form.
function formPage(request, action) {
  const from = request.referrer ? new URL(request.referrer) : null;
  const own = from && from.origin === self.location.origin && LOG_FORM.test(from.pathname);
  return own ? from.pathname : action.pathname;
}

// A form the server saved answers with a redirect (post, redirect, get); one it refused comes back as a page.
function savedBy(response) {
  return response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method !== "GET") {
    // POSTs always go to the server, and their answers are never kept.
    if (ACCOUNT_CHANGES.test(url.pathname)) event.waitUntil(forgetPages());
    if (CARD_CHANGES.includes(url.pathname)) event.waitUntil(forgetPages("/card"));
    if (request.mode === "navigate" && EVENT_CHANGES.test(url.pathname)) {
      // Marked before the browser follows the redirect: the next tap on "Met someone" must not get the old copy.
      event.respondWith(fetch(request).then(async (response) => {
        if (savedBy(response)) await logFormsOutOfDate().catch(() => undefined);
        return response;
      }).catch(offlinePage));
    } else if (request.mode === "navigate" && LOG_FORM.test(url.pathname)) {
      // No signal after all: back to the form (kept, with its draft), which then saves on the phone.
      event.respondWith(fetch(request).then(async (response) => {
        if (savedBy(response)) await quickEventMade().catch(() => undefined);
        return response;
      }, () => Response.redirect(formPage(request, url) + "?no_signal=1", 303)));
    } else if (request.mode === "navigate") {
      // Any other form (an edit, a delete): the app's own "No signal" page, which says it was not sent, not
      // the browser's error page. The form's draft stays on the phone.
      event.respondWith(fetch(request).catch(offlinePage));
    }
    return;
  }
  if (url.pathname.startsWith(STATIC) || url.pathname === MANIFEST) {
    event.respondWith(asset(event, url));
  } else if (request.mode === "navigate") {
    event.respondWith(page(event, url));
  }
});

// This release's copy of a file a page of an older release asks for ("css/app.1a2b3c4d5e6f.css").
function currentCopy(pathname) {
  const name = pathname.slice(STATIC.length).replace(/\.[0-9a-f]{12}(\.[^./]+)?$/, "$1");
  return RELEASE.urls[name];
}

// Static files: a hashed one from the cache, never asked again (its content cannot change); the others
// from the cache at once and refreshed in the background for the next load.
async function asset(event, url) {
  const cache = await caches.open(SHELL_CACHE);
  const cached = await cache.match(event.request);
  if (cached && HASHED.has(url.pathname)) return cached;
  const network = fetch(event.request).then((response) => {
    if (response.ok) return cache.put(event.request, response.clone()).then(() => response);
    return response;
  });
  if (cached) {
    event.waitUntil(network.catch(() => undefined));
    return cached;
  }
  // A page kept from an older release, opened with no signal (or after the server dropped that
  // file): this release's version of the same file is better than none.
  const fallback = () => {
    const current = url.pathname.startsWith(STATIC) && currentCopy(url.pathname);
    return current ? cache.match(current) : undefined;
  };
  try {
    const response = await network;
    return response.ok ? response : (await fallback()) || response;
  } catch (e) {
    const copy = await fallback();
    if (copy) return copy;
    throw e;
  }
}

// The saved copy says so, for the page's "Offline" badge ("instant": shown before the network was asked), and
// whether events changed since it was kept (static/js/offline-log.js then sends no event with what it logs).
async function savedCopy(response, how) {
  const html = await response.text();
  const headers = new Headers(response.headers);
  headers.delete("Content-Length");
  const outOfDate = response.headers.has(OUT_OF_DATE) ? " data-copy-out-of-date" : "";
  const marked = html
    .replace("<html lang=\"en\">", `<html lang="en" data-saved-copy="${how || "offline"}"${outOfDate}>`)
    .replace(/<div class="flashes"[\s\S]*?<\/div>/, ""); // "Profile saved." was news when the copy was made
  return new Response(marked, { status: 200, headers: headers });
}

async function offlinePage() {
  const cached = await caches.match(OFFLINE_PAGE, { cacheName: SHELL_CACHE });
  return cached ? savedCopy(cached) : Response.error();
}

// Pages: the network first; the last good copy when there is no answer in a few seconds.
async function page(event, url) {
  const key = url.pathname;
  if (!kept(key)) return fetch(event.request).catch(offlinePage);
  let shown = null; // the copy shown at once, if one was
  const network = fetch(event.request).then(async (response) => {
    await forgetting;
    const cache = await caches.open(PAGES_CACHE);
    if (response.status === 200 && response.type === "basic") {
      const fresh = await keepCopy(cache, key, response.clone());
      if (shown && FOLLOWS_THE_VERSION.test(key) && versionOf(fresh) > versionOf(shown)) {
        const client = await self.clients.get(event.resultingClientId);
        if (client) client.postMessage({ type: "newer-copy" });
      }
    } else if (response.type === "opaqueredirect" || [401, 403, 404, 410].includes(response.status)) {
      await cache.delete(key); // logged out, or gone: the old copy must not come back
    }
    return response;
  });
  event.waitUntil(network.catch(() => undefined));
  const cached = caches.open(PAGES_CACHE).then((cache) => cache.match(key));
  if (instant(key)) {
    await forgetting;
    const copy = await caches.open(PAGES_CACHE).then((cache) => cache.match(key));
    if (upToDate(copy, key)) {
      shown = copy;
      return savedCopy(copy, "instant");
    }
  }
  const slow = new Promise((resolve) => setTimeout(resolve, NETWORK_WAIT_MS, "slow"));
  const first = await Promise.race([network.catch(() => "failed"), slow]);
  if (first !== "failed" && first !== "slow") return first;
  const copy = await cached;
  if (copy) return savedCopy(copy);
  return network.catch(offlinePage);
}

self.addEventListener("sync", (event) => {
  if (event.tag !== SYNC_TAG) return;
  event.waitUntil(HallwayQueue.syncAll(SYNC_URLS).then(async (result) => {
    const pages = await self.clients.matchAll({ type: "window" });
    pages.forEach((client) => client.postMessage({ type: "synced", result: result }));
    if (result.retry) throw new Error("Not everything could be sent yet; the browser will try again.");
  }));
});
