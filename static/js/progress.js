// An event's progress counts people waiting on the phone at once, and lists them (marked "waiting to
// sync") above the people the server has. The rows are the server's own <template> markup.
import { forgetCounts, newestMet } from "./met-counts.js";
import { $, $$, fromTemplate, pageSettings, plural } from "./page.js";
import { filedUnder, label, newHere, refused, waiting } from "./offline-queue.js";

function showCount(box, entries, { account, version }) {
  const waitingHere = waiting(entries);
  const eventId = Number(box.dataset.progressFor); // none yet: the day's quick event, made by the first one sent
  const stored = eventId ? newestMet(account, eventId, Number(box.dataset.met), version) : 0;
  const met = stored + newHere(entries);
  if (!eventId) box.hidden = !met;
  const goal = Number(box.dataset.goal);
  const count = $(".topbar-count", box);
  if (count) count.textContent = met + "/" + goal;
  const big = $(".progress-count", box);
  if (big) big.textContent = met + " of " + goal;
  const bar = $("progress", box);
  if (bar) { bar.value = Math.min(met, goal); bar.setAttribute("aria-label", met + " of " + goal + " met"); }
  ($(".progress", box) || box).classList.toggle("reached", met >= goal); // fewer, once someone is deleted
  const words = $(".goal-reached", box);
  if (words) words.hidden = met < goal;
  const note = $("[data-waiting-note]", box);
  if (note) {
    note.textContent = waitingHere.length ? plural(waitingHere.length, "person", "people") + " waiting to sync" : "";
    note.hidden = !waitingHere.length;
  }
  return stored > Number(box.dataset.met); // a copy made before people were sent: counted, not listed
}

// One row from <template data-template="waiting-row"> or "refused-row"; parts with nothing to say go.
export function entryRow(entry, onDiscard) {
  const row = fromTemplate(entry.state === "refused" ? "refused-row" : "waiting-row");
  if (!row) return null;
  row.dataset.waitingUuid = entry.uuid;
  const fill = (selector, text) => {
    for (const el of $$(selector, row)) {
      if (text) el.textContent = text;
      else el.remove();
    }
  };
  fill(".person-name", label(entry));
  fill(".person-meta", [entry.fields.role, entry.fields.company].filter(Boolean).join(" · "));
  // A preview, as the server's lists show; a refused entry's row (data-whole) shows them all: the phone holds
  // their only copy, to be read or copied before it is discarded.
  const notes = entry.fields.notes || "";
  fill(".person-notes", $(".person-notes[data-whole]", row) ? notes : notes.slice(0, 90));
  fill("[data-entry-message]", entry.message);
  const discard = $("[data-discard]", row);
  if (discard) {
    discard.append(" " + label(entry)); // "Discard Ada": which one, for screen readers too
    discard.addEventListener("click", () => onDiscard(entry));
  }
  return row;
}

function fillList(list, entries, onDiscard) {
  list.replaceChildren(...entries.map((entry) => entryRow(entry, onDiscard)).filter(Boolean));
  list.hidden = !entries.length;
}

export function showProgress(entries, onDiscard) {
  const settings = pageSettings();
  if (!settings.account) forgetCounts();
  const sentSince = new Set();
  for (const box of $$("[data-progress-for]")) {
    const eventId = Number(box.dataset.progressFor);
    if (showCount(box, filedUnder(entries, eventId, box.dataset.quickDay), settings)) sentSince.add(eventId);
  }
  for (const list of $$("[data-waiting-list]")) {
    const eventId = Number(list.dataset.waitingList);
    const here = filedUnder(entries, eventId, list.dataset.quickDay);
    fillList(list, here.slice().reverse(), onDiscard); // newest first, as the server lists them
    const sent = $(`[data-sent-since="${eventId}"]`);
    if (sent) sent.hidden = !sentSince.has(eventId);
    const nobody = $("[data-nobody-yet]");
    if (nobody && (here.length || sentSince.has(eventId))) nobody.hidden = true;
  }
  // Entries the server refused, whatever their event (it may be gone): shown where they can be dealt with.
  for (const list of $$("[data-refused-list]")) fillList(list, refused(entries), onDiscard);
}
