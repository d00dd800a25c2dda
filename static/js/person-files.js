// A person's page: "Voice notes and photos" adds a voice note or a photo to them. With signal the form posts as
// usual. With none, what it holds waits on the phone with the people logged offline (queue.js) and is sent when
// the signal is back. Until the server answered the form, what was recorded or picked is kept on the phone under
// the person, not under the page: a post that got no answer finds it again on their page, however often it opens.
import { forgetRecordings, wireCapture } from "./capture.js";
import { postingForm, savedByServer } from "./drafts.js";
import { add, available as queueAvailable, uuid4 } from "./offline-queue.js";
import { $, $$, pageSettings } from "./page.js";
import { hasSignal } from "./signal.js";
import { refresh } from "./sync.js";
import { askBackgroundSync } from "./worker.js";

const NAMES = { voice: "voice note", photo: "photo" };

function chosenFiles(form) {
  return $$("input[type=file][data-voice-input], input[type=file][data-photo-input]", form)
    .filter((input) => input.files && input.files.length)
    .map((input) => ({ uuid: uuid4(), kind: input.name, blob: input.files[0] }));
}

function keepForLater(form, capture, account) {
  const attachments = chosenFiles(form);
  if (!attachments.length) return; // the server says what is missing once there is signal
  const { person, personName, personUrl } = form.dataset;
  const entry = {
    uuid: uuid4(), account, person_id: Number(person), person_url: personUrl, known_as: personName, fields: {},
    state: "waiting", created_at: new Date().toISOString(), attachments,
  };
  add(entry).then(() => {
    capture.clear();
    const kinds = attachments.map((a) => a.kind);
    const what = ["voice", "photo"].filter((k) => kinds.includes(k)).map((k) => NAMES[k]).join(" and ");
    // Said beside the button just tapped (the status line is read out too), in place of "ready".
    $("[data-capture-status]", form).textContent = `Your ${what} for ${personName} ` +
      `${attachments.length > 1 ? "are" : "is"} saved on this phone. ` +
      `${attachments.length > 1 ? "They" : "It"} will be sent when the signal is back.`;
    askBackgroundSync();
    refresh(); // the badge counts it as waiting
  });
}

for (const form of $$("form[data-capture-form]")) {
  const person = new URL(form.action, location.href).pathname;
  // The server answered this form's last post: what was kept for it was sent (or refused, and said so).
  const answered = savedByServer(form);
  if (answered) postingForm();
  (answered ? forgetRecordings(person) : Promise.resolve()).then(() => {
    const capture = wireCapture(form, () => person, form.elements.namedItem("token"));
    const { account } = pageSettings();
    form.addEventListener("submit", (event) => {
      if (hasSignal() || !queueAvailable || !account || !capture) {
        postingForm();
        return;
      }
      event.preventDefault();
      keepForLater(form, capture, account);
    });
  });
}
