// A volunteer's answer to an invitation: /invitation#<secret>, the link in
// the invitation's email. The secret stays in the fragment (never sent to a
// server as part of an address) and goes to the API as a bearer token.
import { translator } from "/group/i18n.js";

const $ = (id) => document.getElementById(id);
const secret = decodeURIComponent(location.hash.slice(1));
let current = null;
const { t, say, quote, nodes, acceptLanguage } = await translator("/invitation/lang", "invitation", () => current && show(current));

function show(invitation) {
  current = invitation;
  $("status").hidden = true;
  $("invitation").hidden = false;
  $("initiative").textContent = invitation.initiative;
  $("summary").textContent = invitation.summary;
  $("need").textContent = invitation.need;
  $("place").textContent = invitation.place;
  const when = document.createElement("bdi");
  when.textContent = invitation.when ?? "";
  $("when").replaceChildren(...(invitation.when ? [" · ", when] : []));
  $("municipality").replaceChildren(...nodes("from", { municipality: invitation.municipality }));
  $("answer").textContent = invitation.open ? t(invitation.status) : t("closed");
  $("buttons").hidden = !invitation.open;
  $("yes").hidden = invitation.status === "accepted";
  $("no").hidden = invitation.status === "declined";
}

async function call(method, body) {
  quote($("problem"), "");
  const response = await fetch("/api/v1/invitation", {
    method,
    headers: {
      Authorization: `Bearer ${secret}`,
      "Accept-Language": acceptLanguage(),
      ...(body ? { "Content-Type": "application/json" } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  }).catch(() => null);
  const json = await response?.json().catch(() => null);
  if (response?.ok) return show(json);
  $("status").hidden = true;
  if (response?.status !== 404 && json?.error?.message) quote($("problem"), json.error.message);
  else say($("problem"), response?.status === 404 ? "deadLink" : "failed");
}

for (const [id, status] of [["yes", "accepted"], ["no", "declined"]]) {
  $(id).addEventListener("click", () => call("PUT", { status }));
}

if (secret) call("GET");
else {
  $("status").hidden = true;
  say($("problem"), "noKey");
}
