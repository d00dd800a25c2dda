// Drafts kept on the phone (localStorage), one per account and page: what a form holds, writing and
// reading it, and ending drafts whose form was posted. Every page loads this to end those drafts;
// draft-forms.js uses it to keep and bring back drafts as you type.
import { $$, cookie, setCookie } from "./page.js";

const PREFIX = "hallway:draft:";

// One account's drafts never show up for another on a shared phone. The account is its key (User.account_key,
// "<id>.<when it was made, in ms>"), never its id alone, which SQLite gives a deleted account's successor.
export function draftKey(account, path) { return PREFIX + account + ":" + path; }

// A draft kept before accounts had keys names the id alone: it moves to the account's key if it was typed since
// the account was made. One typed earlier was a deleted account's, and stays out of sight.
export function keepEarlierDraft(account, path) {
  const [id, since] = String(account).split(".");
  if (!since) return;
  const earlier = draftKey(id, path);
  const draft = readDraft(earlier);
  try {
    if (draft && draft.saved_at >= Number(since) && readDraft(draftKey(account, path)) === null) {
      localStorage.setItem(draftKey(account, path), JSON.stringify(draft));
      localStorage.removeItem(earlier);
    }
  } catch { /* no storage */ }
}

// What the user typed: every named field of the form, but not the CSRF token, files or hidden fields. Hidden
// fields are the server's (a token) except the entry id (which makes a save idempotent, so a restored draft keeps
// its own) and those kept with what the user typed (data-kept: "Same person" in "Already met?", the scanned code's
// text and what it filled, and what an edit form said when it was opened, so a draft saved later changes only
// what was typed in it).
function kept(el) {
  return el.name === "entry" || el.hasAttribute("data-kept");
}

export function formValues(form) {
  const values = {};
  for (const el of $$("input[name], textarea[name], select[name]", form)) {
    if (el.name === "csrf_token" || el.type === "file" || (el.type === "hidden" && !kept(el))) continue;
    values[el.name] = el.type === "checkbox" ? el.checked : el.value;
  }
  return values;
}

export function fillForm(form, values) {
  for (const [name, value] of Object.entries(values)) {
    const el = form.elements.namedItem(name);
    if (!el || (el.type === "hidden" && !kept(el))) continue;
    if (el.type === "checkbox") el.checked = Boolean(value);
    else el.value = value;
  }
}

// Whether two sets of values hold the same typing (the entry id aside).
export function sameTyping(a, b) {
  const typed = (values) => JSON.stringify(Object.entries(values).filter(([k]) => k !== "entry"));
  return typed(a) === typed(b);
}

export function readDraft(key) {
  try { return JSON.parse(localStorage.getItem(key) || "null"); } catch { return null; }
}

export function clearDraft(key) {
  try { localStorage.removeItem(key); } catch { /* nothing kept */ }
}

// The server names the address of a form it saved in a cookie (web.py, name_the_saved_form). It is deleted as
// a form is posted, so when it names a form's address, that form's last post was saved.
const SAVED_FORM = "form_saved";

export function postingForm() { setCookie(SAVED_FORM, "", 0); }

function actionOf(form) { return new URL(form.action, location.href).pathname; }

export function savedByServer(form) {
  return cookie(SAVED_FORM) === actionOf(form);
}

// A posted form's draft is marked so (it ends when the next page loads); a saved one is not written again.
export function saveDraft(form, key) {
  if (form.hasAttribute("data-saved")) return;
  try {
    localStorage.setItem(key, JSON.stringify({
      saved_at: Date.now(), values: formValues(form), posted: form.hasAttribute("data-posted"), action: actionOf(form),
    }));
  } catch { /* storage full or disabled: the form still works */ }
}

// A draft whose form was posted is done once another page loads, if the server said it saved that form: a post
// that failed (no signal, a form expired in another tab) leaves the browser's error page, or the page after it,
// and the draft comes back on its form.
export function forgetPostedDrafts(account, keepKey) {
  const saved = cookie(SAVED_FORM);
  if (!saved) return;
  try {
    for (let i = localStorage.length - 1; i >= 0; i--) {
      const key = localStorage.key(i);
      if (!key.startsWith(draftKey(account, "")) || key === keepKey) continue;
      const draft = readDraft(key);
      if (draft && draft.posted && draft.action === saved) localStorage.removeItem(key);
    }
  } catch { /* no storage */ }
}
