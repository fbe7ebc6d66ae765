// The citizen widget's stories of widget.test.mjs once more on PostgreSQL:
// the same file, its server on a scratch database that is dropped
// afterwards. A separate file, so that `node --test tests/browser/` runs
// both databases in their own processes.

process.env.SAMMEN_BROWSER_DATABASE = "postgres";
await import("./widget.test.mjs");
