// The text tables of the pages outside the widget (group, join, meeting
// phone, projector, categories): every language has the same keys, a key
// that is a function in one is a function of as many arguments in all, and
// every key a page uses — `data-t…` in its HTML, `t("…")` in its script — is
// in its table. (The widget's and console's tables are Rust macros that
// require both languages of every key.) No browser needed.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { GROUP, JOIN } from "../../frontend/group/text.js";
import { CATEGORY, PHONE, PROJECTOR } from "../../frontend/meeting/text.js";
import { INVITATION } from "../../frontend/invitation/text.js";
import { ORGANISER } from "../../frontend/organiser/text.js";
import { MY_DATA } from "../../frontend/my-data/text.js";

const FRONTEND = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "frontend");
const read = (path) => readFileSync(join(FRONTEND, path), "utf8");

/** Keys a page's HTML and script ask for. */
function usedKeys(html, script) {
  const keys = new Set();
  for (const [, key] of html.matchAll(/data-t(?:-placeholder|-alt)?="([A-Za-z0-9_]+)"/g)) keys.add(key);
  for (const [, key] of script.matchAll(/\bt\("([A-Za-z0-9_]+)"/g)) keys.add(key);
  return keys;
}

const TABLES = [
  { name: "group page", table: GROUP, html: ["group/index.html"], script: "group/group.js" },
  { name: "join page", table: JOIN, html: ["group/join.html"], script: "group/join.js" },
  { name: "meeting phone", table: PHONE, html: ["meeting/index.html"], script: "meeting/phone.js" },
  { name: "projector", table: PROJECTOR, html: ["meeting/projector.html"], script: "meeting/projector.js" },
  { name: "invitation page", table: INVITATION, html: ["invitation/index.html"], script: "invitation/invitation.js" },
  { name: "organiser page", table: ORGANISER, html: ["organiser/index.html"], script: "organiser/organiser.js" },
  { name: "my data page", table: MY_DATA, html: ["my-data/index.html"], script: "my-data/my-data.js" },
  { name: "categories", table: CATEGORY, html: [], script: null },
];

for (const { name, table, html, script } of TABLES) {
  test(`the ${name}'s text table has the same keys in every language`, () => {
    const languages = Object.keys(table);
    assert.deepEqual(languages.sort(), ["da", "en"]);
    const reference = Object.keys(table.da).sort();
    for (const lang of languages) {
      assert.deepEqual(Object.keys(table[lang]).sort(), reference, `${name}: ${lang} has the keys da has`);
      for (const key of reference) {
        const [a, b] = [table.da[key], table[lang][key]];
        assert.equal(typeof b, typeof a, `${name}: ${lang}.${key} is a ${typeof a} like da.${key}`);
        if (typeof a === "function") assert.equal(b.length, a.length, `${name}: ${lang}.${key} takes ${a.length} arguments`);
        else if (typeof a === "string") assert.ok(b.trim().length > 0 || a.trim().length === 0, `${name}: ${lang}.${key} is not empty`);
        else if (Array.isArray(a)) assert.equal(b.length, a.length, `${name}: ${lang}.${key} has ${a.length} entries`);
        else assert.deepEqual(Object.keys(b).sort(), Object.keys(a).sort(), `${name}: ${lang}.${key} has da's keys`);
      }
    }
  });

  if (script) {
    test(`every key the ${name} uses is in its table`, () => {
      const used = usedKeys(html.map(read).join("\n"), read(script));
      assert.ok(used.size > 5, `${name} uses ${used.size} keys`);
      for (const key of used) assert.ok(key in table.da, `${name} uses "${key}", which its table lacks`);
    });
  }
}
