// The card: the screen stays on while it is shown, and "Share link" sends the profile address.
import { copyText } from "./clipboard.js";

const card = document.querySelector("[data-card]");
let asking = false; // a wake lock asked for and not answered yet
if (card) {
  keepAwake();
  document.addEventListener("visibilitychange", () => keepAwake());
  offerSharing(document.querySelector("[data-share]"), document.querySelector("[data-share-status]"));
}

// Screen Wake Lock where the browser has it; it is released whenever the page is hidden, so ask again.
// Refused (the page not quite shown yet, a busy phone, low battery), it is asked again, less and less often,
// for as long as the card is shown: the card shows meanwhile, and the screen may still turn off.
function keepAwake(wait = 500) {
  if (!("wakeLock" in navigator) || asking || card.hasAttribute("data-awake")) return;
  if (document.visibilityState !== "visible") return; // asked again when it is shown (visibilitychange)
  asking = true;
  navigator.wakeLock.request("screen").then((lock) => {
    asking = false;
    card.setAttribute("data-awake", "");
    lock.addEventListener("release", () => card.removeAttribute("data-awake"));
  }).catch(() => {
    setTimeout(() => { asking = false; keepAwake(Math.min(wait * 2, 8000)); }, wait);
  });
}

function offerSharing(share, status) {
  if (!share) return;
  share.hidden = false;
  share.addEventListener("click", () => {
    const url = share.dataset.shareUrl;
    if (navigator.share) {
      navigator.share({ title: share.dataset.shareTitle, url }).catch(() => { /* closed without sharing */ });
      return;
    }
    copyText(url).then((copied) => {
      status.textContent = copied ? "Link copied. Paste it in a message." : "Copy this link: " + url;
    });
  });
}
