// The projector: the code, the QR code and the board, grouped by category
// and ranked by dots, updated live (server-sent events). In the room's
// language: `?lang=en` for an English-speaking room.
import { codeFromAddress, follow } from "./common.js";
import { translator } from "/group/i18n.js";

const { t, has, number } = await translator("/meeting/lang", "projector");

const code = codeFromAddress();
const $ = (id) => document.getElementById(id);

function render(board) {
  $("title").textContent = board.title;
  $("code").textContent = board.code;
  $("counts").textContent = [
    t("participants", { n: board.participants }),
    t("proposals", { n: board.proposals.length }),
    t("dots", { n: board.votes_cast }),
    ...(board.status === "closed" ? [t("over")] : board.locked ? [t("locked")] : []),
  ].join(" · ");
  const groups = new Map();
  for (const p of board.proposals) {
    if (!groups.has(p.category)) groups.set(p.category, []);
    groups.get(p.category).push(p);
  }
  const sections = [...groups.entries()].map(([category, list]) => {
    const section = document.createElement("section");
    section.className = "category";
    section.dataset.category = category;
    const h = document.createElement("h3");
    h.textContent = has(`categories.${category}`) ? t(`categories.${category}`) : category;
    const ol = document.createElement("ol");
    ol.className = "board";
    for (const p of list) {
      const li = document.createElement("li");
      li.dataset.proposal = p.id;
      const row = document.createElement("div");
      row.className = "row";
      const title = document.createElement("span");
      title.className = "proposal-title";
      // The idea as its proposer typed it, in whatever script.
      title.dir = "auto";
      title.textContent = p.title;
      const votes = document.createElement("span");
      votes.className = "votes";
      votes.textContent = `${number(p.votes)} ●`;
      votes.setAttribute("aria-label", t("dots", { n: p.votes }));
      row.append(title, votes);
      li.append(row);
      ol.append(li);
    }
    section.append(h, ol);
    return section;
  });
  $("groups").replaceChildren(...sections);
  document.body.dataset.version = String(board.version);
}

if (!code) {
  $("problem").textContent = t("noCode");
} else {
  $("qr").src = `/api/v1/meetings/${encodeURIComponent(code)}/qr.svg`;
  $("join-url").textContent = `${location.host}/meeting`;
  follow(code, render, () => {});
}
