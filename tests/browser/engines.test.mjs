// The citizen stories in Firefox and WebKit, not only Chromium: most Danish
// phones are iPhones (WebKit) and many desktops run Firefox. In each engine,
// at 360 × 740: propose an initiative in the widget (refused first, then
// sent), open its follow link, join an initiative as a family, offer help,
// a proposal made offline (queued in the browser, sent once after reloads),
// a group's page (a date, sharing, an invite) and its join page in Arabic
// right to left, and a phone at the open meeting (join by code, propose, put
// a dot). Each view: axe-core finds nothing under WCAG 2.2 AA; each write is
// checked through the API.
//
// Firefox is Debian's firefox-esr, headless, through geckodriver
// (`cargo install geckodriver`); WebKit is WebKitGTK's MiniBrowser through
// Debian's WebKitWebDriver on a private Xvfb display (see webdriver.mjs).
// A missing driver fails these tests with what to install;
// SAMMEN_SKIP_ENGINES=1 skips them on purpose.
//
// Run: `node --test tests/browser/engines.test.mjs` from the repository root
// after `cargo build -p sammen-backend --bin sammen` and the widget's build.
// SAMMEN_ENGINES=webkit (or firefox) runs one engine.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";

import { readFileSync } from "node:fs";
import { createServer, request as forward } from "node:http";
import path from "node:path";

import { adminSession, freePort, root, startServer } from "./harness.mjs";
import { startEngine } from "./webdriver.mjs";

const ENGINES = (process.env.SAMMEN_ENGINES || "firefox,webkit").split(",").map((e) => e.trim()).filter(Boolean);
const skip = process.env.SAMMEN_SKIP_ENGINES === "1" ? "SAMMEN_SKIP_ENGINES=1" : false;

let server;

before(async () => {
  if (skip) return;
  server = await startServer({ env: { SAMMEN_WRITES_PER_MINUTE_PER_ADDRESS: "1000" } });
});

after(async () => {
  await server?.stop();
});

async function api(pathAndQuery, init) {
  const answer = await fetch(`${server.url}${pathAndQuery}`, init);
  assert.ok(answer.ok, `${pathAndQuery}: ${answer.status}`);
  return answer.json();
}

/** Proposes and publishes an initiative through the API; returns its id. */
async function published(admin, body) {
  const proposed = await api("/api/v1/municipalities/billund/initiatives", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ institution: "regnbuen", place: { name: "Hjemme hos familierne" }, ...body }),
  });
  const decided = await admin(`/api/v1/admin/initiatives/${proposed.id}/decisions`, {
    method: "POST", body: JSON.stringify({ action: "publish", version: 1 }),
  });
  assert.equal(decided.status, 200);
  return proposed.id;
}

/**
 * A connection between the browser and `target` on `port`: it passes
 * everything on until `down()` (every connection dropped, new ones too) or
 * `loseNextAnswer()` (the next POST reaches the server, its answer is lost
 * on the way back).
 */
async function startNetwork(port, target) {
  const upstream = new URL(target);
  const sockets = new Set();
  const net = {
    url: `http://127.0.0.1:${port}`,
    mode: "up",
    posts: 0,
    lost: 0,
    down() {
      net.mode = "down";
      for (const socket of sockets) socket.destroy();
    },
    loseNextAnswer() {
      net.mode = "lose";
    },
  };
  const proxy = createServer((incoming, outgoing) => {
    if (net.mode === "down") return incoming.socket.destroy();
    if (incoming.method === "POST") net.posts++;
    const upward = forward({
      host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: incoming.headers,
    }, (answer) => {
      if (incoming.method === "POST" && net.mode === "lose") {
        net.mode = "up";
        net.lost++;
        answer.resume();
        return incoming.socket.destroy();
      }
      outgoing.writeHead(answer.statusCode, answer.headers);
      answer.pipe(outgoing);
    });
    upward.on("error", () => incoming.socket.destroy());
    incoming.pipe(upward);
  });
  proxy.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise((resolve) => proxy.listen(port, "127.0.0.1", resolve));
  net.stop = () => new Promise((resolve) => {
    for (const socket of sockets) socket.destroy();
    proxy.close(resolve);
  });
  return net;
}

for (const engine of ENGINES) {
  describe(`the citizen stories in ${engine}`, { skip }, () => {
    let browser;
    /** The engine's one window, a 360 px phone (webdriver.mjs's Phone). */
    let phone;

    before(async () => {
      browser = await startEngine(engine);
      phone = browser.phone;
    });

    after(async () => {
      await browser?.stop();
    });

    /** axe-core on the whole page: nothing under WCAG 2.2 AA. */
    async function accessible(view) {
      assert.deepEqual(await phone.axe(), [], `${engine}: axe violations on the ${view}`);
    }

    /** Nothing scrolls sideways at 360 px. */
    async function fits(view) {
      const width = await phone.run(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `${engine}: the ${view} is ${width} px wide at 360 px`);
    }

    /** The demo page with the widget's first cards shown. */
    async function openDemo() {
      await phone.go(`${server.url}/demo`);
      await phone.find({ css: "sammen-widget .cards .card, .cards .card" }, 20_000);
    }

    // Kept between the tests: the proposal's private follow link.
    let followLink;
    const title = `Gåbus til Regnbuen ${engine} ${Date.now()}`;

    test("propose an initiative: a missing title is said next to it, fixed it is sent and the API has it", async () => {
      await openDemo();
      await accessible("widget's list");
      await phone.click({ button: "Foreslå" });
      await phone.find({ heading: "Foreslå et initiativ" });
      await accessible("proposal form");
      await phone.fill({ label: "Beskriv det kort" }, "Vi går sammen til Regnbuen hver morgen kl. 7.45.");
      await phone.select({ label: "Kategori" }, "walking_group");
      await phone.fill({ label: "Hvor?" }, "Stenderup Skole");
      await phone.click({ button: "+ Tilføj et behov" });
      await phone.fill({ label: "Hvad skal der til?" }, "Voksne, der går med");
      await phone.fill({ label: "Hvad skal de kunne?" }, "førstehjælp, færdselsregler");
      await phone.fill({ label: "Dit navn" }, "Jens Ørsted");
      await phone.fill({ label: "E-mail" }, "jens@example.dk");
      await phone.click({ button: "Send forslaget" });

      const message = await phone.find({ css: "#f-title-error" });
      assert.equal(await message.getText(), "Skal udfyldes.");
      const field = await phone.find({ css: "#f-title" });
      assert.equal(await field.getAttribute("aria-invalid"), "true");
      assert.match(await field.getAttribute("aria-describedby"), /f-title-error/);
      await phone.find({ text: "Ret de markerede felter, og send igen." });
      await accessible("proposal form with errors");

      await phone.fill({ css: "#f-title" }, title);
      await phone.click({ button: "Send forslaget" });
      await phone.find({ heading: "Tak! Dit forslag er sendt." });
      assert.equal(await phone.has({ css: "#f-title-error" }), false);
      followLink = await phone.value({ label: "Dit private link" });
      assert.match(followLink, /#sammen-follow=/);
      await fits("proposal sent");
      await accessible("proposal sent");

      const token = decodeURIComponent(followLink.split("#sammen-follow=")[1]);
      const followed = await api("/api/v1/follow", { headers: { Authorization: `Bearer ${token}` } });
      assert.equal(followed.proposal.title, title);
      assert.equal(followed.proposal.status, "submitted");
      assert.deepEqual(followed.proposal.needs.map((n) => n.skills), [["førstehjælp", "færdselsregler"]]);
    });

    test("the follow link opens the proposal, waiting for the coordinator", async () => {
      assert.ok(followLink, "the proposal story gave a follow link");
      await phone.go("about:blank");
      await phone.go(followLink);
      const badge = await phone.find({ css: ".status .badge.status-submitted" }, 20_000);
      assert.equal(await badge.getText(), "Sendt, venter på koordinatoren");
      await phone.find({ heading: title });
      await fits("follow view");
      await accessible("follow view");
    });

    test("join an initiative as a family, with home languages found by name; the API counts it", async () => {
      const [seeded] = (await api("/api/v1/municipalities/billund/initiatives?institution=regnbuen")).items;
      await openDemo();
      await phone.click({ button: seeded.title, exact: false });
      await phone.find({ heading: seeded.title });
      await accessible("initiative's page");
      await phone.click({ button: "Vær med" });
      await phone.find({ heading: `Vær med: ${seeded.title}` });
      await accessible("join form");
      await phone.select({ label: "Barnets alder" }, "3-5");
      await phone.fill({ label: "Jeres område" }, "Grindsted nord");
      await phone.check({ label: "Torsdag" });
      await phone.fill({ label: "Dit navn" }, "Amal Hansen");
      await phone.fill({ label: "E-mail" }, "amal@example.dk");
      await phone.select({ label: "Hvad må arrangøren se?" }, "email");
      await phone.fill({ label: "Søg efter sprog (fx arabisk)" }, "arabisk");
      await phone.check({ label: "العربية" });
      await phone.fill({ label: "Søg efter sprog (fx arabisk)" }, "dansk");
      await phone.check({ label: "Dansk" });
      await accessible("join form with languages");
      await phone.click({ button: "Meld mig til" });
      await phone.find({ text: "Du er med! Arrangørerne kontakter dig." });
      await fits("joined");
      await accessible("joined");

      const now = await api(`/api/v1/municipalities/billund/initiatives/${seeded.id}`);
      assert.equal(now.joined, seeded.joined + 1, "the API counts the new signup");
      const admin = await adminSession(server.url, "pia@regnbuen.demo");
      const view = await (await admin(`/api/v1/admin/initiatives/${seeded.id}`)).json();
      const amal = view.signups.find((s) => s.contact.name === "Amal Hansen");
      assert.ok(amal, "the coordinator sees Amal's signup");
      assert.deepEqual(amal.family.languages, ["ar", "da"]);
      assert.equal(amal.family.child_age_band, "3-5");

      // The private page the widget links to at once (the my-data page).
      const mine = await phone.find({ link: "Mine oplysninger" });
      const href = await mine.getAttribute("href");
      assert.match(href, new RegExp(`^${server.url}/my-data#.{20,}`));
      await phone.go(href);
      await phone.find({ text: "Amal Hansen" });
      await accessible("my-data page");
    });

    test("offer help without a specific initiative; the coordinator sees the offer", async () => {
      await openDemo();
      await phone.click({ button: "Tilbyd hjælp" });
      await phone.find({ heading: "Tilbyd din hjælp" });
      await accessible("offer form");
      const name = `Søren Ørsted ${engine}`;
      await phone.fill({ label: "Hvad er du god til?" }, "førstehjælp, tømrerarbejde");
      await phone.fill({ label: "Hvor kan du hjælpe?" }, "Billund midtby");
      await phone.fill({ label: "Dit navn" }, name);
      await phone.fill({ label: "Telefon" }, "+45 12 34 56 78");
      await phone.click({ button: "Send tilbuddet" });
      await phone.find({ text: "Tak! Koordinatoren kontakter dig", exact: false });
      await fits("offer sent");
      await accessible("offer sent");

      const admin = await adminSession(server.url, "admin@billund.demo");
      const offers = await (await admin("/api/v1/admin/offers")).json();
      const offer = offers.find((o) => o.contact.name === name);
      assert.ok(offer, `the offer of ${name} reached the coordinator`);
      assert.deepEqual(offer.skills, ["førstehjælp", "tømrerarbejde"]);
    });

    test("a proposal made offline is queued in this engine's storage, survives reloads and arrives once", async () => {
      // WebDriver cannot switch these engines' network off, and the page's
      // CSP keeps test code out of its scripts: so this story's page comes
      // through a connection of our own (`network`), which can go down.
      const port = await freePort();
      const own = await startServer({ env: { SAMMEN_PUBLIC_URL: `http://127.0.0.1:${port}` } });
      const network = await startNetwork(port, own.url);
      try {
        await phone.go(`${network.url}/demo`);
        await phone.find({ css: ".cards .card" }, 20_000);
        const title = `Snerydning på Kirkevej (${engine})`;
        await phone.click({ button: "Foreslå" });
        await phone.fill({ label: "Hvad vil du sætte i gang?" }, title);
        await phone.fill({ label: "Beskriv det kort" }, "Vi rydder sne for de ældre på vejen.");
        await phone.select({ label: "Kategori" }, "snow_clearing");
        await phone.fill({ label: "Hvor?" }, "Kirkevej, Billund");
        await phone.fill({ label: "Dit navn" }, "Mette Holm");
        await phone.fill({ label: "Telefon" }, "+45 22 33 44 55");

        network.down();
        await phone.click({ button: "Send forslaget" });
        const queued = await phone.find({ css: ".notice.queued" });
        assert.match(await queued.getText(), /Du er offline/);
        await accessible("proposal queued offline");
        const waiting = () => phone.run(() => Object.entries(localStorage)
          .filter(([key]) => key.endsWith(":outbox"))
          .reduce((n, [, value]) => n + Object.keys(JSON.parse(value || "{}")).length, 0));
        assert.equal(await waiting(), 1, "kept in the browser's storage");

        // Back, but the answer to the first send is lost on its way back:
        // the server has the proposal, the browser does not know.
        network.loseNextAnswer();
        await phone.driver.navigate().refresh();
        for (let i = 0; i < 100 && network.lost === 0; i++) await new Promise((r) => setTimeout(r, 100));
        assert.equal(network.lost, 1, "the reloaded widget sent what was queued");
        // Firefox resends a POST itself when the connection breaks before
        // the answer; WebKit leaves it to the widget, which keeps it queued
        // until the next visit. Either way the resend has the same key.
        await new Promise((r) => setTimeout(r, 500));
        if (await waiting() > 0) await phone.driver.navigate().refresh();
        await phone.find({ button: "Mit forslag" }, 20_000);
        await phone.find({ text: "Det, du sendte uden forbindelse, er nu modtaget." });
        assert.equal(await waiting(), 0, "nothing is left queued");
        const admin = await adminSession(own.url, "admin@billund.demo");
        const queue = await (await admin("/api/v1/admin/initiatives?status=submitted")).json();
        assert.equal(queue.items.filter((i) => i.title === title).length, 1, "one proposal, not two");
        assert.equal(network.posts, 2, "sent twice, stored once");
      } finally {
        await network.stop();
        await own.stop();
      }
    });

    test("a group's page: a date, sharing, an invite; in Arabic right to left; the join page in Arabic", async () => {
      const admin = await adminSession(server.url, "pia@regnbuen.demo");
      const id = await published(admin, {
        title: `Legegruppe for Solstrålerne (${engine})`,
        summary: "Familier skiftes til at have børnene hjemme efter børnehaven.",
        category: "playdate_group",
        contact: { name: "Sofie", email: "sofie@example.dk" },
      });
      const families = [["Amalie Holm", ["da"]], ["نور حمدان", ["ar"]]];
      for (const [name, languages] of families) {
        await api(`/api/v1/municipalities/billund/initiatives/${id}/signups`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ contact: { name }, family: { child_age_band: "3-5", area: "Billund", free_afternoons: ["thu"], languages } }),
        });
      }
      const view = await (await admin(`/api/v1/admin/initiatives/${id}`)).json();
      const ids = families.map(([name]) => view.signups.find((s) => s.contact.name === name).id);
      assert.equal((await admin(`/api/v1/admin/initiatives/${id}/groups`, { method: "PUT", body: JSON.stringify({ groups: [ids] }) })).status, 200);
      const handed = await (await admin(`/api/v1/admin/initiatives/${id}/groups/hand-over`, { method: "POST" })).json();
      const link = handed.links_to_pass_on.find((l) => l.name === "Amalie Holm").link.replace(/^https?:\/\/[^/]+/, server.url);
      const token = link.split("#sammen-group=")[1];
      const space = async () => api("/api/v1/group", { headers: { Authorization: `Bearer ${token}` } });

      // Amalie's page in Danish.
      await phone.go(link);
      await phone.find({ heading: "Aftaler" });
      await phone.find({ text: "Alle har fri: torsdag" });
      await fits("group page");
      await accessible("group page");
      // A Thursday afternoon. The date-and-time field is the phone's own
      // picker in each engine; what it hands the page is this value.
      const day = new Date(Date.now() + 3 * 86400000);
      while (day.getDay() !== 4) day.setDate(day.getDate() + 1);
      const local = `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, "0")}-${String(day.getDate()).padStart(2, "0")}T15:30`;
      const when = await phone.find({ label: "Hvornår?" });
      await phone.driver.executeScript(`
        const field = arguments[0];
        field.value = arguments[1];
        field.dispatchEvent(new Event("input", { bubbles: true }));
        field.dispatchEvent(new Event("change", { bubbles: true }));`, when, local);
      await phone.fill({ label: "Hvad og hvor (valgfrit)" }, "Legeaftale med frugt");
      await phone.click({ button: "Tilføj aftalen" });
      await phone.find({ css: "#dates li[data-status] .badge" });
      await phone.find({ text: "Vært:", exact: false });
      await phone.check({ label: "Vis mit navn og min kontakt for gruppen" });
      let seen = await space();
      for (let i = 0; i < 50 && !seen.i_share_contact; i++) {
        await new Promise((r) => setTimeout(r, 100));
        seen = await space();
      }
      assert.equal(seen.i_share_contact, true, "the server has her choice to share");
      assert.equal(seen.dates.length, 1, "the server has the date");
      assert.equal(seen.dates[0].note, "Legeaftale med frugt");
      await accessible("group page with a date");
      await phone.click({ button: "Inviter en familie mere" });
      const invite = await phone.until("the invite link shows", () =>
        document.getElementById("invite-link")?.textContent.match(/https?:\/\/\S+/)?.[0]);

      // The same page in Arabic: right to left, Danish words kept left to right.
      await phone.go(link.replace("/group#", "/group?lang=ar#"));
      await phone.find({ heading: "المواعيد" });
      const layout = await phone.run(() => ({
        lang: document.documentElement.lang,
        dir: document.documentElement.dir,
        main: getComputedStyle(document.querySelector("main")).direction,
        initiative: getComputedStyle(document.getElementById("initiative")).direction,
      }));
      assert.deepEqual(layout, { lang: "ar", dir: "rtl", main: "rtl", initiative: "ltr" });
      await phone.find({ text: "المضيف:", exact: false });
      await fits("group page in Arabic");
      await accessible("group page in Arabic");

      // A newcomer family joins from the invite, in Arabic.
      await phone.go(invite.replace("/group/join#", "/group/join?lang=ar#"));
      await phone.find({ heading: "انضموا إلى المجموعة" });
      assert.equal(await phone.run(() => document.documentElement.dir), "rtl");
      await phone.fill({ label: "اسمكم" }, "Yusuf Ali");
      await phone.fill({ label: "المنطقة" }, "Billund");
      await phone.check({ label: "الخميس" });
      await phone.fill({ label: "ابحث عن لغة (مثلًا العربية)" }, "العربية");
      await phone.check({ css: ".languages input" });
      await fits("join page in Arabic");
      await accessible("join page in Arabic");
      await phone.click({ button: "انضموا إلى المجموعة" });
      await phone.find({ css: "#members li" });
      await phone.find({ text: "Yusuf Ali (أنت)", exact: false });
      const members = (await space()).members.length;
      assert.equal(members, 3, "the server has the newcomer in the group");
    });

    test("a phone at the open meeting: join by code, propose, put a dot", async () => {
      const admin = await adminSession(server.url, "pia@regnbuen.demo");
      const opened = await admin("/api/v1/admin/meetings", {
        method: "POST", body: JSON.stringify({ title: `Forældremøde (${engine})`, institution: "regnbuen" }),
      });
      assert.equal(opened.status, 201);
      const { code } = await opened.json();
      // Another phone has put an idea on the board.
      const seat = await (await fetch(`${server.url}/api/v1/meetings/${code}/participants`, { method: "POST" })).json();
      const other = await fetch(`${server.url}/api/v1/meetings/${code}/proposals`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${seat.participant_token}`, "Idempotency-Key": crypto.randomUUID() },
        body: JSON.stringify({ title: "Bålaften for familierne", category: "playdate_group" }),
      });
      assert.equal(other.status, 201);

      await phone.go(`${server.url}/meeting`);
      await phone.fill({ label: "Mødets kode" }, code.toLowerCase());
      await phone.click({ button: "Deltag" });
      await phone.find({ text: "Du har 3 prikker tilbage." });
      await accessible("meeting phone");
      const idea = `Fodbold i parken (${engine})`;
      await phone.fill({ label: "Hvad vil du sætte i gang?" }, idea);
      await phone.select({ label: "Emne" }, "playdate_group");
      await phone.click({ button: "Sæt på tavlen" });
      await phone.find({ text: "Dit forslag er på tavlen." });
      await phone.click({ button: "Giv en prik til Bålaften for familierne" });
      await phone.find({ text: "Du har 2 prikker tilbage." });
      await fits("meeting phone");
      await accessible("meeting phone after a dot");

      const board = await api(`/api/v1/meetings/${code}`);
      const titles = Object.fromEntries(board.proposals.map((p) => [p.title, p.votes]));
      assert.deepEqual(titles, { "Bålaften for familierne": 1, [idea]: 0 });
    });

    test("the widget in Arabic: its pack fetched when chosen, mirrored right to left, the propose form in Arabic", async () => {
      const ar = JSON.parse(readFileSync(path.join(root, "frontend/lang/ar.json"), "utf8")).keys;
      await openDemo();
      await phone.choose({ label: "Sprog" }, "ar");
      await phone.find({ heading: ar.ListHeading }, 20_000);
      const [lang, dir] = await phone.run(() => {
        const section = document.querySelector("sammen-widget").shadowRoot.querySelector("section.sammen");
        return [section.getAttribute("lang"), section.getAttribute("dir")];
      });
      assert.deepEqual([lang, dir], ["ar", "rtl"], `${engine}: the widget's language and direction`);
      await phone.find({ css: "sammen-widget .cards .card, .cards .card" });
      // Mirrored: the first tab sits at the right edge of a 360 px phone.
      const right = await phone.run((name) => {
        const section = document.querySelector("sammen-widget").shadowRoot.querySelector("section.sammen");
        const tab = [...section.querySelectorAll("button")].find((b) => b.textContent.trim() === name);
        return tab.getBoundingClientRect().right;
      }, ar.TabBrowse);
      assert.ok(right > 300, `${engine}: the first tab ends at ${right} px, not at the right`);
      await fits("widget in Arabic");
      await accessible("widget in Arabic");
      // Remembered on this device: a reload stays Arabic; the form too.
      await openDemo();
      await phone.find({ heading: ar.ListHeading }, 20_000);
      await phone.click({ button: ar.TabPropose });
      await phone.find({ heading: ar.ProposeHeading });
      await phone.click({ button: ar.SendProposal });
      await phone.find({ text: ar.FixFields });
      await fits("propose form in Arabic");
      await accessible("propose form in Arabic");
      // Back to Danish for whoever uses this phone next.
      await phone.choose({ label: ar.LanguageLabel }, "da");
      await phone.find({ heading: "Foreslå et initiativ" });
    });
  });
}
