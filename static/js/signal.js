// Whether the server can be reached: the browser's own idea, corrected by what the app has seen
// (a page the service worker served from the phone, a save that got no answer).

let noAnswer = false;
let answered = false; // the server answered since this page was served from the phone

// Set by the service worker on a page served from the phone: "offline" (no answer) or "instant" (card, form).
export function servedFromPhone() { return document.documentElement.hasAttribute("data-saved-copy"); }
function servedOffline() { return document.documentElement.getAttribute("data-saved-copy") === "offline"; }

export function hasSignal() { return navigator.onLine && !noAnswer && (answered || !servedOffline()); }
export function sawNoAnswer(yes) { noAnswer = Boolean(yes); }
export function sawAnswer() { noAnswer = false; answered = true; }
