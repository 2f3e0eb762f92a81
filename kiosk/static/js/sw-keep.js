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
/* global CONFIG, STATE_CACHE, NETWORK_TIMEOUT_MS, handled, isShellPage, cacheable, withTimeout */
"use strict";

const KEPT = "/__offline/kept";
const KEEP_FRESH_MS = 30 * 60 * 1000;
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
  const cache = await caches.open(CONFIG.cache);
  const wanted = [...new Set(pages.map(keptPath).filter(Boolean))];
  const after = { owner, pages: {} };
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
      await cache.put(path, response);
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

// One keep at a time, in the order asked.
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
