// The deploy recipe, kept honest without a container engine: the release
// binary runs with exactly the environment `deploy/sammen.env` sets (only the
// machine-specific values — database, SMTP server, addresses, folders —
// replaced by the test's own), behind Caddy running `deploy/Caddyfile` (TLS
// from its local CA, the trusted proxy), on PostgreSQL, mailing over SMTP to
// a real SMTP server. Then the go-live story over https: add the
// municipality and its admin, sign in, allow the site, the widget on that
// site lists and takes a proposal, the admin publishes, the email arrives.
//
// Needs: target/release/sammen (SAMMEN_RELEASE_BIN), Debian's caddy,
// python3 with aiosmtpd, psql. `cargo xtask test` provides them.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from "node:fs";
import https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  axeViolations, fillProposal, freePort, hostPage, launchBrowser, root, screenshot, scratchPostgres, startHost, widget,
} from "./harness.mjs";

const RELEASE = path.resolve(root, process.env.SAMMEN_RELEASE_BIN || "target/release/sammen");
const CADDY = process.env.CADDY || "/usr/bin/caddy";
const PASSWORD = "an operator's long private passphrase";

const children = [];
let work;
let database;
let host;
let browser;
let env;
let publicUrl;
let caddyRoot;
let smtpFolder;
let serverLog = "";
let sammen;

/** `KEY=value` lines of a recipe file (comments and blank lines skipped). */
function readEnvFile(file) {
  const settings = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line.trim() || line.trimStart().startsWith("#")) continue;
    const at = line.indexOf("=");
    settings[line.slice(0, at).trim()] = line.slice(at + 1);
  }
  return settings;
}

function start(command, args, options, name) {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
  child.name = name;
  child.log = "";
  child.stdout.on("data", (d) => { child.log += d; });
  child.stderr.on("data", (d) => { child.log += d; });
  children.push(child);
  return child;
}

async function until(check, what, ms = 20_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch {
      // Not yet.
    }
    if (Date.now() > deadline) {
      const logs = children.map((c) => `--- ${c.name}\n${c.log.slice(-2000)}`).join("\n");
      throw new Error(`timed out waiting for ${what}\n${logs}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A request through Caddy over TLS, trusting Caddy's local CA. */
function through(pathAndQuery, { method = "GET", headers = {}, body } = {}) {
  const url = new URL(pathAndQuery, publicUrl);
  return new Promise((resolve, reject) => {
    const request = https.request({
      host: "127.0.0.1",
      servername: "localhost",
      port: url.port,
      path: url.pathname + url.search,
      method,
      headers: { host: url.host, ...headers },
      ca: readFileSync(caddyRoot),
    }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (d) => { text += d; });
      response.on("end", () => resolve({ status: response.statusCode, headers: response.headers, text }));
    });
    request.on("error", reject);
    if (body) request.write(body);
    request.end();
  });
}

function sammenCommand(args, more = {}) {
  return execFileSync(RELEASE, args, { cwd: root, env: { ...env, ...more }, encoding: "utf8" });
}

before(async () => {
  assert.ok(existsSync(RELEASE), `no release binary at ${RELEASE}: cargo build --release -p sammen-backend`);
  assert.ok(existsSync(CADDY), `no caddy at ${CADDY}: apt-get install caddy`);
  work = mkdtempSync(path.join(tmpdir(), "sammen-deploy-"));
  database = scratchPostgres();
  host = await startHost();
  const [sammenPort, metricsPort, caddyPort, caddyHttpPort, smtpPort] = await Promise.all(
    [1, 2, 3, 4, 5].map(() => freePort()),
  );
  publicUrl = `https://localhost:${caddyPort}`;

  // The real SMTP server.
  smtpFolder = path.join(work, "mail");
  const smtp = start("python3", [path.join(root, "tests/smtp/smtp_server.py"), "--port", String(smtpPort), "--folder", smtpFolder], {}, "smtp");
  await until(() => smtp.log.includes("ready"), "the SMTP server");

  // Exactly the recipe's settings, but for what is this machine's own.
  const recipe = readEnvFile(path.join(root, "deploy/sammen.env"));
  for (const key of ["SAMMEN_TRUSTED_PROXIES", "SAMMEN_PUBLIC_URL", "SAMMEN_SMTP_URL", "SAMMEN_MAIL_FROM", "SAMMEN_LOG_FORMAT", "SAMMEN_METRICS_ADDR", "DATABASE_URL"]) {
    assert.ok(recipe[key], `the recipe sets ${key}`);
  }
  assert.match(recipe.DATABASE_URL, /^postgres:\/\//);
  assert.match(recipe.SAMMEN_PUBLIC_URL, /^https:\/\//);
  env = {
    PATH: process.env.PATH,
    HOME: work,
    ...recipe,
    DATABASE_URL: database.url,
    SAMMEN_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    SAMMEN_PUBLIC_URL: publicUrl,
    SAMMEN_ADDR: `127.0.0.1:${sammenPort}`,
    SAMMEN_METRICS_ADDR: `127.0.0.1:${metricsPort}`,
    SAMMEN_DATA_DIR: path.join(work, "data"),
    SAMMEN_STATIC_DIR: path.join(root, "frontend"),
  };

  // Before the first start: the settings are fine, nothing is there yet.
  const first = sammenCommand(["check-config"]);
  assert.match(first, /SAMMEN_TRUSTED_PROXIES\s+127\.0\.0\.1\/32, ::1\/128/);

  sammen = start(RELEASE, ["serve"], { cwd: work, env }, "sammen");
  sammen.stderr.on("data", (d) => { serverLog += d; });
  await until(async () => (await fetch(`http://127.0.0.1:${sammenPort}/readyz`)).ok, "sammen");

  // Caddy with the recipe's Caddyfile; its local CA and data in the work folder.
  const caddyHome = path.join(work, "caddy");
  start(CADDY, ["run", "--config", path.join(root, "deploy/Caddyfile"), "--adapter", "caddyfile"], {
    env: {
      PATH: process.env.PATH,
      HOME: caddyHome,
      XDG_DATA_HOME: path.join(caddyHome, "data"),
      XDG_CONFIG_HOME: path.join(caddyHome, "config"),
      SAMMEN_DOMAIN: `localhost:${caddyPort}`,
      SAMMEN_UPSTREAM: `127.0.0.1:${sammenPort}`,
      // Test-only global options: leave the system's trust store, the admin
      // port and port 80 alone.
      CADDY_GLOBAL_OPTIONS: `skip_install_trust\nadmin off\nhttp_port ${caddyHttpPort}\ndefault_bind 127.0.0.1`,
    },
  }, "caddy");
  caddyRoot = path.join(caddyHome, "data", "caddy", "pki", "authorities", "local", "root.crt");
  await until(async () => existsSync(caddyRoot) && (await through("/readyz")).status === 200, "Caddy over TLS");
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  for (const child of children.reverse()) {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  }
  await host?.stop();
  database?.drop();
  if (work) rmSync(work, { recursive: true, force: true });
});

test("the release binary with the recipe's settings, behind its Caddy, goes live over https", async () => {
  // TLS and the proxy: HSTS on every answer, metrics not public.
  const municipalityless = await through("/api/v1/municipalities/odense");
  assert.equal(municipalityless.status, 404);
  assert.equal(municipalityless.headers["strict-transport-security"], "max-age=31536000");
  assert.equal((await through("/metrics")).status, 404, "no metrics through the proxy");
  const metrics = await fetch(`http://${env.SAMMEN_METRICS_ADDR}/metrics`);
  assert.equal(metrics.status, 200, "metrics on the internal address");

  // 1. The operator adds the municipality and its first admin.
  assert.match(sammenCommand(["add-municipality", "--slug", "odense", "--name", "Odense Kommune"]),
    /created the municipality odense/);
  sammenCommand(["add-coordinator", "--municipality", "odense", "--email", "anne@odense.example",
    "--name", "Anne Admin", "--role", "admin"], { SAMMEN_PASSWORD: PASSWORD });

  // 2. The admin signs in over https; a forged client address does not stick.
  const signIn = await through("/api/v1/admin/session", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-forwarded-for": "203.0.113.99",
      forwarded: "for=198.51.100.66",
    },
    body: JSON.stringify({ email: "anne@odense.example", password: PASSWORD }),
  });
  assert.equal(signIn.status, 200, signIn.text);
  const cookie = signIn.headers["set-cookie"][0];
  assert.match(cookie, /; Secure/, "the session cookie is Secure over https");
  const session = { cookie: cookie.split(";")[0], csrf: JSON.parse(signIn.text).csrf_token };
  const audit = JSON.parse((await through("/api/v1/admin/audit", { headers: { cookie: session.cookie } })).text);
  const signedIn = audit.find((entry) => entry.action === "sign_in");
  assert.equal(signedIn.address, "127.0.0.1", "the address Caddy saw, not the one the client claimed");

  // 3. In the console: allow the municipality's site.
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 1000 }, locale: "da-DK" });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  try {
    await page.goto(`${publicUrl}/console`);
    await page.getByLabel("E-mail").fill("anne@odense.example");
    await page.getByLabel("Adgangskode").fill(PASSWORD);
    await page.getByRole("button", { name: "Log ind" }).click();
    await page.getByRole("link", { name: "Indstillinger" }).click();
    const embed = page.locator("section.embed");
    await embed.getByLabel("Hjemmesidens adresse").fill(host.origin);
    await embed.getByRole("button", { name: "Tillad hjemmesiden" }).click();
    await embed.getByText("Hjemmesiden er tilladt.").waitFor();
    const tag = await embed.locator("pre.code code").first().innerText();
    assert.ok(tag.includes(`src="${publicUrl}/widget/sammen.js"`), tag);

    // 4. The widget on the municipality's page (another origin), over https.
    host.pages["/frivillig"] = {
      html: hostPage("Odense Kommune", tag),
      headers: {
        "content-security-policy": `default-src 'none'; script-src 'self' ${publicUrl} 'wasm-unsafe-eval'; `
          + `connect-src ${publicUrl}; style-src 'self'; img-src 'self'`,
      },
    };
    // The tag has no data-lang: a Danish phone reads Danish.
    const citizen = await browser.newContext({
      ignoreHTTPSErrors: true, viewport: { width: 360, height: 740 }, locale: "da-DK",
    });
    const phone = await citizen.newPage();
    phone.setDefaultTimeout(15_000);
    try {
      await phone.goto(`${host.origin}/frivillig`);
      const w = widget(phone);
      await w.getByText("Der er ingen initiativer her endnu").waitFor();
      const title = "Følgevenner til lægen";
      await fillProposal(w, {
        title,
        summary: "Vi følger nye borgere til lægen og kommunen.",
        place: "Frivilligcenter Odense",
        name: "Layla Al-Khatib",
        email: "layla@example.dk",
      });
      // The recipe keeps the bot check on: no person fills a form in under 3 s.
      await phone.waitForTimeout(3_200);
      await w.getByRole("button", { name: "Send forslaget" }).click();
      await w.getByRole("heading", { name: "Tak! Dit forslag er sendt." }).waitFor();
      assert.deepEqual(await axeViolations(phone), []);
      await screenshot(phone, "deploy-proposal-sent");

      // 5. The admin publishes; the email goes out over SMTP.
      await page.getByRole("link", { name: "Forslag" }).click();
      await page.getByRole("link", { name: title }).click();
      await page.getByRole("button", { name: "Offentliggør" }).click();
      await page.getByText("Beslutningen er gemt").waitFor();
      // Her confirmation, then the decision; each with a follow link back
      // to the municipality's page she proposed on.
      const mails = await until(() => {
        const files = readdirSync(smtpFolder).filter((f) => f.endsWith(".json"));
        return files.length === 2 && files.map((f) => JSON.parse(readFileSync(path.join(smtpFolder, f), "utf8")));
      }, "the confirmation and the decision email at the SMTP server");
      const mail = mails.find((m) => m.subject.startsWith("Nyt om dit forslag"));
      assert.ok(mails.some((m) => m.subject === `Vi har fået dit forslag: ${title}`), JSON.stringify(mails.map((m) => m.subject)));
      for (const m of mails) assert.match(m.body, new RegExp(`${host.origin}/frivillig#sammen-follow=[0-9a-f]{76}`));
      assert.deepEqual(mail.rcpt_tos, ["layla@example.dk"]);
      assert.equal(mail.headers.From, env.SAMMEN_MAIL_FROM);
      assert.match(mail.headers["Message-ID"], /^<[0-9a-f-]{36}@localhost>$/);
      assert.equal(mail.subject, `Nyt om dit forslag: ${title}`);
      await page.reload();
      // Both mails to her are listed as sent.
      await page.locator(".badge.mail-sent").nth(1).waitFor();
      assert.equal(await page.locator(".badge.mail-sent").count(), 2);

      // The citizen's page lists it now.
      await phone.reload();
      await w.getByRole("button", { name: title }).waitFor();
    } finally {
      await citizen.close();
    }
  } finally {
    await context.close();
  }
  assert.deepEqual(errors, []);

  // 6. The logs are JSON lines (SAMMEN_LOG_FORMAT=json), for journald or docker logs.
  const lines = serverLog.trim().split("\n").filter(Boolean);
  assert.ok(lines.length > 0, "the server logged");
  for (const line of lines) JSON.parse(line);

  // 7. Ready for production, by the server's own check.
  const ready = sammenCommand(["check-config"]);
  assert.match(ready, /odense\s+Odense Kommune\s+admins: 1, allowed sites: 1/);
  assert.match(ready, /Ready for production/);
});
