// Follow-ups: send a drafted message through the phone's share sheet, email or LinkedIn, and mark it done.
// Each card's forms and links work without this file: the message is there to copy by hand, the email
// link opens the mail app, Done and Undo are plain forms.

import { copyText } from "./clipboard.js";

const SENT_STATUS = {
  copied: "Copied: paste it where you write to them.",
  linkedin: "Copied: paste it in LinkedIn's message or invitation note.",
  selected: "Selected: copy it from the menu, then tap Done.",
};

function say(card, text) {
  const status = card.querySelector("[data-send-status]");
  if (status) status.textContent = text;
}

// Done, as the Done button would, but the card turns into the server's note with its Undo.
async function markDone(card, via) {
  const form = card.querySelector("form[data-done]");
  const data = new FormData(form);
  data.set("via", via);
  const response = await fetch(form.action, {
    method: "POST", body: data, credentials: "same-origin", keepalive: true,
    headers: { "X-Requested-With": "fetch" },
  });
  if (!response.ok) throw new Error(String(response.status));
  const note = document.createElement("template");
  note.innerHTML = await response.text();
  card.replaceWith(note.content);
}

function mailtoWith(link, subject, body) {
  const url = new URL(link.href);
  const address = url.href.slice("mailto:".length).split("?")[0];
  const query = "subject=" + encodeURIComponent(subject) + "&body=" + encodeURIComponent(body.replace(/\r?\n/g, "\r\n"));
  return "mailto:" + address + "?" + query;
}

function setUp(card) {
  const short = card.querySelector("[data-short]");
  const long = card.querySelector("[data-long]");
  const subject = card.querySelector("[data-subject]");
  const count = card.querySelector("[data-count]");
  const share = card.querySelector('[data-send="share"]');
  const email = card.querySelector('[data-send="email"]');
  const linkedin = card.querySelector('[data-send="linkedin"]');
  const failed = () => say(card, "Not marked done: no signal? Tap Done when it is sent.");

  short.addEventListener("input", () => { count.textContent = String(short.value.length); });
  if (email) {
    const refresh = () => { email.href = mailtoWith(email, subject.value, long.value); };
    long.addEventListener("input", refresh);
    subject.addEventListener("input", refresh);
    // The mail app opens from the link itself; marking done goes alongside.
    email.addEventListener("click", () => { markDone(card, "email").catch(failed); });
  }
  if (linkedin) {
    linkedin.addEventListener("click", () => {
      copyText(short.value, short).then((copied) => {
        if (!copied) return say(card, SENT_STATUS.selected);
        say(card, SENT_STATUS.linkedin);
        return markDone(card, "linkedin");
      }).catch(failed);
    });
  }
  share.hidden = false;
  if (!navigator.share) share.textContent = "Copy message";
  share.addEventListener("click", async () => {
    const text = short.value;
    try {
      if (navigator.share) {
        await navigator.share({ text });
      } else if (!(await copyText(text, short))) {
        say(card, SENT_STATUS.selected);
        return;
      } else {
        say(card, SENT_STATUS.copied);
      }
    } catch {
      return; // the share sheet was closed without sending: nothing is done
    }
    markDone(card, navigator.share ? "share" : "copy").catch(failed);
  });
}

document.querySelectorAll("[data-follow-up]").forEach(setUp);
