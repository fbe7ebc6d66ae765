// A citizen's own data: /my-data#<private token>, the private link a signup,
// an offer or a proposal answered with. What Sammen holds with it, a copy as
// a JSON file, a new link (the old one stops) and erasure. The token stays
// in the fragment and goes to the API as a bearer token.
import { translator } from "/group/i18n.js";

const $ = (id) => document.getElementById(id);
let token = decodeURIComponent(location.hash.slice(1));
// What the page shows, kept to show it again in the other language.
let exported = null;
const needTitles = new Map();
let status = "loading";
let problem = null;
const { t, nodes, has, locale, acceptLanguage } = await translator("/my-data/lang", "myData", render);

function el(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

// A sentence with the user's own text in it (a title, a need): `nodes`
// puts each value in a <bdi>.
function isolated(tag, parts) {
  const node = el(tag);
  node.append(...parts);
  return node;
}

// "Navn: <bdi>Asta</bdi>"; nothing when there is no value.
function line(label, value) {
  if (value === null || value === undefined || value === "") return null;
  const p = el("p");
  p.append(el("strong", label), ": ");
  if (typeof value === "string") p.append(el("bdi", value));
  else p.append(value);
  return p;
}

const when = (rfc3339) => new Intl.DateTimeFormat(locale(), { dateStyle: "long" }).format(new Date(rfc3339));

function contactLines(contact) {
  return [line(t("name"), contact?.name), line(t("email"), contact?.email), line(t("phone"), contact?.phone)];
}

function offerLines(offer) {
  const day = (d) => (has(`days.${d}`) ? t(`days.${d}`) : d);
  const area = offer.area?.name ? el("span") : null;
  area?.append(el("bdi", offer.area.name), ` (${t("radius", { km: offer.area.radius_km })})`);
  return [
    line(t("skills"), offer.skills.join(", ")),
    line(t("tools"), offer.tools.join(", ")),
    line(t("times"), offer.slots.map((s) => `${day(s.day)} ${s.from}–${s.to}`).join(", ")),
    line(t("area"), area),
    line(t("message"), offer.note),
  ];
}

// One record: what it is, the details stored with it, when and under which
// consent text.
function record(r) {
  const card = el("section", undefined, { class: "card" });
  let heading;
  let lines = [];
  let created = null;
  if (r.signup) {
    const s = r.signup;
    heading = isolated("h2", nodes("joined", { title: s.initiative_title }));
    const need = needTitles.get(s.signup.need_id);
    if (need) lines.push(isolated("p", nodes("need", { need })));
    lines.push(...contactLines(s.signup.contact), line(t("message"), s.signup.message));
    created = s.signup.created_at;
  } else if (r.offer) {
    heading = el("h2", t("offer"));
    lines = [...offerLines(r.offer), ...contactLines(r.offer.contact)];
    created = r.offer.created_at;
  } else if (r.proposal) {
    heading = isolated("h2", nodes("proposal", { title: r.proposal.title }));
    lines = contactLines(r.proposal.contact);
    created = r.proposal.created_at;
  } else if (r.meeting_proposal) {
    const m = r.meeting_proposal;
    heading = isolated("h2", nodes("meetingIdea", { title: m.title, meeting: m.meeting_title }));
    lines = contactLines(m.contact);
    created = m.created_at;
  } else {
    heading = el("h2", r.kind);
  }
  card.append(heading, ...lines.filter(Boolean));
  if (created) card.append(el("p", t("given", { date: when(created) }), { class: "muted" }));
  card.append(el("p", r.consent_version ? t("consent", { version: r.consent_version }) : t("noConsent"), { class: "muted" }));
  return card;
}

function render() {
  $("status").hidden = !status;
  $("status").textContent = status ? t(status) : "";
  $("problem").textContent = problem ? (problem.key ? t(problem.key) : problem.text) : "";
  $("data").hidden = !exported;
  if (!exported) return;
  const records = exported.records.map(record);
  $("records").replaceChildren(...(records.length ? records : [el("p", t("nothing"), { class: "card" })]));
}

const call = (path, method = "GET", key) =>
  fetch(path, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      "Accept-Language": acceptLanguage(),
      ...(key ? { "Idempotency-Key": key } : {}),
    },
  }).catch(() => null);

/** The answer's JSON, or null with the problem shown. */
async function answer(response) {
  const json = await response?.json().catch(() => null);
  if (response?.ok) {
    problem = null;
    return json;
  }
  problem = response?.status === 404 ? { key: "deadLink" } : json?.error?.message ? { text: json.error.message } : { key: "failed" };
  if (response?.status === 404) exported = null;
  status = null;
  render();
  return null;
}

// The need a signup is for, by its title: from the initiative's public page
// (left out if that is not to be had).
async function needTitlesOf(records) {
  for (const r of records) {
    const s = r.signup;
    if (!s?.signup.need_id || needTitles.has(s.signup.need_id)) continue;
    const response = await fetch(
      `/api/v1/municipalities/${encodeURIComponent(r.municipality)}/initiatives/${encodeURIComponent(s.initiative_id)}`,
      { headers: { "Accept-Language": acceptLanguage() } },
    ).catch(() => null);
    const initiative = response?.ok ? await response.json().catch(() => null) : null;
    for (const need of initiative?.needs ?? []) needTitles.set(need.id, need.title);
  }
}

async function load() {
  const json = await answer(await call("/api/v1/privacy/export"));
  if (!json) return null;
  await needTitlesOf(json.records);
  exported = json;
  status = null;
  render();
  return json;
}

$("export").addEventListener("click", async () => {
  const json = await answer(await call("/api/v1/privacy/export"));
  if (!json) return;
  const file = new Blob([JSON.stringify(json, null, 2)], { type: "application/json" });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(file);
  link.download = "sammen-mine-oplysninger.json";
  link.click();
  URL.revokeObjectURL(link.href);
});

// One key per new link, kept until it is made: a retry after a lost answer
// gets the same link with the old token.
let renewKey = crypto.randomUUID();
$("renew").addEventListener("click", async () => {
  const json = await answer(await call("/api/v1/privacy/link", "POST", renewKey));
  if (!json) return;
  renewKey = crypto.randomUUID();
  token = json.token;
  history.replaceState(null, "", `#${encodeURIComponent(token)}`);
  $("link").value = `${location.origin}/my-data#${encodeURIComponent(token)}`;
  $("copy-status").textContent = "";
  $("new-link").hidden = false;
  $("link").focus();
  $("link").select();
});

$("copy").addEventListener("click", async () => {
  try {
    await navigator.clipboard.writeText($("link").value);
    $("copy-status").textContent = t("copied");
  } catch {
    $("link").select();
    $("copy-status").textContent = t("copyFailed");
  }
});

let eraseKey = crypto.randomUUID();
$("erase").addEventListener("click", async () => {
  if (!confirm(t("eraseConfirm"))) return;
  const json = await answer(await call("/api/v1/privacy/data", "DELETE", eraseKey));
  if (!json) return;
  eraseKey = crypto.randomUUID();
  exported = null;
  status = "erased";
  render();
});

// Another link opened in this tab changes only the fragment: read the page
// again with it (a new link made here is put in place without this event).
window.addEventListener("hashchange", () => location.reload());

render();
if (token) load();
else {
  status = null;
  problem = { key: "noKey" };
  render();
}
