// A member's group page: /group#sammen-group=<secret>. The secret stays in
// the fragment, so it never reaches a server log or a Referer; the page is
// served by Sammen itself, so no script of a host page can read it.
//
// Roster (names only of members who share them), dates with the host the
// rotation proposes (accept, pass on, cancel, mark held, check in), the
// calendar feed, inviting another family, leaving.

const DAYS = { mon: "mandag", tue: "tirsdag", wed: "onsdag", thu: "torsdag", fri: "fredag", sat: "lørdag", sun: "søndag" };
const STATUS = { proposed: "foreslået", accepted: "aftalt", cancelled: "aflyst", done: "holdt" };
const secret = new URLSearchParams(location.hash.slice(1)).get("sammen-group");
const $ = (id) => document.getElementById(id);
let space = null;

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "on") for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key in node) node[key] = value;
    else node.setAttribute(key, value);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

async function api(path, { method = "GET", body } = {}) {
  const headers = { Authorization: `Bearer ${secret}`, "Accept-Language": "da" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method === "POST") headers["Idempotency-Key"] = crypto.randomUUID();
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await response.json().catch(() => null);
  return { status: response.status, ok: response.ok, json };
}

function problem(answer, fallback) {
  $("problem").textContent = answer?.json?.error?.message ?? fallback;
}

const when = (iso) =>
  new Date(iso).toLocaleString("da-DK", { weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit", timeZone: "Europe/Copenhagen" });

function labelOf(memberId) {
  return space.members.find((m) => m.member_id === memberId)?.label ?? "ukendt";
}

function render() {
  const me = space.members.find((m) => m.is_me);
  $("title").textContent = space.group_name;
  $("initiative").textContent = space.initiative_title;
  $("shared-days").textContent = space.shared_days.length
    ? `Alle har fri: ${space.shared_days.map((d) => DAYS[d] ?? d).join(", ")}`
    : "";
  $("share").checked = space.i_share_contact;
  $("calendar").href = space.calendar_path;

  $("dates").replaceChildren(
    ...(space.dates.length ? space.dates : [null]).map((date) => {
      if (!date) return el("li", { className: "muted" }, "Ingen aftaler endnu.");
      const mine = date.host === me.member_id;
      const open = date.status === "proposed" || date.status === "accepted";
      const action = (name, text, secondary = true) =>
        el("button", { type: "button", className: secondary ? "secondary" : "", dataset: { action: name }, on: { click: () => change(date.id, name) } }, text);
      return el(
        "li",
        { dataset: { date: date.id, status: date.status } },
        el("strong", {}, when(date.starts_at)),
        " ",
        el("span", { className: "badge" }, STATUS[date.status] ?? date.status),
        el("br"),
        date.host ? `Vært: ${mine ? "dig" : labelOf(date.host)}` : "Ingen vært endnu",
        date.note ? el("br") : null,
        date.note ? date.note : null,
        mine && date.status === "proposed" ? el("p", { className: "hint" }, "Du er foreslået som vært.") : null,
        mine && date.status === "proposed" ? action("accept", "Ja, jeg er vært", false) : null,
        mine && open ? action("swap", "Giv videre") : null,
        open ? action("done", "Marker som holdt") : null,
        open ? action("cancel", "Aflys") : null,
        date.status === "done" ? checkInForm(date) : null,
      );
    }),
  );

  $("members").replaceChildren(
    ...space.members.map((m) =>
      el(
        "li",
        { dataset: { member: m.member_id } },
        el("strong", {}, m.is_me ? `${m.label} (dig)` : m.label),
        ` · vært ${m.hosted} ${m.hosted === 1 ? "gang" : "gange"}`,
        m.contact?.email ? el("br") : null,
        m.contact?.email && !m.is_me ? el("a", { href: `mailto:${m.contact.email}` }, m.contact.email) : null,
        m.contact?.phone && !m.is_me ? el("span", {}, ` · ${m.contact.phone}`) : null,
        m.is_me ? null : messageForm(m),
      ),
    ),
  );
}

function checkInForm(date) {
  const id = `check-${date.id}`;
  const how = el("select", { id: `${id}-how` },
    el("option", { value: "good" }, "Godt"), el("option", { value: "mixed" }, "Både og"), el("option", { value: "bad" }, "Skidt"));
  const change = el("input", { id: `${id}-change`, maxLength: 500 });
  const share = el("input", { id: `${id}-share`, type: "checkbox" });
  const status = el("p", { role: "status" });
  return el("form", { className: "card", on: { submit: async (e) => {
      e.preventDefault();
      const answer = await api(`/api/v1/group/dates/${date.id}/check-in`, {
        method: "PUT", body: { how: how.value, change: change.value.trim() || null, share_name: share.checked },
      });
      status.textContent = answer.ok ? "Tak for dit svar." : answer.json?.error?.message ?? "Svaret kom ikke med.";
    } } },
    el("h3", {}, "Hvordan gik det?"),
    el("label", { htmlFor: `${id}-how` }, "Hvordan gik det?"), how,
    el("label", { htmlFor: `${id}-change` }, "Én ting, I kan gøre anderledes (valgfrit)"), change,
    el("div", {}, share, el("label", { htmlFor: `${id}-share`, className: "inline" }, "Vis mit navn for koordinatoren")),
    el("button", { type: "submit" }, "Send svar"),
    status,
  );
}

function messageForm(member) {
  const id = `msg-${member.member_id}`;
  const text = el("input", { id, maxLength: 2000 });
  const status = el("p", { role: "status" });
  return el("details", {},
    el("summary", {}, `Skriv til ${member.label}`),
    el("form", { on: { submit: async (e) => {
        e.preventDefault();
        if (!text.value.trim()) return;
        const answer = await api(`/api/v1/group/members/${member.member_id}/messages`, { method: "POST", body: { body: text.value } });
        status.textContent = answer.ok ? "Beskeden er sendt gennem Sammen." : answer.json?.error?.message ?? "Beskeden kom ikke afsted.";
        if (answer.ok) text.value = "";
      } } },
      el("label", { htmlFor: id }, "Besked (din adresse vises ikke)"), text,
      el("button", { type: "submit" }, "Send"),
      status,
    ),
  );
}

async function change(dateId, action) {
  const answer = await api(`/api/v1/group/dates/${dateId}/changes`, { method: "POST", body: { action } });
  if (!answer.ok) return problem(answer, "Det lykkedes ikke. Prøv igen.");
  space = answer.json;
  render();
}

/** A `datetime-local` value as RFC 3339 with this device's offset. */
function withOffset(local) {
  const date = new Date(local);
  const minutes = -date.getTimezoneOffset();
  const sign = minutes >= 0 ? "+" : "-";
  const pad = (n) => String(Math.floor(Math.abs(n))).padStart(2, "0");
  return `${local.length === 16 ? `${local}:00` : local}${sign}${pad(minutes / 60)}:${pad(minutes % 60)}`;
}

async function load() {
  if (!secret) {
    $("status").textContent = "Linket mangler sin nøgle. Brug hele linket fra mailen.";
    return;
  }
  const answer = await api("/api/v1/group");
  if (!answer.ok) {
    $("status").textContent = answer.status === 404
      ? "Linket virker ikke (længere). Spørg den, der satte grupperne sammen."
      : "Gruppen kunne ikke hentes. Prøv igen om lidt.";
    return;
  }
  space = answer.json;
  $("status").textContent = "";
  $("space").hidden = false;
  render();
}

$("add-date").addEventListener("submit", async (e) => {
  e.preventDefault();
  const local = $("date-when").value;
  if (!local) return;
  const answer = await api("/api/v1/group/dates", {
    method: "POST", body: { starts_at: withOffset(local), note: $("date-note").value.trim() || null },
  });
  if (!answer.ok) return problem(answer, "Aftalen kom ikke med. Prøv igen.");
  space = answer.json;
  $("date-note").value = "";
  $("problem").textContent = "";
  render();
});

$("share").addEventListener("change", async (e) => {
  const answer = await api("/api/v1/group/me", { method: "PUT", body: { share_contact: e.target.checked } });
  if (!answer.ok) return problem(answer, "Det lykkedes ikke. Prøv igen.");
  space = answer.json;
  render();
});

$("invite").addEventListener("click", async () => {
  const answer = await api("/api/v1/group/invites", { method: "POST" });
  if (!answer.ok) return problem(answer, "Invitationen kunne ikke laves.");
  const link = `${location.origin}/group/join#${answer.json.invite_token}`;
  $("invite-link").hidden = false;
  $("invite-link").textContent = `Send dette link til familien (virker én gang): ${link}`;
});

$("leave").addEventListener("click", async () => {
  if (!confirm("Vil du forlade gruppen? Linket holder op med at virke.")) return;
  const answer = await api("/api/v1/group/me", { method: "DELETE" });
  if (answer.status === 204 || answer.ok) {
    $("space").hidden = true;
    $("status").textContent = "Du har forladt gruppen.";
  } else problem(answer, "Det lykkedes ikke. Prøv igen.");
});

// Other members change the schedule too: look again when the page is shown.
document.addEventListener("visibilitychange", () => { if (!document.hidden && space) load(); });
load().catch(() => { $("status").textContent = "Gruppen kunne ikke hentes. Prøv igen om lidt."; });
