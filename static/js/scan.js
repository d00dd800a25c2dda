// "Scan their QR" on the log form: the rear camera (or a photo of the code) read by the vendored qr-scanner.
// What the code says is worked out by qr-text.js; this module runs the camera and fills the form.
import { addToNotes, openFilledDetails, setField } from "./form-fill.js";
import { readQrText } from "./qr-text.js";

const box = document.querySelector("[data-scan]");
const form = document.querySelector("form.person-form");
if (box && form) start(box, form);

function start(box, form) {
  const view = box.querySelector("[data-scan-view]");
  const video = box.querySelector("video");
  const status = box.querySelector("[data-scan-status]");
  const startButton = box.querySelector("[data-scan-start]");
  const stopButton = box.querySelector("[data-scan-stop]");
  const photo = box.querySelector("[data-scan-photo]");
  let scanner = null;

  box.hidden = false;

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle("error", Boolean(isError));
  }

  // The reader is big and only needed once the button is tapped: loaded then, as a classic script.
  function loadDecoder() {
    if (window.QrScanner) return Promise.resolve(window.QrScanner);
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = box.getAttribute("data-decoder");
      script.onload = () => resolve(window.QrScanner);
      script.onerror = () => reject(new Error("The QR reader could not be loaded."));
      document.head.appendChild(script);
    });
  }

  function focus(name) {
    const input = form.elements.namedItem(name);
    if (input) input.focus();
  }

  function apply(text) {
    const found = readQrText(text);
    if (!found) return;
    for (const [name, value] of Object.entries(found.fields)) setField(form, name, value);
    for (const line of found.notes) addToNotes(form, line);
    openFilledDetails(form);
    if (found.kind === "linkedin") {
      say("Their LinkedIn is filled in (" + found.fields.linkedin_url.replace("https://www.", "") + "). Now their name.");
      focus("name");
    } else if (found.kind === "contact") {
      const name = found.fields.name;
      say("Filled in from their contact card" + (name ? ": " + name : "") + ". Check it, then save.");
      focus(name ? "notes" : "name");
    } else {
      say("That code did not hold a contact, so it was added to your notes.");
      focus("notes");
    }
  }

  function stop() {
    if (scanner) { scanner.stop(); scanner.destroy(); scanner = null; }
    view.hidden = true;
    startButton.hidden = false;
  }

  function cameraProblem(error) {
    stop();
    if (!window.isSecureContext) {
      say("Phones only let a page use the camera over https, and this page came over plain http. " +
        "Use a photo of their QR instead, or open Hallway over https.", true);
    } else if (error && error.name === "NotAllowedError") {
      say("The camera is blocked for Hallway. Allow it in the browser's site settings, or use a photo of their QR.", true);
    } else {
      say("No camera could be opened. Use a photo of their QR instead.", true);
    }
  }

  startButton.addEventListener("click", () => {
    if (!window.isSecureContext || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      cameraProblem();
      return;
    }
    say("Starting the camera…");
    loadDecoder().then((QrScanner) => {
      view.hidden = false;
      startButton.hidden = true;
      scanner = new QrScanner(video, (result) => {
        stop();
        apply(result.data);
      }, { returnDetailedScanResult: true, preferredCamera: "environment", maxScansPerSecond: 8 });
      return scanner.start().then(() => say("Point the camera at their QR code."));
    }).catch(cameraProblem);
  });

  stopButton.addEventListener("click", () => {
    stop();
    say("");
  });

  photo.addEventListener("change", () => {
    const file = photo.files && photo.files[0];
    if (!file) return;
    say("Reading the photo…");
    loadDecoder()
      .then((QrScanner) => QrScanner.scanImage(file, { returnDetailedScanResult: true }))
      .then((result) => apply(result.data))
      .catch(() => say("No QR code found in that photo. Try again closer, with the whole code in view.", true))
      .finally(() => { photo.value = ""; });
  });

  window.addEventListener("pagehide", stop);
}
