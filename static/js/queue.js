// People logged with no signal wait here (IndexedDB) until the server has them.
// Shared by the pages and the service worker, so both send them the same way. It stays a classic
// script (no import/export) because the worker loads it with importScripts; the pages' modules
// reach it through offline-queue.js.
// Each entry keeps the account that logged it: it is only ever sent while that account is logged in.
// An account is known by its key (User.account_key: "<id>.<when it was made, in ms>"), never by its id alone,
// which SQLite gives a deleted account's successor.
(function (root) {
  "use strict";

  var DB_NAME = "hallway";
  var STORE = "meetings";
  var running = null;

  // (Its "account" index, from the first version, is not read: entries of before account keys are found too.)
  function open() {
    return new Promise(function (resolve, reject) {
      var request = root.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "uuid" }).createIndex("account", "account");
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withStore(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var request = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  // A version 4 UUID; crypto.randomUUID only exists on https, and phones on a LAN may use http.
  function uuid4() {
    if (root.crypto && root.crypto.randomUUID) return root.crypto.randomUUID();
    var b = root.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function add(entry) {
    return withStore("readwrite", function (s) { return s.put(entry); }).then(function () { return entry; });
  }

  function remove(uuid) {
    return withStore("readwrite", function (s) { return s.delete(uuid); });
  }

  // Whether the account with this key logged the entry. One queued before accounts had keys names the id alone:
  // it is this account's only if made since the account was, else it was logged by a deleted account that had the
  // id before, and is never sent into (nor shown to) this one.
  function loggedBy(entry, account) {
    if (entry.account === account) return true;
    var key = String(account).split(".");
    return key.length === 2 && entry.account === key[0] && Date.parse(entry.created_at) >= Number(key[1]);
  }

  // Every entry of one account, oldest first (or of all accounts when account is null).
  function entries(account) {
    return withStore("readonly", function (s) { return s.getAll(); }).then(function (list) {
      return (list || []).filter(function (e) { return account == null || loggedBy(e, account); })
        .sort(function (a, b) { return a.created_at < b.created_at ? -1 : 1; });
    });
  }

  function payload(entry) {
    // When it was made goes with every entry: the server keeps it as when they were met (the day at a
    // conference, sent the next day), and with no event on its form files it under the event running then
    // (else that day's quick event): the phone's copy of the form may be from another day, or older than the event.
    var body = { uuid: entry.uuid, event_id: entry.event_id, account: entry.account, met_at: entry.created_at };
    if (entry.event_id == null && entry.quick_day) body.quick_day = entry.quick_day;
    Object.keys(entry.fields).forEach(function (k) { body[k] = entry.fields[k]; });
    return body;
  }

  // A request that gives up after ms: on a weak signal no sync waits for ever (nor keeps the others waiting).
  // Resolves to {status, body}; rejects when the network fails or the time passes.
  function fetchWithin(url, init, ms) {
    var controller = root.AbortController ? new root.AbortController() : null;
    var timer = controller && setTimeout(function () { controller.abort(); }, ms);
    init.credentials = "same-origin";
    init.cache = "no-store";
    if (controller) init.signal = controller.signal;
    return root.fetch(url, init).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { status: response.status, body: body };
      });
    }).finally(function () { if (timer) clearTimeout(timer); });
  }

  // Files added on a person's page wait with no meeting to send: the person is on the server already.
  function sendEntry(entry, url, token) {
    if (entry.person_id != null) return Promise.resolve({ status: 200, body: {} });
    return send(entry, url, token);
  }

  // One POST of an entry.
  function send(entry, url, token, options) {
    options = options || {};
    var headers = { "Content-Type": "application/json", "X-CSRFToken": token, "Accept": "application/json" };
    if (options.announce) headers["X-Hallway-Announce"] = "1";
    return fetchWithin(url, { method: "POST", headers: headers, body: JSON.stringify(payload(entry)) },
                       options.timeout || 15000);
  }

  // What an answer means for the entry on the phone: "sent" (stored, or stored before), "retry"
  // (logged out, an expired token, a server error: try again later) or "refused" (it will never be stored).
  function verdict(answer) {
    if (answer.status === 200 || answer.status === 201) return "sent";
    if (answer.status === 401 || answer.status >= 500 || answer.body.reason === "csrf") return "retry";
    return "refused";
  }

  // Why a refused entry was not stored, in the server's words where it gave any.
  function refusal(answer) {
    var errors = answer.body.fields || {};
    var details = Object.keys(errors).map(function (k) { return [].concat(errors[k]).join(" "); });
    // The server files someone met at an event deleted since as met with no event: a 404 is for an entry id
    // that another account saved.
    if (answer.status === 404) return "It was saved in another account, so it could not be saved in this one.";
    return (details.length ? details : [answer.body.error || "The server did not accept it."]).join(" ");
  }

  // Why a voice note or a photo was refused, in the server's words; gone is its person, not an event.
  function whyNotKept(answer) {
    return answer.status === 404 ? answer.body.error || "Its person is no longer there." : refusal(answer);
  }

  // One voice note or photo kept with an entry, sent after it (the server links the two by the entry's
  // id, in whichever order they arrive), or added on the page of a person the server has (person_id);
  // its own id makes a repeat harmless.
  function sendAttachment(entry, attachment, url, token, options) {
    options = options || {};
    var body = new root.FormData();
    body.append("uuid", attachment.uuid);
    if (entry.person_id != null) body.append("person", entry.person_id);
    else body.append("entry", entry.uuid);
    body.append("kind", attachment.kind);
    body.append("file", attachment.blob, attachment.kind === "voice" ? "voice-note" : "photo.jpg");
    return fetchWithin(url, {
      method: "POST", body: body, headers: { "X-CSRFToken": token, "Accept": "application/json" },
    }, options.timeout || 60000);
  }

  // After the entry itself was stored: send what waits with it, one at a time, each kept on the phone until
  // the server has it. Resolves to "sent" when nothing is left, "retry" when the rest must wait.
  function sendAttachments(entry, context) {
    var left = (entry.attachments || []).slice();
    if (!left.length) return Promise.resolve("sent");
    if (!context || !context.url) return Promise.resolve("retry");
    return left.reduce(function (chain, attachment) {
      return chain.then(function (outcome) {
        if (outcome === "retry") return outcome;
        return sendAttachment(entry, attachment, context.url, context.token, context).then(function (answer) {
          if (verdict(answer) === "retry") return "retry";
          // Stored, or refused for good (not a photo, too big): either way it is done, and a refusal is told.
          if (verdict(answer) === "refused") {
            entry.not_kept = (entry.not_kept || []).concat({ kind: attachment.kind, message: whyNotKept(answer) });
          }
          entry.attachments = entry.attachments.filter(function (a) { return a.uuid !== attachment.uuid; });
          return add(entry).then(function () { return "sent"; });
        }, function () { return "retry"; });
      });
    }, Promise.resolve("sent"));
  }

  // Only a success removes the entry from the phone; a refusal keeps it, with the reason, until discarded.
  // context ({url, token}) sends the entry's voice notes and photos once the entry itself is stored.
  function settle(entry, answer, context) {
    var outcome = verdict(answer);
    if (outcome === "sent") {
      return sendAttachments(entry, context).then(function (sent) {
        if (sent === "retry") return sent;
        return (entry.not_kept ? keptWithout(entry, answer) : remove(entry.uuid)).then(function () { return outcome; });
      });
    }
    if (outcome === "retry") return Promise.resolve(outcome);
    entry.state = "refused";
    entry.errors = answer.body.fields || {};
    entry.message = refusal(answer);
    return add(entry).then(function () { return outcome; });
  }

  // The person is stored but a voice note or a photo the server refused is not: the entry stays, "stored", to
  // say so (with a way to their page to add another) until dismissed; it is never sent again.
  function keptWithout(entry, answer) {
    entry.state = "stored";
    entry.person_url = entry.person_url || answer.body.person_url;
    return add(entry);
  }

  // A stored entry's answer says how many people its event counts now, as of the account's version:
  // {event_id, met, goal, version}, or null for any other answer.
  function progressOf(answer) {
    var body = answer.body || {};
    if (verdict(answer) !== "sent" || !body.progress || body.event_id == null) return null;
    return { event_id: body.event_id, met: body.progress.met, goal: body.progress.goal,
             version: body.progress.version };
  }

  function noteProgress(progress, answer) {
    var counted = progressOf(answer);
    if (!counted) return;
    var seen = progress[counted.event_id];
    if (!seen || seen.version < counted.version) progress[counted.event_id] = counted;
  }

  // Send every waiting entry of the account that is logged in now, one at a time.
  // Resolves to {sent, refused, waiting, retry, progress}; retry means "try again later" (no signal, logged
  // out...).
  function syncAll(urls) {
    if (running) return running;
    running = oneAtATime(function () { return syncWaiting(urls); }).finally(function () { running = null; });
    return running;
  }

  // When the signal comes back, each open page and the service worker's Background Sync start a sync at
  // once. Run them one after another (a Web Lock, shared by all of them): the first sends what waits,
  // the others find nothing left, so each person is sent once (and each page reloads once, see sync.js).
  function oneAtATime(work) {
    var locks = root.navigator && root.navigator.locks;
    if (!locks || !locks.request) return work();
    return locks.request("hallway-sync", work);
  }

  function syncWaiting(urls) {
    // progress: the newest count of people met the server gave, by event, for pages kept from before.
    var result = { sent: 0, refused: 0, waiting: 0, retry: false, progress: {} };
    return entries(null).then(function (all) {
      var waiting = all.filter(function (e) { return e.state === "waiting"; });
      result.waiting = waiting.length;
      if (!waiting.length) return result;
      return fetchWithin(urls.session, {}, 15000).then(function (answer) {
        if (answer.status !== 200) { result.retry = true; return result; }
        var session = answer.body;
        var mine = waiting.filter(function (e) { return loggedBy(e, session.account); });
        return mine.reduce(function (chain, entry) {
          return chain.then(function (stop) {
            if (stop) return true;
            return sendEntry(entry, urls.sync, session.csrf_token).then(function (answer) {
              noteProgress(result.progress, answer);
              return settle(entry, answer, { url: urls.attachments, token: session.csrf_token });
            }).then(function (outcome) {
              if (outcome === "retry") { result.retry = true; return true; }
              result[outcome] += 1;
              result.waiting -= 1;
              return false;
            });
          });
        }, Promise.resolve(false)).then(function () { return result; });
      });
    }).catch(function () {
      result.retry = true;
      return result;
    });
  }

  root.HallwayQueue = {
    uuid4: uuid4, add: add, remove: remove, entries: entries, payload: payload, send: send,
    sendAttachment: sendAttachment, verdict: verdict, refusal: refusal, settle: settle, syncAll: syncAll,
    progressOf: progressOf, loggedBy: loggedBy,
  };
})(self);
