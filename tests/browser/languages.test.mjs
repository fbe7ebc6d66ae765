// Newcomers in their own language on a 360 px phone: a group's page and its
// join page, and a phone at the open meeting, in Arabic (right to left) and
// Ukrainian. The browser's language picks the page's language; the picker
// offers every language by its own name and the choice is remembered on the
// device; the Danish names and titles people typed keep their direction in
// an Arabic page (and an Arabic title in a Danish one); nothing scrolls
// sideways; axe finds nothing under WCAG 2.2 AA. Screenshots land in
// artifacts/screenshots/<page>-<lang>.png.
//
// Run: `node --test tests/browser/languages.test.mjs` from the repository
// root after `cargo build -p sammen-backend --bin sammen`. SAMMEN_BIN
// overrides the server binary.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { WCAG22, adminSession, launchBrowser, phonePage, root, screenshots, startServer } from "./harness.mjs";

const AXE = readFileSync(path.join(root, "node_modules/axe-core/axe.min.js"), "utf8");

let server;
let browser;

before(async () => {
  server = await startServer({ env: { SAMMEN_WRITES_PER_MINUTE_PER_ADDRESS: "1000" } });
  browser = await launchBrowser();
  mkdirSync(screenshots, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A 360 px phone whose browser asks for `locale` first; fails the test on page errors. */
async function phone(t, locale) {
  const { context, page } = await phonePage(browser, { locale });
  // What the page sends the server as its language, request by request.
  page.languagesSent = [];
  page.on("request", (request) => {
    if (request.url().includes("/api/")) page.languagesSent.push(request.headers()["accept-language"]);
  });
  t.after(async () => {
    await context.close();
    assert.deepEqual((page.errors ?? []).map(String), [], "the page logged no errors");
  });
  return page;
}

/** axe-core on the whole page under WCAG 2.2 AA: no violation. */
async function expectAccessible(page, view) {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: tags } });
    return result.violations.map((v) => `${v.id}: ${v.help}\n    ${v.nodes.map((n) => n.target.join(" ")).join("\n    ")}`);
  }, WCAG22);
  assert.deepEqual(violations, [], `axe found violations on the ${view}`);
}

async function expectNoSidewaysScrolling(page, view) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `the ${view} is ${width} px wide at 360 px`);
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });
}

/** The page's `<html lang dir>`. */
const language = (page) => page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]);
/** The direction an element is laid out in. */
const direction = (locator) => locator.evaluate((node) => getComputedStyle(node).direction);

test("the language picker offers every language by its own name", async (t) => {
  const page = await phone(t, "da-DK");
  await page.goto(`${server.url}/group`);
  await page.getByText("Der mangler en del af linket.").waitFor();
  const picker = page.getByLabel("Sprog", { exact: true });
  assert.deepEqual(await picker.locator("option").allTextContents(), ["Dansk", "English", "العربية", "Українська"]);
  assert.deepEqual(await picker.locator("option").evaluateAll((options) => options.map((o) => o.lang)), ["da", "en", "ar", "uk"]);
  // The words are plain JSON files, served as such.
  const words = await fetch(`${server.url}/group/lang/ar.json`);
  assert.equal(words.status, 200);
  assert.match(words.headers.get("content-type"), /^application\/json/);
  assert.match(words.headers.get("cache-control"), /max-age=/);
  assert.match((await words.json())._note, /native/);
  assert.equal((await fetch(`${server.url}/group/lang/xx.json`)).status, 404);
});

test("a family reads its group's page in Arabic, right to left, and switches to Ukrainian on a 360 px phone", async (t) => {
  const admin = await adminSession(server.url, "pia@regnbuen.demo");
  const proposed = await fetch(`${server.url}/api/v1/municipalities/billund/initiatives`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      title: "Legegruppe for Solstrålerne",
      summary: "Familier skiftes til at have børnene hjemme efter børnehaven.",
      category: "playdate_group",
      institution: "regnbuen",
      place: { name: "Hjemme hos familierne" },
      contact: { name: "Sofie", email: "sofie@example.dk" },
    }),
  });
  assert.equal(proposed.status, 201);
  const { id } = await proposed.json();
  const published = await admin(`/api/v1/admin/initiatives/${id}/decisions`, {
    method: "POST", body: JSON.stringify({ action: "publish", version: 1, message: "Velkommen" }),
  });
  assert.equal(published.status, 200);
  const families = [["نور حمدان", ["thu"], ["ar"]], ["Amalie Holm", ["thu"], ["da"]], ["Оксана Коваль", ["thu"], ["uk"]]];
  for (const [name, days, languages] of families) {
    const r = await fetch(`${server.url}/api/v1/municipalities/billund/initiatives/${id}/signups`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ contact: { name }, family: { child_age_band: "3-5", area: "Billund", free_afternoons: days, languages } }),
    });
    assert.equal(r.status, 201);
  }
  const view = await (await admin(`/api/v1/admin/initiatives/${id}`)).json();
  const ids = families.map(([name]) => view.signups.find((s) => s.contact.name === name).id);
  assert.equal((await admin(`/api/v1/admin/initiatives/${id}/groups`, { method: "PUT", body: JSON.stringify({ groups: [ids] }) })).status, 200);
  const handed = await (await admin(`/api/v1/admin/initiatives/${id}/groups/hand-over`, { method: "POST" })).json();
  const linkOf = (name) => handed.links_to_pass_on.find((l) => l.name === name).link.replace(/^https?:\/\/[^/]+/, server.url);

  // Noor's browser asks for Arabic: the page speaks it, right to left.
  const noor = await phone(t, "ar-SY");
  await noor.goto(linkOf("نور حمدان"));
  await noor.getByRole("heading", { level: 2, name: "المواعيد" }).waitFor();
  assert.deepEqual(await language(noor), ["ar", "rtl"]);
  assert.equal(await noor.title(), "مجموعتكم – Sammen");
  await noor.getByText("الجميع متفرغون: الخميس").waitFor();
  // She adds a Thursday; the host is named inside an Arabic sentence.
  const day = new Date(Date.now() + 3 * 86400000);
  while (day.getDay() !== 4) day.setDate(day.getDate() + 1);
  const local = `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, "0")}-${String(day.getDate()).padStart(2, "0")}T15:30`;
  await noor.getByLabel("متى؟").fill(local);
  await noor.getByLabel("ماذا وأين (اختياري)").fill("Legeaftale med frugt");
  await noor.getByRole("button", { name: "أضف الموعد" }).click();
  const date = noor.locator("#dates li[data-status]");
  await date.getByText("المضيف:").waitFor();
  await date.locator(".badge", { hasText: "مقترح" }).waitFor();
  // The date in Arabic, through Intl: Thursday is الخميس.
  await date.locator("strong", { hasText: "الخميس" }).waitFor();
  await noor.locator("#members li", { hasText: "(أنت)" }).waitFor();
  // The Danish group name and title read left to right inside the Arabic page.
  assert.equal(await direction(noor.locator("#initiative")), "ltr", "a Danish title keeps its direction");
  assert.equal(await direction(noor.locator("#title")), "ltr", "a Danish group name keeps its direction");
  assert.equal(await direction(noor.locator("main")), "rtl");
  assert.equal(await noor.locator("#members li bdi", { hasText: "نور حمدان" }).count(), 1, "her name is isolated");
  await expectNoSidewaysScrolling(noor, "group page in Arabic");
  await expectAccessible(noor, "group page in Arabic");
  await shot(noor, "group-ar");
  assert.ok(noor.languagesSent.length > 0 && noor.languagesSent.every((l) => l.startsWith("ar")), `Arabic sent: ${noor.languagesSent}`);

  // The picker shows Arabic chosen; she chooses Ukrainian for her neighbour.
  const picker = noor.getByLabel("اللغة", { exact: true });
  assert.equal(await picker.inputValue(), "ar");
  await picker.selectOption("uk");
  await noor.getByRole("heading", { level: 2, name: "Зустрічі" }).waitFor();
  assert.deepEqual(await language(noor), ["uk", "ltr"]);
  await noor.getByLabel("Мова", { exact: true }).waitFor();
  await noor.locator("#dates li[data-status]").getByText("Приймає:").waitFor();
  await noor.getByRole("button", { name: "Додати зустріч" }).waitFor();
  // The names people typed keep their own direction in a left-to-right page.
  assert.equal(await direction(noor.locator("#members li bdi", { hasText: "نور حمدان" })), "rtl");
  // Remembered on the device: a reload stays Ukrainian.
  await noor.reload();
  await noor.getByRole("heading", { level: 2, name: "Зустрічі" }).waitFor();
  assert.equal(noor.languagesSent.at(-1).split(",")[0], "uk", "the server is asked in Ukrainian first");
  await expectNoSidewaysScrolling(noor, "group page in Ukrainian");
  await expectAccessible(noor, "group page in Ukrainian");
  await shot(noor, "group-uk");

  // Oksana invites one more family; its browser asks for Arabic.
  const oksana = await phone(t, "uk-UA");
  await oksana.goto(linkOf("Оксана Коваль"));
  await oksana.getByRole("button", { name: "Запросити ще одну родину" }).click();
  await oksana.locator("#invite-link").getByText(/group\/join#/).waitFor();
  const invite = (await oksana.locator("#invite-link").innerText()).match(/https?:\/\/\S+/)[0];
  const newcomer = await phone(t, "ar");
  await newcomer.goto(invite);
  await newcomer.getByRole("heading", { level: 1, name: "انضموا إلى المجموعة" }).waitFor();
  assert.deepEqual(await language(newcomer), ["ar", "rtl"]);
  await newcomer.getByLabel("اسمكم").fill("Yusuf Ali");
  await newcomer.getByLabel("المنطقة", { exact: true }).fill("Billund");
  await newcomer.getByLabel("الخميس").check();
  await newcomer.getByLabel("ابحث عن لغة (مثلًا العربية)").fill("العربية");
  await newcomer.locator(".languages input").first().check();
  await expectNoSidewaysScrolling(newcomer, "join page in Arabic");
  await expectAccessible(newcomer, "join page in Arabic");
  await shot(newcomer, "join-ar");
  await newcomer.getByRole("button", { name: "انضموا إلى المجموعة" }).click();
  await newcomer.locator("#members li", { hasText: "Yusuf Ali (أنت)" }).waitFor();
  assert.deepEqual(await language(newcomer), ["ar", "rtl"]);
});

test("a phone at the open meeting speaks Arabic right to left and Ukrainian, at 360 px", async (t) => {
  const admin = await adminSession(server.url, "pia@regnbuen.demo");
  const opened = await admin("/api/v1/admin/meetings", {
    method: "POST", body: JSON.stringify({ title: "Forældremøde på Regnbuen", institution: "regnbuen" }),
  });
  assert.equal(opened.status, 201);
  const { code } = await opened.json();
  // Another phone has put a Danish and an Arabic idea on the board.
  const seat = await (await fetch(`${server.url}/api/v1/meetings/${code}/participants`, { method: "POST" })).json();
  for (const title of ["Bålaften for familierne", "نزهة للعائلات"]) {
    const r = await fetch(`${server.url}/api/v1/meetings/${code}/proposals`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${seat.participant_token}`, "Idempotency-Key": crypto.randomUUID() },
      body: JSON.stringify({ title, category: "playdate_group" }),
    });
    assert.equal(r.status, 201);
  }

  const page = await phone(t, "ar");
  await page.goto(`${server.url}/meeting#${code}`);
  await page.getByText("بقيت لديك 3 نقاط.").waitFor();
  assert.deepEqual(await language(page), ["ar", "rtl"]);
  await page.getByLabel("ماذا تريد أن تبدأ؟").fill("Fodbold i parken");
  // The municipality's topics, the standard ones in Arabic.
  await page.getByLabel("الموضوع").selectOption({ label: "مجموعات اللعب" });
  await page.getByRole("button", { name: "ضعه على اللوحة" }).click();
  await page.getByText("اقتراحك على اللوحة.").waitFor();
  await page.getByRole("button", { name: "أعطِ نقطة لـ Bålaften for familierne" }).click();
  await page.getByText("بقيت لديك نقطتان.").waitFor();
  const danish = page.locator("#board li", { hasText: "Bålaften for familierne" }).locator("span[dir=auto]");
  assert.equal(await direction(danish), "ltr", "a Danish idea reads left to right in the Arabic page");
  await expectNoSidewaysScrolling(page, "meeting phone in Arabic");
  await expectAccessible(page, "meeting phone in Arabic");
  await shot(page, "meeting-phone-ar");
  assert.ok(page.languagesSent.every((l) => l.startsWith("ar")), `Arabic sent: ${page.languagesSent}`);

  await page.getByLabel("اللغة", { exact: true }).selectOption("uk");
  await page.getByText("У вас залишилося 2 крапки.").waitFor();
  // What the page said a moment ago follows the language too.
  await page.getByText("Ваша пропозиція на дошці.").waitFor();
  assert.deepEqual(await language(page), ["uk", "ltr"]);
  await page.getByLabel("Що ви хочете почати?").waitFor();
  await page.getByRole("button", { name: "Поставити крапку: نزهة للعائلات" }).waitFor();
  const arabic = page.locator("#board li", { hasText: "نزهة للعائلات" }).locator("span[dir=auto]");
  assert.equal(await direction(arabic), "rtl", "an Arabic idea reads right to left in the Ukrainian page");
  await expectNoSidewaysScrolling(page, "meeting phone in Ukrainian");
  await expectAccessible(page, "meeting phone in Ukrainian");
  await shot(page, "meeting-phone-uk");
});

test("the invitation, organiser, my-data pages and the projector speak Arabic and Ukrainian too", async (t) => {
  const missingKey = { ar: "الرابط ينقصه مفتاحه.", uk: "У посиланні бракує ключа." };
  const noCode = { ar: "العنوان ينقصه رمز الاجتماع.", uk: "В адресі бракує коду зустрічі." };
  for (const [lang, dir] of [["ar", "rtl"], ["uk", "ltr"]]) {
    const page = await phone(t, lang);
    for (const address of ["/invitation", "/organiser", "/my-data"]) {
      await page.goto(`${server.url}${address}`);
      await page.getByText(missingKey[lang]).waitFor();
      assert.deepEqual(await language(page), [lang, dir], address);
      await expectNoSidewaysScrolling(page, `${address} in ${lang}`);
      await expectAccessible(page, `${address} in ${lang}`);
    }
    await page.goto(`${server.url}/meeting/projector`);
    await page.getByText(noCode[lang]).waitFor();
    assert.deepEqual(await language(page), [lang, dir], "the projector");
  }
});

// The widget's own packs (frontend/lang/<code>.json): the texts the test
// expects come from the files a translator edits.
const pack = (code) => JSON.parse(readFileSync(path.join(root, "frontend/lang", `${code}.json`), "utf8"));

test("the citizen widget speaks Ukrainian from the browser's language and Arabic from its picker, right to left, remembered", async (t) => {
  const [uk, ar] = [pack("uk"), pack("ar")];
  // A host page that names no language: the reader's browser decides.
  const demo = readFileSync(path.join(root, "frontend/demo/index.html"), "utf8").replace(' data-lang="da"', "");
  assert.doesNotMatch(demo, /data-lang/);
  const ukrainian = await phone(t, "uk-UA");
  const packs = [];
  ukrainian.on("request", (r) => { if (r.url().includes("/widget/sammen-lang-")) packs.push(r.url()); });
  await ukrainian.route(`${server.url}/demo-uk`, (route) => route.fulfill({ contentType: "text/html; charset=utf-8", body: demo }));
  await ukrainian.goto(`${server.url}/demo-uk`);
  const w = ukrainian.locator("sammen-widget section.sammen");
  await w.getByRole("heading", { name: uk.keys.ListHeading }).waitFor();
  assert.equal(await w.getAttribute("lang"), "uk");
  assert.equal(await w.getAttribute("dir"), "ltr");
  assert.deepEqual(packs.map((u) => path.basename(u).replace(/-[0-9a-f]{10}\.json$/, "")), ["sammen-lang-uk"], "only the Ukrainian pack");
  // Numbers through Intl, in the pack's words; a standard category by its Ukrainian name.
  await w.getByText(new RegExp(uk.keys.Joined.replace("{n}", "\\d+"))).first().waitFor();
  await w.getByLabel(uk.keys.FilterCategory).locator("option", { hasText: uk.categories.playdate_group }).waitFor({ state: "attached" });
  assert.ok(ukrainian.languagesSent.every((l) => l === "uk, en;q=0.8"), `Ukrainian asked first: ${ukrainian.languagesSent}`);
  await expectNoSidewaysScrolling(ukrainian, "widget in Ukrainian");
  await expectAccessible(ukrainian, "widget in Ukrainian");
  await shot(ukrainian, "widget-uk");

  // A Danish phone on the demo page (data-lang="da") picks Arabic.
  const arabic = await phone(t, "da-DK");
  await arabic.goto(`${server.url}/demo`);
  const a = arabic.locator("sammen-widget section.sammen");
  await a.getByRole("heading", { name: "Det sker i dit område" }).waitFor();
  const picker = a.getByRole("combobox", { name: "Sprog", exact: true });
  assert.deepEqual(await picker.locator("option").allTextContents(), ["Dansk", "English", "العربية", "Українська"]);
  await picker.selectOption("ar");
  await a.getByRole("heading", { name: ar.keys.ListHeading }).waitFor();
  assert.deepEqual([await a.getAttribute("lang"), await a.getAttribute("dir")], ["ar", "rtl"]);
  await a.locator(".cards .card").first().waitFor();
  // Mirrored: the first tab at the right edge.
  const tab = await a.getByRole("button", { name: ar.keys.TabBrowse, exact: true }).boundingBox();
  assert.ok(tab.x + tab.width > 300, `the first tab sits on the right: ${JSON.stringify(tab)}`);
  await expectNoSidewaysScrolling(arabic, "widget in Arabic");
  await expectAccessible(arabic, "widget in Arabic");
  await shot(arabic, "widget-ar");

  // Remembered on the device, over the page's data-lang; the forms come in Arabic too.
  await arabic.reload();
  await a.getByRole("heading", { name: ar.keys.ListHeading }).waitFor();
  await a.getByRole("button", { name: ar.keys.TabPropose, exact: true }).click();
  await a.getByRole("heading", { name: ar.keys.ProposeHeading }).waitFor();
  await a.getByLabel(ar.keys.Title).waitFor();
  await a.getByRole("button", { name: ar.keys.SendProposal }).click();
  await a.getByText(ar.keys.FixFields).waitFor();
  await expectNoSidewaysScrolling(arabic, "propose form in Arabic");
  await expectAccessible(arabic, "propose form in Arabic");
  await shot(arabic, "widget-propose-ar");
  assert.ok(arabic.languagesSent.some((l) => l === "ar, en;q=0.8"), `Arabic asked first: ${arabic.languagesSent}`);

  await a.getByRole("combobox", { name: ar.keys.LanguageLabel, exact: true }).selectOption("uk");
  await a.getByRole("heading", { name: uk.keys.ProposeHeading }).waitFor();
  assert.deepEqual([await a.getAttribute("lang"), await a.getAttribute("dir")], ["uk", "ltr"]);
  await a.getByRole("combobox", { name: uk.keys.LanguageLabel, exact: true }).selectOption("da");
  await a.getByRole("heading", { name: "Foreslå et initiativ" }).waitFor();
  await arabic.reload();
  await a.getByRole("heading", { name: "Det sker i dit område" }).waitFor();
});
