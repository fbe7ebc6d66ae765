// The browser tests' harness: each test file starts its own Sammen server
// (the real binary, SQLite in a fresh temp dir, demo data) and its own
// headless Chromium, and stops both at the end.

import { execFileSync, spawn } from "node:child_process";
import { createServer as createHttpServer } from "node:http";
import { mkdtempSync, rmSync, mkdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const screenshots = path.join(root, "artifacts", "screenshots");

/** A TCP port nobody listens on right now. */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The demo coordinators' password in the browser tests. */
export const DEMO_PASSWORD = "demo-password-for-browser-tests";

/** The server binary the tests run. */
export const bin = path.resolve(root, process.env.SAMMEN_BIN || "target/debug/sammen");

/** The PostgreSQL server tests may create databases on. */
const postgresAdmin = process.env.SAMMEN_TEST_POSTGRES || "postgres://postgres@127.0.0.1:5432/postgres";

/**
 * A new, empty PostgreSQL database; returns its URL, a function dropping it
 * and one running a query in it (its answer as text, one value a line).
 */
export function scratchPostgres() {
  const name = `sammen_t_browser_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  execFileSync("psql", [postgresAdmin, "-q", "-c", `CREATE DATABASE ${name}`]);
  const url = `${postgresAdmin.slice(0, postgresAdmin.lastIndexOf("/"))}/${name}`;
  const query = (sql) => execFileSync("psql", [url, "-tA", "-c", sql], { encoding: "utf8" }).trim();
  const drop = () => {
    try {
      execFileSync("psql", [postgresAdmin, "-q", "-c", `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]);
    } catch {
      // Dropped already, or the server is gone: nothing left to clean.
    }
  };
  return { url, drop, query };
}

/**
 * Starts `sammen` (with the demo data unless `demo: false`) on SQLite, or on
 * a fresh PostgreSQL database with `database: "postgres"`; resolves once
 * /readyz answers 200. `env` adds or overrides settings. The answer's `env`
 * is the server's whole environment, for running `sammen` commands (such as
 * `add-municipality`) against the same database.
 */
export async function startServer({ database = "sqlite", demo = true, env: extra = {} } = {}) {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), "sammen-browser-"));
  const url = `http://127.0.0.1:${port}`;
  const postgres = database === "postgres" ? scratchPostgres() : null;
  const env = {
    ...process.env,
    SAMMEN_ADDR: `127.0.0.1:${port}`,
    SAMMEN_DATA_DIR: dataDir,
    SAMMEN_DEMO: demo ? "1" : "0",
    SAMMEN_DEMO_PASSWORD: DEMO_PASSWORD,
    SAMMEN_STATIC_DIR: path.join(root, "frontend"),
    // The tests' own URL, so follow links and CORS agree with the page.
    SAMMEN_PUBLIC_URL: url,
    // The widget sends how long each form was open (`fill_ms`); a test
    // fills a form faster than any person, so the server's minimum fill
    // time (a bot check, tested in the API tests) is off here.
    SAMMEN_MIN_FILL_MS: process.env.SAMMEN_MIN_FILL_MS || "0",
    RUST_LOG: process.env.RUST_LOG || "warn",
    ...(postgres ? { DATABASE_URL: postgres.url } : {}),
    ...extra,
  };
  const child = spawn(bin, [], { cwd: root, env, stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr.on("data", (chunk) => { log += chunk; });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`sammen exited with ${child.exitCode} before it was ready:\n${log}`);
    }
    try {
      const answer = await fetch(`${url}/readyz`);
      if (answer.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`sammen was not ready within 30 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    env,
    dataDir,
    log: () => log,
    /** On PostgreSQL, runs a query in the server's database (see scratchPostgres). */
    query: postgres?.query,
    /** Runs `sammen ARGS` against this server's database; returns stdout. */
    command(args, more = {}) {
      return execFileSync(bin, args, { cwd: root, env: { ...env, ...more }, encoding: "utf8" });
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      rmSync(dataDir, { recursive: true, force: true });
      postgres?.drop();
    },
  };
}

/**
 * A municipality's own web server on another origin than Sammen's: serves
 * `pages` (path → { html, headers }) and `/site.css`, the host's own
 * styles. Reached as `http://localhost:PORT` — another host name and port
 * than the API's `http://127.0.0.1:…`. `pages` may change while it runs.
 */
export async function startHost(pages = {}) {
  const port = await freePort();
  const css = [
    "body { margin: 0; font: 18px/1.6 Georgia, serif; color: #1b1b1b; background: #fbfaf6; }",
    "header { background: #7a1b2b; color: #fff; padding: 1rem; font-size: 1.4rem; }",
    "main { max-width: 60rem; margin: 0 auto; padding: 1rem; }",
    "/* What the console's embed settings tell a host to add: no jump. */",
    "sammen-widget { display: block; min-height: 40rem; }",
    "/* A host's broad rules: they must not reach into the widget. */",
    "button { background: #ff0 !important; font-size: 30px; border-radius: 0; }",
    "section, p { margin: 3rem; }",
  ].join("\n");
  const server = createHttpServer((request, response) => {
    const url = new URL(request.url, `http://localhost:${port}`);
    if (url.pathname === "/site.css") {
      response.writeHead(200, { "content-type": "text/css" });
      return response.end(css);
    }
    const page = pages[url.pathname];
    if (!page) {
      response.writeHead(404, { "content-type": "text/plain" });
      return response.end("no such page");
    }
    response.writeHead(200, { "content-type": "text/html; charset=utf-8", ...(page.headers || {}) });
    response.end(page.html);
  });
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    origin: `http://localhost:${port}`,
    pages,
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** A municipal page around `tag` (the embed code), with its own styles. */
export function hostPage(title, tag) {
  return `<!doctype html>
<html lang="da">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${title}</title>
  <link rel="stylesheet" href="/site.css">
</head>
<body>
  <header>${title}</header>
  <main>
    <h1>Fællesskaber</h1>
    <p>Her kan du se, hvad der sker, foreslå dit eget initiativ eller tilbyde din hjælp.</p>
    ${tag}
  </main>
</body>
</html>`;
}

/**
 * Signs `email` in through the API; returns a `fetch` for admin calls that
 * carries the session cookie and, on changes, the CSRF token.
 */
export async function adminSession(baseUrl, email, password = DEMO_PASSWORD) {
  const answer = await fetch(`${baseUrl}/api/v1/admin/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (answer.status !== 200) throw new Error(`sign-in of ${email}: ${answer.status}`);
  const cookie = answer.headers.get("set-cookie").split(";")[0];
  const { csrf_token: csrf } = await answer.json();
  return (pathAndQuery, init = {}) => fetch(`${baseUrl}${pathAndQuery}`, {
    ...init,
    headers: {
      cookie,
      "x-csrf-token": csrf,
      ...(init.body ? { "content-type": "application/json" } : {}),
      ...(init.headers || {}),
    },
  });
}

/** Debian's Chromium, headless, without anything that phones home. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** A phone-sized page (360 × 740) in a fresh context. */
export async function phonePage(browser, options = {}) {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 1,
    ...options,
  });
  const page = await context.newPage();
  // Everything here answers in well under a second; fail fast, not at 30 s.
  page.setDefaultTimeout(10_000);
  page.on("pageerror", (error) => { page.errors = [...(page.errors || []), error]; });
  return { context, page };
}

/**
 * Opens the widget's proposal form and fills it in (Danish labels); the
 * caller sends it, after whatever it checks first.
 */
export async function fillProposal(w, { title, summary, category = "other", place, name, email }) {
  await w.getByRole("button", { name: "Foreslå", exact: true }).click();
  await w.getByLabel("Hvad vil du sætte i gang?").fill(title);
  await w.getByLabel("Beskriv det kort").fill(summary);
  await w.getByLabel("Kategori").selectOption(category);
  await w.getByLabel("Hvor?").fill(place);
  await w.getByLabel("Dit navn").fill(name);
  await w.getByLabel("E-mail").fill(email);
}

/** The widget's root inside its (open) shadow root. Locators pierce it. */
export function widget(page) {
  return page.locator("sammen-widget section.sammen");
}

/**
 * Saves a 360 × 740 screenshot to artifacts/screenshots/NAME.png, scrolled
 * so that the widget's top is at the top (the demo page's text comes first).
 */
export async function screenshot(page, name) {
  const file = path.join(screenshots, `${name}.png`);
  // NAME may name a folder too (PostgreSQL's runs keep theirs apart).
  mkdirSync(path.dirname(file), { recursive: true });
  await page.locator("sammen-widget").evaluate((host) => host.scrollIntoView());
  await page.screenshot({ path: file });
}

const axeSource = readFileSync(path.join(root, "node_modules/axe-core/axe.min.js"), "utf8");

/** The axe-core rule tags every view is checked against: WCAG 2.2 A and AA
 * (issue 18), which include 2.0's and 2.1's. */
export const WCAG22 = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/**
 * Runs axe-core inside the page on the widget's shadow host, at WCAG 2.2 A
 * and AA; returns the violations, each as "rule: target – summary".
 */
export async function axeViolations(page) {
  const loaded = await page.evaluate(() => typeof window.axe !== "undefined");
  if (!loaded) await page.evaluate(axeSource);
  const violations = await page.evaluate(async (tags) => {
    const host = document.querySelector("sammen-widget");
    const result = await window.axe.run(host, { runOnly: tags });
    return result.violations.map((v) =>
      v.nodes.map((n) => `${v.id}: ${JSON.stringify(n.target)} – ${n.failureSummary}`).join("\n"));
  }, WCAG22);
  return violations;
}

/** The text of a one-part `.eml` as its recipient reads it (quoted-printable, base64 or plain). */
export function mailText(raw) {
  const [head, ...rest] = raw.replace(/\r\n/g, "\n").split("\n\n");
  const body = rest.join("\n\n");
  const encoding = /content-transfer-encoding:\s*([\w-]+)/i.exec(head)?.[1]?.toLowerCase();
  if (encoding === "base64") return Buffer.from(body, "base64").toString("utf8");
  if (encoding !== "quoted-printable") return body;
  const joined = body.replace(/=\n/g, "");
  const bytes = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === "=" && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(joined[i], "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}
