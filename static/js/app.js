// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Signup: "today" depends on where the user is, so send the browser's time zone.
  document.querySelectorAll("input[data-detect-timezone]").forEach(function (input) {
    try {
      var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (zone) input.value = zone;
    } catch (e) { /* keep the server's default */ }
  });
})();
