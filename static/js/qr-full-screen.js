// The card's QR code fills the screen when tapped, so a camera across the table reads it at once;
// tapping again (or Back/Esc) returns to the card.
const frame = document.querySelector("[data-qr-full]");
if (frame) {
  const close = () => {
    frame.classList.remove("qr-full");
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
  };
  frame.addEventListener("click", (event) => {
    event.preventDefault();
    if (frame.classList.contains("qr-full")) { close(); return; }
    frame.classList.add("qr-full");
    // Real full screen where the browser allows it; the class alone covers the page elsewhere (iPhone).
    if (frame.requestFullscreen) frame.requestFullscreen().catch(() => {});
  });
  document.addEventListener("fullscreenchange", () => {
    if (!document.fullscreenElement) frame.classList.remove("qr-full");
  });
  document.addEventListener("keydown", (event) => { if (event.key === "Escape") close(); });
}
