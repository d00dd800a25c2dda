// What a scanned QR code says: a LinkedIn profile, a contact card (vCard or MeCard), or just text.
// No page access here, so the parsing can be tested on its own.

const LINKEDIN_HOST = /^([a-z]{1,3}\.)?(www\.)?linkedin\.com$/i;
const HANDLE = /^[\p{L}\p{N}][\p{L}\p{N}_-]{1,99}$/u;

// The same canonical form as the server's webapp/linkedin.py, or null for anything else.
export function linkedinProfile(text) {
  let value = String(text || "").trim();
  if (!/^https?:\/\//i.test(value)) {
    if (!/^([\w-]+\.)*linkedin\.com\//i.test(value)) return null;
    value = "https://" + value;
  }
  let url;
  try { url = new URL(value); } catch { return null; }
  if (!LINKEDIN_HOST.test(url.hostname)) return null;
  const parts = url.pathname.split("/").filter(Boolean);
  if (parts.length < 2 || parts[0].toLowerCase() !== "in") return null;
  let handle;
  try { handle = decodeURIComponent(parts[1]).trim(); } catch { return null; }
  if (!HANDLE.test(handle)) return null;
  return "https://www.linkedin.com/in/" + encodeURIComponent(handle.toLowerCase());
}

function unescapeValue(value) {
  return value.replace(/\\([\\;,:nN])/g, (_, c) => (c === "n" || c === "N" ? "\n" : c));
}

// Split on a separator that is not escaped with a backslash (escapes are kept for unescapeValue).
function splitUnescaped(value, separator) {
  const parts = [];
  let current = "";
  for (let i = 0; i < value.length; i++) {
    if (value[i] === "\\" && i + 1 < value.length) { current += value[i] + value[i + 1]; i++; continue; }
    if (value[i] === separator) { parts.push(current); current = ""; continue; }
    current += value[i];
  }
  parts.push(current);
  return parts;
}

function personName(family, given) {
  return [given, family].map((s) => (s || "").trim()).filter(Boolean).join(" ");
}

export function parseVCard(text) {
  const lines = text.replace(/\r\n?/g, "\n").replace(/\n[ \t]/g, "").split("\n");
  const card = { urls: [] };
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const key = line.slice(0, colon).split(";")[0].replace(/^item\d+\./i, "").toUpperCase();
    const raw = line.slice(colon + 1);
    if (key === "URL") {
      card.urls.push(unescapeValue(raw).trim());
    } else if (key === "N") {
      const n = splitUnescaped(raw, ";").map(unescapeValue);
      card.n = personName(n[0], n[1]);
    } else if (key === "ORG") {
      card.company = card.company || unescapeValue(splitUnescaped(raw, ";")[0]).trim();
    } else {
      const field = { FN: "name", TITLE: "role", ROLE: "role", EMAIL: "email", NOTE: "note" }[key];
      if (field && !card[field]) card[field] = unescapeValue(raw).trim();
    }
  }
  card.name = card.name || card.n || "";
  delete card.n;
  return card;
}

export function parseMeCard(text) {
  const card = { urls: [] };
  for (const part of splitUnescaped(text.replace(/^MECARD:/i, ""), ";")) {
    const colon = part.indexOf(":");
    if (colon < 0) continue;
    const key = part.slice(0, colon).toUpperCase();
    const value = unescapeValue(part.slice(colon + 1)).trim();
    if (!value) continue;
    if (key === "N") {
      const n = splitUnescaped(part.slice(colon + 1), ",").map(unescapeValue);
      card.name = personName(n[0], n[1]);
    } else if (key === "URL") {
      card.urls.push(value);
    } else {
      const field = { ORG: "company", TITLE: "role", EMAIL: "email", NOTE: "note" }[key];
      if (field && !card[field]) card[field] = value;
    }
  }
  card.name = card.name || "";
  return card;
}

// What the log form should get from a code: {kind, fields (by form field name), notes (lines to add)}.
// kind is "linkedin" (a profile address), "contact" (a vCard or MeCard) or "text" (anything else).
export function readQrText(text) {
  text = String(text || "").trim();
  if (!text) return null;
  const profile = linkedinProfile(text);
  if (profile) return { kind: "linkedin", fields: { linkedin_url: profile }, notes: [] };
  const isMeCard = /^MECARD:/i.test(text);
  if (!isMeCard && !/^BEGIN:VCARD/i.test(text)) return { kind: "text", fields: {}, notes: [text] };
  const card = isMeCard ? parseMeCard(text) : parseVCard(text);
  const fields = {};
  for (const name of ["name", "company", "role", "email"]) if (card[name]) fields[name] = card[name];
  const notes = [];
  for (const url of card.urls) {
    const linkedin = linkedinProfile(url);
    if (linkedin) fields.linkedin_url = linkedin;
    else if (url) notes.push(url);
  }
  if (card.note) notes.push(card.note);
  return { kind: "contact", fields, notes };
}
