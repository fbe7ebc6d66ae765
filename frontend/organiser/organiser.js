// The organiser's page: /organiser#<follow token>, linked from the follow
// view in the widget once the initiative is published. Who joined, per need,
// with the email or phone each chose to show, and the volunteers the
// coordinator invited with their answers; groups she forms from them and
// hands over, each to run itself. The token stays in the fragment.
import { translator } from "/group/i18n.js";
import { newKey } from "/group/key.js";

const $ = (id) => document.getElementById(id);
const token = decodeURIComponent(location.hash.slice(1));
let current = null;
// The groups as saved (the server's answer) and the draft being edited:
// each group's name and whether the organiser is in it, and who is where.
let groups = null;
let draft = [];
let placed = new Map();
const { t, say, quote, nodes, number, acceptLanguage } = await translator("/organiser/lang", "organiser", () => {
  if (current) show(current);
  if (groups) showGroups();
});

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
    section(need.title, t("count", { n: need.people_joined, wanted: need.people_wanted }), [
      ...view.people.filter((p) => p.need_id === need.id).map(person),
      ...view.invited.filter((v) => v.need_id === need.id).map(volunteer),
    ]));
  const other = view.people.filter((p) => !view.needs.some((n) => n.id === p.need_id));
  if (open && (other.length || !view.needs.length)) parts.push(section(t("otherPeople"), null, other.map(person)));
  $("needs").replaceChildren(...(open ? parts : []));
  $("write").hidden = !open || (!view.people.length && !view.invited.some((v) => v.status === "accepted"));
  $("done").hidden = view.status !== "published";
  $("outcome-shown").hidden = !view.outcome;
  $("outcome-shown").replaceChildren(...(view.outcome ? nodes("doneWith", { outcome: view.outcome }) : []));
  const chosen = $("write-to").value;
  $("write-to").replaceChildren(
    el("option", t("everyone"), { value: "" }),
    ...view.needs.map((n) => el("option", t("helpers", { need: n.title }), { value: n.id, dir: "auto" })),
  );
  $("write-to").value = chosen;
  showCoOrganisers(open);
  if (groups) showGroups();
}

function showCoOrganisers(open) {
  $("co").hidden = !open;
  $("co-hint").textContent = t(current.proposer ? "coHintProposer" : "coHintCo");
  $("co-add").hidden = !current.proposer;
  $("co-list").replaceChildren(...current.co_organisers.map((c) => {
    const li = el("li");
    li.append(el("bdi", c.name));
    if (c.email) li.append(" · ", el("span", c.email));
    if (current.proposer) {
      const remove = el("button", t("coRemove", { name: c.name }), { type: "button", class: "secondary", dir: "auto" });
      remove.addEventListener("click", async () => {
        const response = await call(`/api/v1/follow/co-organisers/${c.id}`, "DELETE");
        if (response?.ok) return load(false);
        $("co-status").textContent = t("coFailed");
      });
      li.append(el("br"), remove);
    }
    return li;
  }));
  if (!current.co_organisers.length) $("co-list").replaceChildren(el("li", t("coNone"), { class: "muted" }));
}

// The server's refusal in words: its message, and each field's unless it
// says the same.
function refusal(json, fallback) {
  const message = json?.error?.message;
  const fields = Object.values(json?.error?.fields ?? {}).filter((f) => f !== message);
  return [message ?? fallback, ...fields].join(" ").trim();
}

const call = (path, method, body, extra = {}) =>
  fetch(path, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      "Accept-Language": acceptLanguage(),
      ...(body ? { "Content-Type": "application/json" } : {}),
      ...extra,
    },
    body: body ? JSON.stringify(body) : undefined,
  }).catch(() => null);

function takeGroups(saved) {
  groups = saved;
  draft = saved.groups.map((g) => ({ name: g.name, with_me: g.with_me }));
  if (!draft.length) draft = [{ name: "", with_me: true }];
  placed = new Map();
  saved.groups.forEach((g, i) => g.members.forEach((id) => placed.set(id, i)));
  showGroups();
}

// An escort group's route as the coordinator's console words it ("Rute fra
// nord: 3 hjem 0,4–1,5 km fra skolen"), put together here from its parts so
// that each language words it its own way. The server describes a group as
// a route only for a walking group with a place to walk to.
function routeLine(route) {
  const [near, far] = [number(route.nearest_km), number(route.farthest_km)];
  const km = near === far ? far : `${near}–${far}`;
  const to = route.to.kind === "institution" ? route.to.name : t(`routeTo.${route.to.kind}`);
  const line = el("p", undefined, { class: "hint route" });
  line.append(...(route.from
    ? nodes("routeFrom", { way: t(`compass.${route.from}`), n: route.homes, km, to })
    : nodes("routeSeveral", { n: route.homes, km, to })));
  if (route.without_point) line.append(" · ", t("routeWithout", { n: route.without_point }));
  return line;
}

// A draft group's route is the saved group's, so it shows only while the
// group holds the people it was saved with; saving describes it anew.
function showRoute(i) {
  const box = $(`group-route-${i}`);
  const route = groups.groups[i]?.route;
  if (!box) return;
  const saved = new Set(groups.groups[i]?.members ?? []);
  const now = current.people.filter((p) => placed.get(p.signup_id) === i).map((p) => p.signup_id);
  const same = now.length === saved.size && now.every((id) => saved.has(id));
  box.replaceChildren(...(route && same ? [routeLine(route)] : []));
}

// A handed-over group: its name and who is in it, by the names on this page.
function handedGroup(group) {
  // Someone a group invited in is the group's, not on this page by name.
  const names = group.members.map((id) => current.people.find((p) => p.signup_id === id)?.name ?? t("invitedMember"));
  if (group.with_me) names.unshift(t(current.proposer ? "youAreIn" : "proposerIn"));
  const li = el("li");
  li.append(el("strong", group.name, { dir: "auto" }), el("br"), el("span", names.join(", "), { class: "muted", dir: "auto" }));
  if (group.route) li.append(routeLine(group.route));
  return li;
}

function showGroups() {
  const open = current?.status === "published";
  $("groups").hidden = !current || !(groups.groups.length || (open && current.people.length));
  $("draft").hidden = groups.handed_over || !open;
  if (groups.handed_over) {
    const list = el("ul", undefined, { class: "members" });
    list.append(...groups.groups.map(handedGroup));
    const parts = [el("p", t("handedOver")), list];
    const mine = groups.groups.filter((g) => g.with_me);
    groups.my_links.forEach((link, i) => {
      const line = el("p");
      const open = el("a", undefined, { href: link });
      open.append(...nodes("myLink", { group: mine[i]?.name ?? "" }));
      line.append(open);
      parts.push(line);
    });
    if (groups.my_links.length) parts.push(el("p", t("myLinkHint"), { class: "hint" }));
    if (groups.links_to_pass_on.length) {
      parts.push(el("p", t("passOn")), el("p", t("passOnOnce"), { class: "hint" }));
      const pass = el("ul", undefined, { class: "members" });
      for (const m of groups.links_to_pass_on) {
        const li = el("li");
        li.append(el("bdi", m.name), el("br"), el("span", m.link, { class: "link" }));
        pass.append(li);
      }
      parts.push(pass);
    }
    $("group-list").replaceChildren();
    $("handed").replaceChildren(...parts);
    return;
  }
  $("handed").replaceChildren();
  $("group-list").replaceChildren(...draft.map((g, i) => {
    const box = el("fieldset");
    box.append(el("legend", t("defaultName", { n: i + 1 })));
    box.append(el("label", t("groupName", { n: i + 1 }), { for: `group-name-${i}` }));
    const name = el("input", undefined, { id: `group-name-${i}`, maxlength: "120", placeholder: t("defaultName", { n: i + 1 }), dir: "auto" });
    name.value = g.name;
    name.addEventListener("input", () => {
      g.name = name.value;
      // The choices below follow the name as it is typed.
      for (const option of document.querySelectorAll(`#placing option[value="${i}"]`)) {
        option.textContent = g.name || t("defaultName", { n: i + 1 });
      }
    });
    const me = el("input", undefined, { type: "checkbox", id: `group-me-${i}` });
    me.checked = g.with_me;
    me.addEventListener("change", () => { g.with_me = me.checked; });
    const line = el("div");
    line.append(me, el("label", t("withMe"), { for: `group-me-${i}`, class: "inline" }));
    // "Me" is the proposer: her own membership is hers to choose.
    line.hidden = !current.proposer;
    box.append(name, line, el("div", undefined, { id: `group-route-${i}` }));
    return box;
  }));
  draft.forEach((_, i) => showRoute(i));
  $("placing").replaceChildren(...current.people.map((p) => {
    const row = el("div");
    const id = `place-${p.signup_id}`;
    const need = current.needs.find((n) => n.id === p.need_id)?.title;
    row.append(el("label", t("groupOf", { name: need ? `${p.name} (${need})` : p.name }), { for: id, dir: "auto" }));
    const select = el("select", undefined, { id });
    select.append(el("option", t("noGroup"), { value: "-1" }),
      ...draft.map((g, i) => el("option", g.name || t("defaultName", { n: i + 1 }), { value: String(i), dir: "auto" })));
    select.value = String(placed.get(p.signup_id) ?? -1);
    select.addEventListener("change", () => {
      const was = placed.get(p.signup_id);
      placed.set(p.signup_id, Number(select.value));
      for (const i of [was, Number(select.value)]) if (i >= 0) showRoute(i);
    });
    row.append(select);
    return row;
  }));
}

function draftBody() {
  return {
    groups: draft.map((g, i) => ({
      name: g.name.trim() || null,
      with_me: g.with_me,
      members: current.people.filter((p) => placed.get(p.signup_id) === i).map((p) => p.signup_id),
    })),
  };
}

async function answered(response, done) {
  const json = await response?.json().catch(() => null);
  if (response?.ok) {
    takeGroups(json);
    $("groups-status").textContent = done;
    return true;
  }
  $("groups-status").textContent = refusal(json, t("groupsFailed"));
  return false;
}

// One key per co-organiser added: a retry is the same request.
let coKey = newKey();
$("co-add").addEventListener("submit", async (e) => {
  e.preventDefault();
  const name = $("co-name").value;
  const response = await call("/api/v1/follow/co-organisers", "POST", { name, email: $("co-email").value }, { "Idempotency-Key": coKey });
  const json = await response?.json().catch(() => null);
  if (response?.ok) {
    coKey = newKey();
    $("co-name").value = "";
    $("co-email").value = "";
    $("co-status").replaceChildren(...nodes("coAdded", { name: json.name }));
    return load(false);
  }
  $("co-status").textContent = refusal(json, t("coFailed"));
});

$("add-group").addEventListener("click", () => {
  draft.push({ name: "", with_me: false });
  showGroups();
  $(`group-name-${draft.length - 1}`).focus();
});
$("save-groups").addEventListener("click", async () => {
  await answered(await call("/api/v1/follow/groups", "PUT", draftBody()), t("groupsSaved"));
});
// One key per hand-over: a retry after a lost answer gets the same links.
const handOverKey = newKey();
$("hand-over").addEventListener("click", async () => {
  if (!confirm(t("handOverConfirm"))) return;
  if (!(await answered(await call("/api/v1/follow/groups", "PUT", draftBody()), ""))) return;
  // The handed-over groups say so themselves.
  await answered(await call("/api/v1/follow/groups/hand-over", "POST", null, { "Idempotency-Key": handOverKey }), "");
});

$("done").addEventListener("submit", async (e) => {
  e.preventDefault();
  const response = await fetch("/api/v1/follow/done", {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Accept-Language": acceptLanguage(), "Content-Type": "application/json" },
    body: JSON.stringify({ outcome: $("done-outcome").value }),
  }).catch(() => null);
  const json = await response?.json().catch(() => null);
  if (response?.ok) return show(json);
  $("done-status").textContent = refusal(json, t("notDone"));
});

// One key per message, kept until it is sent: a retry is the same request.
let key = newKey();
$("write").addEventListener("submit", async (e) => {
  e.preventDefault();
  const response = await fetch("/api/v1/follow/people/messages", {
    method: "POST",
    headers: {
      Authorization: `Bearer ${token}`,
      "Accept-Language": acceptLanguage(),
      "Content-Type": "application/json",
      "Idempotency-Key": key,
    },
    body: JSON.stringify({ body: $("write-body").value, need_id: $("write-to").value || null }),
  }).catch(() => null);
  const json = await response?.json().catch(() => null);
  if (response?.ok) {
    key = newKey();
    $("write-body").value = "";
    $("write-status").textContent = [t("sent", { n: json.sent_to }), json.without_email ? t("notReached", { n: json.without_email }) : ""]
      .join(" ").trim();
    return;
  }
  $("write-status").textContent = refusal(json, t("notSent"));
});

// After a change to the co-organisers the groups' draft stays as edited.
async function load(withGroups = true) {
  const response = await fetch("/api/v1/follow/people", {
    headers: { Authorization: `Bearer ${token}`, "Accept-Language": acceptLanguage() },
  }).catch(() => null);
  const json = await response?.json().catch(() => null);
  if (response?.ok) {
    show(json);
    if (!withGroups) return;
    const saved = await call("/api/v1/follow/groups", "GET");
    if (saved?.ok) takeGroups(await saved.json());
    return;
  }
  $("status").hidden = true;
  if (response?.status !== 404 && json?.error?.message) quote($("problem"), json.error.message);
  else say($("problem"), response?.status === 404 ? "deadLink" : "failed");
}

if (token) load();
else {
  $("status").hidden = true;
  say($("problem"), "noKey");
}
