// Logging out with people still waiting on the phone: say so first, instead of leaving them behind silently.
// Loaded by the page that has the log out button.
import { available, entriesOf, waiting } from "./offline-queue.js";
import { $, $$, pageSettings, plural } from "./page.js";

const { account } = pageSettings();
if (available && account) $$("form[action$='/logout']").forEach(warnBeforeLogout);

function warnBeforeLogout(form) {
  form.addEventListener("submit", (event) => {
    if (form.hasAttribute("data-confirmed")) return;
    event.preventDefault();
    entriesOf(account).then((entries) => {
      const count = waiting(entries).length;
      form.setAttribute("data-confirmed", "");
      if (!count) { form.submit(); return; }
      const warning = $("[data-logout-warning]", form) || document.createElement("p");
      warning.className = "logout-warning";
      warning.setAttribute("data-logout-warning", "");
      warning.setAttribute("role", "alert");
      warning.textContent = plural(count, "person is", "people are") + " still waiting to sync on this phone. " +
        "They stay here and are sent the next time you log in with this account, not with any other.";
      form.prepend(warning);
      const button = $("button[type=submit]", form);
      if (button) button.textContent = "Log out anyway";
    });
  });
}
