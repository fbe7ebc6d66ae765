// The pages' idempotency keys (frontend/group/key.js): UUID v7, made from
// the time, so the server's index of keys grows at its end.
import { test } from "node:test";
import assert from "node:assert/strict";
import { newKey } from "../../frontend/group/key.js";

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const time = (key) => parseInt(key.replace(/-/g, "").slice(0, 12), 16);

test("a page's key is a UUID v7 of now, and each is new", async () => {
  const before = Date.now();
  const first = newKey();
  await new Promise((r) => setTimeout(r, 5));
  const second = newKey();
  const after = Date.now();
  for (const key of [first, second]) assert.match(key, V7);
  assert.ok(before <= time(first) && time(first) <= time(second) && time(second) <= after,
    `${first} then ${second}, made between ${before} and ${after}`);
  assert.ok(first < second, "later keys sort after earlier ones");
  const many = new Set(Array.from({ length: 1000 }, newKey));
  assert.equal(many.size, 1000);
});
