// "Today" is where the phone is: signed up at home in London, at a conference in San Francisco, the evening's
// event there is today's, not tomorrow's as in London. Every page tells the server the phone's time zone in a
// cookie (accounts/sessions.py reads it), so each device's days are its own and the account's zone stays as set.
const COOKIE = "phone_zone";
const YEAR = 365 * 24 * 60 * 60;

try {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone && !document.cookie.split("; ").includes(`${COOKIE}=${zone}`)) {
    const secure = location.protocol === "https:" ? "; Secure" : "";
    document.cookie = `${COOKIE}=${zone}; Path=/; Max-Age=${YEAR}; SameSite=Lax${secure}`;
  }
} catch { /* no zone or no cookies: the account's zone is used */ }
