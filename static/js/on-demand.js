// What the log form downloads only when it is first needed, so the form itself opens light.

// A LinkedIn address suggests a name: its code loads when one is entered.
const profile = document.querySelector("form.person-form [name=linkedin_url]");
if (profile) profile.addEventListener("input", () => import("./name-suggestion.js").then((m) => m.wire(profile)), { once: true });

// "Already met?": the phone's index of people is asked from the first letters of the name.
const name = document.querySelector("script[data-met-before][data-on-demand]")
  && document.querySelector("form.person-form [name=name]");
if (name) {
  const answer = () => import("./met-before.js");
  if (name.value) answer(); else name.addEventListener("input", answer, { once: true });
}

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
  // Something shared with the app (the manifest's share_target) is read by scan.js as a scanned code is.
  if (/[?&]shared_(title|text|url)=/.test(location.search)) load().catch(() => {});
}

// Whether capture.js marked a half-recorded note or a photo kept for this entry.
function hasKept(entry) {
  try {
    return ["voice", "photo"].some((kind) => localStorage.getItem("hallway:recording:" + entry + ":" + kind));
  } catch {
    return false;
  }
}

// "Voice note" and "Photo": the recorder's code (capture.js) loads at the first tap or photo, or at once when
// this form has a half-recorded note or a photo kept from before a reload.
const capture = document.querySelector("form.person-form [data-capture]");
if (capture) {
  const form = capture.closest("form");
  const voice = capture.querySelector("[data-voice-start]");
  const photo = capture.querySelector("[data-photo-input]");
  const entry = () => (form.elements.namedItem("entry") || {}).value || "";
  let wired = null;
  const wire = () => {
    wired = wired || import("./capture.js").then((m) => m.wireCapture(form, entry));
    return wired;
  };
  if (window.MediaRecorder && navigator.mediaDevices) {
    voice.hidden = false;
    voice.addEventListener("click", (event) => {
      event.stopImmediatePropagation();
      wire().then(() => voice.click());
    }, { once: true });
  }
  photo.addEventListener("change", (event) => {
    event.stopImmediatePropagation();
    wire().then(() => photo.dispatchEvent(new Event("change")));
  }, { once: true });
  // After draft-forms.js has brought back a draft's entry id (module scripts run in order).
  if (hasKept(entry())) wire();
}
