// Sending the people waiting on the phone: on load, when the signal comes back, and after the service
// worker's Background Sync; and showing what is still waiting (badge, progress, lists) after each try.
import { showBadge } from "./badge.js";
import { newestMet } from "./met-counts.js";
import { showNow } from "./notice.js";
import { entriesOf, notOnTheServer, remove, storedWithout, syncAll, waiting } from "./offline-queue.js";
import { $, pageSettings } from "./page.js";
import { showProgress } from "./progress.js";
import { sawAnswer, sawNoAnswer } from "./signal.js";

// Every person this page has shown as waiting on the phone. When one of them is no longer on the phone, the
// server has it (this page sent it, or another tab, or the service worker did): the server's page shows it.
const shownWaiting = new Set();

export function refresh() {
  return entriesOf(pageSettings().account).then((all) => {
    const entries = notOnTheServer(all); // not those kept only to say a file of theirs was not kept
    const onPhone = new Set(entries.map((e) => e.uuid));
    const sent = [...shownWaiting].some((uuid) => !onPhone.has(uuid));
    // One refused by the server stays on the phone until discarded: its leaving says nothing was sent.
    entries.forEach((e) => (e.state === "waiting" ? shownWaiting.add(e.uuid) : shownWaiting.delete(e.uuid)));
    const forget = (entry) => remove(entry.uuid).then(refresh);
    showBadge(all);
    showProgress(entries, forget);
    // Rare (a file the server refused): its rows' code is fetched only when there is one to show, or to take away.
    if (storedWithout(all).length || $("[data-not-kept-list]:not([hidden])")) {
      import("./not-kept.js").then((m) => m.showNotKept(all, forget));
    }
    if (sent && $("[data-waiting-list], [data-progress-for]") && !$("form[data-draft]")) {
      shownWaiting.clear();
      window.location.reload();
    }
    return entries;
  });
}

// People wait on the phone though it is online: the server may be saying that nobody is logged in (this phone
// logged out from another device's list, or "log out everywhere", while there was no signal). The signal is back
// then, and the page says so, in the server's words, in place of "it will be sent when the signal is back".
function askWhyNotSent({ session }) {
  return fetch(session, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
    .then((response) => {
      if (response.status !== 401) return null;
      sawAnswer();
      return response.json().then((body) => showNow(body.error), () => null);
    })
    .catch(() => null); // no answer after all: still offline
}

export function afterSync(result) {
  sawNoAnswer(result && result.retry && !result.sent && !navigator.onLine);
  if (result && result.retry && result.waiting && navigator.onLine) {
    askWhyNotSent(pageSettings().urls).then(refresh);
  }
  // A reload (in refresh) may come from the phone's copy (a weak signal): it counts those sent from here on.
  const { account } = pageSettings();
  for (const [eventId, p] of Object.entries((result && result.progress) || {})) {
    newestMet(account, Number(eventId), p.met, p.version);
  }
  refresh();
}

export function syncNow() {
  const { account, urls } = pageSettings();
  if (!account || !navigator.onLine) return Promise.resolve(null);
  return syncAll(urls).then((result) => {
    afterSync(result);
    return result;
  });
}

// Once per page, from offline.js.
export function startSync() {
  window.addEventListener("online", () => { sawNoAnswer(false); refresh(); syncNow(); });
  window.addEventListener("offline", refresh);
  refresh().then((entries) => { if (waiting(entries).length) syncNow(); });
}
