// The badge in the header: offline, how many people wait on this phone or were not saved, and how many voice
// notes and photos the server did not keep with people it saved.
import { $, plural } from "./page.js";
import { refused, storedWithout, waiting } from "./offline-queue.js";
import { hasSignal } from "./signal.js";

export function showBadge(entries) {
  const badge = $("[data-sync-status]");
  if (!badge) return;
  const parts = [];
  if (!hasSignal()) parts.push("Offline");
  if (waiting(entries).length) parts.push(waiting(entries).length + " waiting to sync");
  if (refused(entries).length) parts.push(refused(entries).length + " not saved");
  const files = storedWithout(entries).flatMap((e) => e.not_kept);
  if (files.length) parts.push(plural(files.length, "file", "files") + " not kept");
  badge.textContent = parts.join(" · ");
  badge.hidden = !parts.length;
  followHeaderHeight(badge.closest("header"));
}

// Shown, the strip makes the sticky header taller (more so where its words wrap): the page's scroll padding
// (app.css) takes the header's real height, so what Tab reaches is not scrolled under it.
let followed = null;
function followHeaderHeight(header) {
  if (!header || followed === header || typeof ResizeObserver === "undefined") return;
  followed = header;
  const root = document.documentElement;
  new ResizeObserver(() => root.style.setProperty("--header-height", header.offsetHeight + "px")).observe(header);
}
