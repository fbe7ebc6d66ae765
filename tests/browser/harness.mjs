// The browser tests' harness: each test file starts its own Sammen server
// (the real binary, SQLite in a fresh temp dir, demo data) and its own
// headless Chromium, and stops both at the end.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, mkdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const screenshots = path.join(root, "artifacts", "screenshots");

/** A TCP port nobody listens on right now. */
async function freePort() {
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

/** Starts `sammen` with the demo data; resolves once /readyz answers 200. */
export async function startServer() {
  const bin = path.resolve(root, process.env.SAMMEN_BIN || "target/debug/sammen");
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), "sammen-browser-"));
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(bin, [], {
    cwd: root,
    env: {
      ...process.env,
      SAMMEN_ADDR: `127.0.0.1:${port}`,
      SAMMEN_DATA_DIR: dataDir,
      SAMMEN_DEMO: "1",
      SAMMEN_STATIC_DIR: path.join(root, "frontend"),
      // The tests' own URL, so follow links and CORS agree with the page.
      SAMMEN_PUBLIC_URL: url,
      // The widget sends how long each form was open (`fill_ms`); a test
      // fills a form faster than any person, so the server's minimum fill
      // time (a bot check, tested in the API tests) is off here.
      SAMMEN_MIN_FILL_MS: process.env.SAMMEN_MIN_FILL_MS || "0",
      RUST_LOG: process.env.RUST_LOG || "warn",
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
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
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
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

/** The widget's root inside its (open) shadow root. Locators pierce it. */
export function widget(page) {
  return page.locator("sammen-widget section.sammen");
}

/**
 * Saves a 360 × 740 screenshot to artifacts/screenshots/NAME.png, scrolled
 * so that the widget's top is at the top (the demo page's text comes first).
 */
export async function screenshot(page, name) {
  mkdirSync(screenshots, { recursive: true });
  await page.locator("sammen-widget").evaluate((host) => host.scrollIntoView());
  await page.screenshot({ path: path.join(screenshots, `${name}.png`) });
}

const axeSource = readFileSync(path.join(root, "node_modules/axe-core/axe.min.js"), "utf8");

/**
 * Runs axe-core inside the page on the widget's shadow host, at WCAG 2.1 A
 * and AA; returns the violations, each as "rule: target – summary".
 */
export async function axeViolations(page) {
  const loaded = await page.evaluate(() => typeof window.axe !== "undefined");
  if (!loaded) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const host = document.querySelector("sammen-widget");
    const result = await window.axe.run(host, {
      runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"],
    });
    return result.violations.map((v) =>
      v.nodes.map((n) => `${v.id}: ${JSON.stringify(n.target)} – ${n.failureSummary}`).join("\n"));
  });
  return violations;
}
