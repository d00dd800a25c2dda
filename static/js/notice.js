// A message for the next page ("saved on this phone...") or for this one, shown like the server's own flashes.
import { $, fromTemplate } from "./page.js";

const KEY = "hallway:notice";

export function noticeForNextPage(text) {
  try { sessionStorage.setItem(KEY, text); } catch { /* shown nowhere, the list still says it */ }
}

// The page's one notice: a newer message takes the place of the last, which may no longer be true.
function show(text) {
  const main = $("#main");
  const flash = (main && $(":scope > [data-notice]", main)) || fromTemplate("notice");
  if (!flash || !main) return;
  flash.dataset.notice = "";
  flash.textContent = text;
  if (!flash.isConnected) main.prepend(flash);
}

export function showNotice() {
  let text;
  try {
    text = sessionStorage.getItem(KEY);
    sessionStorage.removeItem(KEY);
  } catch { return; }
  if (text) show(text);
}

// A message for this page, now.
export function showNow(text) { if (text) show(text); }
