// LinkedIn profile addresses on the phone: the same rule as the server's webapp/linkedin.py, tested against
// the same list of links (tests/data/linkedin-links.json). Loaded by the page, and by node in the tests.
(function (root) {
  "use strict";

  var CANONICAL_PREFIX = "https://www.linkedin.com/in/";
  var EXPECTED = "Paste your LinkedIn profile address, like linkedin.com/in/your-name.";
  var SHORT_LINK = "That is a short link: open it, then copy the full linkedin.com/in/… address.";
  var OLD_LINK = "That is an old-style LinkedIn address that no longer opens a profile. Open the profile in " +
    "LinkedIn and copy its linkedin.com/in/… address.";
  var NOT_A_PERSON = "That is a LinkedIn page, not a person's profile. ";
  var CUT_SHORT = "That profile address looks cut short. ";
  var TOO_LONG = "That profile address is longer than any LinkedIn gives (100 characters after /in/). ";
  var NOT_A_NAME = "That profile address has characters LinkedIn does not use in one. ";
  var HOST = /^([a-z]{1,3}\.)?(www\.)?linkedin\.com\.?$/;
  var SURFACES = ["mwlite", "comm"];
  var PAGES = ["company", "school", "showcase", "groups", "jobs", "posts", "feed", "pulse", "learning", "events"];
  var MEMBER_ID = /^ACoAA[A-Za-z0-9_-]+$/;
  var HANDLE_CHARS = /^[\p{L}\p{M}\p{N}\p{Cf}_-]+$/u;
  var LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
  // Invisible format characters a copy brings along (a zero-width space, a byte order mark, a direction mark):
  // no one can see them, so no one means them. Those written into an address (%E2%80%8E) stay, as on the server.
  var INVISIBLE = /\p{Cf}/gu;

  function refused(message) { return { profile: null, message: message }; }

  function isHandle(handle) {
    var length = Array.from(handle).length;
    return length >= 2 && length <= 100 && HANDLE_CHARS.test(handle) && LETTER_OR_DIGIT.test(handle);
  }

  // {profile: canonical address} or {profile: null, message: what to tell the user}.
  function read(text) {
    var value = String(text || "").replace(INVISIBLE, "").trim();
    if (!value) return refused(EXPECTED);
    if (value.indexOf("://") < 0) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(value) && !/^[\w.-]+\.[a-z]{2,}\.?[:/]/i.test(value)) return refused(EXPECTED);
      value = "https://" + value.replace(/^\/+/, "");
    }
    var url;
    try { url = new URL(value); } catch (e) { return refused(EXPECTED); }
    if (url.protocol !== "http:" && url.protocol !== "https:") return refused(EXPECTED);
    var host = url.hostname.toLowerCase();
    if (host.replace(/\.$/, "") === "lnkd.in") return refused(SHORT_LINK);
    if (!HOST.test(host) || url.username || url.password) return refused("That is not a LinkedIn address. " + EXPECTED);
    var segments = url.pathname.split("/").filter(Boolean);
    if (segments.length && SURFACES.indexOf(segments[0].toLowerCase()) >= 0) segments = segments.slice(1);
    var first = segments.length ? segments[0].toLowerCase() : "";
    if (first === "pub" || (first === "profile" && url.search.indexOf("id=") >= 0)) return refused(OLD_LINK);
    if (PAGES.indexOf(first) >= 0) return refused(NOT_A_PERSON + EXPECTED);
    if (first !== "in" || segments.length < 2) return refused(EXPECTED);
    var handle;
    // One spelling of an accent (one character, as LinkedIn writes it), as on the server.
    try { handle = decodeURIComponent(segments[1]).trim().normalize("NFC"); } catch (e) { return refused(CUT_SHORT + EXPECTED); }
    if (!isHandle(handle)) {
      var length = Array.from(handle).length;
      return refused((length > 100 ? TOO_LONG : length < 2 ? CUT_SHORT : NOT_A_NAME) + EXPECTED);
    }
    if (!MEMBER_ID.test(handle)) handle = handle.toLowerCase();
    return { profile: CANONICAL_PREFIX + encodeURIComponent(handle), message: "" };
  }

  // The address as a person reads it: "linkedin.com/in/jürgen-müller", not "linkedin.com/in/j%C3%BCrgen-...",
  // as the server writes it (readable_profile_url); the link keeps the encoded one.
  function readable(profile) {
    var text;
    try { text = decodeURIComponent(profile); } catch (e) { text = profile; }
    return text.replace(/^https:\/\//, "").replace(/^www\./, "");
  }

  // --- A profile among other words (a scanned code's text, something shared) ----------------------------

  // A word that is a LinkedIn address, a profile or not (lnkd.in short links too): what it is not gets said.
  var LINKEDIN_ADDRESS = /^(https?:)?\/*([a-z0-9-]+\.)*(linkedin\.com|lnkd\.in)\.?([:/?#]|$)/i;
  // A name as people write it above their link: a few words, each starting with a capital (or in a script
  // with none), of letters and the marks names hold.
  var NAME_WORD = /^[\p{Lu}\p{Lt}\p{Lo}][\p{L}\p{M}'’.-]*$/u;

  // The words of a text without what surrounds a link in a sentence: "(linkedin.com/in/jane)." is a link, and so
  // is one written straight after a word ("connect:https://…").
  function words(text) {
    return String(text || "").replace(/(https?:\/\/)/gi, " $1").split(/\s+/).map(function (word) {
      return word.replace(/^[(<\[«“‘"']+|[)>\]»”’"'.,;:!?]+$/g, "");
    }).filter(Boolean);
  }

  function readsAsAName(line) {
    var parts = line.split(/\s+/);
    return line.length <= 120 && parts.length <= 4 && !/linkedin/i.test(line) &&
      parts.every(function (part) { return NAME_WORD.test(part); });
  }

  // A LinkedIn profile anywhere in a text: {profile, message: "", name}, name being the text's first line when the
  // link comes after it and it reads as a name ("Jane Doe", then their link), else "". A LinkedIn address that
  // opens no profile (a short link, a company's page): {profile: null, message: why, name: ""}. null when the
  // text holds no LinkedIn address at all.
  function inText(text) {
    var lines = String(text || "").split(/\r\n?|\n/).map(function (line) { return line.trim(); }).filter(Boolean);
    var refusal = null;
    for (var i = 0; i < lines.length; i++) {
      var each = words(lines[i]).filter(function (word) { return LINKEDIN_ADDRESS.test(word.replace(INVISIBLE, "")); });
      for (var j = 0; j < each.length; j++) {
        var found = read(each[j]);
        if (found.profile) {
          return { profile: found.profile, message: "", name: i > 0 && readsAsAName(lines[0]) ? lines[0] : "" };
        }
        refusal = refusal || { profile: null, message: found.message, name: "" };
      }
    }
    return refusal;
  }

  var api = { read: read, readable: readable, inText: inText, profile: function (text) { return read(text).profile; } };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.HallwayLinkedIn = api;
})(this);
