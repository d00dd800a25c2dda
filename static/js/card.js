// The card: the screen stays on while it is shown, and "Share link" sends the profile address.
(function () {
  "use strict";

  var card = document.querySelector("[data-card]");
  if (!card) return;

  // Screen Wake Lock where the browser has it; it is released whenever the page is hidden, so ask again.
  function keepAwake() {
    if (!("wakeLock" in navigator) || document.visibilityState !== "visible") return;
    navigator.wakeLock.request("screen").then(function (lock) {
      card.setAttribute("data-awake", "");
      lock.addEventListener("release", function () { card.removeAttribute("data-awake"); });
    }).catch(function () { /* low battery or not allowed: the card still shows */ });
  }
  keepAwake();
  document.addEventListener("visibilitychange", keepAwake);

  var share = document.querySelector("[data-share]");
  var status = document.querySelector("[data-share-status]");
  if (!share) return;
  share.hidden = false;
  share.addEventListener("click", function () {
    var url = share.getAttribute("data-share-url");
    if (navigator.share) {
      navigator.share({ title: share.getAttribute("data-share-title"), url: url }).catch(function () {
        /* closed without sharing */
      });
      return;
    }
    var copied = navigator.clipboard && window.isSecureContext
      ? navigator.clipboard.writeText(url)
      : Promise.reject(new Error("no clipboard"));
    copied.then(function () {
      status.textContent = "Link copied. Paste it in a message.";
    }).catch(function () {
      status.textContent = "Copy this link: " + url;
    });
  });
})();
