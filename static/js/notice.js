// A message for the next page ("saved on this phone..."), shown there like the server's own flashes.
import { $, fromTemplate } from "./page.js";

const KEY = "hallway:notice";

export function noticeForNextPage(text) {
  try { sessionStorage.setItem(KEY, text); } catch { /* shown nowhere, the list still says it */ }
}

export function showNotice() {
  let text;
  try {
    text = sessionStorage.getItem(KEY);
    sessionStorage.removeItem(KEY);
  } catch { return; }
  const flash = text && fromTemplate("notice");
  const main = $("#main");
  if (!flash || !main) return;
  flash.textContent = text;
  main.prepend(flash);
}
