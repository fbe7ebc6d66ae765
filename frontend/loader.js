// Sammen widget loader: the one file host pages embed, under a stable name.
//   <script type="module" src="https://HOST/widget/sammen.js"
//           data-municipality="billund" data-institution="regnbuen" data-lang="da"></script>
// or, anywhere on the page, <sammen-widget data-municipality="billund"></sammen-widget>
// with the tag (no data-*) once; the page's CSS may then reserve its height
// (`sammen-widget { display: block; min-height: 40rem }`) so nothing jumps.
// `cargo xtask build-widget` fills in the content-hashed names below, so this
// file stays tiny and short-cached while the big files are cached for good.
import init, { mount, style } from "./__SAMMEN_JS__";

const here = new URL(import.meta.url);
// The API lives on the server that served this file, whatever page embeds it.
const api = here.origin;
const hosts = [];
// The languages beyond Danish and English, one line each (`code\tname\tdir\tfile`),
// after the folder their files are in: a pack is fetched only when chosen.
const packs = `${new URL("./", import.meta.url).href}\n${__SAMMEN_PACKS__}`;

// A module script has no document.currentScript: find our tag by its URL.
// A tag without data-municipality only loads the code for <sammen-widget>
// elements written in the page (which can reserve the widget's height).
for (const script of document.querySelectorAll("script[src]")) {
  if (script.src !== here.href || script.sammenHost || !script.dataset.municipality) continue;
  const host = document.createElement("sammen-widget");
  for (const key of ["municipality", "institution", "lang"]) {
    if (script.dataset[key]) host.dataset[key] = script.dataset[key];
  }
  script.after(host);
  script.sammenHost = host;
}
for (const host of document.querySelectorAll("sammen-widget")) {
  if (!host.shadowRoot) hosts.push(host);
}

// The widget's styles as a constructed stylesheet, adopted by each shadow
// root: unlike a <style> element it is no inline style, so a host page's
// strict Content-Security-Policy (style-src without 'unsafe-inline') lets
// it apply. Browsers without constructed sheets get the <style> element.
let sheet;
function adoptStyle(shadow) {
  const css = style();
  try {
    sheet ||= new CSSStyleSheet();
    sheet.replaceSync(css);
    shadow.adoptedStyleSheets = [sheet];
  } catch {
    const element = document.createElement("style");
    element.textContent = css;
    shadow.append(element);
  }
}

if (!hosts.length) {
  console.warn("Sammen: no data-municipality on the tag nor a <sammen-widget>");
}
if (hosts.length) {
  await init({ module_or_path: new URL("./__SAMMEN_WASM__", import.meta.url) });
  for (const host of hosts) {
    // Open, so that tests and assistive tools can look inside.
    const shadow = host.attachShadow({ mode: "open" });
    adoptStyle(shadow);
    const root = document.createElement("div");
    shadow.append(root);
    const { municipality = "", institution = "", lang = "" } = host.dataset;
    // data-lang wins; else the reader's browser languages; Danish when none fits.
    mount(root, api, municipality, institution, lang || navigator.languages.join(","), packs);
  }
}
