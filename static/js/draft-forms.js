// A note being typed is never lost: each form marked data-draft keeps a draft on the phone as you type,
// brought back after a reload or a killed tab until it is saved or discarded. The log form also saves on
// the phone when there is no signal. Loaded by the pages that have such a form, after offline.js.
import {
  clearDraft, draftKey, fillForm, formValues, keepEarlierDraft, postingForm, readDraft, sameTyping, saveDraft,
  savedByServer,
} from "./drafts.js";
import { logOffline, newEntry, renewEntry } from "./offline-log.js";
import { available as queueAvailable } from "./offline-queue.js";
import { $, $$, fromTemplate, pageSettings } from "./page.js";

const settings = pageSettings();
const key = draftKey(settings.account, location.pathname);
if (settings.account) keepEarlierDraft(settings.account, location.pathname);
for (const form of $$("form[data-draft]")) {
  renewEntry(form);
  keepDrafts(form, key);
  if (queueAvailable && settings.account && form.hasAttribute("data-offline-log")) {
    logOffline(form, { account: settings.account, urls: settings.urls, draft: key });
  } else {
    form.addEventListener("submit", () => {
      form.setAttribute("data-posted", "");
      postingForm();
      saveDraft(form, key);
    });
  }
}

// Bring back a draft that differs from what the server filled in (unless the server is showing errors,
// which means the form already holds what was posted), with a note offering to discard it.
function keepDrafts(form, key) {
  let draft = readDraft(key);
  if (draft && draft.posted && savedByServer(form)) {
    // Saved, though the page after it was left before it could end the draft: this form starts empty, not
    // with the last person's typing (and their entry id, which would make the next save a repeat of it).
    clearDraft(key);
    postingForm();
    draft = null;
  }
  if (draft && !$(".error-summary", form) && !sameTyping(draft.values, formValues(form))) {
    const asServed = formValues(form);
    fillForm(form, draft.values);
    openFilledDetails(form);
    const note = fromTemplate("draft-note");
    if (note) {
      $("[data-discard-draft]", note).addEventListener("click", () => {
        clearDraft(key);
        form.reset();
        // The form as the page came, with an entry id of its own: the draft's (a person perhaps saved already)
        // would make the next person a repeat of them, and the server would keep only the first.
        fillForm(form, asServed);
        newEntry(form);
        note.remove();
      });
      form.prepend(note);
    }
  }
  const save = () => saveDraft(form, key);
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") save();
  });
}

function filled(el) {
  return el.type === "checkbox" || el.type === "radio" ? el.checked : Boolean(el.value && el.type !== "hidden");
}

// A folded <details> that holds part of a restored draft opens, so nothing filled in is hidden.
function openFilledDetails(form) {
  for (const details of form.querySelectorAll("details")) {
    if ([...details.querySelectorAll("input, textarea, select")].some(filled)) details.open = true;
  }
}
