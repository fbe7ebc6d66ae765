// The citizen widget in headless Chromium against the real server: what a
// citizen does on a phone, checked through the widget and through the API.
// On SQLite by default; SAMMEN_BROWSER_DATABASE=postgres runs the same on a
// scratch PostgreSQL database (that is widget-postgres.test.mjs).

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  adminSession, axeViolations, fillProposal, launchBrowser, phonePage, root, screenshot as saveScreenshot, startServer,
  widget,
} from "./harness.mjs";

const DATABASE = process.env.SAMMEN_BROWSER_DATABASE ?? "sqlite";
assert.ok(["sqlite", "postgres"].includes(DATABASE), `SAMMEN_BROWSER_DATABASE=${DATABASE}: sqlite or postgres`);

/** PostgreSQL's run keeps its screenshots apart, so the runs never write the same file. */
const screenshot = (page, name) => saveScreenshot(page, DATABASE === "postgres" ? `postgres/${name}` : name);

let server;
let browser;

before(async () => {
  server = await startServer({ database: DATABASE });
  // The stories run where they say: the server seeded the scratch database.
  if (DATABASE === "postgres") assert.ok(Number(server.query("SELECT COUNT(*) FROM initiatives")) > 0, "the demo is in PostgreSQL");
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Opens the demo page (or another path) and waits for the list. */
async function openDemo(path = "/demo", options) {
  const { context, page } = await phonePage(browser, options);
  await page.goto(`${server.url}${path}`);
  const w = widget(page);
  await w.locator(".cards .card").first().waitFor();
  return { context, page, w };
}

/** Asserts axe-core finds nothing at WCAG 2.2 AA in the widget now. */
async function assertAccessible(page, view) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `axe violations on the ${view} view`);
}

/**
 * Whether `locator` holds the focus within 3 s: the widget moves the focus
 * one animation frame after it renders the new screen or the errors.
 */
async function takesFocus(locator) {
  const focused = () => locator.evaluate((e) => e.getRootNode().activeElement === e);
  for (let i = 0; i < 60; i++) {
    if (await focused()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return focused();
}

async function api(pathAndQuery, init) {
  const answer = await fetch(`${server.url}${pathAndQuery}`, init);
  assert.ok(answer.ok, `${pathAndQuery}: ${answer.status}`);
  return answer.json();
}

/** Regnbuen's playdate group, seeded by the demo data. */
async function regnbuenInitiative() {
  const page = await api("/api/v1/municipalities/billund/initiatives?institution=regnbuen");
  assert.ok(page.items.length > 0, "the demo seeds initiatives at Regnbuen");
  return page.items[0];
}

describe(`citizen widget on ${DATABASE}`, () => {
  test("the demo page shows the seeded initiatives and the category filter narrows them", async () => {
    const seeded = await regnbuenInitiative();
    const { context, page, w } = await openDemo();
    try {
      await w.getByRole("heading", { name: "Det sker i dit område" }).waitFor();
      const card = w.locator(".card").filter({ hasText: seeded.title });
      await card.waitFor();
      assert.match(await card.innerText(), new RegExp(`${seeded.joined} er med`));
      await assertAccessible(page, "list");
      await screenshot(page, "01-list");

      const filter = w.getByLabel("Vis kategori");
      await filter.selectOption("snow_clearing");
      await w.getByText("Der er ingen initiativer her endnu").waitFor();
      assert.equal(await w.locator(".card").count(), 0);
      await assertAccessible(page, "empty list");

      await filter.selectOption(seeded.category);
      await card.waitFor();
      assert.equal(await w.locator(".card").count(), 1);
      assert.deepEqual(page.errors ?? [], []);
    } finally {
      await context.close();
    }
  });

  test("what came of it: an initiative its organiser marked done shows among the results", async () => {
    // Louise's playground build, proposed, published and, a season later,
    // marked done by her with what came of it.
    const proposed = await api("/api/v1/municipalities/billund/initiatives", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        title: "Vi bygger en legeplads ved Regnbuen", summary: "Forældre bygger en legeplads på tre lørdage.",
        category: "other", institution: "regnbuen", place: { name: "Regnbuens have" },
        contact: { name: "Louise", email: "louise@example.dk" },
      }),
    });
    const admin = await adminSession(server.url, "admin@billund.demo");
    const published = await admin(`/api/v1/admin/initiatives/${proposed.id}/decisions`, {
      method: "POST", body: JSON.stringify({ action: "publish", version: 1 }),
    });
    assert.equal(published.status, 200);
    const outcome = "Legepladsen stod klar efter tre lørdage; 14 forældre byggede med.";
    await api("/api/v1/follow/done", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${proposed.follow_token}` },
      body: JSON.stringify({ outcome }),
    });
    const { context, page, w } = await openDemo();
    try {
      assert.equal(await w.locator(".card", { hasText: "Vi bygger en legeplads ved Regnbuen" }).count(), 0,
        "done, it has left the running list");
      const toggle = w.getByRole("button", { name: "Se, hvad der er kommet ud af det" });
      await toggle.click();
      const card = w.locator(".card", { hasText: "Vi bygger en legeplads ved Regnbuen" });
      await card.waitFor();
      await card.getByText(outcome).waitFor();
      assert.equal(await w.getByRole("button", { name: "Tilbage til det, der er i gang" }).getAttribute("aria-pressed"), "true");
      await assertAccessible(page, "results");
      await screenshot(page, "02-results");
    } finally {
      await context.close();
    }
  });

  /** Follows the widget's link to the private page of what was just sent; it shows `name`. */
  async function openPrivatePage(context, w, name) {
    const link = w.getByRole("link", { name: "Mine oplysninger" });
    const href = await link.getAttribute("href");
    assert.match(href, new RegExp(`^${server.url}/my-data#.{20,}`), href);
    assert.equal(await w.getByLabel("Dit private link").inputValue(), href, "the same link, to copy");
    await w.getByRole("button", { name: "Kopiér linket" }).click();
    await w.getByText("Linket er kopieret.").waitFor();
    const [mine] = await Promise.all([context.waitForEvent("page"), link.click()]);
    await mine.getByText(name).first().waitFor();
    await mine.close();
  }

  test("a citizen opens an initiative, joins it as a family, and the API counts the signup", async () => {
    const seeded = await regnbuenInitiative();
    const { context, page, w } = await openDemo("/demo", {
      permissions: ["geolocation"],
      geolocation: { latitude: 55.6986, longitude: 9.0911 }, // a home in Billund
    });
    try {
      await w.getByRole("button", { name: seeded.title }).click();
      const heading = w.getByRole("heading", { level: 2, name: seeded.title });
      await heading.waitFor();
      // The new screen takes the focus, for screen readers.
      assert.equal(await takesFocus(heading), true);
      await assertAccessible(page, "detail");
      await screenshot(page, "02-detail");

      await w.getByRole("button", { name: "Vær med", exact: true }).click();
      await w.getByRole("heading", { name: `Vær med: ${seeded.title}` }).waitFor();
      await assertAccessible(page, "join");
      await screenshot(page, "03-join");

      // Sending it empty: the family's fields say what is missing.
      await w.getByRole("button", { name: "Meld mig til" }).click();
      await w.locator("#f-family-child-age-band-error").waitFor();
      await assertAccessible(page, "join with errors");

      await w.getByLabel("Barnets alder").selectOption("3-5");
      await w.getByLabel("Jeres område").fill("Grindsted nord");
      // The home's point, for walking routes and nearby families: only
      // because she asks for it.
      await w.getByRole("button", { name: "Brug min position" }).click();
      await w.getByRole("button", { name: "Fjern positionen" }).waitFor();
      await w.getByLabel("Torsdag").check();
      await w.getByLabel("Dit navn").fill("Amal Hansen");
      await w.getByLabel("E-mail").fill("amal@example.dk");
      // What the organiser may see: only the name unless she chooses more.
      const sees = w.getByLabel("Hvad må arrangøren se?");
      assert.equal(await sees.evaluate((s) => s.options[s.selectedIndex]?.text), "Kun mit navn");
      await sees.selectOption("email");
      // Home languages by their own names: searching "arabisk" finds العربية.
      await w.getByLabel("Søg efter sprog").fill("arabisk");
      await w.getByRole("checkbox", { name: "العربية" }).check();
      await w.getByLabel("Søg efter sprog").fill("");
      await w.getByRole("checkbox", { name: "Dansk" }).check();
      assert.equal(await w.getByRole("checkbox", { name: "العربية" }).isChecked(), true, "kept while searching");
      await assertAccessible(page, "join with languages");
      const sent = page.waitForRequest((r) => r.method() === "POST" && r.url().endsWith("/signups"));
      await w.getByRole("button", { name: "Meld mig til" }).click();
      const family = (await sent).postDataJSON().family;
      assert.deepEqual(family.languages, ["ar", "da"]);
      assert.deepEqual([family.area, family.lat, family.lon], ["Grindsted nord", 55.6986, 9.0911]);
      await w.getByText("Du er med! Arrangørerne kontakter dig.", { exact: false }).waitFor();
      await assertAccessible(page, "joined");
      // The private page the consent text promises, linked at once.
      await openPrivatePage(context, w, "Amal Hansen");

      const after = await api(`/api/v1/municipalities/billund/initiatives/${seeded.id}`);
      assert.equal(after.joined, seeded.joined + 1, "the API counts the new signup");
    } finally {
      await context.close();
    }
  });

  test("a proposal with a missing field shows the message next to it; fixed, it is submitted and followed", async () => {
    const { context, page, w } = await openDemo();
    const title = `Gåtur til skole ${Date.now()}`;
    try {
      await w.getByRole("button", { name: "Foreslå", exact: true }).click();
      await w.getByRole("heading", { name: "Foreslå et initiativ" }).waitFor();
      await assertAccessible(page, "propose");
      await screenshot(page, "04-propose");

      await w.getByLabel("Beskriv det kort").fill("Vi går sammen til Regnbuen hver morgen kl. 7.45.");
      await w.getByLabel("Kategori").selectOption("walking_group");
      await w.getByLabel("Hvor?").fill("Stenderup Skole");
      // A need, with what the helpers should know and bring.
      await w.getByRole("button", { name: "+ Tilføj et behov" }).click();
      await w.getByLabel("Hvad skal der til?").fill("Voksne, der går med");
      await w.getByLabel("Hvad skal de kunne?").fill("førstehjælp, færdselsregler");
      await w.getByLabel("Hvad skal de have med?").fill("refleksvest");
      await w.getByLabel("Dit navn").fill("Jens Nielsen");
      await w.getByLabel("E-mail").fill("jens@example.dk");
      await w.getByRole("button", { name: "Send forslaget" }).click();

      // The title's message sits next to it, tied to it, and takes the focus.
      const field = w.locator("#f-title");
      const message = w.locator("#f-title-error");
      await message.waitFor();
      assert.equal(await message.innerText(), "Skal udfyldes.");
      assert.equal(await field.getAttribute("aria-invalid"), "true");
      assert.match(await field.getAttribute("aria-describedby"), /f-title-error/);
      assert.equal(await takesFocus(field), true);
      await w.getByText("Ret de markerede felter, og send igen.").waitFor();
      await assertAccessible(page, "propose with errors");
      await screenshot(page, "05-propose-errors");

      await field.fill(title);
      await w.getByRole("button", { name: "Send forslaget" }).click();
      await w.getByRole("heading", { name: "Tak! Dit forslag er sendt." }).waitFor();
      assert.equal(await message.count(), 0);
      const link = await w.getByLabel("Dit private link").inputValue();
      assert.match(link, /#sammen-follow=/);
      await assertAccessible(page, "proposal sent");
      await screenshot(page, "06-proposal-sent");

      await w.getByRole("button", { name: "Se dit forslag" }).click();
      await w.getByRole("heading", { name: "Dit forslag" }).waitFor();
      const status = w.locator(".status .badge");
      await status.waitFor();
      assert.equal(await status.getAttribute("class"), "badge status-submitted");
      assert.equal(await status.innerText(), "Sendt, venter på koordinatoren");
      await w.getByRole("heading", { level: 3, name: title }).waitFor();
      // Moving on at once from the confirmation must not trap the wasm (a
      // disposed heading was once focused a frame later).
      await page.waitForTimeout(200);
      assert.deepEqual((page.errors ?? []).map(String), [], "no page errors");
      await assertAccessible(page, "follow");
      await screenshot(page, "07-follow");

      // The API agrees, through the same private token.
      const token = decodeURIComponent(link.split("#sammen-follow=")[1]);
      const followed = await api("/api/v1/follow", { headers: { Authorization: `Bearer ${token}` } });
      assert.equal(followed.proposal.title, title);
      assert.equal(followed.proposal.status, "submitted");
      assert.equal(followed.proposal.needs.length, 1);
      assert.deepEqual(followed.proposal.needs[0].skills, ["førstehjælp", "færdselsregler"]);
      assert.deepEqual(followed.proposal.needs[0].tools, ["refleksvest"]);

      // The proposer edits the words from the follow view.
      if (followed.can_edit) {
        await w.getByRole("button", { name: "Ret forslaget" }).click();
        const editTitle = w.locator("form").first().getByLabel("Hvad vil du sætte i gang?");
        await editTitle.fill(`${title} (rettet)`);
        await assertAccessible(page, "edit proposal");
        await screenshot(page, "08-follow-edit");
        await w.getByRole("button", { name: "Gem ændringerne" }).click();
        await w.getByText("Ændringerne er gemt.").waitFor();
        await w.getByRole("heading", { level: 3, name: `${title} (rettet)` }).waitFor();
        const edited = await api("/api/v1/follow", { headers: { Authorization: `Bearer ${token}` } });
        assert.equal(edited.proposal.title, `${title} (rettet)`);
        assert.equal(edited.proposal.version, followed.proposal.version + 1);
      }

      // The follow link itself opens the follow view, on a fresh page.
      const fresh = await context.newPage();
      await fresh.goto(link);
      await widget(fresh).locator(".status .badge.status-submitted").waitFor();
      await fresh.close();
    } finally {
      await context.close();
    }
  });

  test("on a shared computer the next person does not find the proposal; remembering and forgetting are the citizen's choice", async () => {
    const { context, page, w } = await openDemo();
    try {
      const propose = async (title) => {
        await fillProposal(w, {
          title, summary: "Vi låner bøger ud fra en hylde i gården.", place: "Billund",
          name: "Ida Lund", email: "ida@example.dk",
        });
        await w.getByRole("button", { name: "Send forslaget" }).click();
        await w.getByRole("heading", { name: "Tak! Dit forslag er sendt." }).waitFor();
      };
      await propose(`Bogbytte ${Date.now()}`);
      await w.getByRole("button", { name: "Mit forslag" }).waitFor();
      const stored = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.endsWith(":follow")));
      assert.deepEqual(await stored(), [], "not kept on the device by default");
      await assertAccessible(page, "proposal sent with the remember choice");

      // The next person at the library PC opens the page (a new tab).
      const next = await context.newPage();
      await next.goto(`${server.url}/demo`);
      await widget(next).locator(".cards .card").first().waitFor();
      assert.equal(await widget(next).getByRole("button", { name: "Mit forslag" }).count(), 0);
      await next.close();

      // At home the citizen asks to be remembered …
      await w.getByLabel("Husk mit forslag på denne enhed", { exact: false }).check();
      assert.equal((await stored()).length, 1);
      const later = await context.newPage();
      await later.goto(`${server.url}/demo`);
      const lw = widget(later);
      await lw.getByRole("button", { name: "Mit forslag" }).click();
      await lw.getByRole("heading", { name: "Dit forslag" }).waitFor();
      // … and forgets the device again.
      await lw.getByRole("button", { name: "Glem mit forslag på denne enhed" }).click();
      await lw.locator(".cards .card").first().waitFor();
      assert.equal(await lw.getByRole("button", { name: "Mit forslag" }).count(), 0);
      assert.deepEqual(await later.evaluate(() => Object.keys(localStorage).filter((k) => k.endsWith(":follow") || k.endsWith(":propose"))), []);
      await later.close();
    } finally {
      await context.close();
    }
  });

  test("a refusal names fields without a control at the form level, the others at their field", async () => {
    const { context, page, w } = await openDemo();
    try {
      // The server's rules can refuse fields the form has no input for (a
      // need's skills); the answer is stubbed to show how the widget words it.
      await page.route("**/api/v1/municipalities/billund/initiatives", (route) => {
        if (route.request().method() !== "POST") return route.continue();
        return route.fulfill({
          status: 422,
          contentType: "application/json",
          body: JSON.stringify({ error: {
            code: "validation_failed",
            message: "Ret de markerede felter.",
            fields: { title: "Titlen findes allerede.", "needs[0].skills": "Højst 20." },
          } }),
        });
      });
      await w.getByRole("button", { name: "Foreslå", exact: true }).click();
      await w.getByLabel("Hvad vil du sætte i gang?").fill("Bålhygge i skoven");
      await w.getByLabel("Beskriv det kort").fill("Vi mødes ved bålhytten.");
      await w.getByLabel("Kategori").selectOption("other");
      await w.getByLabel("Hvor?").fill("Bålhytten, Billund");
      await w.getByLabel("Dit navn").fill("Ida Lund");
      await w.getByLabel("E-mail").fill("ida@example.dk");
      await w.getByRole("button", { name: "Send forslaget" }).click();
      assert.equal(await w.locator("#f-title-error").innerText(), "Titlen findes allerede.");
      const formLevel = w.locator(".form-errors li");
      await formLevel.waitFor();
      assert.deepEqual(await formLevel.allInnerTexts(), ["Højst 20."]);
      await assertAccessible(page, "propose refused by the server");
    } finally {
      await context.close();
    }
  });

  test("near me asks the browser for the position and lists by distance; a refusal is said", async () => {
    const allowed = await openDemo("/demo", {
      permissions: ["geolocation"],
      geolocation: { latitude: 55.7308, longitude: 9.1153 }, // Billund
    });
    try {
      const { page, w } = allowed;
      const asked = page.waitForRequest((r) => /[?&]lat=55\.7308&lon=9\.1153/.test(r.url()));
      await w.getByRole("button", { name: "Vis dem nær mig" }).click();
      await asked;
      await w.getByText("Nærmest dig først.").waitFor();
      await w.getByText(/^\d+(,\d)? km væk$/).first().waitFor();
      assert.equal(await w.getByRole("button", { name: "Vis alle" }).getAttribute("aria-pressed"), "true");
      await assertAccessible(page, "list near me");
      await screenshot(page, "01b-list-near-me");
      await w.getByRole("button", { name: "Vis alle" }).click();
      await w.getByRole("button", { name: "Vis dem nær mig" }).waitFor();
    } finally {
      await allowed.context.close();
    }
    const refused = await openDemo("/demo", { permissions: [] });
    try {
      await refused.w.getByRole("button", { name: "Vis dem nær mig" }).click();
      await refused.w.getByText("Vi kan ikke se, hvor du er.").waitFor();
      assert.ok(await refused.w.locator(".card").count() > 0, "the list stays");
    } finally {
      await refused.context.close();
    }
  });

  test("a citizen offers help without a specific initiative", async () => {
    const { context, page, w } = await openDemo("/demo", {
      permissions: ["geolocation"],
      geolocation: { latitude: 55.7308, longitude: 9.1153 }, // Billund
    });
    try {
      await w.getByRole("button", { name: "Tilbyd hjælp", exact: true }).click();
      await w.getByRole("heading", { name: "Tilbyd din hjælp" }).waitFor();
      await assertAccessible(page, "offer");
      await screenshot(page, "09-offer");
      await w.getByLabel("Hvad er du god til?").fill("førstehjælp, tømrerarbejde");
      await w.getByLabel("Hvor kan du hjælpe?").fill("Billund midtby");
      await w.getByLabel("Dit navn").fill("Søren Ørsted");
      await w.getByLabel("Telefon").fill("+45 12 34 56 78");
      // Her position for the area, only because she asks; and she can take it back.
      await w.getByRole("button", { name: "Brug min position" }).click();
      await w.getByText("Vi gemmer, hvor du er nu").waitFor();
      await w.getByRole("button", { name: "Fjern positionen" }).click();
      await w.getByRole("button", { name: "Brug min position" }).click();
      await w.getByRole("button", { name: "Fjern positionen" }).waitFor();
      // A place of the municipality's to tie the offer to: the page's
      // institution unless she chooses another.
      const place = w.getByLabel("Sted eller institution");
      assert.equal(await place.inputValue(), "regnbuen");
      await place.selectOption({ label: "Stenderup Skole" });
      await assertAccessible(page, "offer with a position");
      const sent = page.waitForRequest((r) => r.method() === "POST" && r.url().endsWith("/offers"));
      await w.getByRole("button", { name: "Send tilbuddet" }).click();
      const body = (await sent).postDataJSON();
      const area = body.area;
      assert.deepEqual([area.name, area.lat, area.lon], ["Billund midtby", 55.7308, 9.1153]);
      assert.equal(body.institution, "stenderup-skole");
      await w.getByText("Tak! Koordinatoren kontakter dig").waitFor();
      await assertAccessible(page, "offer sent");
      // No email given: this link is her only way to her data.
      await openPrivatePage(context, w, "Søren Ørsted");
    } finally {
      await context.close();
    }
  });

  test("switching to English translates the widget and the server's field messages", async () => {
    const { context, page, w } = await openDemo();
    try {
      await w.getByRole("combobox", { name: "Sprog", exact: true }).selectOption("en");
      await w.getByRole("heading", { name: "What is happening near you" }).waitFor();
      assert.equal(await w.getAttribute("lang"), "en");
      for (const tab of ["Initiatives", "Propose", "Offer help"]) {
        await w.getByRole("button", { name: tab, exact: true }).waitFor();
      }
      await w.getByText(/\d+ joined/).first().waitFor();
      // The categories' names come with the municipality, maybe after the list.
      await w.getByLabel("Show category").locator("option", { hasText: "Snow clearing" }).waitFor({ state: "attached" });
      await assertAccessible(page, "list in English");
      await screenshot(page, "10-list-en");

      await w.getByRole("button", { name: "Propose", exact: true }).click();
      await w.getByRole("button", { name: "Send the proposal" }).click();
      assert.equal(await w.locator("#f-title-error").innerText(), "Please fill this in.");
      await w.getByText("Please correct the marked fields and send again.").waitFor();
      await assertAccessible(page, "propose in English");

      await w.getByRole("combobox", { name: "Language", exact: true }).selectOption("da");
      await w.getByRole("heading", { name: "Foreslå et initiativ" }).waitFor();
    } finally {
      await context.close();
    }
  });

  test("the right-to-left pseudo-locale mirrors the layout", async () => {
    // The demo page with data-lang="da-x-rtl", served at a same-origin path.
    const demo = readFileSync(path.join(root, "frontend/demo/index.html"), "utf8")
      .replace('data-lang="da"', 'data-lang="da-x-rtl"');
    assert.match(demo, /da-x-rtl/);
    const positions = async (w) => ({
      tab: await w.getByRole("button", { name: "Initiativer", exact: true }).boundingBox(),
      lang: await w.getByRole("combobox", { name: "Sprog", exact: true }).boundingBox(),
      dir: await w.evaluate((s) => getComputedStyle(s).direction),
    });

    const ltr = await openDemo();
    const left = await positions(ltr.w);
    await ltr.context.close();
    assert.equal(left.dir, "ltr");
    assert.ok(left.tab.x < left.lang.x, "left to right: tabs first, language switch at the end");

    const { context, page } = await phonePage(browser);
    try {
      await page.route(`${server.url}/demo-rtl`, (route) =>
        route.fulfill({ contentType: "text/html; charset=utf-8", body: demo }));
      await page.goto(`${server.url}/demo-rtl`);
      const w = widget(page);
      await w.locator(".cards .card").first().waitFor();
      assert.equal(await w.getAttribute("dir"), "rtl");
      const right = await positions(w);
      assert.equal(right.dir, "rtl");
      assert.ok(right.tab.x > right.lang.x, "right to left: tabs on the right, switch on the left");
      // The first tab hugs the right edge as it hugged the left one.
      const width = 360;
      assert.ok(Math.abs((width - (right.tab.x + right.tab.width)) - left.tab.x) < 24,
        `mirrored: ${JSON.stringify({ left: left.tab, right: right.tab })}`);
      await assertAccessible(page, "list right to left");
      await screenshot(page, "11-list-rtl");
    } finally {
      await context.close();
    }
  });

  test("on a page with hostile CSS the widget renders and its buttons are visible and clickable", async () => {
    // No data-lang there: the browser's language (Danish here) picks it.
    const { context, page, w } = await openDemo("/demo/hostile", { locale: "da-DK" });
    try {
      const tab = w.getByRole("button", { name: "Foreslå", exact: true });
      assert.equal(await tab.isVisible(), true);
      const style = await tab.evaluate((b) => {
        const s = getComputedStyle(b);
        return { display: s.display, visibility: s.visibility, fontSize: parseFloat(s.fontSize) };
      });
      assert.notEqual(style.display, "none");
      assert.equal(style.visibility, "visible");
      assert.ok(style.fontSize < 30, `the host's 72px font does not reach in: ${style.fontSize}`);
      const box = await tab.boundingBox();
      assert.ok(box.height >= 44 && box.width >= 44, `a 44 px target: ${JSON.stringify(box)}`);
      // Nothing of the host page covers it: the click lands on the button.
      const hit = await tab.evaluate((b) => {
        const r = b.getBoundingClientRect();
        return b.getRootNode().elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === b;
      });
      assert.equal(hit, true);
      await assertAccessible(page, "hostile page");
      await screenshot(page, "12-hostile");
      await tab.click();
      await w.getByRole("heading", { name: "Foreslå et initiativ" }).waitFor();
    } finally {
      await context.close();
    }
  });

  test("every control is a touch target of at least 44 px at 360 px width", async () => {
    const { context, w } = await openDemo();
    try {
      // A checkbox's target is its row (the box and its label).
      const small = async () => w.locator("button, select, input:not([type=checkbox]), textarea, .check")
        .evaluateAll((controls) => controls
          // The honeypot is no target: nobody can see, tap or tab to it.
          .filter((c) => !c.closest(".hp"))
          .map((c) => ({ c, r: c.getBoundingClientRect() }))
          .filter(({ r }) => r.width > 0 && (r.height < 44 || r.width < 44))
          .map(({ c, r }) => `${c.outerHTML.slice(0, 60)} ${r.width}×${r.height}`));
      assert.deepEqual(await small(), []);
      await w.getByRole("button", { name: "Foreslå", exact: true }).click();
      await w.getByRole("heading", { name: "Foreslå et initiativ" }).waitFor();
      assert.deepEqual(await small(), []);
      // Nothing sticks out sideways at 360 px.
      const overflow = await w.evaluate((s) => s.scrollWidth - s.clientWidth);
      assert.ok(overflow <= 0, `horizontal overflow of ${overflow}px`);
      // The offer form with its week of checkboxes.
      await w.getByRole("button", { name: "Tilbyd hjælp", exact: true }).click();
      await w.getByRole("group", { name: "Søndag" }).waitFor();
      assert.deepEqual(await small(), []);
      assert.ok(await w.evaluate((s) => s.scrollWidth - s.clientWidth) <= 0, "the offer form fits");
    } finally {
      await context.close();
    }
  });
  test("at 200 % zoom on a 360 px phone nothing scrolls sideways and the keyboard reaches every step", async () => {
    // 360 device pixels at 200 % zoom leave a 180 px wide CSS viewport.
    const { context, page, w } = await openDemo("/demo", {
      viewport: { width: 180, height: 370 },
      deviceScaleFactor: 2,
    });
    try {
      const sideways = () => page.evaluate(() => {
        const host = document.querySelector("sammen-widget");
        const section = host.shadowRoot.querySelector("section.sammen");
        const outside = [...section.querySelectorAll("button, input, select, textarea")]
          .filter((c) => !c.closest(".hp"))
          .map((c) => ({ c, r: c.getBoundingClientRect() }))
          .filter(({ r }) => r.width > 0 && (r.left < 0 || r.right > innerWidth + 0.5))
          .map(({ c, r }) => `${c.outerHTML.slice(0, 50)} ${r.left}–${r.right}`);
        return {
          page: document.documentElement.scrollWidth - innerWidth,
          widget: section.scrollWidth - section.clientWidth,
          outside,
        };
      });
      assert.deepEqual(await sideways(), { page: 0, widget: 0, outside: [] }, "the list");

      // Keyboard only: tab to "Foreslå", open it, and tab into the form;
      // the honeypot is never on the way.
      const focused = () => page.evaluate(() => {
        const active = document.querySelector("sammen-widget").shadowRoot.activeElement;
        return active ? `${active.tagName} ${active.id} ${active.textContent.trim()}` : "";
      });
      // The widget moves the focus one animation frame after it renders, so
      // wait (up to 3 s) for it to land before judging where it is.
      const focusSettles = async (wanted) => {
        let now = await focused();
        for (let i = 0; i < 60 && !wanted.test(now); i++) {
          await page.waitForTimeout(50);
          now = await focused();
        }
        return now;
      };
      let found = false;
      for (let i = 0; i < 40 && !found; i++) {
        await page.keyboard.press("Tab");
        found = (await focused()) === "BUTTON  Foreslå";
      }
      assert.ok(found, "Tab reaches the Foreslå tab");
      await page.keyboard.press("Enter");
      await w.getByRole("heading", { name: "Foreslå et initiativ" }).waitFor();
      assert.match(await focusSettles(/^H2 /), /^H2 /, "the new screen's heading has the focus");
      await page.keyboard.press("Tab");
      assert.equal(await focused(), "INPUT f-title ", "Tab goes from the heading to the first field");
      const submit = w.getByRole("button", { name: "Send forslaget" });
      await submit.focus();
      await page.keyboard.press("Enter");
      await w.locator("#f-title-error").waitFor();
      assert.equal(await focusSettles(/^INPUT f-title $/), "INPUT f-title ", "the first refused field takes the focus");
      assert.deepEqual(await sideways(), { page: 0, widget: 0, outside: [] }, "the form with errors");
      await assertAccessible(page, "propose at 200 % zoom");
      await screenshot(page, "15-propose-zoom-200");
    } finally {
      await context.close();
    }
  });

  test("every public form carries an empty honeypot that people never see nor reach", async () => {
    const { context, page, w } = await openDemo();
    try {
      await w.getByRole("button", { name: "Tilbyd hjælp", exact: true }).click();
      const trap = w.locator("input[name=website]");
      assert.equal(await trap.getAttribute("tabindex"), "-1");
      assert.equal(await trap.getAttribute("autocomplete"), "off");
      assert.equal(await trap.getAttribute("aria-hidden"), "true");
      const box = await trap.boundingBox();
      assert.ok(!box || box.y + box.height < 0, `off-screen: ${JSON.stringify(box)}`);
      const sent = page.waitForRequest((r) => r.method() === "POST" && r.url().endsWith("/offers"));
      await w.getByLabel("Hvad er du god til?").fill("cykelreparation");
      // Weekly time: a box per weekday and part of the day, named for
      // screen readers by its day's group and its own label.
      const tuesday = w.getByRole("group", { name: "Tirsdag" });
      await tuesday.getByRole("checkbox", { name: "Formiddag 8–12" }).check();
      await w.getByRole("group", { name: "Lørdag" }).getByRole("checkbox", { name: "Aften 17–21" }).check();
      await w.getByLabel("Hvor kan du hjælpe?").fill("Grindsted");
      await w.getByLabel("Dit navn").fill("Lars Dahl");
      await w.getByLabel("E-mail").fill("lars@example.dk");
      await w.getByRole("button", { name: "Send tilbuddet" }).click();
      const body = (await sent).postDataJSON();
      assert.equal(body.website, "");
      assert.ok(Number.isInteger(body.fill_ms) && body.fill_ms > 0, `fill_ms: ${body.fill_ms}`);
      assert.deepEqual(body.skills, ["cykelreparation"]);
      assert.deepEqual(body.slots, [
        { day: "tue", from: "08:00", to: "12:00" },
        { day: "sat", from: "17:00", to: "21:00" },
      ]);
      await w.getByText("Tak! Koordinatoren kontakter dig").waitFor();
      await assertAccessible(page, "offer sent");
      await openPrivatePage(context, w, "Lars Dahl");
    } finally {
      await context.close();
    }
  });
});
