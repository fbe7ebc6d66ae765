// Joining a group through a one-time invite: /group/join#<invite secret>.
// On success the family lands on its own private group page.
import { translator } from "/group/i18n.js";

const { t, lang } = translator({
  da: {
    pageTitle: "Bliv en del af gruppen – Sammen", heading: "Bliv en del af gruppen",
    intro: "En familie i gruppen har inviteret jer. Skriv, hvem I er; jeres barn nævnes kun med aldersgruppe.",
    name: "Jeres navn", email: "E-mail (så I får påmindelser)", phone: "Telefon (valgfrit)", age: "Barnets alder",
    age0: "0–2 år", age3: "3–5 år", age6: "6–9 år", age10: "10–13 år", age14: "14–17 år", area: "Område",
    afternoons: "Fri eftermiddage", mon: "mandag", tue: "tirsdag", wed: "onsdag", thu: "torsdag", fri: "fredag",
    failed: "Det lykkedes ikke.",
    whoSees: "Kommunens koordinator ser jeres navn og kontaktoplysninger. Resten af gruppen ser dem kun, hvis I selv vælger at dele dem på gruppens side. Når I forlader gruppen, slettes de; indtil da kan I hente eller slette dem fra gruppens side.",
  },
  en: {
    pageTitle: "Join the group – Sammen", heading: "Join the group",
    intro: "A family in the group has invited you. Say who you are; your child is only mentioned by age group.",
    name: "Your name", email: "Email (so you get reminders)", phone: "Phone (optional)", age: "Child's age",
    age0: "0–2 years", age3: "3–5 years", age6: "6–9 years", age10: "10–13 years", age14: "14–17 years", area: "Area",
    afternoons: "Free afternoons", mon: "Monday", tue: "Tuesday", wed: "Wednesday", thu: "Thursday", fri: "Friday",
    failed: "That did not work.",
    whoSees: "The municipality's coordinator sees your name and contact details. The rest of the group sees them only if you choose to share them on the group's page. When you leave the group they are deleted; until then you can download or delete them from the group's page.",
  },
});
const invite = decodeURIComponent(location.hash.slice(1));
const $ = (id) => document.getElementById(id);
const key = crypto.randomUUID();

$("join").addEventListener("submit", async (e) => {
  e.preventDefault();
  const days = [...document.querySelectorAll("fieldset input:checked")].map((b) => b.value);
  const response = await fetch("/api/v1/group/join", {
    method: "POST",
    headers: { "Content-Type": "application/json", "Accept-Language": lang(), "Idempotency-Key": key },
    body: JSON.stringify({
      invite_token: invite,
      contact: { name: $("name").value, email: $("email").value || null, phone: $("phone").value || null },
      family: { child_age_band: $("age").value, area: $("area").value, free_afternoons: days, languages: [lang()] },
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
