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
      const attempt = { key: request.headers()["idempotency-key"], sent: request.postDataJSON() };
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
    assertTimeOrderedKey(attempts[0].key);

    // A reload keeps the draft and its key, and sends it again.
    await page.reload();
    await w.getByRole("button", { name: "Mit forslag" }).waitFor();
    await expectAttempts(attempts, 2);
    assert.equal(attempts[1].key, attempts[0].key, "the resend reuses the idempotency key");
    assert.equal(attempts[1].replayed, "true", "the server answers the resend from the first try");
    assert.equal(attempts[1].body.id, attempts[0].body.id, "one proposal, not two");
    assert.deepEqual(attempts[1].sent, attempts[0].sent, "the resend is the same request");
    assert.equal(attempts[0].sent.website, "", "the honeypot goes along, empty");
    assert.ok(Number.isInteger(attempts[0].sent.fill_ms) && attempts[0].sent.fill_ms > 0,
      `fill_ms is the time spent on the form: ${attempts[0].sent.fill_ms}`);

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

/** The widget's keys are UUID v7, made now (`frontend/src/idempotency.rs`). */
function assertTimeOrderedKey(key) {
  assert.match(key, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, key);
  const made = parseInt(key.replace(/-/g, "").slice(0, 12), 16);
  assert.ok(Math.abs(Date.now() - made) < 120_000, `the key's time ${new Date(made).toISOString()}`);
}

async function expectAttempts(attempts, count) {
  const deadline = Date.now() + 10_000;
  while (attempts.length < count || attempts[count - 1].body === undefined) {
    if (Date.now() > deadline) assert.fail(`expected ${count} sends, saw ${attempts.length}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test("a signup made offline is queued, survives a reload and arrives exactly once", async () => {
  // The demo page shows Regnbuen's initiatives: its playdate group.
  const list = await (await fetch(
    `${server.url}/api/v1/municipalities/billund/initiatives?institution=regnbuen`)).json();
  const item = list.items[0];
  assert.ok(item, "the demo seeds an initiative at Regnbuen");
  const { context, page } = await phonePage(browser);
  const w = widget(page);
  try {
    await page.goto(`${server.url}/demo`);
    await w.getByRole("button", { name: item.title }).click();
    await w.getByRole("button", { name: "Vær med", exact: true }).click();
    if (item.category === "playdate_group") {
      await w.getByLabel("Barnets alder").selectOption("0-2");
      await w.getByLabel("Jeres område").fill("Billund øst");
      await w.getByLabel("Tirsdag").check();
    }
    await w.getByLabel("Dit navn").fill("Karen Bech");
    await w.getByLabel("E-mail").fill("karen@example.dk");

    await context.setOffline(true);
    await w.getByRole("button", { name: "Meld mig til" }).click();
    const queued = w.locator("form .notice.queued");
    await queued.waitFor();
    assert.match(await queued.innerText(), /Du er offline/);
    assert.equal(await w.getByText("Du er med!").count(), 0);

    // Back online the connection still drops the first send before it
    // reaches the server; the signup stays queued in the browser.
    const attempts = [];
    await page.route(`**/api/v1/municipalities/billund/initiatives/${item.id}/signups`,
      async (route) => {
        const request = route.request();
        const attempt = { key: request.headers()["idempotency-key"], body: request.postDataJSON() };
        attempts.push(attempt);
        if (attempts.length === 1) return route.abort("internetdisconnected");
        const answer = await route.fetch();
        attempt.status = answer.status();
        return route.fulfill({ response: answer });
      });
    await context.setOffline(false);
    await expectAttempts(attempts, 1);
    await queued.waitFor();

    // After a reload the widget sends it by itself and says it arrived.
    await page.reload();
    await w.getByText("Det, du sendte uden forbindelse, er nu modtaget.").waitFor();
    assert.equal(attempts.length, 2);
    assert.equal(attempts[1].status, 201);
    assert.equal(attempts[1].key, attempts[0].key, "the resend reuses the idempotency key");
    assert.deepEqual(attempts[1].body, attempts[0].body, "the resend is the same request");
    assert.equal(attempts[1].body.website, "", "the honeypot goes along, empty");
    assert.ok(Number.isInteger(attempts[1].body.fill_ms) && attempts[1].body.fill_ms > 0,
      `fill_ms is the time spent on the form: ${attempts[1].body.fill_ms}`);

    const after = await (await fetch(
      `${server.url}/api/v1/municipalities/billund/initiatives/${item.id}`)).json();
    assert.equal(after.joined, item.joined + 1, "exactly one signup arrived");
    await page.reload();
    await w.locator(".card").first().waitFor();
    await page.waitForTimeout(300);
    assert.equal(attempts.length, 2, "nothing is left queued");
  } finally {
    await context.close();
  }
});
