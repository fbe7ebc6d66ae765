// Going live, as the README's "Go live" section walks it, on SQLite and on
// PostgreSQL: the operator adds the municipality and its first admin with
// `sammen` commands; the admin signs in, adds an institution, sees the
// warning that no site may show the widget yet, allows the municipality's
// site, copies the embed tag (and sees the live preview); the tag, pasted
// into the municipality's own page on another origin with a strict CSP,
// shows the widget, which lists and takes a proposal that reaches the
// console's queue.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import {
  WCAG22, axeViolations, fillProposal, hostPage, launchBrowser, phonePage, screenshot, screenshots, startHost,
  startServer, widget,
} from "./harness.mjs";
import path from "node:path";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const PASSWORD = "en lang privat adgangssætning";

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/** axe-core on the whole console page: no WCAG 2.2 A/AA violation. */
async function consoleAccessible(page, view) {
  await page.evaluate(AXE);
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }),
    WCAG22,
  );
  const violations = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  assert.deepEqual(violations, [], `axe on the console's ${view}`);
}

for (const database of ["sqlite", "postgres"]) {
  describe(`going live on ${database}`, () => {
    let server;
    let host;

    before(async () => {
      server = await startServer({ database, demo: false });
      host = await startHost();
    });

    after(async () => {
      await host?.stop();
      await server?.stop();
    });

    test("add the municipality, its admin, an institution, allow the site, paste the tag: the widget lists and proposes", async () => {
      // 1. The operator, on the server.
      const created = server.command([
        "add-municipality", "--slug", "odense", "--name", "Odense Kommune",
      ]);
      assert.match(created, /created the municipality odense with 6 standard categories/);
      server.command(
        ["add-coordinator", "--municipality", "odense", "--email", "anne@odense.example",
          "--name", "Anne Admin", "--role", "admin"],
        { SAMMEN_PASSWORD: PASSWORD },
      );

      // 2. The admin, in the console.
      const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: "da-DK" });
      await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      const errors = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      try {
        await page.goto(`${server.url}/console`);
        await page.getByLabel("E-mail").fill("anne@odense.example");
        await page.getByLabel("Adgangskode").fill(PASSWORD);
        await page.getByRole("button", { name: "Log ind" }).click();
        await page.getByRole("link", { name: "Indstillinger" }).click();

        const institutions = page.locator("section", { has: page.getByRole("heading", { name: "Institutioner", exact: true }) });
        await institutions.getByLabel("Navn", { exact: true }).fill("Vollsmose");
        await institutions.getByLabel("Kort navn").fill("vollsmose");
        await institutions.getByLabel("Type").selectOption("area");
        await institutions.getByRole("button", { name: "Tilføj institution" }).click();
        await institutions.getByText("Institutionen er tilføjet.").waitFor();

        const embed = page.locator("section.embed");
        await embed.getByRole("heading", { name: "Indlejr på jeres hjemmeside" }).waitFor();
        const warning = embed.getByText("Ingen hjemmesider må vise widgetten endnu.", { exact: false });
        await warning.waitFor();
        await consoleAccessible(page, "embed settings before a site is allowed");

        // The admin copies the tag before allowing the site (an easy slip).
        await embed.getByLabel("Widgetten viser").selectOption("vollsmose");
        await embed.getByLabel("Sprog").selectOption("da");
        const code = embed.locator("pre.code code").first();
        const tag = await code.innerText();
        assert.equal(
          tag,
          `<sammen-widget data-municipality="odense" data-institution="vollsmose" data-lang="da"></sammen-widget>\n`
            + `<script type="module" src="${server.url}/widget/sammen.js"></script>`,
        );
        // And the rule that keeps the page from jumping, for the site's own stylesheet.
        assert.equal(
          await embed.locator("pre.code code").nth(1).innerText(),
          "sammen-widget { display: block; min-height: 40rem; }",
        );
        await embed.getByRole("button", { name: "Kopiér koden" }).click();
        await embed.getByText("Koden er kopieret.").waitFor();
        assert.equal(await page.evaluate(() => navigator.clipboard.readText()), tag);

        // The live preview shows the widget as that tag would.
        const preview = page.frameLocator("iframe.embed-preview");
        await preview.locator("sammen-widget section.sammen")
          .getByText("Der er ingen initiativer her endnu").waitFor();

        // 3. The municipality pastes the tag into its own page.
        const sammen = server.url;
        host.pages["/borger/faellesskaber"] = {
          html: hostPage("Odense Kommune", tag),
          headers: {
            "content-security-policy": `default-src 'none'; script-src 'self' ${sammen} 'wasm-unsafe-eval'; `
              + `connect-src ${sammen}; style-src 'self'; img-src 'self'`,
          },
        };
        const citizen = await phonePage(browser);
        try {
          await citizen.context.addInitScript(() => {
            window.cspViolations = [];
            document.addEventListener("securitypolicyviolation", (e) => window.cspViolations.push(e.violatedDirective));
          });
          // Not allowed yet: the citizen is told, not left with an empty box …
          await citizen.page.goto(`${host.origin}/borger/faellesskaber`);
          const w = widget(citizen.page);
          await w.getByText("Sammen er ikke slået til på denne side endnu.", { exact: false }).waitFor();

          // … and the admin finds the page among those refused, and allows it.
          await page.reload();
          const refused = embed.locator("section.refused");
          await refused.getByRole("heading", { name: "Afvist for nylig" }).waitFor();
          await refused.locator("code", { hasText: host.origin }).waitFor();
          await consoleAccessible(page, "embed settings with a refused page");
          await refused.getByRole("button", { name: `Tillad ${host.origin}` }).click();
          await embed.getByText("Hjemmesiden er tilladt.").waitFor();
          // Among the allowed sites (the refused list reloads a moment
          // later and may still show the same origin until then).
          await embed.getByRole("button", { name: `Fjern ${host.origin}`, exact: true }).waitFor();
          // The warning goes once a site is allowed, and the page is no
          // longer among the refused (both lists load again after the click).
          await warning.waitFor({ state: "detached" });
          await refused.waitFor({ state: "detached" });
          await consoleAccessible(page, "embed settings");
          await page.screenshot({ path: path.join(screenshots, `console-embed-${database}.png`), fullPage: true });

          // The citizen's page now shows the widget: it lists and proposes.
          await citizen.page.reload();
          await w.getByText("Der er ingen initiativer her endnu").waitFor();
          const title = `Lektiecafé i Vollsmose ${database}`;
          await fillProposal(w, {
            title,
            summary: "Frivillige hjælper med lektier to dage om ugen.",
            place: "Vollsmose Bibliotek",
            name: "Fatima Hassan",
            email: "fatima@example.dk",
          });
          await w.getByRole("button", { name: "Send forslaget" }).click();
          await w.getByRole("heading", { name: "Tak! Dit forslag er sendt." }).waitFor();
          assert.deepEqual(await axeViolations(citizen.page), []);
          assert.deepEqual(await citizen.page.evaluate(() => window.cspViolations), []);
          assert.deepEqual(citizen.page.errors ?? [], []);
          await screenshot(citizen.page, `go-live-${database}`);

          // 4. It waits in the admin's queue, for Vollsmose.
          await page.getByRole("link", { name: "Forslag" }).click();
          await page.getByRole("link", { name: title }).waitFor();
        } finally {
          await citizen.context.close();
        }
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  });
}
