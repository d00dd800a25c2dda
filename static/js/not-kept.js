// People the server saved without a voice note or a photo it refused (not a photo it can read, too big): one row
// each, from <template data-template="not-kept-row">, naming them and the server's reason, with a way to their
// page to add another, until dismissed.
import { filesNotKept, label, storedWithout } from "./offline-queue.js";
import { $, $$, fromTemplate } from "./page.js";

function notKeptRow(entry, onDismiss) {
  const row = fromTemplate("not-kept-row");
  if (!row) return null;
  const { what, why } = filesNotKept(entry);
  $(".person-name", row).textContent = label(entry);
  $("[data-not-kept-what]", row).textContent = what.charAt(0).toUpperCase() + what.slice(1) + " not kept";
  $("[data-entry-message]", row).textContent = why;
  const page = $("[data-add-another]", row);
  if (entry.person_url) page.href = entry.person_url + "#attachments";
  else page.remove();
  const dismiss = $("[data-dismiss]", row);
  dismiss.append(" " + label(entry)); // "Dismiss Ada": which one, for screen readers too
  dismiss.addEventListener("click", () => onDismiss(entry));
  return row;
}

export function showNotKept(entries, onDismiss) {
  const stored = storedWithout(entries);
  for (const list of $$("[data-not-kept-list]")) {
    list.replaceChildren(...stored.map((entry) => notKeptRow(entry, onDismiss)).filter(Boolean));
    list.hidden = !stored.length;
  }
}
