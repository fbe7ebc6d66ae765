// Lighthouse (mobile) on the widget where it lives: a municipality's page on
// another origin than Sammen's, embedding the widget as the README's go-live
// steps say, its height reserved in the host's own CSS. Not a test (speed
// goals live in benchmarks and notes, issue 17): it prints the median and
// each of three runs. Needs the npm registry once, for `npx lighthouse`.
//
//   SAMMEN_BIN=target/release/sammen node tests/browser/lighthouse.mjs [runs]

import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { adminSession, startHost, startServer } from "./harness.mjs";

const runs = Number(process.argv[2] || 3);
const server = await startServer({ env: { RUST_LOG: "error" } });
const host = await startHost();
const admin = await adminSession(server.url, "admin@billund.demo");
const allowed = await admin("/api/v1/admin/origins", { method: "POST", body: JSON.stringify({ origin: host.origin }) });
if (allowed.status !== 201) throw new Error(`allowing ${host.origin}: ${allowed.status}`);
host.pages["/faellesskaber"] = {
  html: `<!doctype html>
<html lang="da">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Fællesskaber – Billund Kommune</title>
  <link rel="stylesheet" href="/site.css">
  <style>sammen-widget { display: block; min-height: 40rem }</style>
  <script type="module" src="${server.url}/widget/sammen.js"></script>
</head>
<body>
  <header>Billund Kommune</header>
  <main>
    <h1>Fællesskaber</h1>
    <p>Her kan du se, hvad der sker, foreslå dit eget initiativ eller tilbyde din hjælp.</p>
    <sammen-widget data-municipality="billund" data-institution="regnbuen" data-lang="da"></sammen-widget>
    <p>Kontakt kommunen, hvis du har spørgsmål.</p>
  </main>
</body>
</html>`,
};

console.error(`widget from ${server.url}, host page ${host.origin}/faellesskaber`);
const out = mkdtempSync(path.join(tmpdir(), "sammen-lighthouse-"));
const results = [];
try {
  for (let i = 0; i < runs; i++) {
    const report = path.join(out, `run-${i}.json`);
    // Not execFileSync: the host page is served by this very process.
    await promisify(execFile)("npx", [
      "-y", "lighthouse@12", `${host.origin}/faellesskaber`,
      "--quiet", "--only-categories=performance,accessibility", "--max-wait-for-load=45000",
      "--chrome-flags=--headless --no-sandbox --disable-gpu",
      "--output=json", `--output-path=${report}`,
    ], { env: { ...process.env, CHROME_PATH: process.env.CHROME_PATH || "/usr/bin/chromium" } });
    const r = JSON.parse(readFileSync(report, "utf8"));
    const ms = (id) => Math.round(r.audits[id].numericValue);
    results.push({
      performance: r.categories.performance.score,
      accessibility: r.categories.accessibility.score,
      fcp: ms("first-contentful-paint"),
      lcp: ms("largest-contentful-paint"),
      tbt: ms("total-blocking-time"),
      cls: Number(r.audits["cumulative-layout-shift"].numericValue.toFixed(3)),
    });
  }
} finally {
  rmSync(out, { recursive: true, force: true });
  await host.stop();
  await server.stop();
}
console.log(`Lighthouse, mobile, ${host.origin}/faellesskaber (widget from ${server.url}), ${runs} runs`);
console.log("| run | performance | accessibility | FCP ms | LCP ms | TBT ms | CLS |");
console.log("|---|---|---|---|---|---|---|");
results.forEach((r, i) => console.log(`| ${i + 1} | ${r.performance} | ${r.accessibility} | ${r.fcp} | ${r.lcp} | ${r.tbt} | ${r.cls} |`));
const median = results.map((r) => r.performance).sort((a, b) => a - b)[Math.floor(results.length / 2)];
console.log(`median performance ${median}`);
