// At the venue with no signal: the service worker, the offline badge and progress, and people logged on
// the phone sent exactly once when the signal is back. Pages with more to do load their own module after
// this one: draft-forms.js (drafts, logging offline), logout-warning.js (the profile's log out).
// Progressive enhancement: without these modules every form still posts to the server as usual.
import "./phone-zone.js"; // the server's "today" is the phone's, wherever it is
import { draftKey, forgetPostedDrafts } from "./drafts.js";
import { follow as followPeopleMet } from "./met-before-index.js";
import { noticeForNextPage, showNotice } from "./notice.js";
import { $, pageSettings } from "./page.js";
import { sawNoAnswer, servedFromPhone } from "./signal.js";
import { afterSync, startSync } from "./sync.js";
import { keepEventDayPages, startWorker } from "./worker.js";

const { account, serviceWorker, urls } = pageSettings();
startWorker(serviceWorker, afterSync);
if (!servedFromPhone()) {
  keepEventDayPages(Boolean(account));
  followPeopleMet(urls.metBefore); // "Already met?" with no signal knows whoever was logged with it
}

// The service worker sends the log form back here when its POST found no signal.
if (/[?&]no_signal=1/.test(location.search)) {
  sawNoAnswer(true);
  history.replaceState(null, "", location.pathname);
  noticeForNextPage("The server did not answer (no signal?). Your entry is still here: save it again to keep it " +
    "on this phone and send it when the signal is back.");
}
showNotice();
startSync();
// A draft whose form was posted the usual way ends on the next page: the save went through.
if (!$("form[data-draft]")) forgetPostedDrafts(account, draftKey(account, location.pathname));
