// Signup: "today" depends on where the user is, so the browser's time zone is sent (else the server's default).
for (const input of document.querySelectorAll("input[data-detect-timezone]")) {
  try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone) input.value = zone;
  } catch { /* keep the server's default */ }
}
