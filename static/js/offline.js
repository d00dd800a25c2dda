// At the venue with no signal: the service worker, the offline badge and progress, people logged on the
// phone and sent later exactly once, drafts that survive a reload, and a warning before logging out.
// Progressive enhancement: without these modules every form still posts to the server as usual.
import { draftKey, forgetPostedDrafts, keepDrafts, saveDraft } from "./drafts.js";
import { logOffline, renewEntry } from "./offline-log.js";
import { warnBeforeLogout } from "./logout-warning.js";
import { noticeForNextPage, showNotice } from "./notice.js";
import { available as queueAvailable } from "./offline-queue.js";
import { $, $$, pageSettings } from "./page.js";
import { sawNoAnswer, servedFromPhone } from "./signal.js";
import { startSync } from "./sync.js";
import { keepEventDayPages, startWorker } from "./worker.js";

const settings = pageSettings();
const { account } = settings;
let sync = null;
startWorker(settings.serviceWorker, (result) => sync && sync.afterSync(result));
if (!servedFromPhone()) keepEventDayPages(Boolean(account));

// The service worker sends the log form back here when its POST found no signal.
if (/[?&]no_signal=1/.test(location.search)) {
  sawNoAnswer(true);
  history.replaceState(null, "", location.pathname);
  noticeForNextPage("The server did not answer (no signal?). Your entry is still here: save it again to keep it " +
    "on this phone and send it when the signal is back.");
}
showNotice();

sync = startSync(settings);
const draft = draftKey(account, location.pathname);
if (!$("form[data-draft]")) forgetPostedDrafts(account, draft);
for (const form of $$("form[data-draft]")) {
  renewEntry(form);
  keepDrafts(form, draft);
  if (queueAvailable && account && form.hasAttribute("data-offline-log")) {
    logOffline(form, { account, urls: settings.urls, draft, syncNow: sync.syncNow });
  } else {
    form.addEventListener("submit", () => { form.setAttribute("data-posted", ""); saveDraft(form, draft); });
  }
}
if (queueAvailable && account) $$("form[action$='/logout']").forEach((form) => warnBeforeLogout(form, account));
