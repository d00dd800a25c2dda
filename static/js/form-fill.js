// Filling a form from script the way typing would: listeners (the draft) hear it, and a folded
// <details> that now holds something opens so nothing filled in is hidden.

export function setField(form, name, value) {
  const input = form.elements.namedItem(name);
  if (!input || !value) return false;
  input.value = value;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  return true;
}

export function addToNotes(form, text) {
  const notes = form.elements.namedItem("notes");
  if (!notes || !text) return;
  const before = notes.value.trim();
  setField(form, "notes", before ? before + "\n" + text : text);
}

function filled(el) {
  return el.type === "checkbox" || el.type === "radio" ? el.checked : Boolean(el.value && el.type !== "hidden");
}

export function openFilledDetails(form) {
  for (const details of form.querySelectorAll("details")) {
    if ([...details.querySelectorAll("input, textarea, select")].some(filled)) details.open = true;
  }
}
