// The static pages' words (group, join, meeting, invitation, organiser, my
// data). Each surface keeps one JSON file per language beside its page —
// `/group/lang/da.json`, `/meeting/lang/ar.json` — holding one section per
// page (`{"group": {...}, "join": {...}}`); the languages offered, each by
// its own name, are in `/group/lang/languages.json`. A translator edits
// JSON, never this code.
//
// A message is a string with `{name}` placeholders, or a plural: an object
// keyed by `Intl.PluralRules` categories (`{"one": "…", "other": "…"}`; only
// `zero one two few many other`) chosen by the `n` parameter. Numbers go
// through `Intl.NumberFormat` for the language, dates through
// `Intl.DateTimeFormat`. Keys starting with `_` (a translator's `_note`) are
// not messages.
//
// The language: `?lang=` in the address, else the one chosen on this
// device (localStorage), else the first of the browser's languages we have,
// else Danish. The picker (where the page has a `.bar`; the projector has
// none) switches at once and remembers the choice.

const PLURAL = ["zero", "one", "two", "few", "many", "other"];
const STORE = "sammen-lang";
const LANGUAGES = new URL("lang/languages.json", import.meta.url);

/** Whether a value is a plural message (every key a plural category, `other` among them). */
export function isPlural(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    && "other" in value && Object.keys(value).every((k) => PLURAL.includes(k));
}

/**
 * The messages of one table (a page's section of a language file) in
 * `locale`: `t(key, params)` the text, `parts(key, params)` the text in
 * pieces, a string param as `{ value }` so a page can isolate it (a name, a
 * title), a number formatted in place. A dotted key reaches into a nested
 * table (`days.mon`); a key missing in `table` is looked up in `root` (the
 * whole file: `categories.other`). A missing message is its key.
 */
export function messages(table, locale, root = {}) {
  const plural = new Intl.PluralRules(locale);
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const get = (from, key) => key.split(".").reduce((v, k) => (v !== null && typeof v === "object" ? v[k] : undefined), from);
  const lookup = (key) => get(table, key) ?? get(root, key);
  const parts = (key, params = {}) => {
    let message = lookup(key);
    if (isPlural(message)) message = message[plural.select(params.n ?? 0)] ?? message.other;
    if (typeof message !== "string") return [key];
    return message.split(/\{(\w+)\}/).flatMap((piece, i) => {
      if (i % 2 === 0) return piece ? [piece] : [];
      const value = params[piece];
      if (typeof value === "number") return [number.format(value)];
      return [{ value: value === undefined ? `{${piece}}` : String(value) }];
    });
  };
  const t = (key, params) => parts(key, params).map((p) => (typeof p === "string" ? p : p.value)).join("");
  return { t, parts, has: (key) => typeof lookup(key) === "string" || isPlural(lookup(key)), number: (n) => number.format(n) };
}

async function json(url) {
  const response = await fetch(url).catch(() => null);
  return response?.ok ? response.json().catch(() => null) : null;
}

function choose(languages) {
  const fits = (tag) => {
    const wanted = String(tag ?? "").toLowerCase();
    return languages.find((l) => wanted === l.code || wanted.startsWith(`${l.code}-`))?.code;
  };
  let stored = null;
  try {
    stored = localStorage.getItem(STORE);
  } catch {
    // Storage refused (a private window in some browsers): not remembered.
  }
  return fits(new URLSearchParams(location.search).get("lang")) ?? fits(stored)
    ?? (navigator.languages ?? []).map(fits).find(Boolean) ?? "da";
}

// A globe, so someone who reads none of the page's words finds the picker.
function globe() {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", "20");
  svg.setAttribute("height", "20");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm0 0c2.8 2.7 4 6 4 10s-1.2 7.3-4 10m0-20C9.2 4.7 8 8 8 12s1.2 7.3 4 10M2.5 9h19M2.5 15h19");
  path.setAttribute("fill", "none");
  path.setAttribute("stroke", "currentColor");
  path.setAttribute("stroke-width", "1.6");
  svg.append(path);
  return svg;
}

/**
 * The page's words: loads `${base}/${lang}.json` and takes its `section`.
 * `onSwitch` runs after the reader chose another language. Resolves to
 * `t`, `parts`, `nodes` (parts as DOM nodes, strings in `<bdi>`), `say`
 * and `quote` (a status line in our words, kept in step with the language,
 * or in the server's), `has`,
 * `number`, `lang`, `locale`, `dir` and `acceptLanguage` (the chosen
 * language first, then the ones the server also speaks).
 */
export async function translator(base, section, onSwitch) {
  const languages = (await json(LANGUAGES)) ?? [{ code: "da", name: "Dansk", label: "Sprog" }];
  const files = new Map();
  const load = async (code) => {
    if (!files.has(code)) files.set(code, await json(`${base}/${code}.json`));
    return files.get(code);
  };
  let lang = choose(languages);
  let file = await load(lang);
  if (!file && lang !== "da") {
    lang = "da";
    file = await load(lang);
  }
  const entry = () => languages.find((l) => l.code === lang) ?? { code: lang };
  const locale = () => entry().locale ?? lang;
  let words = messages(file?.[section] ?? {}, locale(), file ?? {});

  const t = (key, params) => words.t(key, params);
  const parts = (key, params) => words.parts(key, params);
  const nodes = (key, params) => parts(key, params).map((p) => {
    if (typeof p === "string") return p;
    const bdi = document.createElement("bdi");
    bdi.textContent = p.value;
    return bdi;
  });

  const apply = () => {
    const root = document.documentElement;
    root.lang = lang;
    root.dir = entry().dir ?? "ltr";
    if (words.has("pageTitle")) document.title = t("pageTitle");
    for (const node of document.querySelectorAll("[data-t]")) {
      const params = node.dataset.tParams ? JSON.parse(node.dataset.tParams) : undefined;
      if (words.has(node.dataset.t)) node.textContent = t(node.dataset.t, params);
    }
    for (const node of document.querySelectorAll("[data-t-placeholder]")) {
      if (words.has(node.dataset.tPlaceholder)) node.placeholder = t(node.dataset.tPlaceholder);
    }
    for (const node of document.querySelectorAll("[data-t-alt]")) {
      if (words.has(node.dataset.tAlt)) node.alt = t(node.dataset.tAlt);
    }
    const label = document.getElementById("lang-label");
    if (label) label.textContent = entry().label ?? "Sprog";
    const select = document.getElementById("lang");
    if (select) select.value = lang;
  };

  const bar = document.querySelector(".bar");
  if (bar && languages.length > 1) {
    const label = document.createElement("label");
    label.htmlFor = "lang";
    label.className = "lang-label";
    const word = document.createElement("span");
    word.id = "lang-label";
    label.append(globe(), word);
    const select = document.createElement("select");
    select.id = "lang";
    select.className = "lang-picker";
    for (const l of languages) {
      const option = document.createElement("option");
      option.value = l.code;
      option.lang = l.code;
      option.dir = l.dir ?? "ltr";
      option.textContent = l.name;
      select.append(option);
    }
    select.addEventListener("change", async () => {
      const next = await load(select.value);
      if (!next) {
        select.value = lang;
        return;
      }
      lang = select.value;
      file = next;
      words = messages(file[section] ?? {}, locale(), file);
      try {
        localStorage.setItem(STORE, lang);
      } catch {
        // Not remembered; the page still switches.
      }
      // The address's `?lang=` would win over the choice on the next load.
      const address = new URL(location.href);
      if (address.searchParams.has("lang")) {
        address.searchParams.delete("lang");
        history.replaceState(history.state, "", address);
      }
      apply();
      onSwitch?.();
    });
    bar.replaceChildren(label, select);
  }
  apply();

  // A status line in our words follows a switch of language (it is marked
  // like the page's fixed words); the server's words stay as they came.
  const say = (node, key, params) => {
    node.dataset.t = key;
    if (params) node.dataset.tParams = JSON.stringify(params);
    else delete node.dataset.tParams;
    node.textContent = t(key, params);
  };
  const quote = (node, text) => {
    delete node.dataset.t;
    delete node.dataset.tParams;
    node.textContent = text;
  };

  return {
    t,
    parts,
    nodes,
    say,
    quote,
    has: (key) => words.has(key),
    number: (n) => words.number(n),
    lang: () => lang,
    locale,
    dir: () => entry().dir ?? "ltr",
    // The server speaks Danish and English today; it takes the first it
    // knows, so a reader of Arabic gets English rather than Danish.
    acceptLanguage: () => [...new Set([lang, "en", "da"])]
      .map((code, i) => (i === 0 ? code : `${code};q=${(1 - i / 10).toFixed(1)}`)).join(", "),
  };
}
