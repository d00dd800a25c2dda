// The People page: results follow the search box as the user types. Without this file the
// Search button does the same with a page load.
(function () {
  "use strict";
  var form = document.querySelector("form[data-live-search]");
  var results = document.getElementById("people-results");
  if (!form || !results || !window.fetch) return;
  var timer = null;
  var pending = null;

  function refresh() {
    var params = new URLSearchParams(new FormData(form));
    var url = form.action + "?" + params.toString();
    if (pending) pending.abort();
    pending = new AbortController();
    fetch(url, { headers: { "X-Requested-With": "fetch" }, signal: pending.signal, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        results.innerHTML = html;
        history.replaceState(null, "", url);
      })
      .catch(function () { /* keep what is shown; the Search button still works */ });
  }

  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 200);
  });
  form.addEventListener("change", function (e) {
    if (e.target.type !== "search") refresh();
  });
})();
