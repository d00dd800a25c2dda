// A voice note and a photo for a form, one hand free: "Voice note" records up to a minute (MediaRecorder:
// WebM/Opus in Chromium, MP4/AAC in Safari), "Photo" opens the camera. Both end up as the form's own file
// fields, so the form posts them as usual, and the offline queue keeps them with the entry.
// While recording, every second of sound is kept on the phone (IndexedDB), so a reload or a killed tab
// brings back the half-recorded note like a draft.
import { $, $$, fromTemplate } from "./page.js";

const DB_NAME = "hallway-recordings";
const STORE = "recordings";
const PHOTO_LONG_SIDE = 1600; // as the server keeps it: sent smaller, it goes through a weak signal
const TYPES = ["audio/webm;codecs=opus", "audio/mp4", "audio/ogg;codecs=opus", "audio/webm"];

function openStore() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "key" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function withStore(mode, work) {
  return openStore().then((db) => new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const request = work(tx.objectStore(STORE));
    tx.oncomplete = () => { db.close(); resolve(request ? request.result : undefined); };
    tx.onerror = tx.onabort = () => { db.close(); reject(tx.error); };
  }));
}

// A mark in localStorage says a form has something kept, so its page loads this code only then (on-demand.js).
export const MARK = "hallway:recording:";
const keep = (record) => {
  try { localStorage.setItem(MARK + record.key, "1"); } catch { /* no storage: nothing to mark */ }
  return withStore("readwrite", (s) => s.put(record)).catch(() => {});
};
const forget = (key) => {
  try { localStorage.removeItem(MARK + key); } catch { /* nothing marked */ }
  return withStore("readwrite", (s) => s.delete(key)).catch(() => {});
};
const kept = (key) => withStore("readonly", (s) => s.get(key)).catch(() => null);
const KEEP_FOR = 3 * 24 * 3600 * 1000; // a draft's recording left behind is cleared after three days

function clearOld() {
  return withStore("readwrite", (s) => {
    const request = s.openCursor();
    request.onsuccess = () => {
      const cursor = request.result;
      if (!cursor) return;
      if (!(cursor.value.saved_at > Date.now() - KEEP_FOR)) cursor.delete();
      cursor.continue();
    };
  }).catch(() => {});
}

export function canRecord() {
  return Boolean(window.MediaRecorder && navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
}

function recordingType() {
  return TYPES.find((t) => MediaRecorder.isTypeSupported && MediaRecorder.isTypeSupported(t)) || "";
}

function extension(type) {
  if (type.includes("mp4")) return "m4a";
  if (type.includes("ogg")) return "ogg";
  return "webm";
}

function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
}

// Put a file into a file input, as if it had been picked: the form then sends it like any other field.
function setFile(input, file) {
  const transfer = new DataTransfer();
  if (file) transfer.items.add(file);
  input.files = transfer.files;
}

// A photo straight from the camera is 3-8 MB; made JPEG at the size the server keeps, it is ~0.3 MB.
// Fails when this browser cannot read the picture: a HEIC from the gallery (the server reads it), or no picture.
export function shrinkPhoto(file) {
  if (!window.createImageBitmap) return Promise.resolve(file);
  return createImageBitmap(file, { imageOrientation: "from-image" }).then((bitmap) => {
    const scale = Math.min(1, PHOTO_LONG_SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    const context = canvas.getContext("2d");
    // A JPEG has no see-through parts: a logo or a badge lies on white, as the server puts it and a photo
    // viewer shows it (a canvas exports what is see-through as black).
    context.fillStyle = "#fff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.85));
  }).then((blob) => (blob ? new File([blob], "photo.jpg", { type: "image/jpeg" }) : file));
}

// entryOf(): what the kept files are kept under (the log form's entry id). token: a form's own id for what it
// sends (the person page's), kept with the files and brought back with them, so a form sent again after its
// answer was lost keeps them once. Returns {clear}, which empties the form's files and forgets the kept ones.
export function wireCapture(form, entryOf = () => "", token = null) {
  const box = $("[data-capture]", form);
  if (!box) return null;
  const voiceInput = $("[data-voice-input]", box);
  const photoInput = $("[data-photo-input]", box);
  const start = $("[data-voice-start]", box);
  const recorderBar = $("[data-voice-recorder]", box);
  const time = $("[data-voice-time]", box);
  const preview = $("[data-capture-preview]", box);
  const status = $("[data-capture-status]", box);
  const maxSeconds = Number(box.dataset.maxSeconds) || 60;
  const key = (kind) => (entryOf() || location.pathname) + ":" + kind;
  let recorder = null;

  function show(kind, file, seconds) {
    $$(`[data-capture-kind="${kind}"]`, preview).forEach((el) => el.remove());
    if (!file) { preview.hidden = !preview.children.length; return; }
    const item = fromTemplate("capture-item");
    item.dataset.captureKind = kind;
    const what = $(".capture-what", item);
    const url = URL.createObjectURL(file);
    if (kind === "voice") {
      what.textContent = "Voice note, " + clock(seconds || 0) + " ";
      const audio = document.createElement("audio");
      audio.controls = true;
      audio.src = url;
      what.append(audio);
    } else {
      const img = document.createElement("img");
      img.alt = "The photo to save";
      img.className = "capture-thumb";
      // A HEIC photo from the gallery goes to the server as it is, which reads it; most browsers cannot show it.
      img.addEventListener("error", () => img.replaceWith("Photo (shown once saved) "), { once: true });
      img.src = url;
      what.append(img);
    }
    $("[data-capture-remove]", item).addEventListener("click", () => {
      setFile(kind === "voice" ? voiceInput : photoInput, null);
      forget(key(kind));
      show(kind, null);
      status.textContent = (kind === "voice" ? "Voice note" : "Photo") + " removed.";
    });
    preview.append(item);
    preview.hidden = false;
  }

  function useVoice(blob, type, seconds) {
    const file = new File([blob], "voice-note." + extension(type), { type: type || blob.type });
    setFile(voiceInput, file);
    show("voice", file, seconds);
  }

  function stop() {
    if (recorder && recorder.state !== "inactive") recorder.stop();
  }

  function record() {
    status.textContent = "Asking for the microphone…";
    navigator.mediaDevices.getUserMedia({ audio: true }).then((stream) => {
      const type = recordingType();
      recorder = type ? new MediaRecorder(stream, { mimeType: type }) : new MediaRecorder(stream);
      const chunks = [];
      const began = Date.now();
      const record = {
        key: key("voice"), kind: "voice", type: recorder.mimeType || type, chunks, seconds: 0, saved_at: Date.now(),
        token: token && token.value,
      };
      const tick = setInterval(() => {
        const seconds = (Date.now() - began) / 1000;
        time.textContent = clock(seconds);
        if (seconds >= maxSeconds) stop();
      }, 250);
      recorder.addEventListener("dataavailable", (event) => {
        if (!event.data || !event.data.size) return;
        chunks.push(event.data);
        record.seconds = (Date.now() - began) / 1000;
        keep(record); // a reload now still has what was said so far
      });
      recorder.addEventListener("stop", () => {
        clearInterval(tick);
        stream.getTracks().forEach((t) => t.stop());
        recorderBar.hidden = true;
        start.hidden = false;
        const seconds = (Date.now() - began) / 1000;
        record.seconds = seconds;
        keep(record);
        useVoice(new Blob(chunks, { type: record.type }), record.type, seconds);
        status.textContent = "Voice note recorded (" + clock(seconds) + "). It is saved with the person.";
        recorder = null;
      });
      recorder.start(1000);
      start.hidden = true;
      recorderBar.hidden = false;
      time.textContent = "0:00";
      status.textContent = "Recording. Tap Stop when done (a minute at most).";
      $("[data-voice-stop]", box).focus();
    }, () => {
      status.textContent = "The microphone is not available: allow it in the browser's settings, or type a note.";
    });
  }

  if (canRecord() && voiceInput) {
    start.hidden = false;
    start.addEventListener("click", record);
    $("[data-voice-stop]", box).addEventListener("click", stop);
  }
  if (photoInput) {
    photoInput.addEventListener("change", () => {
      const picked = photoInput.files && photoInput.files[0];
      if (!picked) return;
      if (!picked.size) { // a photo in the phone's cloud, not downloaded yet: nothing would be saved
        setFile(photoInput, null);
        forget(key("photo"));
        show("photo", null);
        status.textContent = box.dataset.photoEmpty;
        return;
      }
      status.textContent = "Preparing the photo…";
      shrinkPhoto(picked).then(
        (photo) => [photo, "Photo ready. It is saved with the person."],
        () => [picked, "This phone cannot read the photo: it goes as it is, and is checked when you save."],
      ).then(([photo, said]) => {
        setFile(photoInput, photo);
        keep({
          key: key("photo"), kind: "photo", type: photo.type, chunks: [photo], saved_at: Date.now(),
          token: token && token.value,
        });
        show("photo", photo);
        status.textContent = said;
      });
    });
  }
  // Sent with the form: what was kept for the draft is no longer needed once the next page loads.
  form.addEventListener("submit", () => { if (recorder) stop(); });

  // A note or a photo kept from before a reload comes back with its draft.
  clearOld().then(() => Promise.all([kept(key("voice")), kept(key("photo"))]).then(([voice, photo]) => {
    const from = [voice, photo].find((record) => record && record.token);
    if (token && from) token.value = from.token;
    if (voice && voice.chunks.length && !(voiceInput.files && voiceInput.files.length)) {
      useVoice(new Blob(voice.chunks, { type: voice.type }), voice.type, voice.seconds);
      status.textContent = "Your voice note from before is back.";
    }
    // A photo the server refused (it says why on the page) is not brought back to be refused again.
    if (photo && document.getElementById(photoInput.id + "-error")) forget(key("photo"));
    else if (photo && photo.chunks.length && !(photoInput.files && photoInput.files.length)) {
      const file = new File(photo.chunks, "photo.jpg", { type: photo.type });
      setFile(photoInput, file);
      show("photo", file);
    }
  }));

  return {
    clear() {
      for (const [kind, input] of [["voice", voiceInput], ["photo", photoInput]]) {
        if (input) setFile(input, null);
        forget(key(kind));
        show(kind, null);
      }
    },
  };
}

// What was kept for an entry's form ends once the entry is saved.
export function forgetRecordings(entry) {
  return Promise.all([forget(entry + ":voice"), forget(entry + ":photo")]);
}
