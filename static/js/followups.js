// Follow-ups: a Copy button for each drafted message. Without this module the text is still
// there to select and copy by hand.
import { copyText } from "./clipboard.js";

for (const button of document.querySelectorAll("button[data-copy]")) {
  const area = document.getElementById(button.getAttribute("data-copy"));
  const status = button.parentNode.querySelector(".copy-status");
  if (!area) continue;
  button.hidden = false;
  button.addEventListener("click", () => {
    copyText(area.value, area).then((copied) => {
      if (status) status.textContent = copied ? "Copied. Paste it in LinkedIn or your mail." : "Selected: copy it from the menu.";
    });
  });
}
