// Joining a group through a one-time invite: /group/join#<invite secret>.
// On success the family lands on its own private group page.
import { translator } from "/group/i18n.js";
import { newKey } from "/group/key.js";
import { languagePicker } from "/group/languages.js";

// A group of people who joined to help (`?kind=people`) asks no family
// details: only a name and how to reach them.
const people = new URLSearchParams(location.search).get("kind") === "people";
if (people) {
  document.getElementById("family-part").hidden = true;
  document.getElementById("area").required = false;
  // One person ("du"), not a family ("I").
  for (const key of ["intro", "consentStored", "name", "email", "consentHeading", "whoSees"]) {
    document.querySelector(`[data-t="${key}"]`).dataset.t = `${key}People`;
  }
}
let picker = null;
const { t, lang, acceptLanguage } = await translator("/group/lang", "join", () => picker?.render());
picker = languagePicker(document.getElementById("language-picker"), t);
const invite = decodeURIComponent(location.hash.slice(1));
const $ = (id) => document.getElementById(id);
const key = newKey();

$("join").addEventListener("submit", async (e) => {
  e.preventDefault();
  const days = [...document.querySelectorAll("#days input:checked")].map((b) => b.value);
  const response = await fetch("/api/v1/group/join", {
    method: "POST",
    headers: { "Content-Type": "application/json", "Accept-Language": acceptLanguage(), "Idempotency-Key": key },
    body: JSON.stringify({
      invite_token: invite,
      contact: { name: $("name").value, email: $("email").value || null, phone: $("phone").value || null },
      family: people ? null : {
        child_age_band: $("age").value,
        area: $("area").value,
        free_afternoons: days,
        languages: picker.chosen(),
        new_in_area: $("new-in-area").checked,
      },
    }),
  });
  const json = await response.json().catch(() => null);
  if (!response.ok) {
    const fields = Object.values(json?.error?.fields ?? {}).join(" ");
    $("problem").textContent = `${json?.error?.message ?? t("failed")} ${fields}`.trim();
    return;
  }
  location.replace(`/group?lang=${lang()}#sammen-group=${json.member_token}`);
});
