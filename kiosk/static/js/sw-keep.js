// Pages kept beyond the shell, for the service worker (sw.js loads it with
// importScripts, after sw-outbox.js; it uses sw.js's CONFIG, STATE_CACHE, handled,
// isShellPage, cacheable and withTimeout when called).
//
// A page may ask the worker to keep more pages of its face for offline use (the patrol
// tablet's list names the run page of each patrol of the day, in every language). They
// are fetched marked as a precache (the server renders them blank: what was done on the
// tablet is the tablet's own record) and live in the shell cache, so a new version
// fetches them again. `owner` says whose they are (tablet and officer): another owner's
// pages are never reused, and pages no longer named are dropped. A page kept less than
// KEEP_FRESH_MS ago is not fetched again; shell pages (the list itself) always are.
// Pages are stored compressed (sw-store.js).
//
// A run's page goes as soon as the server has acknowledged the run's finish (a write that
// names its page in `X-Offline-Done`, answered 2xx, at once or from the outbox: `evictDone`),
// and is not kept again while a list (the tablet's older copy, say) still names it; a
// run whose finish still waits in the outbox keeps its page.
/* global CONFIG, STATE_CACHE, NETWORK_TIMEOUT_MS, handled, isShellPage, cacheable, withTimeout, putPacked */
"use strict";

const KEPT = "/__offline/kept";
const KEEP_FRESH_MS = 30 * 60 * 1000;
const DONE_KEPT_MS = 24 * 60 * 60 * 1000;
let keeping = Promise.resolve();

async function readKept() {
  const hit = await (await caches.open(STATE_CACHE)).match(KEPT);
  try {
    return hit ? await hit.json() : null;
  } catch (error) {
    return null;
  }
}

function keptPath(href) {
  const url = new URL(href, self.location.origin);
  if (!handled(url) || url.pathname.startsWith("/static/")) return null;
  return url.pathname + url.search;
}

async function keepPages(owner, pages, { refresh = false } = {}) {
  const before = (await readKept()) || { owner: null, pages: {} };
  const mine = before.owner === owner ? before.pages : {};
  const done = before.done || {};
  const cache = await caches.open(CONFIG.cache);
  const named = [...new Set(pages.map(keptPath).filter(Boolean))];
  const wanted = named.filter((path) => !(pathOf(path) in done));
  // A finished run is remembered while a list still names it, or for a day.
  const after = { owner, pages: {}, done: {} };
  const namedPaths = new Set(named.map(pathOf));
  for (const [path, at] of Object.entries(done)) {
    if (namedPaths.has(path) || Date.now() - at < DONE_KEPT_MS) after.done[path] = at;
  }
  let complete = true;
  let reachable = true;
  for (const path of wanted) {  // one at a time: a tablet on a weak network, a busy server
    const shell = isShellPage(new URL(path, self.location.origin));
    const fresh = mine[path] && Date.now() - mine[path] < KEEP_FRESH_MS;
    if (!refresh && !shell && fresh && await cache.match(path, { ignoreVary: true })) {
      after.pages[path] = mine[path];
      continue;
    }
    let response = null;
    if (reachable) {
      try {
        response = await withTimeout(new Request(path, {
          credentials: "same-origin", cache: "no-store", headers: { "X-Precache": "1" },
        }), NETWORK_TIMEOUT_MS);
      } catch (error) {
        reachable = false;  // no network: keep what we have, try the rest another time
      }
    }
    if (response && cacheable(response)) {
      await putPacked(cache, path, response);
      after.pages[path] = Date.now();
    } else if (!response && mine[path] && await cache.match(path, { ignoreVary: true })) {
      after.pages[path] = mine[path];  // no network: the copy we have will do
    } else {
      complete = false;
      if (response && !shell) await cache.delete(path);  // refused (signed out, gone): not kept
    }
  }
  for (const path of Object.keys(before.pages)) {
    if (!(path in after.pages) && !isShellPage(new URL(path, self.location.origin))) await cache.delete(path);
  }
  await (await caches.open(STATE_CACHE)).put(KEPT, new Response(JSON.stringify(after)));
  return { type: "kept", owner, complete, kept: Object.keys(after.pages).length, wanted: wanted.length };
}

function pathOf(path) {
  return new URL(path, self.location.origin).pathname;
}

// The server has acknowledged the finish of the run on page `page` (a path): its copies,
// in every language, go, and it is not kept again.
async function evictPage(page) {
  const gone = pathOf(page);
  const kept = (await readKept()) || { owner: null, pages: {} };
  const cache = await caches.open(CONFIG.cache);
  for (const request of await cache.keys()) {
    const url = new URL(request.url);
    if (url.pathname === gone && !isShellPage(url)) await cache.delete(request);
  }
  const pages = {};
  for (const [path, at] of Object.entries(kept.pages)) if (pathOf(path) !== gone) pages[path] = at;
  const done = Object.assign({}, kept.done, { [gone]: Date.now() });
  await (await caches.open(STATE_CACHE)).put(KEPT, new Response(JSON.stringify({ owner: kept.owner, pages, done })));
}

function evictDone(page) {
  const url = page && keptPath(page);
  if (!url) return Promise.resolve();
  const run = keeping.then(() => evictPage(url));
  keeping = run.catch(() => null);
  return run;
}

// One keep (or eviction) at a time, in the order asked.
function keep(owner, pages, options) {
  const run = keeping.then(() => keepPages(owner, pages, options));
  keeping = run.catch(() => null);
  return run;
}

// A new version: the kept pages again, into the new shell cache (best effort).
async function keepAgain() {
  try {
    const kept = await readKept();
    if (kept && kept.owner !== null) await keep(kept.owner, Object.keys(kept.pages), { refresh: true });
  } catch (error) { /* kept again when the page asks */ }
}
