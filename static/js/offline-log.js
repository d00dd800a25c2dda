// Logging someone with no signal: the log form's values are kept on the phone (the offline queue)
// and sent when possible. With signal the form posts as usual (the server may ask "met before?").
import { askBackgroundSync } from "./worker.js";
import { clearDraft, formValues, postingForm, saveDraft } from "./drafts.js";
import { broken, rulesOf, showErrors } from "./form-errors.js";
import { noticeForNextPage } from "./notice.js";
import { newestMet } from "./met-counts.js";
import { add, filesNotKept, label, progressOf, remove, send, settle, uuid4 } from "./offline-queue.js";
import { $, $$ } from "./page.js";
import { hasSignal } from "./signal.js";
import { syncNow } from "./sync.js";

// The entry id makes "save" idempotent: the offline queue uses it too, so a save whose answer was lost
// and is then sent from the phone is stored once. A copy of the form the phone kept would repeat an old
// id, so a fresh one is made on every load; a restored draft brings back its own.
export function renewEntry(form) {
  const input = form.elements.namedItem("entry");
  if (input && input.hasAttribute("data-fresh-entry")) newEntry(form);
}

// A new entry id for the form, whoever made the one it has.
export function newEntry(form) {
  const input = form.elements.namedItem("entry");
  if (input) input.value = uuid4();
}

function entryId(form) {
  const input = form.elements.namedItem("entry");
  return input && /^[0-9a-f-]{36}$/i.test(input.value) ? input.value : uuid4();
}

// What the sync endpoint gets: the form's own fields, as typed (the entry id travels as the uuid).
function fieldsOf(values) {
  const fields = Object.assign({}, values);
  delete fields.entry;
  return fields;
}

function phoneDay() {
  const now = new Date();
  return [now.getFullYear(), now.getMonth() + 1, now.getDate()].map((n) => String(n).padStart(2, "0")).join("-");
}

// Why today's form (data-day) kept on the phone may name an event that is not the one running now: "day" (kept
// on another day of the phone's), "events" (kept before an event was planned, edited or deleted: the service
// worker marks that copy), or "" (it is today's, as it was made).
export function keptFromBefore(form) {
  if (!form.dataset.day) return "";
  if (form.dataset.day !== phoneDay()) return "day";
  return document.documentElement.hasAttribute("data-copy-out-of-date") ? "events" : "";
}

// Such a copy says why it cannot name the event, and a save with signal goes to "Met someone", which knows it.
export function sayWhereItGoes(form) {
  const why = keptFromBefore(form);
  if (!why) return;
  $$(".log-event").forEach((line) => { line.hidden = line.dataset.logEventLater !== why; });
  if (document.body.dataset.metUrl) form.action = document.body.dataset.metUrl;
}

// The event the entry belongs to. With none on the form, or a form kept from before, none is sent: the server
// files it under the event running when it was made, else that day's quick event (the phone's own date: a page
// kept from yesterday must not file today's people under yesterday).
function eventOf(form) {
  if (form.dataset.eventId && !keptFromBefore(form)) return { event_id: Number(form.dataset.eventId) };
  return { event_id: null, quick_day: phoneDay() };
}

// The voice note and the photo chosen in the form, kept on the phone with the entry (IndexedDB keeps files).
function attachmentsOf(form) {
  return $$("input[type=file][data-voice-input], input[type=file][data-photo-input]", form)
    .filter((input) => input.files && input.files.length)
    .map((input) => ({ uuid: uuid4(), kind: input.name, blob: input.files[0] }));
}

function describe(attachments) {
  const time = new Date().toTimeString().slice(0, 5);
  const names = attachments.map((a) => (a.kind === "voice" ? "voice note" : "photo")).join(" and ");
  return names.charAt(0).toUpperCase() + names.slice(1) + " at " + time;
}

export function logOffline(form, { account, urls, draft }) {
  const csrf = $("meta[name=csrf-token]");
  sayWhereItGoes(form);
  form.addEventListener("submit", (event) => {
    if (hasSignal()) {
      form.setAttribute("data-posted", "");
      postingForm();
      saveDraft(form, draft); // stays until the next page shows the save went through
      return;
    }
    event.preventDefault();
    const values = formValues(form);
    const attachments = attachmentsOf(form);
    if (attachments.length && !values.name && !values.description) {
      // As the server does: the voice note or the photo says who they were until a name is added.
      values.description = describe(attachments);
    }
    const errors = broken(rulesOf(form), values);
    if (Object.keys(errors).length) { showErrors(form, errors); return; }
    const entry = {
      uuid: entryId(form), account, ...eventOf(form),
      fields: fieldsOf(values), state: "waiting", created_at: new Date().toISOString(), attachments,
    };
    const pick = form.querySelector("input[name=same_as][data-kept]");
    if (pick && pick.value && pick.dataset.knownAs) {
      entry.known_as = pick.dataset.knownAs;
      if (pick.dataset.metHere) entry.met_here = true; // not counted again at this event while it waits
    }
    const button = $("button[type=submit]", form);
    if (button) button.disabled = true;
    // Where the person went is known once sent: a form kept from before leads home, not to its event.
    const eventUrl = keptFromBefore(form) ? $("header .brand").href : form.dataset.eventUrl;
    add(entry).then(() => {
      form.setAttribute("data-saved", "");
      clearDraft(draft);
      if (attachments.length) import("./capture.js").then((m) => m.forgetRecordings(entry.uuid)); // queued now
      if (!navigator.onLine) throw new Error("offline");
      return send(entry, urls.sync, csrf ? csrf.content : "", { announce: true, timeout: 8000 });
    }).then((answer) => {
      if (answer.status === 400 && answer.body.fields) {
        // Not stored: the form still holds everything, with the server's messages beside the fields.
        return remove(entry.uuid).then(() => {
          form.removeAttribute("data-saved");
          saveDraft(form, draft);
          showErrors(form, answer.body.fields, answer.body.error);
          if (button) button.disabled = false;
        });
      }
      const counted = progressOf(answer);
      if (counted) newestMet(account, counted.event_id, counted.met, counted.version);
      return settle(entry, answer, { url: urls.attachments, token: csrf ? csrf.content : "" }).then((outcome) => {
        if (outcome === "retry") {
          noticeForNextPage(label(entry) + " is saved on this phone and will be sent as soon as possible.");
          syncNow();
        } else if (outcome === "refused") {
          noticeForNextPage(label(entry) + " was not saved: " + entry.message);
        } else if (entry.not_kept) {
          const { what, why } = filesNotKept(entry);
          noticeForNextPage(label(entry) + " is saved without the " + what + ": " + why);
        }
        window.location.assign(eventUrl);
      });
    }).catch(() => {
      // No signal (or no answer): the entry waits on the phone, counted on the event's page.
      noticeForNextPage(label(entry) + " is saved on this phone. It will be sent when the signal is back.");
      askBackgroundSync();
      window.location.assign(eventUrl);
    });
  });
}
