// "Today" is where the phone is: signed up at home in London, at a conference in San Francisco, the evening's
// event there is today's, not tomorrow's as in London. The phone tells the server its time zone in a cookie
// (accounts/sessions.py reads it), so each device's days are its own and the account's zone stays "home".
// A zone chosen in the profile is this device's from then on (the server sets the cookie, for a device whose clock
// says UTC): the cookie changes again only when the device's own zone does, which "zone_seen" remembers.
import { cookie, setCookie } from "./page.js";

const ZONE = "phone_zone";
const SEEN = "zone_seen";
const YEAR = 365 * 24 * 60 * 60;
const RELOADED = "hallway:zone-reloaded";
const CHOSEN = "chosen"; // zone_seen as the profile sets it with the zone chosen there

try {
  const device = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (device && cookie(ZONE) && cookie(SEEN) === CHOSEN) {
    // Chosen in the profile (the server says so), perhaps before this script ever ran on this device (saved on
    // a slow phone): it stays; the device's own zone is only noted, to tell when the device moves.
    setCookie(SEEN, device, YEAR);
  } else if (device && (cookie(SEEN) !== device || !cookie(ZONE))) {
    setCookie(ZONE, device, YEAR);
    setCookie(SEEN, device, YEAR);
  }
  // The first page after the phone changed zone (a flight) was made for the old one: its "today", and the event
  // its "Met someone" leads to, may be another day's. It is asked again once, now that the server knows. (The
  // answer to a form says no zone: asked again, it would be posted again.)
  const zone = cookie(ZONE);
  const madeFor = document.body.dataset.zone;
  if (zone && madeFor && madeFor !== zone && sessionStorage.getItem(RELOADED) !== zone) {
    sessionStorage.setItem(RELOADED, zone);
    location.reload();
  }
} catch { /* no zone, no cookies or no storage: the account's zone is used */ }
