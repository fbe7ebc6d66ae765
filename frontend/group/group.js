// A member's group page: /group#sammen-group=<secret>. The secret stays in
// the fragment, so it never reaches a server log or a Referer; the page is
// served by Sammen itself, so no script of a host page can read it.
//
// Roster (names only of members who share them), dates with the host the
// rotation proposes (accept, pass on, cancel, mark held, check in), a
// series of dates at once (a rota: weekdays over a period, taken in turn),
// the calendar feed, inviting another family, leaving.

import { translator } from "/group/i18n.js";
import { newKey } from "/group/key.js";

// The server words member labels ("Familie 3") and its errors in the
// page's language (Danish or English; English for the languages it does
// not speak yet), so switching language loads the group again.
const { t, say, quote, nodes, has, locale, acceptLanguage } = await translator("/group/lang", "group", () => { if (space) load(); });
const secret = new URLSearchParams(location.hash.slice(1)).get("sammen-group");
const $ = (id) => document.getElementById(id);
let space = null;
// A rota makes many dates: the list shows the last few held and the next
// ones until the member asks for all.
let showAllDates = false;
const FEW_DATES = 12;
const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

// A group of people who joined to help (a rota, a work team) rather than of
// families: these words have a `…People` twin in the table.
const VARIES = new Set(["shareHint", "invite", "inviteLink", "eraseConfirm", "notePlaceholder", "hostHint",
  "host", "noHost", "proposedHost", "accept", "hosted", "seriesHint"]);
const word = (key) => (space && !space.families && VARIES.has(key) ? `${key}People` : key);
const w = (key, params) => t(word(key), params);
// The same with the names in it isolated (<bdi>).
const wNodes = (key, params) => nodes(word(key), params);

// The page's fixed words that vary with the kind of group.
function wordFixedParts() {
  for (const node of document.querySelectorAll("[data-t], [data-t-placeholder]")) {
    const attribute = node.dataset.t !== undefined ? "t" : "tPlaceholder";
    const base = (node.dataset[`${attribute}Base`] ??= node.dataset[attribute]);
    if (!VARIES.has(base)) continue;
    node.dataset[attribute] = space && !space.families ? `${base}People` : base;
    if (attribute === "t") node.textContent = t(node.dataset.t);
    else node.placeholder = t(node.dataset.tPlaceholder);
  }
}

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
  const headers = { Authorization: `Bearer ${secret}`, "Accept-Language": acceptLanguage() };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method === "POST") headers["Idempotency-Key"] = newKey();
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await response.json().catch(() => null);
  return { status: response.status, ok: response.ok, json };
}

function problem(answer, fallback) {
  $("problem").textContent = answer?.json?.error?.message ?? fallback;
}

const when = (iso) =>
  new Date(iso).toLocaleString(locale(), { weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit", timeZone: "Europe/Copenhagen" });

// What people typed (names, notes, titles) is isolated from the words
// around it, so a right-to-left name cannot reorder them: `dir="auto"` on
// an element of its own, a <bdi> inside a sentence (`nodes` puts each
// name given to a sentence in one).
const isolated = (text) => el("bdi", {}, text);

// Each side of the `@` percent-encoded, so no `?bcc=` or `&body=` in stored
// data can add recipients or text to the mail (as the console's `mailto`).
function mailto(email) {
  const at = email.lastIndexOf("@");
  return at < 0
    ? `mailto:${encodeURIComponent(email)}`
    : `mailto:${encodeURIComponent(email.slice(0, at))}@${encodeURIComponent(email.slice(at + 1))}`;
}

const dayName = (day) => (has(`days.${day}`) ? t(`days.${day}`) : day);

function labelOf(memberId) {
  return space.members.find((m) => m.member_id === memberId)?.label ?? t("unknown");
}

function render() {
  wordFixedParts();
  const me = space.members.find((m) => m.is_me);
  $("title").textContent = space.group_name;
  $("initiative").textContent = space.initiative_title;
  $("shared-days").textContent = space.shared_days.length
    ? t("allFree", { days: new Intl.ListFormat(locale(), { type: "conjunction" }).format(space.shared_days.map(dayName)) })
    : "";
  $("share").checked = space.i_share_contact;
  const went = space.how_it_went ?? { good: 0, mixed: 0, bad: 0 };
  $("how-it-went").hidden = went.good + went.mixed + went.bad === 0;
  $("how-it-went").textContent = t("howItWent", went);
  $("calendar").href = space.calendar_path;

  let dates = space.dates;
  if (!showAllDates && dates.length > FEW_DATES) {
    const now = Date.now();
    const held = dates.filter((d) => new Date(d.starts_at).getTime() < now);
    const coming = dates.filter((d) => new Date(d.starts_at).getTime() >= now);
    dates = [...held.slice(-3), ...coming.slice(0, FEW_DATES - Math.min(3, held.length))];
  }
  const hidden = space.dates.length - dates.length;
  // Each rota's first date still to come carries "cancel the rest".
  const restOf = new Map();
  for (const d of space.dates) {
    const open = d.status === "proposed" || d.status === "accepted";
    if (!d.series_id || !open || new Date(d.starts_at).getTime() <= Date.now()) continue;
    const rest = restOf.get(d.series_id) ?? { first: d.id, n: 0 };
    rest.n += 1;
    restOf.set(d.series_id, rest);
  }
  $("more-dates").hidden = hidden === 0;
  $("more-dates").textContent = t("showAllDates", { n: space.dates.length });
  renderWeekdays();

  $("dates").replaceChildren(
    ...(dates.length ? dates : [null]).map((date) => {
      if (!date) return el("li", { className: "muted" }, t("noDates"));
      const mine = date.host === me.member_id;
      const open = date.status === "proposed" || date.status === "accepted";
      // Only a date that has begun can have been held.
      const begun = new Date(date.starts_at).getTime() <= Date.now();
      const action = (name, text, secondary = true) =>
        el("button", { type: "button", className: secondary ? "secondary" : "", dataset: { action: name }, on: { click: () => change(date.id, name) } }, text);
      return el(
        "li",
        { dataset: { date: date.id, status: date.status } },
        el("strong", {}, when(date.starts_at)),
        " ",
        el("span", { className: "badge" }, has(`status.${date.status}`) ? t(`status.${date.status}`) : date.status),
        el("br"),
        date.host ? el("span", {}, ...wNodes("host", { name: mine ? t("you") : labelOf(date.host) })) : w("noHost"),
        date.note ? el("br") : null,
        date.note ? isolated(date.note) : null,
        mine && date.status === "proposed" ? el("p", { className: "hint" }, w("proposedHost")) : null,
        mine && date.status === "proposed" ? action("accept", w("accept"), false) : null,
        mine && open ? action("swap", t("swap")) : null,
        open && begun ? action("done", t("done")) : null,
        open ? action("cancel", t("cancel")) : null,
        restOf.get(date.series_id)?.first === date.id
          ? el("button", { type: "button", className: "secondary", on: { click: () => cancelRest(date.series_id, restOf.get(date.series_id).n) } }, t("cancelSeries"))
          : null,
        date.status === "done" ? checkInForm(date) : null,
      );
    }),
  );

  $("members").replaceChildren(
    ...space.members.map((m) =>
      el(
        "li",
        { dataset: { member: m.member_id } },
        el("strong", {}, ...(m.is_me ? nodes("meLabel", { name: m.label }) : [isolated(m.label)])),
        ` · ${w("hosted", { n: m.hosted })}`,
        m.contact?.email ? el("br") : null,
        m.contact?.email && !m.is_me ? el("a", { href: mailto(m.contact.email), dir: "auto" }, m.contact.email) : null,
        m.contact?.phone && !m.is_me ? el("span", {}, " · ", isolated(m.contact.phone)) : null,
        m.is_me ? null : messageForm(m),
      ),
    ),
  );
}

// The series form's weekdays, in the page's language; ticks are kept when
// the language changes.
function renderWeekdays() {
  const box = document.querySelector("#series-weekdays .days");
  const ticked = new Set([...box.querySelectorAll("input:checked")].map((i) => i.value));
  box.replaceChildren(
    ...WEEKDAYS.map((day) => {
      const id = `series-${day}`;
      return el("div", {},
        el("input", { type: "checkbox", id, value: day, checked: ticked.has(day) }),
        el("label", { htmlFor: id, className: "inline" }, dayName(day)));
    }),
  );
}

const SERIES_FIELDS = ["weekdays", "from", "until", "time", "note"];

/** The server's word on each field, in the page's language where the page
 * has it (the server speaks Danish and English only). */
function showFieldErrors(error) {
  for (const field of SERIES_FIELDS) {
    const code = error?.field_codes?.[field];
    const key = field === "weekdays" && code === "required" ? "seriesError.noWeekday" : `seriesError.${code}`;
    const text = code && has(key) ? t(key) : error?.fields?.[field] ?? "";
    $(`series-${field}-error`).textContent = text;
    const input = field === "weekdays" ? null : $(`series-${field}`);
    if (input) input.setAttribute("aria-invalid", text ? "true" : "false");
  }
  const first = SERIES_FIELDS.find((f) => error?.fields?.[f]);
  if (first) (first === "weekdays" ? $("series-mon") : $(`series-${first}`)).focus();
}

function checkInForm(date) {
  const id = `check-${date.id}`;
  const how = el("select", { id: `${id}-how` },
    el("option", { value: "good" }, t("good")), el("option", { value: "mixed" }, t("mixed")), el("option", { value: "bad" }, t("bad")));
  const change = el("input", { id: `${id}-change`, maxLength: 500 });
  const share = el("input", { id: `${id}-share`, type: "checkbox" });
  // The server's words may be in another language than the page's.
  const status = el("p", { role: "status", dir: "auto" });
  return el("form", { className: "card", on: { submit: async (e) => {
      e.preventDefault();
      const answer = await api(`/api/v1/group/dates/${date.id}/check-in`, {
        method: "PUT", body: { how: how.value, change: change.value.trim() || null, share_name: share.checked },
      });
      status.textContent = answer.ok ? t("thanks") : answer.json?.error?.message ?? t("answerFailed");
    } } },
    el("label", { htmlFor: `${id}-how` }, t("howDidItGo")), how,
    el("label", { htmlFor: `${id}-change` }, t("oneChange")), change,
    el("div", {}, share, el("label", { htmlFor: `${id}-share`, className: "inline" }, t("shareName"))),
    el("button", { type: "submit" }, t("sendAnswer")),
    status,
  );
}

function messageForm(member) {
  const id = `msg-${member.member_id}`;
  const text = el("input", { id, maxLength: 2000 });
  // The server's words may be in another language than the page's.
  const status = el("p", { role: "status", dir: "auto" });
  return el("details", {},
    el("summary", {}, ...nodes("writeTo", { name: member.label })),
    el("form", { on: { submit: async (e) => {
        e.preventDefault();
        if (!text.value.trim()) return;
        const answer = await api(`/api/v1/group/members/${member.member_id}/messages`, { method: "POST", body: { body: text.value } });
        status.textContent = answer.ok ? t("messageSent") : answer.json?.error?.message ?? t("messageFailed");
        if (answer.ok) text.value = "";
      } } },
      el("label", { htmlFor: id }, t("messageLabel")), text,
      el("button", { type: "submit" }, t("send")),
      status,
    ),
  );
}

async function change(dateId, action) {
  const answer = await api(`/api/v1/group/dates/${dateId}/changes`, { method: "POST", body: { action } });
  if (!answer.ok) return problem(answer, t("tryAgain"));
  space = answer.json;
  render();
}

async function cancelRest(seriesId, n) {
  if (!confirm(t("cancelSeriesConfirm", { n }))) return;
  const answer = await api(`/api/v1/group/date-series/${seriesId}/cancel`, { method: "POST" });
  if (!answer.ok) return problem(answer, t("tryAgain"));
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

// A lost or dead link: ask for a new one by email (the answer is the same
// whether the address is known or not).
$("lost").addEventListener("submit", async (e) => {
  e.preventDefault();
  const response = await fetch("/api/v1/group/link-requests", {
    method: "POST",
    headers: { "Content-Type": "application/json", "Accept-Language": acceptLanguage() },
    body: JSON.stringify({ email: $("lost-email").value }),
  }).catch(() => null);
  const json = await response?.json().catch(() => null);
  const fields = Object.values(json?.error?.fields ?? {}).join(" ");
  if (response?.ok) say($("lost-status"), "lostSent");
  else if (json?.error?.message) quote($("lost-status"), `${json.error.message} ${fields}`.trim());
  else say($("lost-status"), "tryAgain");
});

async function load() {
  if (!secret) {
    say($("status"), "noKey");
    $("lost").hidden = false;
    return;
  }
  const answer = await api("/api/v1/group");
  if (!answer.ok) {
    say($("status"), answer.status === 404 ? "deadLink" : "loadFailed");
    $("lost").hidden = answer.status !== 404;
    return;
  }
  space = answer.json;
  quote($("status"), "");
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
  if (!answer.ok) return problem(answer, t("dateFailed"));
  space = answer.json;
  $("date-note").value = "";
  $("problem").textContent = "";
  render();
});

$("more-dates").addEventListener("click", () => {
  showAllDates = true;
  render();
});

$("add-series").addEventListener("submit", async (e) => {
  e.preventDefault();
  const weekdays = [...document.querySelectorAll("#series-weekdays input:checked")].map((i) => i.value);
  const answer = await api("/api/v1/group/date-series", {
    method: "POST",
    body: {
      weekdays, from: $("series-from").value, until: $("series-until").value,
      time: $("series-time").value, note: $("series-note").value.trim() || null,
    },
  });
  showFieldErrors(answer.ok ? null : answer.json?.error);
  if (!answer.ok) {
    if (answer.json?.error?.fields && Object.keys(answer.json.error.fields).length) {
      $("series-status").textContent = "";
      return;
    }
    $("series-status").textContent = answer.json?.error?.message ?? t("seriesFailed");
    return;
  }
  space = answer.json.space;
  render();
  $("series-status").textContent = t("seriesAdded", { n: answer.json.added });
});

$("share").addEventListener("change", async (e) => {
  const answer = await api("/api/v1/group/me", { method: "PUT", body: { share_contact: e.target.checked } });
  if (!answer.ok) return problem(answer, t("tryAgain"));
  space = answer.json;
  render();
});

$("invite").addEventListener("click", async () => {
  const answer = await api("/api/v1/group/invites", { method: "POST" });
  if (!answer.ok) return problem(answer, t("inviteFailed"));
  // The join page asks a family for its details, anyone else for a name.
  const kind = space.families ? "" : "?kind=people";
  const link = `${location.origin}/group/join${kind}#${answer.json.invite_token}`;
  $("invite-link").hidden = false;
  $("invite-link").textContent = w("inviteLink", { link });
});

$("leave").addEventListener("click", async () => {
  if (!confirm(t("leaveConfirm"))) return;
  const answer = await api("/api/v1/group/me", { method: "DELETE" });
  if (answer.status === 204 || answer.ok) {
    $("space").hidden = true;
    say($("status"), "left");
  } else problem(answer, t("tryAgain"));
});

// The group link is the member's private link too: download or delete.
$("export").addEventListener("click", async () => {
  const answer = await api("/api/v1/privacy/export");
  if (!answer.ok) return problem(answer, t("tryAgain"));
  const file = new Blob([JSON.stringify(answer.json, null, 2)], { type: "application/json" });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(file);
  link.download = "sammen-mine-oplysninger.json";
  link.click();
  URL.revokeObjectURL(link.href);
});

$("erase").addEventListener("click", async () => {
  if (!confirm(w("eraseConfirm"))) return;
  const answer = await api("/api/v1/privacy/data", { method: "DELETE" });
  if (!answer.ok) return problem(answer, t("tryAgain"));
  $("space").hidden = true;
  say($("status"), "erased");
});

// Other members change the schedule too: look again when the page is shown.
document.addEventListener("visibilitychange", () => { if (!document.hidden && space) load(); });
load().catch(() => say($("status"), "loadFailed"));
// Another link opened in this tab (a new one after a lost one) changes only
// the fragment: read the page again with it.
window.addEventListener("hashchange", () => location.reload());
