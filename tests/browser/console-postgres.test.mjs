// The console's and the citizens' stories of console.test.mjs (Louise's
// build, the snow-clearing rota, the escort groups, the open meeting's idea,
// a group that runs itself…) once more on PostgreSQL: the same file, its
// server on a scratch database that is dropped afterwards. A separate file,
// so that `node --test tests/browser/` runs both databases in their own
// processes.

process.env.SAMMEN_BROWSER_DATABASE = "postgres";
await import("./console.test.mjs");
