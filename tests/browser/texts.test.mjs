// The words of the pages outside the widget (group, join, meeting phone,
// projector, invitation, organiser, my data): one JSON file per language
// in each page's `lang/` folder. Every language listed in
// `frontend/group/lang/languages.json` has a file on every surface with the
// same keys as Danish, the same `{placeholders}`, plural forms for exactly
// the language's plural categories, and no empty text; the files that need
// a native speaker's review say so; every key a page uses — `data-t…` in its
// HTML, `t("…")`, `w("…")`, `nodes("…")` or `say(…, "…")` in its script —
// is in its section. (The widget's and console's tables are Rust macros that require
// both languages of every key.) No browser needed.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { isPlural, messages } from "../../frontend/group/i18n.js";

const FRONTEND = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "frontend");
const read = (path) => readFileSync(join(FRONTEND, path), "utf8");
const LANGUAGES = JSON.parse(read("group/lang/languages.json"));
const CODES = LANGUAGES.map((l) => l.code);
// Written by us, not yet read by a native speaker.
const NEEDS_REVIEW = ["ar", "uk"];

const SURFACES = ["group", "meeting", "invitation", "organiser", "my-data"];
const file = (surface, lang) => JSON.parse(read(`${surface}/lang/${lang}.json`));

const PAGES = [
  { name: "group page", surface: "group", section: "group", html: "group/index.html", script: "group/group.js" },
  { name: "join page", surface: "group", section: "join", html: "group/join.html", script: "group/join.js" },
  { name: "meeting phone", surface: "meeting", section: "phone", html: "meeting/index.html", script: "meeting/phone.js" },
  { name: "projector", surface: "meeting", section: "projector", html: "meeting/projector.html", script: "meeting/projector.js" },
  { name: "invitation page", surface: "invitation", section: "invitation", html: "invitation/index.html", script: "invitation/invitation.js" },
  { name: "organiser page", surface: "organiser", section: "organiser", html: "organiser/index.html", script: "organiser/organiser.js" },
  { name: "my data page", surface: "my-data", section: "myData", html: "my-data/index.html", script: "my-data/my-data.js" },
];

/** Every message of a file by its dotted key (`group.days.mon`); a plural is one message. */
function flatten(value, prefix = "", out = new Map()) {
  for (const [key, inner] of Object.entries(value)) {
    if (!prefix && key.startsWith("_")) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof inner === "string" || isPlural(inner)) out.set(path, inner);
    else if (inner && typeof inner === "object" && !Array.isArray(inner)) flatten(inner, path, out);
    else out.set(path, inner);
  }
  return out;
}

const forms = (message) => (typeof message === "string" ? [message] : Object.values(message));
const placeholders = (message) =>
  [...new Set(forms(message).flatMap((text) => [...String(text).matchAll(/\{(\w+)\}/g)].map((m) => m[1])))].sort();

test("every language has a file on every surface, and no surface has a language not offered", () => {
  assert.deepEqual(CODES.slice(0, 2), ["da", "en"]);
  for (const code of ["ar", "uk"]) assert.ok(CODES.includes(code), `${code} is offered`);
  for (const l of LANGUAGES) assert.ok(l.name && l.label, `${l.code} has its own name and a word for "language"`);
  assert.equal(LANGUAGES.find((l) => l.code === "ar").dir, "rtl");
  for (const surface of SURFACES) {
    const files = readdirSync(join(FRONTEND, surface, "lang")).filter((f) => f !== "languages.json").sort();
    assert.deepEqual(files, CODES.map((c) => `${c}.json`).sort(), `${surface}/lang/ holds one file per language`);
  }
});

for (const surface of SURFACES) {
  test(`the ${surface} words have the same keys and placeholders in every language`, () => {
    const reference = flatten(file(surface, "da"));
    for (const lang of CODES) {
      const words = flatten(file(surface, lang));
      assert.deepEqual([...words.keys()].sort(), [...reference.keys()].sort(), `${surface}: ${lang} has the keys da has`);
      const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
      for (const [key, da] of reference) {
        const message = words.get(key);
        assert.ok(typeof message === "string" || isPlural(message), `${surface}: ${lang}.${key} is text or a plural`);
        for (const text of forms(message)) assert.ok(text.trim().length > 0, `${surface}: ${lang}.${key} is not empty`);
        assert.deepEqual(placeholders(message), placeholders(da), `${surface}: ${lang}.${key} fills da's placeholders`);
        if (isPlural(message)) {
          assert.deepEqual(Object.keys(message).sort(), [...categories].sort(),
            `${surface}: ${lang}.${key} has a form for each of ${lang}'s plural categories`);
        }
      }
    }
  });

  test(`the ${surface} files that need a native speaker's review say so`, () => {
    for (const lang of NEEDS_REVIEW) {
      const note = file(surface, lang)._note ?? "";
      assert.match(note, /native .* speaker/, `${surface}/lang/${lang}.json starts with a _note`);
      assert.equal(Object.keys(file(surface, lang))[0], "_note", "the note comes first");
    }
  });
}

/** Keys a page's HTML and script ask for. */
function usedKeys(html, script) {
  const keys = new Set();
  for (const [, key] of html.matchAll(/data-t(?:-placeholder|-alt)?="([A-Za-z0-9_.]+)"/g)) keys.add(key);
  for (const [, key] of script.matchAll(/\b(?:t|w|nodes|wNodes)\("([A-Za-z0-9_.]+)"/g)) keys.add(key);
  // `say($("status"), cond ? "deadLink" : "loadFailed")`: every key after the element.
  for (const [, rest] of script.matchAll(/\bsay\(\$\("[^"]+"\),([^;\n]*)/g)) {
    for (const [, key] of rest.matchAll(/"([A-Za-z0-9_.]+)"/g)) keys.add(key);
  }
  return keys;
}

for (const { name, surface, section, html, script } of PAGES) {
  test(`every key the ${name} uses is in its words, in every language`, () => {
    const used = usedKeys(read(html), read(script));
    assert.ok(used.size > 5, `${name} uses ${used.size} keys`);
    for (const lang of CODES) {
      const words = flatten(file(surface, lang));
      for (const key of used) {
        assert.ok(words.has(`${section}.${key}`) || words.has(key), `${name} uses "${key}", which ${lang}'s ${section} lacks`);
      }
    }
  });
}

test("plurals and numbers follow the language: Arabic's six forms, Ukrainian's few and many", () => {
  // Arabic with the digits Danish addresses, phone numbers and codes use.
  const ar = messages(file("meeting", "ar").phone, "ar-u-nu-latn");
  assert.equal(ar.t("dotsLeft", { n: 2 }), "بقيت لديك نقطتان.");
  assert.equal(ar.t("dotsLeft", { n: 3 }), "بقيت لديك 3 نقاط.");
  assert.equal(ar.t("dotsLeft", { n: 11 }), "بقيت لديك 11 نقطة.");
  const uk = messages(file("meeting", "uk").phone, "uk");
  assert.equal(uk.t("dotsLeft", { n: 1 }), "У вас залишилася 1 крапка.");
  assert.equal(uk.t("dotsLeft", { n: 3 }), "У вас залишилося 3 крапки.");
  assert.equal(uk.t("dotsLeft", { n: 5 }), "У вас залишилося 5 крапок.");
  const da = messages(file("meeting", "da").projector, "da-DK");
  assert.equal(da.t("participants", { n: 1 }), "1 deltager");
  assert.equal(da.t("participants", { n: 1500 }), "1.500 deltagere");
  // A name stays a part of its own, for the page to isolate in a <bdi>.
  const group = messages(file("group", "ar").group, "ar");
  assert.deepEqual(group.parts("host", { name: "Bashir Omar" }), ["المضيف: ", { value: "Bashir Omar" }]);
  // A key missing from the section is looked up in the whole file.
  const phone = messages(file("meeting", "uk").phone, "uk", file("meeting", "uk"));
  assert.equal(phone.t("categories.snow_clearing"), "Прибирання снігу");
});

// The widget's language picker (Rust, `frontend/src/views/languages.rs`)
// offers a subset of the group pages' list (`frontend/group/languages.js`):
// each language must be named and searchable the same way in both.
test("the widget's languages are the group pages' languages, named alike", async () => {
  const { LANGUAGES } = await import("../../frontend/group/languages.js");
  const source = readFileSync(join(FRONTEND, "src", "views", "languages.rs"), "utf8");
  const widget = [...source.matchAll(/code: "([^"]+)",\s*name: "([^"]+)",\s*also: "([^"]*)"/g)];
  assert.ok(widget.length >= 20, `found ${widget.length} languages in languages.rs`);
  for (const [, code, name, also] of widget) {
    const page = LANGUAGES.find((l) => l.code === code);
    assert.ok(page, `${code} is offered by the widget but not by the group pages`);
    assert.equal(name, page.name, `${code}'s own name`);
    for (const word of also.split(" ")) {
      assert.ok(page.also.includes(word), `${code}: "${word}" finds it in the widget, not on the group pages`);
    }
  }
});

// The server's own words beyond Danish and English — field errors, refusals,
// consent texts, emails — are one file per language in `shared/lang/`
// (Danish and English are Rust; `backend/src/wording.rs` holds each file to
// the server's keys and English placeholders). Here: every language the
// pages offer beyond those two has a server file, and the files agree.
test("the server's language files cover the pages' languages with one key set", () => {
  const SERVER = join(FRONTEND, "..", "shared", "lang");
  const server = (lang) => JSON.parse(readFileSync(join(SERVER, `${lang}.json`), "utf8"));
  const files = readdirSync(SERVER).filter((f) => f.endsWith(".json")).sort();
  assert.deepEqual(files, CODES.filter((c) => c !== "da" && c !== "en").map((c) => `${c}.json`).sort());
  const [first, ...others] = files.map((f) => f.replace(".json", ""));
  const reference = flatten(server(first));
  assert.ok(reference.size > 90, `${first} has ${reference.size} texts`);
  for (const lang of [first, ...others]) {
    const texts = flatten(server(lang));
    assert.deepEqual([...texts.keys()].sort(), [...reference.keys()].sort(), `shared/lang/${lang}.json has ${first}'s keys`);
    for (const [key, text] of texts) {
      assert.equal(typeof text, "string", `${lang}.${key} is text`);
      assert.ok(text.trim().length > 0, `${lang}.${key} is not empty`);
      assert.deepEqual(placeholders(text), placeholders(reference.get(key)), `${lang}.${key} fills ${first}'s placeholders`);
    }
    if (NEEDS_REVIEW.includes(lang)) {
      assert.equal(Object.keys(server(lang))[0], "_review", `shared/lang/${lang}.json starts with its review note`);
      assert.match(server(lang)._review, /native speaker/);
    }
  }
});
