// At the venue with no signal: the offline badge, people logged on the phone and sent later exactly once,
// drafts that survive a reload, and forgetting this account's saved pages on logout.
// Progressive enhancement: without this file every form still posts to the server as usual.
(function () {
  "use strict";

  var script = document.currentScript;
  var account = script.getAttribute("data-account") || "";
  var urls = { session: script.getAttribute("data-session"), sync: script.getAttribute("data-sync") };
  var Queue = window.HallwayQueue;
  var hasQueue = Boolean(Queue && window.indexedDB && window.fetch && window.Promise);
  // Set by the service worker on a page served from the phone: "offline" (no answer) or "instant" (card, form).
  var savedCopy = document.documentElement.hasAttribute("data-saved-copy");
  var servedOffline = document.documentElement.getAttribute("data-saved-copy") === "offline";
  var noSignal = false;
  var NOTICE_KEY = "hallway:notice";
  var DRAFT_PREFIX = "hallway:draft:" + account + ":";
  var FIELDS = ["name", "description", "company", "role", "notes", "hiring", "follow_up", "follow_up_reason",
    "linkedin_url", "email", "phone", "scanned_text", "tags"];

  function $(selector, root) { return (root || document).querySelector(selector); }
  function $$(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }
  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }
  function label(entry) { return entry.fields.name || entry.fields.description; }

  // --- The service worker: install it, keep the event-day pages, forget them when the account changes ---

  function worker(message) {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) registration.active.postMessage(message);
    });
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(script.getAttribute("data-service-worker")).catch(function () {
      /* no worker (private mode, http on a LAN): the app still works online */
    });
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "synced") afterSync(event.data.result);
    });
  }

  if (!savedCopy) {
    if (account) {
      // Home, today's event, "Met someone" and the card: kept on the phone even before they are opened.
      var keep = $$(".tabbar a, .topbar a, .big-actions a, .tonight h1 a").map(function (a) { return a.href; });
      worker({ type: "keep", urls: keep });
    } else {
      // Nobody is logged in: no page of the last account may open from this phone's cache.
      worker({ type: "forget" });
    }
  }

  // --- The badge in the header: offline, and how many people wait to be sent ---

  function entriesHere() {
    if (!hasQueue || !account) return Promise.resolve([]);
    return Queue.entries(account).catch(function () { return []; });
  }

  function showStatus(entries) {
    var badge = $("[data-sync-status]");
    if (!badge) return;
    var waiting = entries.filter(function (e) { return e.state === "waiting"; }).length;
    var refused = entries.length - waiting;
    var offline = !navigator.onLine || noSignal || servedOffline;
    var parts = [];
    if (offline) parts.push("Offline");
    if (waiting) parts.push(waiting + " waiting to sync");
    if (refused) parts.push(refused + " not saved");
    var text = parts.join(" · ");
    badge.textContent = text;
    badge.hidden = !text;
  }

  // --- Progress: people waiting on the phone count at once, marked "waiting to sync" ---

  function showProgress(entries) {
    $$("[data-progress-for]").forEach(function (box) {
      var eventId = Number(box.getAttribute("data-progress-for"));
      var forEvent = entries.filter(function (e) { return e.event_id === eventId; });
      var waiting = forEvent.filter(function (e) { return e.state === "waiting"; });
      var met = Number(box.getAttribute("data-met")) + waiting.length;
      var goal = Number(box.getAttribute("data-goal"));
      var count = $(".topbar-count", box);
      if (count) count.textContent = met + "/" + goal;
      var big = $(".progress-count", box);
      if (big) big.textContent = met + " of " + goal;
      var bar = $("progress", box);
      if (bar) { bar.value = Math.min(met, goal); bar.setAttribute("aria-label", met + " of " + goal + " met"); }
      if (met >= goal) (box.querySelector(".progress") || box).classList.add("reached");
      var note = $("[data-waiting-note]", box);
      if (note) {
        note.textContent = waiting.length ? plural(waiting.length, "person", "people") + " waiting to sync" : "";
        note.hidden = !waiting.length;
      }
    });
    $$("[data-waiting-list]").forEach(function (list) {
      var eventId = Number(list.getAttribute("data-waiting-list"));
      var forEvent = entries.filter(function (e) { return e.event_id === eventId; });
      list.textContent = "";
      forEvent.slice().reverse().forEach(function (entry) { list.appendChild(waitingRow(entry)); }); // newest first
      list.hidden = !forEvent.length;
      var nobody = $("[data-nobody-yet]");
      if (nobody && forEvent.length) nobody.hidden = true;
    });
    // Entries the server refused, whatever their event (it may be gone): shown where they can be dealt with.
    $$("[data-refused-list]").forEach(function (list) {
      var refused = entries.filter(function (e) { return e.state === "refused"; });
      list.textContent = "";
      refused.forEach(function (entry) { list.appendChild(waitingRow(entry)); });
      list.hidden = !refused.length;
    });
  }

  function waitingRow(entry) {
    var li = document.createElement("li");
    li.className = "person-row person-waiting";
    li.setAttribute("data-waiting-uuid", entry.uuid);
    var box = document.createElement("div");
    box.className = "person-row-box";
    function part(cls, text) {
      var span = document.createElement("span");
      span.className = cls;
      span.textContent = text;
      box.appendChild(span);
      return span;
    }
    part("person-name", label(entry));
    var meta = [entry.fields.role, entry.fields.company].filter(Boolean).join(" · ");
    if (meta) part("person-meta", meta);
    if (entry.fields.notes) part("person-notes", entry.fields.notes.slice(0, 90));
    var badges = part("badges", "");
    var badge = document.createElement("span");
    badge.className = entry.state === "refused" ? "badge badge-refused" : "badge badge-waiting";
    badge.textContent = entry.state === "refused" ? "Not saved" : "Waiting to sync";
    badges.appendChild(badge);
    if (entry.state === "refused") {
      var why = part("error", entry.message);
      why.setAttribute("role", "alert");
      var discard = document.createElement("button");
      discard.type = "button";
      discard.className = "button button-danger-link";
      discard.textContent = "Discard " + label(entry);
      discard.addEventListener("click", function () { Queue.remove(entry.uuid).then(refresh); });
      box.appendChild(discard);
    }
    li.appendChild(box);
    return li;
  }

  function refresh() {
    return entriesHere().then(function (entries) {
      showStatus(entries);
      showProgress(entries);
      return entries;
    });
  }

  // --- Sending: on load, when the signal comes back, and from the service worker's Background Sync ---

  function afterSync(result) {
    noSignal = Boolean(result && result.retry && !result.sent && !navigator.onLine);
    refresh();
    // Sent entries are now in the server's page: show that rather than the phone's copy.
    if (result && result.sent && $("[data-waiting-list], [data-progress-for]") && !$("form[data-draft]")) {
      window.location.reload();
    }
  }

  function syncNow() {
    if (!hasQueue || !account || !navigator.onLine) return Promise.resolve(null);
    return Queue.syncAll(urls).then(function (result) {
      afterSync(result);
      return result;
    });
  }

  function askBackgroundSync() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) return registration.sync.register("hallway-meetings");
    }).catch(function () { /* the next page load or "online" sends it instead */ });
  }

  window.addEventListener("online", function () { noSignal = false; refresh(); syncNow(); });
  window.addEventListener("offline", refresh);

  // --- A note being typed is never lost: a draft per form, kept on the phone as you type ---

  function draftKey() { return DRAFT_PREFIX + location.pathname; }

  function readDraft(key) {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }

  function formValues(form) {
    var values = {};
    $$("input[name], textarea[name], select[name]", form).forEach(function (el) {
      if (el.name === "csrf_token" || el.type === "file" || (el.type === "hidden" && el.name !== "entry")) return;
      values[el.name] = el.type === "checkbox" ? el.checked : el.value;
    });
    return values;
  }

  function fillForm(form, values) {
    Object.keys(values).forEach(function (name) {
      var el = form.elements.namedItem(name);
      if (!el || (el.type === "hidden" && name !== "entry")) return;
      if (el.type === "checkbox") el.checked = Boolean(values[name]);
      else el.value = values[name];
    });
  }

  // A posted form's draft is marked so (it ends when the next page loads); a saved one is not written again.
  function saveDraft(form) {
    if (form.hasAttribute("data-saved")) return;
    try {
      localStorage.setItem(draftKey(), JSON.stringify({
        saved_at: Date.now(), values: formValues(form), posted: form.hasAttribute("data-posted"),
      }));
    } catch (e) { /* storage full or disabled: the form still works */ }
  }

  function clearDraft() { try { localStorage.removeItem(draftKey()); } catch (e) { /* nothing kept */ } }

  // A draft whose form was posted the usual way is done once any other page loads (the save went through).
  function forgetPostedDrafts() {
    try {
      for (var i = localStorage.length - 1; i >= 0; i--) {
        var key = localStorage.key(i);
        if (key.indexOf(DRAFT_PREFIX) !== 0 || key === draftKey()) continue;
        var draft = readDraft(key);
        if (draft && draft.posted) localStorage.removeItem(key);
      }
    } catch (e) { /* no storage */ }
  }

  // The entry id makes "save" idempotent: the offline queue uses it too, so a save whose answer
  // was lost and is then sent from the phone is stored once. A copy of the form the phone kept
  // would repeat an old id, so a fresh one is made on every load; a restored draft brings back its own.
  function renewEntry(form) {
    var input = form.elements.namedItem("entry");
    if (input && input.hasAttribute("data-fresh-entry")) input.value = Queue.uuid4();
  }

  function entryId(form) {
    var input = form.elements.namedItem("entry");
    return (input && /^[0-9a-f-]{36}$/i.test(input.value)) ? input.value : Queue.uuid4();
  }

  // What the user typed, without the entry id, to tell whether a draft holds anything new.
  function typed(values) {
    var copy = Object.assign({}, values);
    delete copy.entry;
    return JSON.stringify(copy);
  }

  function setupDraft(form) {
    var draft = readDraft(draftKey());
    var serverErrors = $(".error-summary", form);
    if (draft && !serverErrors && typed(draft.values) !== typed(formValues(form))) {
      fillForm(form, draft.values);
      if (draft.values.linkedin_url || draft.values.email || draft.values.tags) {
        var more = $("details", form);
        if (more) more.open = true;
      }
      var bar = document.createElement("p");
      bar.className = "draft-note";
      bar.setAttribute("role", "status");
      bar.textContent = "Your unsaved draft is back. ";
      var discard = document.createElement("button");
      discard.type = "button";
      discard.className = "button button-secondary";
      discard.textContent = "Discard draft";
      discard.addEventListener("click", function () {
        clearDraft();
        form.reset();
        bar.remove();
      });
      bar.appendChild(discard);
      form.insertBefore(bar, form.firstChild);
    }
    form.addEventListener("input", function () { saveDraft(form); });
    form.addEventListener("change", function () { saveDraft(form); });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") saveDraft(form);
    });
  }

  // --- Logging someone: kept on the phone first, then sent; with no signal it waits there ---

  function clientErrors(values) {
    var errors = {};
    if (!values.name.trim() && !values.description.trim()) errors.name = ["Add a name, or a few words to recognise them by."];
    if (values.follow_up && !values.follow_up_reason.trim()) {
      errors.follow_up_reason = ["Say why you will follow up, so the message has a real reason."];
    }
    return errors;
  }

  function showErrors(form, errors, message) {
    $$("[data-client-error]", form).forEach(function (el) { el.remove(); });
    $$(".has-error", form).forEach(function (el) { el.classList.remove("has-error"); });
    var first = null;
    Object.keys(errors).forEach(function (name) {
      var input = form.elements.namedItem(name);
      if (!input || !input.closest) return;
      var box = input.closest(".field");
      if (!box) return;
      box.classList.add("has-error");
      var p = document.createElement("p");
      p.className = "error";
      p.setAttribute("data-client-error", "");
      p.textContent = [].concat(errors[name]).join(" ");
      box.appendChild(p);
      var details = input.closest("details");
      if (details) details.open = true;
      first = first || input;
    });
    if (message || first) {
      var summary = document.createElement("p");
      summary.className = "error-summary";
      summary.setAttribute("role", "alert");
      summary.setAttribute("data-client-error", "");
      summary.textContent = message || "Please check the fields marked below.";
      form.insertBefore(summary, form.firstChild);
    }
    if (first) first.focus();
  }

  function notice(text) {
    try { sessionStorage.setItem(NOTICE_KEY, text); } catch (e) { /* shown nowhere, the list still says it */ }
  }

  function showNotice() {
    var text;
    try { text = sessionStorage.getItem(NOTICE_KEY); sessionStorage.removeItem(NOTICE_KEY); } catch (e) { return; }
    if (!text) return;
    var p = document.createElement("p");
    p.className = "flash flash-info";
    p.setAttribute("role", "status");
    p.textContent = text;
    var main = $("#main");
    if (main) main.insertBefore(p, main.firstChild);
  }

  function setupOfflineLog(form) {
    var csrf = $("meta[name=csrf-token]");
    form.addEventListener("submit", function (event) {
      // With signal, the form posts as usual (the server may ask "met before?"); the draft stays until it is saved.
      if (navigator.onLine && !noSignal && !servedOffline) {
        form.setAttribute("data-posted", "");
        saveDraft(form);
        return;
      }
      event.preventDefault();
      var values = formValues(form);
      var errors = clientErrors(values);
      if (Object.keys(errors).length) { showErrors(form, errors); return; }
      var fields = {};
      FIELDS.forEach(function (name) { if (name in values) fields[name] = values[name]; });
      var entry = {
        uuid: entryId(form), account: account, event_id: Number(form.getAttribute("data-event-id")),
        fields: fields, state: "waiting", created_at: new Date().toISOString(),
      };
      var button = $("button[type=submit]", form);
      if (button) button.disabled = true;
      var eventUrl = form.getAttribute("data-event-url");
      Queue.add(entry).then(function () {
        form.setAttribute("data-saved", "");
        clearDraft();
        if (!navigator.onLine) throw new Error("offline");
        return Queue.send(entry, urls.sync, csrf ? csrf.content : "", { announce: true, timeout: 8000 });
      }).then(function (answer) {
        if (answer.status === 400 && answer.body.fields) {
          // Not stored: the form still holds everything, with the server's messages beside the fields.
          return Queue.remove(entry.uuid).then(function () {
            form.removeAttribute("data-saved");
            saveDraft(form);
            showErrors(form, answer.body.fields, answer.body.error);
            if (button) button.disabled = false;
          });
        }
        return Queue.settle(entry, answer).then(function (outcome) {
          if (outcome === "retry") {
            notice(label(entry) + " is saved on this phone and will be sent as soon as possible.");
            syncNow();
          } else if (outcome === "refused") {
            notice(label(entry) + " was not saved: " + entry.message);
          }
          window.location.assign(eventUrl);
        });
      }).catch(function () {
        // No signal (or no answer): the entry waits on the phone, counted on the event's page.
        notice(label(entry) + " is saved on this phone. It will be sent when the signal is back.");
        askBackgroundSync();
        window.location.assign(eventUrl);
      });
    });
  }

  // --- Logging out with people still waiting: say so, instead of leaving them behind silently ---

  function setupLogoutWarning(form) {
    form.addEventListener("submit", function (event) {
      if (form.hasAttribute("data-confirmed")) return;
      event.preventDefault();
      entriesHere().then(function (entries) {
        var waiting = entries.filter(function (e) { return e.state === "waiting"; }).length;
        if (!waiting) { form.setAttribute("data-confirmed", ""); form.submit(); return; }
        var warning = $("[data-logout-warning]", form) || document.createElement("p");
        warning.className = "logout-warning";
        warning.setAttribute("data-logout-warning", "");
        warning.setAttribute("role", "alert");
        warning.textContent = plural(waiting, "person is", "people are") + " still waiting to sync on this phone. " +
          "They stay here and are sent the next time you log in with this account, not with any other.";
        form.insertBefore(warning, form.firstChild);
        var button = $("button[type=submit]", form);
        if (button) button.textContent = "Log out anyway";
        form.setAttribute("data-confirmed", "");
      });
    });
  }

  // --- Start ---

  // The service worker sends the log form back here when its POST found no signal.
  if (/[?&]no_signal=1/.test(location.search)) {
    noSignal = true;
    if (window.history.replaceState) window.history.replaceState(null, "", location.pathname);
    notice("The server did not answer (no signal?). Your entry is still here: save it again to keep it on " +
      "this phone and send it when the signal is back.");
  }
  showNotice();
  if (!$("form[data-draft]")) forgetPostedDrafts();
  $$("form[data-draft]").forEach(function (form) {
    renewEntry(form);
    setupDraft(form);
    if (hasQueue && account && form.hasAttribute("data-offline-log")) setupOfflineLog(form);
    else form.addEventListener("submit", function () { form.setAttribute("data-posted", ""); saveDraft(form); });
  });
  if (hasQueue && account) $$("form[action$='/logout']").forEach(setupLogoutWarning);
  refresh().then(function (entries) {
    if (entries.some(function (e) { return e.state === "waiting"; })) syncNow();
  });
})();
