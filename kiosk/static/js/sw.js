// The offline layer of the kiosk and the patrol tablets (OFFLINE.md). Served at /sw.js
// with `self.OFFLINE` (asset version, pages and assets to precache, the faces' queued
// screens) written in front of this file by the server.
//
// - Handles only /kiosk/, /patrol/ and /static/; everything else (the staff console,
//   /auth/, /accounts/, /devices/) goes straight to the network, untouched.
// - Shell: precached in a cache named after the asset version; a new version replaces
//   the old cache on activate. The outbox lives in IndexedDB and is never touched.
//   (Which pages are shell pages, and which carry personal data, is decided by the
//   server: see kiosk/offline.py and kiosk/blueprints/offline/http.py.)
// - Pages: network first, the cached copy when the network fails. Only shell pages are
//   ever cached, and never a response marked `Cache-Control: no-store`; and the pages a
//   page asks the worker to keep (the tablet's list: today's patrol pages): sw-keep.js.
// - Outbox: a device write (POST with `X-Device-Request: 1` and the form's submission
//   key in `X-Submission-Key`: only an idempotent write is safe to replay) goes to the
//   network; when that fails it is queued and answered 202 with the face's queued
//   screen. Queue and replay: sw-outbox.js. A write that finishes a run names the run's
//   page (`X-Offline-Done`): once the server has acknowledged it, the page's kept copies
//   go (sw-keep.js). Everything cached is stored compressed (sw-store.js).
/* global workbox, putPacked, matchPacked, evictDone */
"use strict";

const CONFIG = self.OFFLINE;
importScripts(...CONFIG.scripts);  // Workbox, then sw-store.js, our outbox (sw-outbox.js), sw-keep.js, sw-workers.js

const HANDLED = ["/kiosk/", "/patrol/", "/static/"];
const STATE_CACHE = "offline-state";  // the device's language, for offline fallbacks
const NETWORK_TIMEOUT_MS = 20000;
const OFFLINE_HTML = '<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width">'
  + "<title>离线 Offline</title><body style=\"font:24px system-ui;text-align:center;padding:20vh 1em\">"
  + "<p>网络连接已中断，请稍候。</p><p>No connection. Please wait a moment.</p></body>";
// The server did not store it (a proxy's 502-504, or its own 500): keep it and replay it,
// as a replay that meets a 5xx is retried; the key makes the retry safe.
const queueable = (status) => status >= 500;

// --- install / activate -------------------------------------------------------------

async function precache() {
  const cache = await caches.open(CONFIG.cache);
  const urls = CONFIG.assets.concat(CONFIG.pages);
  await Promise.all(urls.map(async (url) => {
    const response = await fetch(url, { credentials: "same-origin", cache: "reload", headers: { "X-Precache": "1" } });
    if (!response.ok) throw new Error(`precache ${url}: ${response.status}`);
    if (cacheable(response)) await putPacked(cache, url, response);
  }));
}

self.addEventListener("install", (event) => {
  event.waitUntil(precache().then(keepAgain).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n.startsWith("shell-") && n !== CONFIG.cache).map((n) => caches.delete(n)));
    await self.clients.claim();
    await broadcast();
  })());
});

// --- fetch --------------------------------------------------------------------------

function handled(url) {
  return url.origin === self.location.origin && HANDLED.some((prefix) => url.pathname.startsWith(prefix));
}

function cacheable(response) {
  const control = response.headers.get("Cache-Control") || "";
  return response.ok && !response.redirected && !/no-store|private/i.test(control);
}

function faceOf(url) {
  const prefix = Object.keys(CONFIG.faces).find((p) => url.pathname.startsWith(p));
  return prefix ? CONFIG.faces[prefix] : null;
}

function isShellPage(url) {
  return CONFIG.pages.some((page) => {
    const shell = new URL(page, self.location.origin);
    return shell.pathname === url.pathname;
  });
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (!handled(url)) return;  // the console and everything else: the network, untouched
  if (request.method === "GET") {
    if (url.pathname.startsWith("/static/")) {
      event.respondWith(fromCacheFirst(request));
    } else if (request.mode === "navigate" || request.headers.get("HX-Boosted") === "true"
               || request.headers.get("HX-History-Restore-Request") === "true") {
      event.respondWith(page(request, url));
    }
    return;  // other GETs (htmx partials, polling): the network only
  }
  if (request.method === "POST" && request.headers.get("X-Device-Request") === "1"
      && request.headers.get("X-Submission-Key") && !url.pathname.startsWith("/static/")) {
    event.respondWith(submit(request, url));
  }
  // any other POST (a language switch re-posting a form, say): the network only
});

async function fromCacheFirst(request) {
  const cache = await caches.open(CONFIG.cache);
  const cached = await matchPacked(cache, request, { ignoreVary: true });
  if (cached) return cached;
  try {
    return await fetch(request);
  } catch (error) {  // a page of an older version asks for its asset: the current one
    const other = await matchPacked(cache, request, { ignoreVary: true, ignoreSearch: true });
    if (other) return other;
    throw error;
  }
}

async function page(request, url) {
  // A page asked for in a language (the language switch's links) sets the device's
  // language at once: an offline fallback and a queued screen answer in it.
  if (url.searchParams.has("lang")) await rememberLang(url.searchParams.get("lang"));
  try {
    const response = await withTimeout(request, NETWORK_TIMEOUT_MS);
    if (isShellPage(url) && cacheable(response) && request.headers.get("HX-Request") !== "true") {
      const cache = await caches.open(CONFIG.cache);
      await putPacked(cache, url.href, response.clone());
    }
    setReachable(true);
    return response;
  } catch (error) {
    setReachable(false);
    return (await offlinePage(url))
      || new Response(OFFLINE_HTML, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
  }
}

async function offlinePage(url) {
  const cache = await caches.open(CONFIG.cache);
  const lang = await deviceLang();
  // Without ?lang= the server would answer in the device's current language: that copy first.
  const candidates = url.searchParams.has("lang") ? [url.href] : [`${url.pathname}?lang=${lang}`, url.href];
  const face = faceOf(url);
  if (face && face.start) candidates.push(`${face.start}?lang=${lang}`);
  for (const candidate of candidates) {
    const hit = await matchPacked(cache, candidate, { ignoreVary: true });
    if (hit) return hit;
  }
  return null;
}

// --- the outbox ---------------------------------------------------------------------

async function submit(request, url) {
  const copy = request.clone();
  const lang = languageOf(request.headers.get("X-Device-Lang")) || await deviceLang();
  const screen = request.headers.get("X-Queued-Screen") || CONFIG.screens[url.pathname];
  const key = request.headers.get("X-Submission-Key");
  const done = request.headers.get("X-Offline-Done");  // the run page this write finishes
  const label = request.headers.get("X-Queue-Label");  // what the entry is, for the tablet's queue (URL-encoded)
  // Order per device: while older entries wait, a new one waits behind them (after
  // one more try to send them, unless the back-off says the server is still away).
  if ((await outboxStore.size()) > 0) {
    await replay();
  }
  if ((await outboxStore.size()) === 0) {
    try {
      const response = await withTimeout(request, NETWORK_TIMEOUT_MS);
      setReachable(true);
      if (response.ok && done) await evictDone(done);
      if (!queueable(response.status)) return response;
    } catch (error) {
      setReachable(false);
    }
  }
  // A write the kiosk can judge itself (a worker pass, from its synced list: sw-workers.js)
  // is refused on the spot, not queued, when the server would refuse it.
  const judged = await judgeOffline(copy, url, lang);
  if (judged && !judged.queue) return new Response(judged.body, { status: judged.status, headers: judged.headers });
  await outbox.pushRequest({
    request: copy,
    metadata: { key, lang, done, label, queuedAt: new Date().toISOString() },
  });
  scheduleRetry();
  await broadcast();
  if (judged) {
    judged.headers.set("HX-Trigger", JSON.stringify({ "outbox-changed": { pending: await outboxStore.size() } }));
    return new Response(judged.body, { status: judged.status, statusText: "Accepted", headers: judged.headers });
  }
  return queuedResponse(url, lang, screen);
}

async function queuedResponse(url, lang, screen) {
  const face = faceOf(url);
  const pending = await outboxStore.size();
  const headers = new Headers({
    "Content-Type": "text/html; charset=utf-8",
    "Cache-Control": "no-store",
    "HX-Trigger": JSON.stringify({ "outbox-changed": { pending } }),
  });
  let body = "<p>Saved on this device; it will be sent when the connection returns.</p>";
  if (face) {
    const name = face.queued[screen] ? screen : face.default_screen;
    const cached = await matchPacked(await caches.open(CONFIG.cache), `${face.queued[name]}?lang=${lang}`, { ignoreVary: true });
    if (cached) {
      body = await cached.text();
      for (const [header, value] of cached.headers) {
        if (/^hx-(retarget|reswap|reselect|push-url|replace-url)$/i.test(header)) headers.set(header, value);
      }
    }
  }
  return new Response(body, { status: 202, statusText: "Accepted", headers });
}

// --- talking to the pages -----------------------------------------------------------

function languageOf(value) {
  if (!value) return null;
  return CONFIG.languages.find((lang) => lang.toLowerCase().startsWith(value.toLowerCase().slice(0, 2))) || null;
}

async function deviceLang() {
  const cache = await caches.open(STATE_CACHE);
  const hit = await cache.match("/__offline/lang");
  return (hit && languageOf(await hit.text())) || CONFIG.languages[0];
}

async function rememberLang(lang) {
  const value = languageOf(lang);
  if (!value) return;
  const cache = await caches.open(STATE_CACHE);
  await cache.put("/__offline/lang", new Response(value));
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  const reply = (value) => event.ports[0] && event.ports[0].postMessage(value);
  if (["hello", "replay", "tick"].includes(data.type)) {
    event.waitUntil(syncWorkerPasses({ force: data.type === "replay" }));  // in the background
  }
  const work = (async () => {
    switch (data.type) {
      case "hello":  // every page load: remember the language, then replay
        await rememberLang(data.lang);
        await replay({ fresh: true });
        return reply(await status());
      case "replay":  // the page came online, or staff pressed "send now"
        await replay({ fresh: true });
        return reply(await status());
      case "tick":  // the page's timer: replay when the back-off allows
        await replay();
        return reply(await status());
      case "status":
        return reply(await status({ entries: true }));
      case "export":
        return reply(await exportEntries());
      case "keep": {  // a page names the pages to keep for offline use
        const done = await keep(String(data.owner || ""), Array.isArray(data.pages) ? data.pages : []);
        for (const client of await self.clients.matchAll({ type: "window", includeUncontrolled: true })) {
          client.postMessage(done);
        }
        return reply(done);
      }
      case "clear-dead":
        await clearDead();
        await broadcast();
        return reply(await status());
      default:
        return reply(null);
    }
  })();
  event.waitUntil(work);
});
