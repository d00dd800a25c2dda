// The service worker: installed from every page, told which event-day pages to keep on the phone
// (or to forget them all when nobody is logged in), and asked to send waiting people by Background Sync.
import { $$ } from "./page.js";
import { servedFromPhone } from "./signal.js";

const supported = "serviceWorker" in navigator;
let leaving = false; // a navigation to another page has started

function tell(message) {
  if (!supported) return;
  navigator.serviceWorker.ready.then((registration) => {
    if (registration.active) registration.active.postMessage(message);
  });
}

// onSynced(result) runs when the worker has sent waiting people in the background.
export function startWorker(url, onSynced) {
  if (!supported) return;
  navigator.serviceWorker.register(url).catch(() => {
    /* no worker (private mode, http on a LAN): the app still works online */
  });
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data && event.data.type === "synced") onSynced(event.data.result);
    // The card shown from the phone's copy, and a newer one (a LinkedIn changed on another device) just arrived:
    // shown instead, unless the user is already on their way to another page.
    if (event.data && event.data.type === "newer-copy" && servedFromPhone() && !leaving) location.reload();
  });
  addEventListener("beforeunload", () => { leaving = true; });
  addEventListener("pageshow", () => { leaving = false; }); // back from the browser's page cache
}

// Home, today's event, "Met someone" and the card: kept on the phone even before they are opened. So is
// /met, where what is shared with the app lands (the manifest's share_target), with or without an event today.
// Logged out, no page of the last account may open from this phone's cache.
export function keepEventDayPages(loggedIn) {
  if (!loggedIn) { tell({ type: "forget" }); return; }
  const urls = $$(".tabbar a, .topbar a, .big-actions a, .tonight h1 a").map((a) => a.href);
  if (document.body.dataset.metUrl) urls.push(new URL(document.body.dataset.metUrl, location.href).href);
  // The account's version this page shows: a kept card older than it is fetched again (sw.js).
  tell({ type: "keep", urls, version: document.body.dataset.version });
}

export function askBackgroundSync() {
  if (!supported) return;
  navigator.serviceWorker.ready
    .then((registration) => registration.sync && registration.sync.register("hallway-meetings"))
    .catch(() => { /* the next page load or "online" sends it instead */ });
}
