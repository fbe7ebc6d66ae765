// The organiser's page: /organiser#<follow token>, linked from the follow
// view in the widget once the initiative is published. Who joined, per need,
// with the email or phone each chose to show, and the volunteers the
// coordinator invited with their answers. The token stays in the fragment.
import { translator } from "/group/i18n.js";
import { ORGANISER } from "/organiser/text.js";

const $ = (id) => document.getElementById(id);
const token = decodeURIComponent(location.hash.slice(1));
let current = null;
const { t, lang } = translator(ORGANISER, () => current && show(current));

function el(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

// Each side of the `@` percent-encoded, so no `?bcc=` or `&body=` in stored
// data can add recipients or text to the mail (as the console's `mailto`);
// a number keeps only what a phone dials.
const mailto = (email) => {
  const at = email.lastIndexOf("@");
  return at < 0
    ? `mailto:${encodeURIComponent(email)}`
    : `mailto:${encodeURIComponent(email.slice(0, at))}@${encodeURIComponent(email.slice(at + 1))}`;
};
const tel = (phone) => `tel:${phone.replace(/[^\d+]/g, "")}`;

function person(p) {
  const li = el("li");
  li.append(el("bdi", p.name));
  if (p.email) li.append(" · ", el("a", p.email, { href: mailto(p.email) }));
  if (p.phone) li.append(" · ", el("a", p.phone, { href: tel(p.phone) }));
  if (p.message) li.append(el("p", p.message, { class: "muted", dir: "auto" }));
  return li;
}

function volunteer(v) {
  const li = el("li");
  li.append(el("bdi", v.first_name), " · ", el("span", t(v.status), { class: `badge answer-${v.status}` }));
  return li;
}

function section(heading, count, items) {
  const part = el("section", undefined, { class: "card" });
  part.append(el("h2", heading, { dir: "auto" }));
  if (count) part.append(el("p", count, { class: "muted" }));
  const list = el("ul", undefined, { class: "members" });
  list.append(...items);
  part.append(items.length ? list : el("p", t("nobody"), { class: "muted" }));
  return part;
}

function show(view) {
  current = view;
  $("status").hidden = true;
  $("space").hidden = false;
  $("title").textContent = view.title;
  const open = view.status === "published" || view.status === "completed";
  $("not-yet").hidden = open;
  const parts = view.needs.map((need) =>
    section(need.title, t("count", need.people_joined, need.people_wanted), [
      ...view.people.filter((p) => p.need_id === need.id).map(person),
      ...view.invited.filter((v) => v.need_id === need.id).map(volunteer),
    ]));
  const other = view.people.filter((p) => !view.needs.some((n) => n.id === p.need_id));
  if (open && (other.length || !view.needs.length)) parts.push(section(t("otherPeople"), null, other.map(person)));
  $("needs").replaceChildren(...(open ? parts : []));
  $("write").hidden = !open || (!view.people.length && !view.invited.some((v) => v.status === "accepted"));
  $("done").hidden = view.status !== "published";
  $("outcome-shown").hidden = !view.outcome;
  $("outcome-shown").textContent = view.outcome ? t("doneWith", view.outcome) : "";
  const chosen = $("write-to").value;
  $("write-to").replaceChildren(
    el("option", t("everyone"), { value: "" }),
    ...view.needs.map((n) => el("option", t("helpers", n.title), { value: n.id })),
  );
  $("write-to").value = chosen;
}

$("done").addEventListener("submit", async (e) => {
  e.preventDefault();
  const response = await fetch("/api/v1/follow/done", {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Accept-Language": lang(), "Content-Type": "application/json" },
    body: JSON.stringify({ outcome: $("done-outcome").value }),
  }).catch(() => null);
  const json = await response?.json().catch(() => null);
  if (response?.ok) return show(json);
  const fields = Object.values(json?.error?.fields ?? {}).join(" ");
  $("done-status").textContent = `${json?.error?.message ?? t("notDone")} ${fields}`.trim();
});

// One key per message, kept until it is sent: a retry is the same request.
let key = crypto.randomUUID();
$("write").addEventListener("submit", async (e) => {
  e.preventDefault();
  const response = await fetch("/api/v1/follow/people/messages", {
    method: "POST",
    headers: {
      Authorization: `Bearer ${token}`,
      "Accept-Language": lang(),
      "Content-Type": "application/json",
      "Idempotency-Key": key,
    },
    body: JSON.stringify({ body: $("write-body").value, need_id: $("write-to").value || null }),
  }).catch(() => null);
  const json = await response?.json().catch(() => null);
  if (response?.ok) {
    key = crypto.randomUUID();
    $("write-body").value = "";
    $("write-status").textContent = t("sent", json.sent_to);
    return;
  }
  const fields = Object.values(json?.error?.fields ?? {}).join(" ");
  $("write-status").textContent = `${json?.error?.message ?? t("notSent")} ${fields}`.trim();
});

async function load() {
  const response = await fetch("/api/v1/follow/people", {
    headers: { Authorization: `Bearer ${token}`, "Accept-Language": lang() },
  }).catch(() => null);
  const json = await response?.json().catch(() => null);
  if (response?.ok) return show(json);
  $("status").hidden = true;
  $("problem").textContent = response?.status === 404 ? t("deadLink") : json?.error?.message ?? t("failed");
}

if (token) load();
else {
  $("status").hidden = true;
  $("problem").textContent = t("noKey");
}
