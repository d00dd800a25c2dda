// The card: the screen stays on while it is shown, and "Share link" sends the profile address.
import { copyText } from "./clipboard.js";

const card = document.querySelector("[data-card]");
if (card) {
  keepAwake();
  document.addEventListener("visibilitychange", () => keepAwake());
  offerSharing(document.querySelector("[data-share]"), document.querySelector("[data-share-status]"));
}

// Screen Wake Lock where the browser has it; it is released whenever the page is hidden, so ask again.
// Refused (the page not quite shown yet, low battery, not allowed), it is asked again a few times: the card
// still shows meanwhile.
function keepAwake(tries = 3) {
  if (!("wakeLock" in navigator) || document.visibilityState !== "visible") return;
  navigator.wakeLock.request("screen").then((lock) => {
    card.setAttribute("data-awake", "");
    lock.addEventListener("release", () => card.removeAttribute("data-awake"));
  }).catch(() => {
    if (tries > 1) setTimeout(() => keepAwake(tries - 1), 1000);
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
