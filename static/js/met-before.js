// "Have I met this person before?", answered from the index of people the phone keeps (met-before-index.js):
// on the log form as a name is typed, and on the People page when there is no signal. The rows come from
// <template> elements the server renders. Logged out, it forgets the index (base.html loads it on those pages).
import { forget, kept } from "./met-before-index.js";

const settings = document.querySelector("script[data-met-before]");
const account = settings ? settings.dataset.account : "";
const indexUrl = settings ? settings.dataset.metBefore : "";

function when(isoDate) {
  const [year, month, day] = isoDate.split("-").map(Number);
  return new Date(year, month - 1, day).toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" });
}

// The person picked as the one being logged, or none (someone new).
function choose(pick, person) {
  pick.value = person ? String(person.id) : "";
  pick.dataset.knownAs = person ? person.label : ""; // how the phone lists the entry while it waits
  // Last met at this very event (day 2 of a conference): logging them again here does not add to its count.
  const here = person && person.event && String(person.event[2]) === pick.form.dataset.eventId;
  pick.dataset.metHere = here ? "yes" : "";
}

// pick: the log form's hidden same_as field. "Same person" on a row saves the entry as that person met again,
// with signal or without (the phone sends same_as with the entry); tapped again, someone new.
function render(list, template, found, pick) {
  if (pick && pick.value && !found.some((person) => String(person.id) === pick.value)) choose(pick, null);
  list.replaceChildren(...found.map((person) => {
    const row = template.content.cloneNode(true);
    const link = row.querySelector("a");
    link.href = link.getAttribute("href").replace(/\/0$/, "/" + person.id);
    row.querySelector("[data-name]").textContent = person.label;
    const about = [person.company, person.tags.join(", ")].filter(Boolean).join(" · ");
    row.querySelector("[data-about]").textContent = about;
    row.querySelector("[data-last]").textContent = person.event ? "Met at " + person.event[0] + ", " + when(person.event[1]) : "";
    const same = row.querySelector("[data-same-as]");
    if (same && pick) {
      const chosen = pick.value === String(person.id);
      if (chosen) choose(pick, person); // a draft brought back holds the id only
      same.setAttribute("aria-pressed", String(chosen));
      same.textContent = chosen ? "Same person ✓" : "Same person";
      // A toggle keeps its name whatever its state (aria-pressed says that): "Same person: Grace Hopper".
      same.setAttribute("aria-label", "Same person: " + person.label);
      same.addEventListener("click", () => {
        choose(pick, chosen ? null : person);
        pick.dispatchEvent(new Event("input", { bubbles: true })); // the draft keeps the choice
        render(list, template, found, pick);
      });
    }
    return row;
  }));
}

// offlineOnly: the People page, where the server answers while there is signal. Otherwise (the log form)
// the box shows only when someone matches: meeting someone new is the usual case.
function wire(box, input, offlineOnly, onShown) {
  const list = box.querySelector("[data-met-before-list]");
  const pick = input.form ? input.form.querySelector("input[name=same_as][data-kept]") : null;
  const template = box.querySelector("template");
  let index = null;
  let search = null;
  let ready = null;
  // The log form waits for the first letters typed before asking for anything: it must open light and fast.
  const load = () => {
    ready = ready || Promise.all([kept(indexUrl), import("./met-before-search.js")])
      .then(([i, module]) => { index = i; search = module.search; });
    return ready;
  };
  if (offlineOnly) load();
  const answer = async () => {
    await load();
    const text = input.value.trim();
    const asked = text.length >= 2 && (!offlineOnly || navigator.onLine === false);
    const found = asked ? search(index, text, offlineOnly ? 20 : 3) : [];
    render(list, template, found, pick);
    box.hidden = offlineOnly ? !asked : !found.length;
    box.querySelector("[data-met-before-none]").hidden = Boolean(found.length);
    if (onShown) onShown(!box.hidden);
  };
  input.addEventListener("input", answer);
  window.addEventListener("offline", answer);
  window.addEventListener("online", answer);
  if (input.value) answer();
}

if (!account) {
  forget(); // logged out: nothing of the last account stays on this phone
} else if (window.indexedDB && settings) {
  const box = document.querySelector("[data-met-before]");
  if (box) {
    const where = box.dataset.metBeforeFor;
    if (where === "people") {
      // The server answers while there is signal; the phone answers when there is none.
      const results = document.getElementById("people-results");
      wire(box, document.querySelector("form[data-live-search] input[type=search]"), true,
        (shown) => { if (results) results.hidden = shown; });
    } else if (!document.querySelector(".met-again")) { // the server is already asking about a match
      wire(box, document.querySelector(box.dataset.metBeforeFor), false);
    }
  }
}
