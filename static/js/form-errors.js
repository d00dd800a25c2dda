// The form's own rules, read from its fields, checked on the phone when the server cannot be asked;
// and messages (the phone's or the server's) shown beside the fields the way the server shows them.
import { $$, fromTemplate } from "./page.js";

// A field may say it is needed unless one of others has a value (data-required-unless="description email"), or
// when a box is ticked (data-required-if="follow_up"); data-required-message says what to ask for.
export function rulesOf(form) {
  return $$("[data-required-message]", form).map((el) => ({
    name: el.name,
    unless: el.dataset.requiredUnless || null,
    when: el.dataset.requiredIf || null,
    message: el.dataset.requiredMessage,
  }));
}

// {field name: [messages]} for the rules the values break.
export function broken(rules, values) {
  const errors = {};
  const given = (name) => {
    const value = values[name];
    return typeof value === "string" ? value.trim() !== "" : Boolean(value);
  };
  for (const rule of rules) {
    if (given(rule.name)) continue;
    if (rule.unless && rule.unless.split(" ").some(given)) continue;
    if (rule.when && !given(rule.when)) continue;
    (errors[rule.name] = errors[rule.name] || []).push(rule.message);
  }
  return errors;
}

// The messages shown (the phone's, or the server's from before) go, and each field is read as valid again.
export function clearErrors(form) {
  for (const el of $$("[data-client-error], .error-summary, .field > .error", form)) el.remove();
  for (const el of $$(".has-error", form)) el.classList.remove("has-error");
  for (const input of $$("[aria-invalid]", form)) {
    input.removeAttribute("aria-invalid");
    describe(input, (ids) => ids.filter((id) => id !== errorId(input)));
  }
}

function errorId(input) { return input.id + "-error"; }

// aria-describedby, changed by change(list of ids): the hint stays, the error comes and goes.
function describe(input, change) {
  const ids = change((input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean));
  if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
  else input.removeAttribute("aria-describedby");
}

// errors: {field name: message or [messages]}; message: a summary for the top (else the first message, as
// the server's log form says it). Marked as the server marks them, so a screen reader reads the same.
export function showErrors(form, errors, message) {
  clearErrors(form);
  let first = null;
  let firstMessage = "";
  for (const [name, messages] of Object.entries(errors)) {
    const input = form.elements.namedItem(name);
    const box = input && input.closest && input.closest(".field");
    const error = box && fromTemplate("field-error");
    if (!error) continue;
    box.classList.add("has-error");
    error.dataset.clientError = "";
    error.textContent = [].concat(messages).join(" ");
    if (input.id) {
      error.id = errorId(input);
      input.setAttribute("aria-invalid", "true");
      describe(input, (ids) => [...ids, error.id]);
    }
    box.appendChild(error);
    const details = input.closest("details");
    if (details) details.open = true;
    if (!first) [first, firstMessage] = [input, [].concat(messages)[0]];
  }
  if (message || first) {
    const summary = fromTemplate("error-summary");
    if (summary) {
      summary.dataset.clientError = "";
      summary.textContent = message || firstMessage;
      form.prepend(summary);
    }
  }
  if (first) first.focus();
}
