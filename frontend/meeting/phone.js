// A phone in the room: join with the code, propose, put dots on others'
// proposals. The participant key and one's own proposals stay in this
// browser, so a reload keeps them.
import { codeFromAddress, api, follow, speak } from "./common.js";
import { translator } from "/group/i18n.js";
import { newKey } from "/group/key.js";

const { t, say, quote, has, number, lang, acceptLanguage } = await translator("/meeting/lang", "phone", () => { speak(acceptLanguage()); render(); });
speak(acceptLanguage());

const $ = (id) => document.getElementById(id);
let code = codeFromAddress();
let board = null;
let votesLeft = 0;
// Dots left as the server counted them when this page joined.
let seatDots = null;

const store = {
  get token() { return localStorage.getItem(`sammen-meeting-${code}`); },
  set token(value) { localStorage.setItem(`sammen-meeting-${code}`, value); },
  get mine() { return JSON.parse(localStorage.getItem(`sammen-meeting-${code}-mine`) ?? "[]"); },
  set mine(ids) { localStorage.setItem(`sammen-meeting-${code}-mine`, JSON.stringify(ids)); },
  get used() { return Number(localStorage.getItem(`sammen-meeting-${code}-used`) ?? "0"); },
  set used(n) { localStorage.setItem(`sammen-meeting-${code}-used`, String(n)); },
};

function render() {
  if (!board) return;
  $("title").textContent = board.title;
  document.title = `${board.title} – Sammen`;
  votesLeft = Math.max(0, seatDots ?? board.votes_per_person - store.used);
  $("dots").textContent = board.status === "closed"
    ? t("over")
    : t("dotsLeft", { n: votesLeft });
  const mine = new Set(store.mine);
  // Each idea keeps its element across updates: another phone's dot must
  // not take the focus (or a screen reader's place) from the button this
  // person is on, so rows are updated in place and only moved when the
  // order changes.
  const list = $("board");
  const focused = document.activeElement;
  const rows = new Map([...list.children].map((li) => [li.dataset.proposal, li]));
  board.proposals.forEach((p, index) => {
    const li = rows.get(p.id) ?? proposalRow(p);
    rows.delete(p.id);
    updateRow(li, p, mine);
    if (list.children[index] !== li) list.insertBefore(li, list.children[index] ?? null);
  });
  for (const gone of rows.values()) gone.remove();
  // Moving a row (its idea got dots and climbs) drops the focus inside it:
  // give it back where it was.
  if (focused?.isConnected && document.activeElement !== focused) focused.focus({ preventScroll: true });
  if (topicsLang !== lang()) renderTopics();
}

function proposalRow(p) {
  const li = document.createElement("li");
  li.dataset.proposal = p.id;
  const row = document.createElement("div");
  row.className = "row";
  const title = document.createElement("span");
  // The idea as its proposer typed it, in whatever script.
  title.dir = "auto";
  title.className = "title";
  const votes = document.createElement("span");
  votes.className = "votes";
  row.append(title, votes);
  const chosen = document.createElement("p");
  chosen.className = "muted";
  const dot = document.createElement("button");
  dot.type = "button";
  dot.className = "dot";
  dot.addEventListener("click", () => vote(p.id, dot));
  li.append(row, chosen, dot);
  return li;
}

function updateRow(li, p, mine) {
  const set = (node, text) => { if (node.textContent !== text) node.textContent = text; };
  set(li.querySelector(".title"), p.title);
  set(li.querySelector(".votes"), `${number(p.votes)} ●`);
  const chosen = li.querySelector("p");
  chosen.hidden = !p.initiative_id;
  set(chosen, p.initiative_id ? (mine.has(p.id) ? t("chosenMine") : t("chosen")) : "");
  const dot = li.querySelector("button");
  dot.hidden = mine.has(p.id) || board.status !== "open";
  set(dot, t("giveDot"));
  dot.setAttribute("aria-label", t("giveDotTo", { title: p.title }));
  if (!dot.dataset.voting) dot.disabled = votesLeft === 0;
}

// The municipality's categories, read once its slug is known (the board
// names it), and named in the page's language.
let categories = null;
// The language the options were last named in: rebuilding them on every
// board update would close a topic list the person has open.
let topicsLang = null;
async function renderTopics() {
  if (!board?.municipality) return;
  topicsLang = lang();
  if (!categories) {
    categories = [];
    const answer = await api(`/api/v1/municipalities/${encodeURIComponent(board.municipality)}`);
    categories = answer.ok ? answer.json.categories : [];
  }
  const select = $("p-category");
  const chosen = select.value;
  const first = select.options[0];
  first.textContent = t("chooseTopic");
  select.replaceChildren(first, ...categories.map((c) => {
    const option = document.createElement("option");
    option.value = c.slug;
    option.dir = "auto";
    // The municipality names its categories in Danish and English; in
    // another language a standard category has a name of ours.
    option.textContent = lang() === "da" ? c.name_da
      : lang() === "en" || !has(`categories.${c.slug}`) ? c.name_en : t(`categories.${c.slug}`);
    return option;
  }));
  select.value = chosen;
}

async function vote(proposalId, button) {
  button.disabled = true;
  button.dataset.voting = "yes";
  const answer = await api(`/api/v1/meetings/${code}/votes`, {
    method: "POST", token: store.token, key: newKey(), body: { proposal_id: proposalId },
  });
  if (answer.ok) {
    store.used = board.votes_per_person - answer.json.votes_left;
    seatDots = answer.json.votes_left;
  } else {
    if (answer.json?.error?.message) quote($("problem"), answer.json.error.message);
    else say($("problem"), "dotFailed");
  }
  delete button.dataset.voting;
  render();
}

async function propose(event) {
  event.preventDefault();
  const title = $("p-title").value.trim();
  if (!title) return;
  const before = new Set((board?.proposals ?? []).map((p) => p.id));
  const answer = await api(`/api/v1/meetings/${code}/proposals`, {
    method: "POST", token: store.token, key: newKey(),
    body: {
      title,
      summary: $("p-summary").value.trim() || null,
      category: $("p-category").value || null,
      contact: {
        name: $("p-name").value,
        email: $("p-email").value.trim() || null,
        phone: $("p-phone").value.trim() || null,
      },
    },
  });
  if (!answer.ok) {
    const fields = Object.values(answer.json?.error?.fields ?? {}).join(" ");
    if (answer.json?.error?.message) quote($("propose-status"), `${answer.json.error.message} ${fields}`.trim());
    else say($("propose-status"), "proposeFailed");
    return;
  }
  const created = answer.json.proposals.find((p) => !before.has(p.id) && p.title === title);
  if (created) store.mine = [...store.mine, created.id];
  board = answer.json;
  for (const id of ["p-title", "p-summary", "p-name", "p-email", "p-phone"]) $(id).value = "";
  say($("propose-status"), "posted");
  render();
}

async function enter() {
  // With the key this browser holds, the server gives back the same seat
  // (and the dots left); without one, or a key it no longer knows, a new one.
  const joined = await api(`/api/v1/meetings/${code}/participants`, {
    method: "POST", token: store.token ?? undefined,
  });
  if (!joined.ok) {
    if (joined.json?.error?.message) quote($("problem"), joined.json.error.message);
    else say($("problem"), "notFound");
    $("code-form").hidden = false;
    return;
  }
  if (joined.json.participant_token !== store.token) store.used = 0;
  store.token = joined.json.participant_token;
  seatDots = joined.json.votes_left;
  $("code-form").hidden = true;
  $("room").hidden = false;
  $("propose").addEventListener("submit", propose);
  follow(code, (b) => { board = b; render(); });
}

$("code-form").addEventListener("submit", (e) => {
  e.preventDefault();
  location.hash = $("code").value.trim().toUpperCase();
  location.reload();
});

if (code) enter(); else $("code-form").hidden = false;
