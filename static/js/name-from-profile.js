// A LinkedIn address suggests a name; its code loads only when one is entered.
const profile = document.querySelector("form.person-form [name=linkedin_url]");
if (profile) profile.addEventListener("input", () => import("./name-suggestion.js").then((m) => m.wire(profile)), { once: true });
