// Copying text for the user: the Clipboard API where the page may use it (https or localhost),
// else the text selected in its box and copied the old way. Resolves to true when copied.

export function copyText(text, box) {
  const api = navigator.clipboard && window.isSecureContext
    ? navigator.clipboard.writeText(text)
    : Promise.reject(new Error("no clipboard"));
  return api.then(() => true, () => {
    if (!box) return false;
    box.focus();
    box.select();
    try { return document.execCommand("copy"); } catch { return false; }
  });
}
