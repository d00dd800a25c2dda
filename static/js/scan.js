// "Scan their QR" on the log form: the rear camera (or a photo of the code) read by the vendored qr-scanner.
// A LinkedIn profile fills their LinkedIn, a vCard or MeCard fills the contact fields, anything else the notes.
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
  var photo = box.querySelector("[data-scan-photo]");
  var scanner = null;
  var LINKEDIN_HOST = /^([a-z]{1,3}\.)?(www\.)?linkedin\.com$/i;
  var HANDLE = /^[\p{L}\p{N}][\p{L}\p{N}_-]{1,99}$/u;

  box.hidden = false;

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle("error", Boolean(isError));
  }

  function loadDecoder() {
    if (window.QrScanner) return Promise.resolve(window.QrScanner);
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = box.getAttribute("data-decoder");
      script.onload = function () { resolve(window.QrScanner); };
      script.onerror = function () { reject(new Error("The QR reader could not be loaded.")); };
      document.head.appendChild(script);
    });
  }

  // --- What a QR code says -------------------------------------------------------------------------

  // The same canonical form as the server's webapp/linkedin.py, or null for anything else.
  function linkedinProfile(text) {
    var value = String(text || "").trim();
    if (!/^https?:\/\//i.test(value)) {
      if (!/^([\w-]+\.)*linkedin\.com\//i.test(value)) return null;
      value = "https://" + value;
    }
    var url;
    try { url = new URL(value); } catch (e) { return null; }
    if (!LINKEDIN_HOST.test(url.hostname)) return null;
    var parts = url.pathname.split("/").filter(Boolean);
    if (parts.length < 2 || parts[0].toLowerCase() !== "in") return null;
    var handle;
    try { handle = decodeURIComponent(parts[1]).trim(); } catch (e) { return null; }
    if (!HANDLE.test(handle)) return null;
    return "https://www.linkedin.com/in/" + encodeURIComponent(handle.toLowerCase());
  }

  function unescapeValue(value) {
    return value.replace(/\\([\\;,:nN])/g, function (_, c) { return c === "n" || c === "N" ? "\n" : c; });
  }

  function splitUnescaped(value, separator) {
    var parts = [];
    var current = "";
    for (var i = 0; i < value.length; i++) {
      if (value[i] === "\\" && i + 1 < value.length) { current += value[i] + value[i + 1]; i++; continue; }
      if (value[i] === separator) { parts.push(current); current = ""; continue; }
      current += value[i];
    }
    parts.push(current);
    return parts;
  }

  function personName(family, given) {
    return [given, family].map(function (s) { return (s || "").trim(); }).filter(Boolean).join(" ");
  }

  function parseVCard(text) {
    var lines = text.replace(/\r\n?/g, "\n").replace(/\n[ \t]/g, "").split("\n");
    var card = { urls: [] };
    lines.forEach(function (line) {
      var colon = line.indexOf(":");
      if (colon < 0) return;
      var key = line.slice(0, colon).split(";")[0].replace(/^item\d+\./i, "").toUpperCase();
      var raw = line.slice(colon + 1);
      if (key === "URL") { card.urls.push(unescapeValue(raw).trim()); return; }
      if (key === "N") {
        var n = splitUnescaped(raw, ";").map(unescapeValue);
        card.n = personName(n[0], n[1]);
        return;
      }
      if (key === "ORG") { card.company = card.company || unescapeValue(splitUnescaped(raw, ";")[0]).trim(); return; }
      var field = { FN: "name", TITLE: "role", ROLE: "role", EMAIL: "email", NOTE: "note" }[key];
      if (field && !card[field]) card[field] = unescapeValue(raw).trim();
    });
    card.name = card.name || card.n || "";
    return card;
  }

  function parseMeCard(text) {
    var card = { urls: [] };
    splitUnescaped(text.replace(/^MECARD:/i, ""), ";").forEach(function (part) {
      var colon = part.indexOf(":");
      if (colon < 0) return;
      var key = part.slice(0, colon).toUpperCase();
      var value = unescapeValue(part.slice(colon + 1)).trim();
      if (!value) return;
      if (key === "N") {
        var n = splitUnescaped(part.slice(colon + 1), ",").map(unescapeValue);
        card.name = personName(n[0], n[1]);
      } else if (key === "URL") {
        card.urls.push(value);
      } else {
        var field = { ORG: "company", TITLE: "role", EMAIL: "email", NOTE: "note" }[key];
        if (field && !card[field]) card[field] = value;
      }
    });
    return card;
  }

  // --- Filling the form ----------------------------------------------------------------------------

  function set(name, value) {
    var input = form.elements.namedItem(name);
    if (!input || !value) return false;
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true })); // keeps the draft up to date
    return true;
  }

  function addToNotes(text) {
    var notes = form.elements.namedItem("notes");
    if (!notes || !text) return;
    set("notes", notes.value.trim() ? notes.value.trim() + "\n" + text : text);
  }

  function showMoreFields() {
    var more = form.querySelector("details");
    if (more) more.open = true;
  }

  function apply(text) {
    text = String(text || "").trim();
    if (!text) return;
    var profile = linkedinProfile(text);
    if (profile) {
      set("linkedin_url", profile);
      showMoreFields();
      say("Their LinkedIn is filled in (" + profile.replace("https://www.", "") + "). Now their name.");
      form.elements.namedItem("name").focus();
      return;
    }
    if (/^BEGIN:VCARD/i.test(text) || /^MECARD:/i.test(text)) {
      var card = /^MECARD:/i.test(text) ? parseMeCard(text) : parseVCard(text);
      set("name", card.name);
      set("company", card.company);
      set("role", card.role);
      set("email", card.email);
      card.urls.forEach(function (url) {
        var linkedin = linkedinProfile(url);
        if (linkedin) set("linkedin_url", linkedin);
        else addToNotes(url);
      });
      if (card.note) addToNotes(card.note);
      if (card.email || card.urls.length) showMoreFields();
      say("Filled in from their contact card" + (card.name ? ": " + card.name : "") + ". Check it, then save.");
      (form.elements.namedItem(card.name ? "notes" : "name")).focus();
      return;
    }
    addToNotes(text);
    say("That code did not hold a contact, so it was added to your notes.");
    form.elements.namedItem("notes").focus();
  }

  // --- The camera, or a photo when there is none ---------------------------------------------------

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

  startButton.addEventListener("click", function () {
    if (!window.isSecureContext || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      cameraProblem();
      return;
    }
    say("Starting the camera…");
    loadDecoder().then(function (QrScanner) {
      view.hidden = false;
      startButton.hidden = true;
      scanner = new QrScanner(video, function (result) {
        stop();
        apply(result.data);
      }, { returnDetailedScanResult: true, preferredCamera: "environment", maxScansPerSecond: 8 });
      return scanner.start().then(function () { say("Point the camera at their QR code."); });
    }).catch(cameraProblem);
  });

  stopButton.addEventListener("click", function () {
    stop();
    say("");
  });

  photo.addEventListener("change", function () {
    var file = photo.files && photo.files[0];
    if (!file) return;
    say("Reading the photo…");
    loadDecoder().then(function (QrScanner) {
      return QrScanner.scanImage(file, { returnDetailedScanResult: true });
    }).then(function (result) {
      apply(result.data);
    }).catch(function () {
      say("No QR code found in that photo. Try again closer, with the whole code in view.", true);
    }).finally(function () { photo.value = ""; });
  });

  window.addEventListener("pagehide", stop);
})();
