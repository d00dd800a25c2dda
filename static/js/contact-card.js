// Contact cards read from a QR code on the phone: vCard 2.1 (what many Android phones make: quoted-printable,
// a CHARSET, soft line breaks, grouped properties), 3.0 and 4.0, MeCard and BIZCARD. The server reads the same
// text again with vobject (webapp/people/contact_card.py) when it has more to find. Loaded by the page, and by
// node in the tests (tests/test_contact_cards.py compares it with ZXing's own parser).
(function (root) {
  "use strict";

  // The page loads linkedin.js beside this file, and either may run first: it is looked up when a card is read.
  var linkedInRule = typeof module !== "undefined" && module.exports ? require("./linkedin.js") : null;
  function linkedin() {
    return linkedInRule || root.HallwayLinkedIn;
  }

  // --- vCard ---------------------------------------------------------------------------------------

  function unescapeText(value) {
    return value.replace(/\\([\\;,:nN])/g, function (_, c) { return c === "n" || c === "N" ? "\n" : c; });
  }

  function split(value, separator) {
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

  // The lines of the card with folding undone: a space or tab starts a continued line (3.0, 4.0), and a
  // quoted-printable line ending in "=" goes on in the next one (2.1's soft line breaks).
  function unfold(text) {
    var lines = [];
    text.replace(/\r\n?/g, "\n").split("\n").forEach(function (line) {
      var last = lines.length - 1;
      if (last >= 0 && lines[last].softBreak) {
        lines[last].text = lines[last].text.slice(0, -1) + line;
        lines[last].softBreak = /=$/.test(line);
      } else if (last >= 0 && /^[ \t]/.test(line)) {
        lines[last].text += line.slice(1);
      } else {
        var quoted = /^[^:]*QUOTED-PRINTABLE[^:]*:/i.test(line);
        lines.push({ text: line, softBreak: quoted && /=$/.test(line) });
      }
    });
    return lines.map(function (line) { return line.text; });
  }

  function decodeQuotedPrintable(value, charset) {
    var bytes = [];
    for (var i = 0; i < value.length; i++) {
      var hex = value.slice(i + 1, i + 3);
      if (value[i] === "=" && /^[0-9A-Fa-f]{2}$/.test(hex)) {
        bytes.push(parseInt(hex, 16));
        i += 2;
      } else {
        var encoded = new TextEncoder().encode(value[i]);
        for (var j = 0; j < encoded.length; j++) bytes.push(encoded[j]);
      }
    }
    try {
      return new TextDecoder(charset || "utf-8").decode(new Uint8Array(bytes));
    } catch (e) {
      return new TextDecoder("utf-8").decode(new Uint8Array(bytes));
    }
  }

  // {group, name, params: {NAME: [values]}, types: [lowercase], value}
  function property(line) {
    var colon = -1;
    var quoted = false;
    for (var i = 0; i < line.length; i++) {
      if (line[i] === '"') quoted = !quoted;
      if (line[i] === ":" && !quoted) { colon = i; break; }
    }
    if (colon < 0) return null;
    var head = split(line.slice(0, colon), ";");
    var nameParts = head[0].trim().split(".");
    var prop = { name: nameParts.pop().toUpperCase(), group: nameParts.join(".").toLowerCase(), params: {}, types: [] };
    head.slice(1).forEach(function (param) {
      var eq = param.indexOf("=");
      var key = eq < 0 ? "TYPE" : param.slice(0, eq).trim().toUpperCase();
      var value = (eq < 0 ? param : param.slice(eq + 1)).replace(/^"|"$/g, "");
      if (eq < 0 && /^(QUOTED-PRINTABLE|BASE64|8BIT|7BIT|B)$/i.test(value)) key = "ENCODING";
      (prop.params[key] = prop.params[key] || []).push(value);
      if (key === "TYPE") {
        value.split(",").forEach(function (t) { prop.types.push(t.trim().toLowerCase()); });
      }
    });
    var raw = line.slice(colon + 1);
    var encoding = (prop.params.ENCODING || [""])[0].toUpperCase();
    if (encoding === "QUOTED-PRINTABLE") raw = decodeQuotedPrintable(raw, (prop.params.CHARSET || [""])[0]);
    prop.value = raw;
    return prop;
  }

  function text(prop) {
    return unescapeText(prop.value).trim();
  }

  function joinName(parts) {
    return parts.map(function (s) { return (s || "").trim(); }).filter(Boolean).join(" ");
  }

  function parseVCard(source) {
    var props = unfold(source).map(property).filter(Boolean);
    var labels = {};  // Apple's "item1.X-ABLabel:LinkedIn" names what item1's other properties are
    props.forEach(function (p) { if (p.name === "X-ABLABEL" && p.group) labels[p.group] = text(p).toLowerCase(); });
    var card = { name: "", company: "", role: "", email: "", phone: "", note: "", address: "", linkedin: "", urls: [] };
    var formatted = "";
    var structured = "";
    var links = [];
    props.forEach(function (p) {
      var value = text(p);
      switch (p.name) {
        case "FN": formatted = formatted || value; break;
        case "N":
          if (!structured) {
            var n = split(p.value, ";").map(function (s) { return unescapeText(s); });
            structured = joinName([n[3], n[1], n[2], n[0], n[4]]);
          }
          break;
        case "ORG": card.company = card.company || unescapeText(split(p.value, ";")[0]).trim(); break;
        case "TITLE": card.role = card.role || value; break;
        case "EMAIL": card.email = card.email || value.replace(/^mailto:/i, ""); break;
        case "TEL": card.phone = card.phone || value.replace(/^tel:/i, ""); break;
        case "NOTE": card.note = card.note || value; break;
        case "ADR": card.address = card.address || address(split(p.value, ";").map(unescapeText)); break;
        case "URL": links.push({ url: value, social: false, label: labels[p.group] || "" }); break;
        case "X-SOCIALPROFILE":
        case "IMPP":
          links.push({ url: value, social: true, types: p.types.concat(p.params["X-SERVICE-TYPE"] || []),
            user: (p.params["X-USER"] || [""])[0], label: labels[p.group] || "" });
          break;
        default: break;
      }
    });
    card.name = formatted || structured;
    sortLinks(card, links);
    return card;
  }

  // A postal address as one line: its parts (street, town, postcode...) in the order written, the empty ones left
  // out ("76 9th Ave, New York, NY, 10011").
  function address(parts) {
    return parts.map(function (part) { return part.split(/\s*\n\s*/).join(", ").trim(); }).filter(Boolean).join(", ");
  }

  // A LinkedIn profile among the links fills their LinkedIn; other web addresses go to the notes, as written
  // ("google.com" is their website too).
  function sortLinks(card, links) {
    links.forEach(function (link) {
      var profile = linkedin().profile(link.url);
      var isLinkedIn = /linkedin/i.test((link.types || []).join(" ") + " " + link.label);
      if (!profile && isLinkedIn && link.user) profile = linkedin().profile("linkedin.com/in/" + link.user);
      if (profile) {
        card.linkedin = card.linkedin || profile;
      } else if (!link.social && link.url) {
        card.urls.push(link.url);
      }
    });
  }

  // --- MeCard and BIZCARD (the short forms of Japanese phones and old readers) ---------------------

  function fields(source, prefix) {
    var found = {};
    split(source.replace(prefix, ""), ";").forEach(function (part) {
      var colon = part.indexOf(":");
      if (colon < 0) return;
      var key = part.slice(0, colon).trim().toUpperCase();
      var value = unescapeText(part.slice(colon + 1)).trim();
      if (value) (found[key] = found[key] || []).push(value);
    });
    return found;
  }

  function first(found, key) { return (found[key] || [""])[0]; }

  function parseMeCard(source) {
    var f = fields(source, /^MECARD:/i);
    var n = first(f, "N");
    var comma = n.indexOf(",");
    var card = {
      name: comma >= 0 ? joinName([n.slice(comma + 1), n.slice(0, comma)]) : n,
      company: first(f, "ORG"), role: first(f, "TITLE"), email: first(f, "EMAIL"), phone: first(f, "TEL"),
      note: first(f, "NOTE"), address: first(f, "ADR"), linkedin: "", urls: [],
    };
    sortLinks(card, (f.URL || []).map(function (url) { return { url: url, social: false }; }));
    return card;
  }

  function parseBizCard(source) {
    var f = fields(source, /^BIZCARD:/i);
    var card = {
      name: joinName([first(f, "N"), first(f, "X")]), company: first(f, "C"), role: first(f, "T"),
      email: first(f, "E"), phone: first(f, "M") || first(f, "B") || first(f, "F"), note: "", address: first(f, "A"),
      linkedin: "", urls: [],
    };
    return card;
  }

  // The address book entry of older Japanese phones (au, DoCoMo): "MEMORY:", "NAME1:", "TEL1:" lines.
  function parseAddressBook(source) {
    var f = {};
    source.replace(/\r\n?/g, "\n").split("\n").forEach(function (line) {
      var match = /^([A-Z]+)\d*:(.*)$/i.exec(line.trim());
      if (match && match[2].trim()) (f[match[1].toUpperCase()] = f[match[1].toUpperCase()] || []).push(match[2].trim());
    });
    return { name: first(f, "NAME"), company: "", role: "", email: first(f, "MAIL"), phone: first(f, "TEL"),
      note: first(f, "MEMORY"), address: "", linkedin: "", urls: [] };
  }

  // The card in the text, or null when the text is not a contact card.
  function read(source) {
    var value = String(source || "").replace(/^\uFEFF/, "").trim();
    if (/^BEGIN:VCARD/i.test(value)) return parseVCard(value);
    if (/^MECARD:/i.test(value)) return parseMeCard(value);
    if (/^BIZCARD:/i.test(value)) return parseBizCard(value);
    if (/^(MEMORY|NAME1):/im.test(value) && /^(NAME1|TEL1|MAIL1):/im.test(value)) return parseAddressBook(value);
    return null;
  }

  // --- What a scanned code changes in the log form ----------------------------------------------------

  // What a code's text fills in: the contact fields it holds, by the form's names, and the lines it adds to the
  // notes. A LinkedIn profile among other words fills their LinkedIn, and their name when the code has one;
  // a code that holds no contact goes to the notes whole.
  function fills(text) {
    var card = read(text);
    if (card) {
      return { card: card, found: null, notes: card.urls.concat([card.address, card.note]).filter(Boolean),
        fields: { name: card.name, company: card.company, role: card.role, email: card.email, phone: card.phone,
          linkedin_url: card.linkedin } };
    }
    var found = linkedin().inText(text);
    if (found && found.profile) {
      // Their name before their LinkedIn, which would suggest one from its handle.
      return { card: null, found: found, notes: [], fields: { name: found.name, linkedin_url: found.profile } };
    }
    return { card: null, found: found, notes: text ? [text] : [], fields: {} };
  }

  function lines(text) {
    return String(text || "").split(/\r\n?|\n/);
  }

  // The notes without the lines a code added to them, each block of lines taken out once, the last first
  // (a code adds its lines after what was there).
  function notesWithout(notes, added) {
    var kept = lines(notes);
    added.forEach(function (piece) {
      var block = lines(piece);
      for (var i = kept.length - block.length; i >= 0; i--) {
        if (block.every(function (line, j) { return kept[i + j].trim() === line.trim(); })) {
          kept.splice(i, block.length);
          return;
        }
      }
    });
    return kept.join("\n").trim();
  }

  // What scanning a code does to the log form, given its values now (by name; scanned_text and scanned_filled
  // being the previous code's, if any): {clear: [fields], fields: {name: value}, notes, card, found, nameFromCode}.
  // The previous code's contact fields (scanned_filled) and the lines it added to the notes make way for the new
  // one's: a second code is most often another person. What the user typed stays; a LinkedIn profile's
  // name fills their name only when it is empty.
  function scanInto(values, text) {
    var before = values.scanned_text ? fills(String(values.scanned_text).trim()) : { notes: [] };
    var clear = String(values.scanned_filled || "").split(/\s+/).filter(Boolean);
    var now = fills(text);
    var fields = {};
    Object.keys(now.fields).forEach(function (name) {
      if (now.fields[name]) fields[name] = now.fields[name];
    });
    var nameFromCode = Boolean(now.found && fields.name);
    if (nameFromCode && clear.indexOf("name") < 0 && String(values.name || "").trim()) {
      delete fields.name;
      nameFromCode = false;
    }
    var notes = notesWithout(values.notes, before.notes);
    now.notes.forEach(function (piece) { notes = notes ? notes + "\n" + piece : piece; });
    return { clear: clear.filter(function (name) { return !(name in fields); }), fields: fields, notes: notes,
      card: now.card, found: now.found, nameFromCode: nameFromCode };
  }

  var api = { read: read, scanInto: scanInto };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.HallwayContactCard = api;
})(this);
