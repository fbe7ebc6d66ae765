// A proposal sent without a connection: it is queued in the browser, says
// so, survives a reload, and arrives exactly once when the connection
// returns, even when the first answer was lost on the way back.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { launchBrowser, phonePage, screenshot, startServer, widget } from "./harness.mjs";

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("a proposal made offline is queued, survives a reload and arrives exactly once", async () => {
  const { context, page } = await phonePage(browser);
  const w = widget(page);
  const title = `Snerydning på Kirkevej ${Date.now()}`;
  try {
    await page.goto(`${server.url}/demo`);
    await w.getByRole("button", { name: "Foreslå", exact: true }).click();
    await w.getByLabel("Hvad vil du sætte i gang?").fill(title);
    await w.getByLabel("Beskriv det kort").fill("Vi rydder sne for de ældre på vejen.");
    await w.getByLabel("Kategori").selectOption("snow_clearing");
    await w.getByLabel("Hvor?").fill("Kirkevej, Billund");
    await w.getByLabel("Dit navn").fill("Mette Holm");
    await w.getByLabel("Telefon").fill("+45 22 33 44 55");

    // Offline: the widget keeps it and says so.
    await context.setOffline(true);
    await w.getByRole("button", { name: "Send forslaget" }).click();
    const queued = w.locator(".notice.queued");
    await queued.waitFor();
    assert.match(await queued.innerText(), /Du er offline/);
    await screenshot(page, "13-propose-queued");

    // Back online, the widget sends at once, but the answer is lost on its
    // way back: the server has the proposal, the browser does not know.
    const attempts = [];
    await page.route("**/api/v1/municipalities/billund/initiatives", async (route) => {
      const request = route.request();
      if (request.method() !== "POST") return route.continue();
      const attempt = { key: request.headers()["idempotency-key"] };
      attempts.push(attempt);
      const answer = await route.fetch();
      attempt.status = answer.status();
      attempt.replayed = answer.headers()["idempotent-replayed"];
      attempt.body = await answer.json();
      if (attempts.length === 1) return route.abort("internetdisconnected");
      return route.fulfill({ response: answer });
    });
    await context.setOffline(false);
    await w.locator(".notice.queued").waitFor();
    await expectAttempts(attempts, 1);
    assert.equal(attempts[0].status, 201);

    // A reload keeps the draft and its key, and sends it again.
    await page.reload();
    await w.getByRole("button", { name: "Mit forslag" }).waitFor();
    await expectAttempts(attempts, 2);
    assert.equal(attempts[1].key, attempts[0].key, "the resend reuses the idempotency key");
    assert.equal(attempts[1].replayed, "true", "the server answers the resend from the first try");
    assert.equal(attempts[1].body.id, attempts[0].body.id, "one proposal, not two");

    // The citizen sees it was sent, and the follow view shows it once.
    await w.getByRole("button", { name: "Foreslå", exact: true }).click();
    await w.getByRole("heading", { name: "Tak! Dit forslag er sendt." }).waitFor();
    await w.getByRole("button", { name: "Mit forslag" }).click();
    await w.getByRole("heading", { level: 3, name: title }).waitFor();
    await w.locator(".status .badge.status-submitted").waitFor();
    await screenshot(page, "14-follow-after-offline");

    const token = attempts[0].body.follow_token;
    const answer = await fetch(`${server.url}/api/v1/follow`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const followed = await answer.json();
    assert.equal(followed.proposal.id, attempts[0].body.id);
    assert.equal(followed.proposal.title, title);
    // And nothing is left queued in the browser.
    await page.reload();
    await w.locator(".card").first().waitFor();
    await page.waitForTimeout(300);
    assert.equal(attempts.length, 2, "no further sends after it arrived");
  } finally {
    await context.close();
  }
});

async function expectAttempts(attempts, count) {
  const deadline = Date.now() + 10_000;
  while (attempts.length < count || attempts[count - 1].body === undefined) {
    if (Date.now() > deadline) assert.fail(`expected ${count} sends, saw ${attempts.length}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
