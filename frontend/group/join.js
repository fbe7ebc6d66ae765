// Joining a group through a one-time invite: /group/join#<invite secret>.
// On success the family lands on its own private group page.
const invite = decodeURIComponent(location.hash.slice(1));
const $ = (id) => document.getElementById(id);
const key = crypto.randomUUID();

$("join").addEventListener("submit", async (e) => {
  e.preventDefault();
  const days = [...document.querySelectorAll("fieldset input:checked")].map((b) => b.value);
  const response = await fetch("/api/v1/group/join", {
    method: "POST",
    headers: { "Content-Type": "application/json", "Accept-Language": "da", "Idempotency-Key": key },
    body: JSON.stringify({
      invite_token: invite,
      contact: { name: $("name").value, email: $("email").value || null, phone: $("phone").value || null },
      family: { child_age_band: $("age").value, area: $("area").value, free_afternoons: days, languages: ["da"] },
    }),
  });
  const json = await response.json().catch(() => null);
  if (!response.ok) {
    const fields = Object.values(json?.error?.fields ?? {}).join(" ");
    $("problem").textContent = `${json?.error?.message ?? "Det lykkedes ikke."} ${fields}`.trim();
    return;
  }
  location.replace(`/group#sammen-group=${json.member_token}`);
});
