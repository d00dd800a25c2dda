// A LinkedIn profile (typed, pasted or scanned) suggests the person's name from its handle:
// linkedin.com/in/jordan-kim-data -> "Jordan Kim". Only into an empty name field, and only as a
// suggestion: what the user types is never replaced.

// Words people add to their handle that are not part of their name.
const NOT_A_NAME = new Set(("data dev developer engineer engineering design designer tech ai ml ux ui pm hr " +
  "phd mba cpa pmp cfa md jr sr ceo cto cfo coo vp sre ops devops recruiter recruiting official real the " +
  "consultant consulting marketing sales product analyst scientist").split(" "));

export function nameFromHandle(url) {
  const match = /linkedin\.com\/in\/([^/?#]+)/i.exec(String(url || ""));
  if (!match) return "";
  let handle;
  try { handle = decodeURIComponent(match[1]); } catch { return ""; }
  const words = handle.split(/[-_.]+/)
    .filter((w) => w && !/\d/.test(w) && !NOT_A_NAME.has(w.toLowerCase()));
  if (!words.length || words.length > 4) return "";
  return words.map((w) => w.charAt(0).toLocaleUpperCase() + w.slice(1).toLocaleLowerCase()).join(" ");
}

export function wire(profile) {
  const name = profile.form && profile.form.elements.namedItem("name");
  if (!name) return;
  const hint = document.createElement("p");
  hint.className = "hint";
  hint.id = "name-suggested";
  hint.hidden = true;
  hint.textContent = "Suggested from their LinkedIn: change it if it is wrong.";
  name.insertAdjacentElement("afterend", hint);
  let suggested = "";
  const suggest = () => {
    const suggestion = nameFromHandle(profile.value);
    // Typed by the user (or a different suggestion already edited): leave it alone.
    if (name.value.trim() && name.value !== suggested) return;
    name.value = suggestion;
    suggested = suggestion;
    hint.hidden = !suggestion;
    if (suggestion && document.activeElement === name) name.select(); // typing replaces it
    name.dispatchEvent(new Event("input", { bubbles: true })); // keeps the draft up to date
  };
  profile.addEventListener("input", suggest);
  suggest();
  // Typing over a suggestion replaces it rather than adding to it.
  name.addEventListener("focus", () => {
    if (suggested && name.value === suggested) name.select();
  });
  name.addEventListener("input", (e) => {
    if (e.isTrusted) hint.hidden = true;
  });
}
