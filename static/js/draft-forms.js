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
  // This form's last post was saved: what the browser puts back into it (Back, a restored tab) is the last person's.
  const saved = savedByServer(form);
  if (draft && draft.posted && saved) {
    // Saved, though the page after it was left before it could end the draft: this form starts empty, not
    // with the last person's typing (and their entry id, which would make the next save a repeat of it).
    clearDraft(key);
    postingForm();
    draft = null;
  }
  const asServed = formValues(form);
  const broughtBack = Boolean(draft && !$(".error-summary", form) && !sameTyping(draft.values, asServed));
  if (broughtBack) {
    fillForm(form, draft.values);
    openFilledDetails(form);
    const note = fromTemplate("draft-note");
    if (note) {
      $("[data-discard-draft]", note).addEventListener("click", () => {
        clearDraft(key);
        startAfresh(form, asServed);
        note.remove();
      });
      form.prepend(note);
    }
  }
  // Only the user's own typing is a draft (and what the page's scripts fill in for them, which says so with an
  // input event), never what the browser put back into the form by itself.
  let typed = false;
  const save = () => { typed = true; saveDraft(form, key); };
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden" && typed) saveDraft(form, key);
  });
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) {
      // The browser puts the fields back once the page has loaded, after this script ran: undone here.
      if (saved && !broughtBack && !typed) startAfresh(form, asServed);
      return;
    }
    // Back to this page as it was left, from the browser's page cache: after a save it holds the last person.
    if (!form.hasAttribute("data-posted") && !form.hasAttribute("data-saved")) return;
    const left = readDraft(key);
    if (left && !(left.posted && savedByServer(form))) return; // not known to be saved: it stays as typed
    if (left) clearDraft(key);
    startAfresh(form, asServed);
    typed = false;
  });
}

// The form as the page came, with an entry id of its own: the last one (a person perhaps saved already) would make
// the next person a repeat of them, and the server would keep only the first.
function startAfresh(form, asServed) {
  form.reset();
  fillForm(form, asServed);
  newEntry(form);
  form.removeAttribute("data-posted");
  form.removeAttribute("data-saved");
  const button = $("button[type=submit]", form);
  if (button) button.disabled = false;
  const note = $(".draft-note", form);
  if (note) note.remove();
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
