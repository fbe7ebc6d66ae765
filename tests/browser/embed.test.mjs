// The widget where it really lives: on a municipality's own web site, on
// another origin than Sammen, under the host page's own styles and a strict
// Content-Security-Policy that allows only what the README tells hosts to
// add. A citizen lists, proposes, gets the follow link, opens it later,
// joins and offers; axe finds nothing; no CSP violation, no page error. A
// site that is not (yet) allowed says so in the citizen's language, and the
// admin sees which page was refused.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  adminSession, axeViolations, fillProposal, hostPage, launchBrowser, phonePage, screenshot, startHost,
  startServer, widget,
} from "./harness.mjs";

let server;
let host;
let browser;

/** What the README says a host with a strict CSP must allow for Sammen. */
function strictPolicy(sammen) {
  return [
    "default-src 'none'",
    `script-src 'self' ${sammen} 'wasm-unsafe-eval'`,
    `connect-src ${sammen}`,
    "style-src 'self'",
    "img-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

function tag(attributes) {
  return `<script type="module" src="${server.url}/widget/sammen.js" ${attributes}></script>`;
}

before(async () => {
  server = await startServer();
  host = await startHost();
  host.pages["/faellesskaber"] = {
    html: hostPage("Billund Kommune", tag('data-municipality="billund" data-lang="da"')),
    headers: { "content-security-policy": strictPolicy(server.url) },
  };
  host.pages["/ikke-forbundet"] = {
    html: hostPage("Billund Bibliotek", tag('data-municipality="billund" data-lang="da"')),
  };
  host.pages["/not-connected"] = {
    html: hostPage("Billund Library", tag('data-municipality="billund" data-lang="en"')),
  };
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await host?.stop();
  await server?.stop();
});

/**
 * A phone-sized page that records Content-Security-Policy violations (from
 * an init script, which the page's CSP does not govern) and page errors.
 */
async function hostedPage(options) {
  const { context, page } = await phonePage(browser, options);
  await context.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      window.cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI}`);
    });
  });
  return { context, page };
}

async function assertClean(page, view) {
  assert.deepEqual(await axeViolations(page), [], `axe violations on the ${view} view`);
  assert.deepEqual(await page.evaluate(() => window.cspViolations), [], `CSP violations on the ${view} view`);
  assert.deepEqual((page.errors ?? []).map(String), [], `page errors on the ${view} view`);
}

describe("the widget on a municipality's own site", () => {
  test("on another origin with a strict CSP a citizen lists, proposes, follows later, joins and offers", async () => {
    const admin = await adminSession(server.url, "admin@billund.demo");
    const allowed = await admin("/api/v1/admin/origins", {
      method: "POST",
      body: JSON.stringify({ origin: host.origin }),
    });
    assert.equal(allowed.status, 201);

    const { context, page } = await hostedPage();
    try {
      const answer = await page.goto(`${host.origin}/faellesskaber`);
      assert.match(answer.headers()["content-security-policy"], /default-src 'none'/);
      const w = widget(page);
      const card = w.locator(".card").filter({ hasText: "Sportseftermiddag for 0.–3. klasse" });
      await card.waitFor();
      // The host's own styles are there, and stop at the widget's edge.
      assert.equal(await page.locator("body > header").evaluate((e) => getComputedStyle(e).backgroundColor), "rgb(122, 27, 43)");
      const tabColour = await w.getByRole("button", { name: "Foreslå", exact: true })
        .evaluate((e) => getComputedStyle(e).backgroundColor);
      assert.notEqual(tabColour, "rgb(255, 255, 0)", "the host's button rule does not reach in");
      await assertClean(page, "list");
      await screenshot(page, "embed-01-list");

      // Propose, and get the private follow link on this host page.
      const title = `Lektiehjælp i biblioteket ${Date.now()}`;
      await fillProposal(w, {
        title,
        summary: "Vi hjælper børn med lektierne tirsdag eftermiddag.",
        place: "Billund Bibliotek",
        name: "Karin Holm",
        email: "karin@example.dk",
      });
      await assertClean(page, "propose");
      await w.getByRole("button", { name: "Send forslaget" }).click();
      await w.getByRole("heading", { name: "Tak! Dit forslag er sendt." }).waitFor();
      const link = await w.getByLabel("Dit private link").inputValue();
      assert.ok(link.startsWith(`${host.origin}/faellesskaber#sammen-follow=`), link);
      await assertClean(page, "proposal sent");
      await screenshot(page, "embed-02-proposal-sent");

      // Later, on another device: the link opens the follow view on the host page.
      const later = await hostedPage();
      try {
        await later.page.goto(link);
        const badge = widget(later.page).locator(".status .badge.status-submitted");
        await badge.waitFor();
        await widget(later.page).getByRole("heading", { level: 3, name: title }).waitFor();
        await assertClean(later.page, "follow");
      } finally {
        await later.context.close();
      }

      // Join an initiative.
      await w.getByRole("button", { name: "Initiativer", exact: true }).click();
      await w.getByRole("button", { name: "Sportseftermiddag for 0.–3. klasse" }).click();
      await w.getByRole("button", { name: "Vær med", exact: true }).click();
      await w.getByLabel("Dit navn").fill("Ole Madsen");
      await w.getByLabel("E-mail").fill("ole@example.dk");
      await assertClean(page, "join");
      await w.getByRole("button", { name: "Meld mig til" }).click();
      await w.getByText("Du er med!").waitFor();
      await assertClean(page, "joined");

      // Offer help, with the week grid (its ticks are drawn by CSS alone).
      await w.getByRole("button", { name: "Tilbyd hjælp", exact: true }).click();
      await w.getByLabel("Hvad er du god til?").fill("lektiehjælp, matematik");
      await w.getByLabel("Hvor kan du hjælpe?").fill("Billund midtby");
      await w.locator("fieldset.week input[type=checkbox]").first().check();
      await w.getByLabel("Dit navn").fill("Hanne Juul");
      await w.getByLabel("Telefon").fill("+45 22 33 44 55");
      await assertClean(page, "offer");
      await w.getByRole("button", { name: "Send tilbuddet" }).click();
      await w.getByText("Tak! Koordinatoren kontakter dig").waitFor();
      await assertClean(page, "offer sent");
      await screenshot(page, "embed-03-offer-sent");

      // A language pack comes from Sammen's origin under the host's strict CSP.
      const packs = [];
      page.on("response", (r) => { if (r.url().includes("/widget/sammen-lang-")) packs.push([new URL(r.url()).origin, r.status()]); });
      await w.getByRole("combobox", { name: "Sprog", exact: true }).selectOption("ar");
      await w.getByRole("button", { name: "اعرض مساعدة", exact: true }).waitFor();
      assert.deepEqual([await w.getAttribute("lang"), await w.getAttribute("dir")], ["ar", "rtl"]);
      assert.deepEqual(packs, [[server.url, 200]], "the Arabic pack, from Sammen");
      await assertClean(page, "offer sent, in Arabic");
    } finally {
      await context.close();
    }
  });

  test("a site that is not allowed says so in the citizen's language, and the admin sees it refused", async () => {
    for (const [path, sentence] of [
      ["/ikke-forbundet", "Sammen er ikke slået til på denne side endnu. Kommunen kan slå det til."],
      ["/not-connected", "Sammen is not switched on for this page yet. The municipality can switch it on."],
    ]) {
      const { context, page } = await hostedPage();
      try {
        await page.goto(`${host.origin.replace("localhost", "127.0.0.1")}${path}`);
        const w = widget(page);
        await w.getByText(sentence).waitFor();
        assert.equal(await w.getByRole("button").count(), 0, "no tabs whose forms could never be sent");
        assert.deepEqual(await axeViolations(page), [], `axe on ${path}`);
        await screenshot(page, `embed-not-connected-${path.slice(1)}`);
      } finally {
        await context.close();
      }
    }
    // The refused page's origin, counted for the admin.
    const admin = await adminSession(server.url, "admin@billund.demo");
    const refusedOrigin = host.origin.replace("localhost", "127.0.0.1");
    const refused = await (await admin("/api/v1/admin/origins/refused")).json();
    const entry = refused.find((r) => r.origin === refusedOrigin);
    assert.ok(entry, JSON.stringify(refused));
    assert.ok(entry.refusals >= 2, JSON.stringify(entry));
  });
});
