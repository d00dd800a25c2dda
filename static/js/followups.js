// Follow-ups: a Copy button for each drafted message. Without this file the text is still
// there to select and copy by hand.
(function () {
  "use strict";
  function say(button, text) {
    var status = button.parentNode.querySelector(".copy-status");
    if (status) status.textContent = text;
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var area = document.getElementById(button.getAttribute("data-copy"));
    if (!area) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var done = function () { say(button, "Copied. Paste it in LinkedIn or your mail."); };
      var byHand = function () {
        area.focus();
        area.select();
        try {
          if (document.execCommand("copy")) return done();
        } catch (e) { /* fall through */ }
        say(button, "Selected: copy it from the menu.");
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(area.value).then(done, byHand);
      } else {
        byHand();
      }
    });
  });
})();
