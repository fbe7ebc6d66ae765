// A phone in the room: join with the code, propose, put dots on others'
// proposals. The participant key and one's own proposals stay in this
// browser, so a reload keeps them.
import { codeFromAddress, api, follow } from "./common.js";

const $ = (id) => document.getElementById(id);
let code = codeFromAddress();
let board = null;
let votesLeft = 0;

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
  votesLeft = Math.max(0, board.votes_per_person - store.used);
  $("dots").textContent = board.status === "closed"
    ? "Mødet er slut. Tak for jeres forslag!"
    : `Du har ${votesLeft} prikker tilbage.`;
  const mine = new Set(store.mine);
  const items = board.proposals.map((p) => {
    const li = document.createElement("li");
    li.dataset.proposal = p.id;
    const row = document.createElement("div");
    row.className = "row";
    const title = document.createElement("span");
    title.textContent = p.title;
    const votes = document.createElement("span");
    votes.className = "votes";
    votes.textContent = `${p.votes} ●`;
    row.append(title, votes);
    li.append(row);
    if (!mine.has(p.id) && board.status === "open") {
      const dot = document.createElement("button");
      dot.type = "button";
      dot.className = "dot";
      dot.textContent = "Giv en prik";
      dot.setAttribute("aria-label", `Giv en prik til ${p.title}`);
      dot.disabled = votesLeft === 0;
      dot.addEventListener("click", () => vote(p.id, dot));
      li.append(dot);
    }
    return li;
  });
  $("board").replaceChildren(...items);
}

async function vote(proposalId, button) {
  button.disabled = true;
  const answer = await api(`/api/v1/meetings/${code}/votes`, {
    method: "POST", token: store.token, key: crypto.randomUUID(), body: { proposal_id: proposalId },
  });
  if (answer.ok) {
    store.used = board.votes_per_person - answer.json.votes_left;
  } else {
    $("problem").textContent = answer.json?.error?.message ?? "Prikken kom ikke med. Prøv igen.";
  }
  render();
}

async function propose(event) {
  event.preventDefault();
  const title = $("p-title").value.trim();
  if (!title) return;
  const before = new Set((board?.proposals ?? []).map((p) => p.id));
  const answer = await api(`/api/v1/meetings/${code}/proposals`, {
    method: "POST", token: store.token, key: crypto.randomUUID(),
    body: { title, summary: $("p-summary").value.trim() || null },
  });
  if (!answer.ok) {
    $("propose-status").textContent = answer.json?.error?.message ?? "Forslaget kom ikke med. Prøv igen.";
    return;
  }
  const created = answer.json.proposals.find((p) => !before.has(p.id) && p.title === title);
  if (created) store.mine = [...store.mine, created.id];
  board = answer.json;
  $("p-title").value = "";
  $("p-summary").value = "";
  $("propose-status").textContent = "Dit forslag er på tavlen.";
  render();
}

async function enter() {
  if (!store.token) {
    const joined = await api(`/api/v1/meetings/${code}/participants`, { method: "POST" });
    if (!joined.ok) {
      $("problem").textContent = joined.json?.error?.message ?? "Vi kunne ikke finde mødet.";
      $("code-form").hidden = false;
      return;
    }
    store.token = joined.json.participant_token;
  }
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
