// "Today" is where the phone is: signed up at home in London, at a conference in San Francisco, the evening's
// event there is today's, not tomorrow's as in London. Every page tells the server the phone's time zone in a
// cookie (accounts/sessions.py reads it), so each device's days are its own and the account's zone stays as set.
const COOKIE = "phone_zone";
const YEAR = 365 * 24 * 60 * 60;
const RELOADED = "hallway:zone-reloaded";

const told = (zone) => document.cookie.split("; ").includes(`${COOKIE}=${zone}`);

try {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone && !told(zone)) {
    const secure = location.protocol === "https:" ? "; Secure" : "";
    document.cookie = `${COOKIE}=${zone}; Path=/; Max-Age=${YEAR}; SameSite=Lax${secure}`;
  }
  // The first page after the phone changed zone (a flight) was made for the old one: its "today", and the event
  // its "Met someone" leads to, may be another day's. It is asked again once, now that the server knows. (The
  // answer to a form says no zone: asked again, it would be posted again.)
  const madeFor = document.body.dataset.zone;
  if (zone && madeFor && madeFor !== zone && told(zone) && sessionStorage.getItem(RELOADED) !== zone) {
    sessionStorage.setItem(RELOADED, zone);
    location.reload();
  }
} catch { /* no zone, no cookies or no storage: the account's zone is used */ }
