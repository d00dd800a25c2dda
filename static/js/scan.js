// "Scan their QR" on the log form: the rear camera (or a photo of the code) read by the phone's own
// BarcodeDetector where it has one, else by zxing-cpp (WebAssembly, static/vendor/zxing-wasm) in a worker,
// downloaded only when scanning starts. A contact card (static/js/contact-card.js) fills the contact
// fields, a LinkedIn profile anywhere in the text their LinkedIn, anything else the notes.
(function () {
  "use strict";

  var box = document.querySelector("[data-scan]");
  if (!box) return;
  var form = document.querySelector("form.person-form");
  var view = box.querySelector("[data-scan-view]");
  var video = box.querySelector("video");
  var status = box.querySelector("[data-scan-status]");
  var startButton = box.querySelector("[data-scan-start]");
  var stopButton = box.querySelector("[data-scan-stop]");
  var torchButton = box.querySelector("[data-scan-torch]");
  var photo = box.querySelector("[data-scan-photo]");

  box.hidden = false;

  // The camera view's styles (static/css/scan.css) come with this script rather than with every log form;
  // the view is shown once they are in (or could not be had: it still works, only plainer).
  var styled = new Promise(function (resolve) {
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = box.getAttribute("data-scan-style");
    link.onload = link.onerror = resolve;
    document.head.appendChild(link);
  });

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle("error", Boolean(isError));
  }

  // --- Filling the form ----------------------------------------------------------------------------

  function set(name, value) {
    var input = form.elements.namedItem(name);
    if (!input || !value) return false;
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true })); // keeps the draft up to date
    return true;
  }

  function clear(name) {
    var input = form.elements.namedItem(name);
    if (!input || !input.value) return;
    input.value = "";
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function valuesNow() {
    var values = {};
    ["name", "notes", "scanned_text", "scanned_filled"].forEach(function (name) {
      var input = form.elements.namedItem(name);
      values[name] = input ? input.value : "";
    });
    return values;
  }

  function showMoreFields() {
    var more = form.querySelector("details");
    if (more) more.open = true;
  }

  // What a code says is worked out by linkedin.js and contact-card.js, downloaded (once) only when
  // scanning starts, so the log form opens as light as without them.
  var textReaders = null;

  function loadTextReaders() {
    if (textReaders) return textReaders;
    var urls = [box.getAttribute("data-reader-linkedin"), box.getAttribute("data-reader-card")];
    textReaders = Promise.all(urls.map(function (url) {
      return new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = url;
        script.onload = resolve;
        script.onerror = function () { reject(new Error("reader")); };
        document.head.appendChild(script);
      });
    }));
    textReaders.catch(function () { textReaders = null; });
    return textReaders;
  }

  function apply(scanned) {
    loadTextReaders().then(function () { fill(scanned); }, function () {
      say("The QR reader could not be loaded. Try again with a signal.", true);
    });
  }

  // Which contact fields the scanned code filled goes with the entry, by name: the server fills only the
  // others from the scanned text, so a field the user emptied after the scan stays empty; and the next code
  // scanned replaces them.
  function keepFilled(names) {
    var field = form.elements.namedItem("scanned_filled");
    if (!field) return;
    field.value = names.join(" ");
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function fill(scanned) {
    var text = String(scanned || "").trim();
    if (!text) return;
    // What the previous code filled in makes way for this one's (contact-card.js, scanInto).
    var scan = window.HallwayContactCard.scanInto(valuesNow(), text);
    scan.clear.forEach(clear);
    keepFilled(Object.keys(scan.fields).filter(function (name) { return set(name, scan.fields[name]); }));
    if (scan.notes) set("notes", scan.notes);
    else clear("notes");
    // Kept with the entry exactly as scanned: the server reads a contact card again for anything the
    // phone could not, and nothing they shared is lost.
    set("scanned_text", scanned);
    var card = scan.card;
    if (card) {
      if (card.email || card.phone || card.linkedin) showMoreFields();
      say("Filled in from their contact card" + (card.name ? ": " + card.name : "") + ". Check it, then save.");
      (form.elements.namedItem(card.name ? "notes" : "name")).focus();
      return;
    }
    // Their LinkedIn anywhere in the text: a code may put their name or a few words around the link.
    var found = scan.found;
    if (found && found.profile) {
      showMoreFields();
      say("Their LinkedIn is filled in (" + window.HallwayLinkedIn.readable(found.profile) + ")" +
        (scan.nameFromCode ? ", and their name from the code: change it if it is wrong." : ". Now their name."));
      form.elements.namedItem(scan.nameFromCode ? "notes" : "name").focus();
      return;
    }
    if (found) {
      // A LinkedIn address that opens no profile (a short link): what to do instead, as when one is pasted.
      say(found.message.replace(/your/g, "their") + " The code was added to your notes.", true);
    } else {
      say("That code did not hold a contact, so it was added to your notes.");
    }
    form.elements.namedItem("notes").focus();
  }

  // --- Reading codes: the phone's own BarcodeDetector where it has one, else zxing-cpp in a worker -----

  // Every photo gets an answer within this time; the camera says why nothing is read after it.
  var ANSWER_WITHIN_MS = 3000;
  var reader = null;       // {worker, ready: Promise} while zxing-cpp is loaded
  var nativeDetector;      // undefined: not asked yet; null: the phone has none for QR codes
  var nextId = 0;
  var waiting = {};

  function phoneDetector() {
    if (nativeDetector !== undefined) return Promise.resolve(nativeDetector);
    if (!("BarcodeDetector" in window)) return Promise.resolve(nativeDetector = null);
    return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
      nativeDetector = formats.indexOf("qr_code") >= 0 ? new window.BarcodeDetector({ formats: ["qr_code"] }) : null;
      return nativeDetector;
    }, function () { return (nativeDetector = null); });
  }

  // Starts loading zxing-cpp (once): called as soon as scanning starts, so it downloads while the
  // camera opens or the photo is being taken.
  function loadReader() {
    if (reader) return reader.ready;
    var worker = new Worker(box.getAttribute("data-reader-worker"));
    var loading = { worker: worker, loaded: false };
    reader = loading;
    loading.ready = new Promise(function (resolve, reject) {
      worker.onmessage = function (message) {
        var data = message.data;
        if (data.ready) { loading.loaded = true; resolve(); return; }
        if (data.failed) { reject(new Error(data.failed)); return; }
        var done = waiting[data.id];
        delete waiting[data.id];
        if (done) done(data);
      };
      worker.onerror = function (error) { error.preventDefault(); reject(new Error("reader")); };
    });
    loading.ready.catch(function () { if (reader === loading) forgetReader(); });
    worker.postMessage({ load: { reader: box.getAttribute("data-reader"), wasm: box.getAttribute("data-reader-wasm") } });
    return loading.ready;
  }

  function forgetReader() {
    if (!reader) return;
    reader.worker.terminate();
    reader = null;
    Object.keys(waiting).forEach(function (id) { waiting[id]({ format: null, stopped: true }); });
    waiting = {};
  }

  function readWithWorker(image, quick) {
    return loadReader().then(function () {
      var current = reader;
      if (!current) return { format: null };
      return new Promise(function (resolve) {
        var id = ++nextId;
        waiting[id] = resolve;
        current.worker.postMessage({ id: id, image: image, quick: Boolean(quick) }, [image.data.buffer]);
      });
    });
  }

  function pixels(source, width, height, maxSide) {
    var scale = Math.min(1, maxSide / Math.max(width, height));
    var canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    var context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(source, 0, 0, canvas.width, canvas.height);
    return context.getImageData(0, 0, canvas.width, canvas.height);
  }

  // {text, format}: format "qr_code" with its text, another code's name, or null when nothing was read.
  function readPicture(bitmap) {
    return phoneDetector().then(function (detector) {
      if (!detector) return null;
      return detector.detect(bitmap).then(function (codes) {
        return codes.length ? { text: codes[0].rawValue, format: "qr_code" } : null;
      }, function () { return null; });
    }).then(function (found) {
      // The phone's detector misses some codes zxing-cpp reads: those get a second look.
      // A phone photo (12 MP) is read at 2048 px: a code in it stays readable, and the answer comes in time.
      return found || readWithWorker(pixels(bitmap, bitmap.width, bitmap.height, 2048));
    });
  }

  function withinTime(promise, onLate) {
    var timer;
    var late = new Promise(function (resolve) {
      timer = setTimeout(function () { resolve(onLate()); }, ANSWER_WITHIN_MS);
    });
    return Promise.race([promise, late]).finally(function () { clearTimeout(timer); });
  }

  // What the user is told about a read that found no QR code with text in it.
  function explain(result) {
    if (result.late === "loading") {
      return "The QR reader is still downloading on this signal. Try the photo again in a moment.";
    }
    if (result.late) return "That photo took too long to read. Try again closer, with only the code in view.";
    if (result.notPicture) return "That file is not a picture this phone can open. Choose a photo of their QR.";
    if (result.format === "qr_code") return "That QR code is empty: there is nothing in it to fill in.";
    if (result.format) return "That is a " + result.format + " code, not a QR code. Ask for their QR instead.";
    return "No QR code found in that photo. Try again closer, with the whole code in view.";
  }

  function show(result) {
    if (result.format === "qr_code" && String(result.text || "").trim()) {
      apply(result.text);
      return true;
    }
    say(explain(result), true);
    return false;
  }

  // --- The camera ----------------------------------------------------------------------------------

  var camera = null;  // {stream, timer, hint}

  // The light: offered only when the camera says it can switch one (Android's Chrome on most phones);
  // elsewhere the button stays hidden rather than doing nothing.
  function offerTorch(session) {
    var track = session.stream.getVideoTracks()[0];
    var capabilities = track && track.getCapabilities ? track.getCapabilities() : {};
    if (!capabilities.torch) return;
    session.track = track;
    torchButton.setAttribute("aria-pressed", "false");
    torchButton.hidden = false;
  }

  function hideTorch() {
    torchButton.hidden = true;
    torchButton.setAttribute("aria-pressed", "false");
  }

  torchButton.addEventListener("click", function () {
    var session = camera;
    if (!session || !session.track) return;
    var on = torchButton.getAttribute("aria-pressed") !== "true";
    session.track.applyConstraints({ advanced: [{ torch: on }] }).then(function () {
      if (camera === session) torchButton.setAttribute("aria-pressed", String(on));
    }, function () {
      if (camera !== session) return;
      hideTorch();
      say("The light could not be switched on. Move closer to a lamp, or use a photo of their QR.", false);
    });
  });

  function stop() {
    hideTorch();
    if (camera) {
      clearTimeout(camera.timer);
      clearTimeout(camera.hint);
      camera.stream.getTracks().forEach(function (track) { track.stop(); });
      camera = null;
    }
    video.srcObject = null;
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

  // One frame at a time: the middle of the picture, where people aim, read quickly; the next frame
  // is taken only when the last one is done.
  function watch(session) {
    if (camera !== session) return;
    var width = video.videoWidth;
    var height = video.videoHeight;
    var next = function () { session.timer = setTimeout(function () { watch(session); }, 120); };
    if (!width || !height) { next(); return; }
    phoneDetector().then(function (detector) {
      if (detector) {
        return detector.detect(video).then(function (codes) {
          return codes.length ? { text: codes[0].rawValue, format: "qr_code" } : { format: null };
        });
      }
      return readWithWorker(pixels(video, width, height, 1280), true);
    }).then(function (result) {
      if (camera !== session) return;
      if (result.format === "qr_code" && String(result.text || "").trim()) {
        stop();
        apply(result.text);
      } else {
        if (result.format === "qr_code") say("That QR code is empty: there is nothing in it to fill in.", true);
        next();
      }
    }, function () {
      if (camera !== session) return;
      stop();
      say("The QR reader could not be loaded. Use a photo of their QR, or try again with a signal.", true);
    });
  }

  startButton.addEventListener("click", function () {
    if (!window.isSecureContext || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      cameraProblem();
      return;
    }
    say("Starting the camera…", false);
    loadTextReaders().catch(function () {});
    phoneDetector().then(function (detector) { if (!detector) loadReader().catch(function () {}); });
    var opening = navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    Promise.all([opening, styled]).then(function (opened) {
      var stream = opened[0];
      stop();
      var session = { stream: stream };
      camera = session;
      video.srcObject = stream;
      view.hidden = false;
      startButton.hidden = true;
      // The picture, Stop and what is said all in view, clear of the header and the tab bar.
      box.scrollIntoView({ block: "nearest" });
      return video.play().then(function () {
        say("Point the camera at their QR code.", false);
        if (camera === session) offerTorch(session);
        session.hint = setTimeout(function () {
          if (camera === session) {
            say("No QR code in view yet. Hold the phone closer, with the whole code inside the picture.", false);
          }
        }, ANSWER_WITHIN_MS);
        watch(session);
      });
    }).catch(cameraProblem);
  });

  stopButton.addEventListener("click", function () {
    stop();
    say("");
  });

  // --- A photo, when there is no camera ------------------------------------------------------------

  // Tapping "Photo of their QR" starts the reader's download while the phone takes the picture.
  photo.addEventListener("click", function () {
    loadTextReaders().catch(function () {});
    phoneDetector().then(function (detector) { if (!detector) loadReader().catch(function () {}); });
  });

  photo.addEventListener("change", function () {
    var file = photo.files && photo.files[0];
    if (!file) return;
    stop();
    say("Reading the photo…", false);
    var reading = createImageBitmap(file).then(readPicture, function () { return { notPicture: true }; });
    withinTime(reading, function () {
      // Still downloading: keep the download; a read stuck on a huge or odd photo is stopped.
      if (reader && !reader.loaded) return { late: "loading" };
      forgetReader();
      return { late: true };
    }).then(show, function () {
      say("The QR reader could not be loaded. Try again with a signal, or type their details.", true);
    }).finally(function () {
      photo.value = "";
    });
  });

  window.addEventListener("pagehide", stop);

  // --- Shared with Hallway -------------------------------------------------------------------------

  // The manifest's share_target: "Share profile" in the LinkedIn app, or any text or link shared to the
  // installed app, opens this form with it in the address (read here, so it works on the form kept on the
  // phone too). Their LinkedIn is found anywhere in what was shared (apps put words around the link); a
  // contact card fills the contact fields; anything else goes to the notes, as a scanned code does.
  function shared() {
    var params = new URLSearchParams(location.search);
    var parts = ["shared_title", "shared_text", "shared_url"].map(function (name) {
      return (params.get(name) || "").trim();
    }).filter(Boolean);
    if (!parts.length) return;
    history.replaceState(history.state, "", location.pathname); // a reload does not fill it in again
    loadTextReaders().then(function () {
      fill(parts.filter(function (part, i) { return parts.indexOf(part) === i; }).join("\n"));
    }, function () {
      addToNotes(parts.join("\n"));
      say("What you shared was added to your notes.");
    });
  }

  shared();
})();
