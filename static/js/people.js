// The People page: results follow the search box as the user types. Without this module the
// Search button does the same with a page load.
const form = document.querySelector("form[data-live-search]");
const results = document.getElementById("people-results");
if (form && results) followTyping(form, results);

function followTyping(form, results) {
  let timer = null;
  let pending = null;

  function refresh() {
    const url = form.action + "?" + new URLSearchParams(new FormData(form)).toString();
    if (pending) pending.abort();
    pending = new AbortController();
    fetch(url, { headers: { "X-Requested-With": "fetch" }, signal: pending.signal, credentials: "same-origin" })
      .then((response) => {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then((html) => {
        results.innerHTML = html; // the server's own rendering of the results
        history.replaceState(null, "", url);
      })
      .catch(() => { /* keep what is shown; the Search button still works */ });
  }

  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 200);
  });
  form.addEventListener("change", (e) => {
    if (e.target.type !== "search") refresh();
  });
}
