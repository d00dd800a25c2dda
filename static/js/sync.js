// Sending the people waiting on the phone: on load, when the signal comes back, and after the service
// worker's Background Sync; and showing what is still waiting (badge, progress, lists) after each try.
import { showBadge } from "./badge.js";
import { newestMet } from "./met-counts.js";
import { entriesOf, remove, syncAll, waiting } from "./offline-queue.js";
import { $, pageSettings } from "./page.js";
import { showProgress } from "./progress.js";
import { sawNoAnswer } from "./signal.js";

export function refresh() {
  return entriesOf(pageSettings().account).then((entries) => {
    showBadge(entries);
    showProgress(entries, (entry) => remove(entry.uuid).then(refresh));
    return entries;
  });
}

export function afterSync(result) {
  sawNoAnswer(result && result.retry && !result.sent && !navigator.onLine);
  // The reload below may come from the phone's copy (a weak signal): it counts those sent from here on.
  const { account } = pageSettings();
  for (const [eventId, p] of Object.entries((result && result.progress) || {})) {
    newestMet(account, Number(eventId), p.met, p.version);
  }
  refresh();
  // Sent entries are now in the server's page: show that rather than the phone's copy.
  if (result && result.sent && $("[data-waiting-list], [data-progress-for]") && !$("form[data-draft]")) {
    window.location.reload();
  }
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
