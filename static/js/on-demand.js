// What the log form downloads only when it is first needed, so the form itself opens light.

// A LinkedIn address suggests a name: its code loads when one is entered.
const profile = document.querySelector("form.person-form [name=linkedin_url]");
if (profile) profile.addEventListener("input", () => import("./name-suggestion.js").then((m) => m.wire(profile)), { once: true });

// "Scan their QR" and "Photo of their QR": the scanning code (scan.js) is large next to the form, so it is
// downloaded when one of them is used and handed the tap or the photo.
const box = document.querySelector("[data-scan]");
if (box) {
  const start = box.querySelector("[data-scan-start]");
  const photo = box.querySelector("[data-scan-photo]");
  let loading = null;
  const load = () => {
    loading = loading || new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = box.dataset.scanScript;
      script.onload = resolve;
      script.onerror = reject;
      document.head.append(script);
    });
    return loading;
  };
  // The first tap or photo waits for scan.js, then reaches it as if it had been there all along.
  const handOver = (element, type, again) => element.addEventListener(type, (event) => {
    event.stopImmediatePropagation();
    load().then(again, () => {
      box.querySelector("[data-scan-status]").textContent = "The QR reader could not be loaded. Type their details instead.";
    });
  }, { once: true });
  handOver(start, "click", () => start.click());
  handOver(photo, "change", () => photo.dispatchEvent(new Event("change")));
  photo.addEventListener("click", load, { once: true }); // downloading while the phone takes the picture
  box.hidden = false;
}
