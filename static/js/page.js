// What the server put in the page for its scripts: the account and addresses on <body>, markup in
// <template data-template="..."> elements, the cookies the scripts read and set, and two short ways to find
// elements.

export function $(selector, root = document) { return root.querySelector(selector); }
export function $$(selector, root = document) { return [...root.querySelectorAll(selector)]; }

// The logged-in account's key (User.account_key; "" when nobody is logged in) and the addresses the scripts talk to.
export function pageSettings() {
  const data = document.body.dataset;
  return {
    account: data.account || "",
    // The account's version when the server made this page: what it counts is as new as that.
    version: data.version === undefined || data.version === "" ? null : Number(data.version),
    serviceWorker: data.serviceWorker,
    urls: {
      session: data.sessionUrl, sync: data.syncUrl, attachments: data.attachmentsUrl, metBefore: data.metBeforeUrl,
    },
  };
}

// A fresh copy of the markup the server rendered in <template data-template="name">, or null.
export function fromTemplate(name) {
  const template = document.querySelector(`template[data-template="${name}"]`);
  const element = template && template.content.firstElementChild;
  return element ? element.cloneNode(true) : null;
}

export function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

// A cookie's value, or null: the few the server and the page's scripts share (the phone's zone, a saved form).
export function cookie(name) {
  const found = document.cookie.split("; ").find((c) => c.startsWith(name + "="));
  if (!found) return null;
  try {
    return decodeURIComponent(found.slice(name.length + 1).replace(/^"|"$/g, ""));
  } catch {
    return null;
  }
}

// Set for maxAge seconds (0 deletes it), for every page of the app.
export function setCookie(name, value, maxAge) {
  const secure = location.protocol === "https:" ? "; Secure" : "";
  document.cookie = `${name}=${value}; Path=/; Max-Age=${maxAge}; SameSite=Lax${secure}`;
}
