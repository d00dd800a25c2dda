// The badge in the header: offline, and how many people wait on this phone or were not saved.
import { $ } from "./page.js";
import { refused, waiting } from "./offline-queue.js";
import { hasSignal } from "./signal.js";

export function showBadge(entries) {
  const badge = $("[data-sync-status]");
  if (!badge) return;
  const parts = [];
  if (!hasSignal()) parts.push("Offline");
  if (waiting(entries).length) parts.push(waiting(entries).length + " waiting to sync");
  if (refused(entries).length) parts.push(refused(entries).length + " not saved");
  badge.textContent = parts.join(" · ");
  badge.hidden = !parts.length;
}
