// Firefox and WebKit for the browser tests, over WebDriver (selenium-webdriver):
// Debian's firefox-esr through geckodriver (`cargo install geckodriver`),
// headless; WebKitGTK's MiniBrowser through Debian's WebKitWebDriver, on a
// private Xvfb display. Both drivers are started here from their local
// paths and Selenium only talks to them (`usingServer`), so it never looks
// for or downloads a driver (SE_OFFLINE as well, to be sure).
//
// `Phone` drives a 360 × 740 window the way the Playwright tests do: find by
// label, role name or text — through open shadow roots, where the widget
// lives — then click and type with real WebDriver input, and run axe-core.

import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import path from "node:path";

import { WCAG22, freePort, root } from "./harness.mjs";

// Selenium may never fetch a driver; it is loaded only when an engine
// starts, so SAMMEN_SKIP_ENGINES=1 runs without it.
process.env.SE_OFFLINE = "true";

/** How to get what an engine needs, for the message when it is missing. */
const INSTALL = {
  firefox: "apt-get install firefox-esr && cargo install --locked geckodriver",
  webkit: "apt-get install webkit2gtk-driver xvfb",
};

/** The first of `candidates` that exists, or null. */
function firstFile(candidates) {
  return candidates.find((file) => file && existsSync(file)) ?? null;
}

function onPath(program) {
  try {
    return execFileSync("sh", ["-c", `command -v ${program}`], { encoding: "utf8" }).trim() || null;
  } catch {
    return null;
  }
}

/**
 * What `engine` ("firefox" or "webkit") runs with, or an Error saying what
 * to install. Paths can be set with GECKODRIVER / FIREFOX and
 * WEBKIT_WEBDRIVER / XVFB.
 */
export function engineParts(engine) {
  const parts = engine === "firefox"
    ? {
      driver: firstFile([process.env.GECKODRIVER, onPath("geckodriver"), path.join(homedir(), ".cargo/bin/geckodriver")]),
      browser: firstFile([process.env.FIREFOX, "/usr/bin/firefox-esr", "/usr/bin/firefox"]),
    }
    : {
      driver: firstFile([process.env.WEBKIT_WEBDRIVER, "/usr/bin/WebKitWebDriver"]),
      browser: firstFile([process.env.XVFB, "/usr/bin/Xvfb"]),
    };
  if (!parts.driver || !parts.browser) {
    return new Error(`${engine === "firefox" ? "Firefox or geckodriver" : "WebKitWebDriver or Xvfb"} is missing: ` +
      `install with \`${INSTALL[engine]}\` (\`cargo xtask test\` installs it), ` +
      "or set SAMMEN_SKIP_ENGINES=1 to skip the Firefox and WebKit tests");
  }
  return parts;
}

/** Starts `program` and resolves once its WebDriver answers /status. */
async function startDriver(program, args, env, port) {
  const child = spawn(program, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout.on("data", (chunk) => { log += chunk; });
  child.stderr.on("data", (chunk) => { log += chunk; });
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${program} exited with ${child.exitCode}:\n${log}`);
    try {
      const status = await fetch(`http://127.0.0.1:${port}/status`);
      if (status.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${program} did not answer within 20 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, log: () => log };
}

/** Ends a child process we started, waiting up to 5 s before SIGKILL. */
async function end(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}

/** A private X display from Xvfb; resolves with its number once it is up. */
async function startXvfb(xvfb) {
  const child = spawn(xvfb, ["-displayfd", "3", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"], {
    stdio: ["ignore", "ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stderr.on("data", (chunk) => { log += chunk; });
  const display = await new Promise((resolve, reject) => {
    let out = "";
    child.stdio[3].on("data", (chunk) => {
      out += chunk;
      if (out.includes("\n")) resolve(out.trim());
    });
    child.once("exit", (code) => reject(new Error(`Xvfb exited with ${code}:\n${log}`)));
    setTimeout(() => reject(new Error(`Xvfb gave no display within 10 s:\n${log}`)), 10_000);
  });
  return { child, display: `:${display}` };
}

/**
 * Starts `engine`'s driver and one browser session in a fresh profile;
 * returns `{ driver, phone, stop }`. `phone` is the session as a 360 px
 * phone (see `Phone`).
 */
export async function startEngine(engine) {
  const parts = engineParts(engine);
  if (parts instanceof Error) throw parts;
  const port = await freePort();
  const scratch = mkdtempSync(path.join(tmpdir(), `sammen-${engine}-`));
  const children = [];
  const stopAll = async () => {
    for (const child of children.reverse()) await end(child);
    // The browser's helper processes may still be writing their caches.
    try {
      rmSync(scratch, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    } catch {
      // A temp folder left behind harms nothing.
    }
  };
  try {
    let capabilities;
    if (engine === "firefox") {
      const gecko = await startDriver(parts.driver, ["--port", String(port), "--host", "127.0.0.1"], process.env, port);
      children.push(gecko.child);
      // Firefox keeps its window at least 500 px wide; the profile's
      // userChrome.css lets the browser's own window be a 360 px phone.
      const profile = path.join(scratch, "profile");
      mkdirSync(path.join(profile, "chrome"), { recursive: true });
      writeFileSync(path.join(profile, "chrome/userChrome.css"), ":root, #main-window { min-width: 0 !important; }\n");
      capabilities = {
        browserName: "firefox",
        "moz:firefoxOptions": {
          binary: parts.browser,
          args: ["-headless", "--width=360", "--height=740", "-profile", profile],
          prefs: {
            // Nothing that phones home or waits for the network.
            "app.update.enabled": false,
            "browser.shell.checkDefaultBrowser": false,
            "datareporting.policy.dataSubmissionEnabled": false,
            "toolkit.telemetry.enabled": false,
            "extensions.update.enabled": false,
            "browser.safebrowsing.malware.enabled": false,
            "browser.safebrowsing.phishing.enabled": false,
            "network.captive-portal-service.enabled": false,
            "network.connectivity-service.enabled": false,
            "intl.accept_languages": "da",
            "toolkit.legacyUserProfileCustomizations.stylesheets": true,
          },
        },
      };
    } else {
      const xvfb = await startXvfb(parts.browser);
      children.push(xvfb.child);
      // MiniBrowser's toolbar keeps its window at least ~450 px wide; a GTK
      // theme that shrinks the browser's own widgets (not the page's) lets
      // the window be a 360 px phone. The fresh XDG folders are also the
      // browser's fresh profile (local storage, cache).
      const theme = path.join(scratch, "data/themes/SammenNarrow/gtk-3.0");
      mkdirSync(theme, { recursive: true });
      writeFileSync(path.join(theme, "gtk.css"),
        "* { min-width: 0; min-height: 0; padding: 0; margin: 0; border-width: 0; font-size: 4px; -gtk-icon-transform: scale(0.2); }\n");
      const env = {
        ...process.env,
        DISPLAY: xvfb.display,
        GTK_THEME: "SammenNarrow",
        XDG_DATA_HOME: path.join(scratch, "data"),
        XDG_CACHE_HOME: path.join(scratch, "cache"),
        XDG_CONFIG_HOME: path.join(scratch, "config"),
        // No accessibility bus to find on a bare display.
        NO_AT_BRIDGE: "1",
        // No shader cache written by helper processes still ending after the
        // session, into a folder being removed.
        MESA_SHADER_CACHE_DISABLE: "true",
      };
      const webkit = await startDriver(parts.driver, [`--port=${port}`], env, port);
      children.push(webkit.child);
      capabilities = {
        browserName: "MiniBrowser",
        "webkitgtk:browserOptions": { args: ["--automation"] },
      };
    }
    const { Builder } = await import("selenium-webdriver");
    const driver = await new Builder().usingServer(`http://127.0.0.1:${port}`).withCapabilities(capabilities).build();
    const phone = new Phone(driver, engine);
    await phone.beAPhone();
    return {
      driver,
      phone,
      async stop() {
        try {
          await driver.quit();
        } finally {
          await stopAll();
        }
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

// Runs in the page: finds the first rendered element matching `query`
// anywhere in the document or its open shadow roots (the widget's). A query
// is one of { css }, { button }, { link }, { heading }, { label }, { text },
// matched on whitespace-collapsed text, exactly unless `exact: false`.
const FIND = `
const q = arguments[0];
const norm = (s) => (s || "").replace(/\\s+/g, " ").trim();
const roots = [];
const walk = (r) => { roots.push(r); for (const e of r.querySelectorAll("*")) if (e.shadowRoot) walk(e.shadowRoot); };
walk(document);
const all = (sel) => roots.flatMap((r) => [...r.querySelectorAll(sel)]);
const shown = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden";
const match = (s, want) => (q.exact === false ? s.includes(want) : s === want);
const labelText = (l) => { const c = l.cloneNode(true); c.querySelectorAll(".optional").forEach((o) => o.remove()); return norm(c.textContent); };
const named = (e) => norm(e.getAttribute("aria-label")) || norm(e.textContent) || norm(e.value);
let found;
if (q.css) found = all(q.css);
else if (q.button) found = all("button, [role=button], input[type=submit]").filter((e) => match(named(e), q.button));
else if (q.link) found = all("a[href]").filter((e) => match(named(e), q.link));
else if (q.heading) found = all("h1, h2, h3, h4, h5, h6").filter((e) => match(norm(e.textContent), q.heading));
else if (q.label) {
  found = all("label").filter((l) => match(labelText(l), q.label)).map((l) => l.control).filter(Boolean);
  found.push(...all("input[aria-label], select[aria-label], textarea[aria-label]").filter((e) => match(norm(e.getAttribute("aria-label")), q.label)));
} else if (q.text) {
  found = all("*").filter((e) => !/^(SCRIPT|STYLE|HTML|HEAD|BODY)$/.test(e.tagName)
    && norm(e.textContent).includes(q.text) && ![...e.children].some((c) => norm(c.textContent).includes(q.text)));
}
return found.find(shown) ?? null;
`;

/** A browser window at 360 × 740 CSS px, driven like a phone. */
export class Phone {
  constructor(driver, engine) {
    this.driver = driver;
    this.engine = engine;
  }

  /** Sizes the window so that the page's viewport is 360 × 740. */
  async beAPhone() {
    const window = this.driver.manage().window();
    await this.driver.get("about:blank");
    let rect = { width: 360, height: 740 };
    for (let i = 0; i < 3; i++) {
      await window.setRect(rect);
      const [w, h] = await this.driver.executeScript("return [innerWidth, innerHeight]");
      if (w === 360 && h === 740) return;
      rect = { width: rect.width + 360 - w, height: rect.height + 740 - h };
    }
    const [w, h] = await this.driver.executeScript("return [innerWidth, innerHeight]");
    if (w !== 360) throw new Error(`${this.engine}: the viewport is ${w} × ${h}, not 360 px wide`);
  }

  async go(url) {
    await this.driver.get(url);
  }

  /** Runs `script` (a function) in the page with `args`; returns its answer. */
  async run(script, ...args) {
    return this.driver.executeScript(`return (${script}).apply(null, arguments)`, ...args);
  }

  /** The element `query` finds within `timeout` ms, or an error naming it. */
  async find(query, timeout = 10_000) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const element = await this.driver.executeScript(FIND, query).catch((error) => {
        // Re-rendered while being handed over: look again.
        if (error?.name === "StaleElementReferenceError") return null;
        throw error;
      });
      if (element) return element;
      if (Date.now() > deadline) {
        const url = await this.driver.getCurrentUrl();
        throw new Error(`${this.engine}: found no ${JSON.stringify(query)} within ${timeout} ms on ${url}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Whether `query` finds something right now. */
  async has(query) {
    return (await this.driver.executeScript(FIND, query)) !== null;
  }

  /** Waits until `script` (a function run in the page) answers truthy. */
  async until(what, script, ...args) {
    const deadline = Date.now() + 10_000;
    let last;
    for (;;) {
      last = await this.run(script, ...args);
      if (last) return last;
      if (Date.now() > deadline) throw new Error(`${this.engine}: ${what} (last: ${JSON.stringify(last)})`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * Runs `action` on the element `query` finds. A page that re-renders
   * between finding and acting leaves a stale element: found afresh, up to
   * three times. An error names the engine, the step and the query.
   */
  async act(step, query, action) {
    for (let attempt = 1; ; attempt++) {
      const element = await this.find(query);
      try {
        return await action(element);
      } catch (error) {
        if (error?.name === "StaleElementReferenceError" && attempt < 3) continue;
        error.message = `${this.engine}: ${step} ${JSON.stringify(query)}: ${error.message}`;
        throw error;
      }
    }
  }

  /** Scrolls `query`'s element into view and taps it (a real WebDriver click). */
  async click(query) {
    return this.act("click", query, async (element) => {
      await this.driver.executeScript("arguments[0].scrollIntoView({ block: 'center' })", element);
      await element.click();
      return element;
    });
  }

  /** Types `text` into the field `query` finds, replacing what was there. */
  async fill(query, text) {
    return this.act("fill", query, async (element) => {
      await this.driver.executeScript("arguments[0].scrollIntoView({ block: 'center' })", element);
      if (await element.getAttribute("value")) await element.clear();
      await element.sendKeys(text);
      return element;
    });
  }

  /** Chooses the option with `value` in the select `query` finds. */
  async select(query, value) {
    await this.choose(query, value);
    const now = await this.value(query);
    if (now !== value) throw new Error(`${this.engine}: select ${JSON.stringify(query)}: it is ${now} after choosing ${value}`);
  }

  /** Taps the option with `value` in the select `query` finds, for a select
   * whose choice takes effect later: the widget's language picker shows the
   * language in use until the chosen one's pack has arrived. */
  async choose(query, value) {
    await this.act("choose", query, async (select) => {
      const option = await this.driver.executeScript(
        "return [...arguments[0].options].find((o) => o.value === arguments[1]) ?? null", select, value);
      if (!option) throw new Error(`no option ${value}`);
      await this.driver.executeScript("arguments[0].scrollIntoView({ block: 'center' })", select);
      await option.click();
    });
  }

  /** Ticks the checkbox `query` finds (by tapping it) unless it is ticked. */
  async check(query) {
    await this.act("check", query, async (box) => {
      if (!(await box.isSelected())) {
        await this.driver.executeScript("arguments[0].scrollIntoView({ block: 'center' })", box);
        await box.click();
      }
      if (!(await box.isSelected())) throw new Error("it stays unticked");
    });
  }

  /** The value of a field. */
  async value(query) {
    return this.act("read", query, (element) => this.driver.executeScript("return arguments[0].value", element));
  }

  /** axe-core on the whole page under WCAG 2.2 AA; the violations, one line each. */
  async axe() {
    const loaded = await this.driver.executeScript("return typeof window.axe !== 'undefined'");
    if (!loaded) await this.driver.executeScript(AXE);
    return this.driver.executeAsyncScript(`
      const done = arguments[arguments.length - 1];
      window.axe.run(document, { runOnly: { type: "tag", values: arguments[0] } })
        .then((result) => {
          const found = result.violations.map((v) =>
            v.id + ": " + v.help + "\\n    " + v.nodes.map((n) => JSON.stringify(n.target)).join("\\n    "));
          // A widget on the page: axe must have looked inside its shadow
          // root (a target there is a list of selectors, host first).
          const widget = document.querySelector("sammen-widget")?.shadowRoot;
          const inside = result.passes.some((rule) => rule.nodes.some((n) => n.target.some(Array.isArray)));
          if (widget && !inside) found.push("axe checked nothing inside the widget's shadow root");
          done(found);
        })
        .catch((error) => done(["axe failed: " + error]));`, WCAG22);
  }
}

/** The rules' tags the tests hold every view to: WCAG 2.2 AA. */
export { WCAG22 };
const AXE = readFileSync(path.join(root, "node_modules/axe-core/axe.min.js"), "utf8");
