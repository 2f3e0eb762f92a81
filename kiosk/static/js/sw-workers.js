// Decoration-worker passes offline (V7), for the kiosk's service worker (sw.js loads it
// with importScripts, after sw-outbox.js; it uses sw.js's CONFIG, STATE_CACHE and
// withTimeout when called).
//
// - syncWorkerPasses(): keeps the last list of worker passes the server gave this kiosk
//   (CONFIG.worker_passes.list: salted SHA-256 hashes of the codes, validity windows as
//   site-local dates, revoked or not, the floor), in the state cache, which a new asset
//   version leaves alone. Fetched at most every SYNC_EVERY_MS, when a page says hello or
//   ticks. Never a plain code, never a name.
// - judgeOffline(request, url, lang): a worker sign-in that cannot reach the server is
//   judged from that list, by the site-local day it was made (its action_at): a valid pass
//   is queued (sw.js) and answered with "take the lift to floor N"; an expired, revoked,
//   not yet valid or unknown one is refused (422) on the spot and not queued. Without a
//   list (never synced) it says nothing, and sw.js queues the sign-in for the server to judge.
/* global CONFIG, STATE_CACHE, withTimeout, matchPacked */
"use strict";

const WORKER_PASSES = "/__offline/worker-passes";
const SYNC_EVERY_MS = 60 * 1000;
let workerPassesSyncedAt = 0;

async function syncWorkerPasses({ force = false } = {}) {
  const config = CONFIG.worker_passes;
  if (!config || (!force && Date.now() - workerPassesSyncedAt < SYNC_EVERY_MS)) return false;
  workerPassesSyncedAt = Date.now();
  try {
    const response = await withTimeout(new Request(config.list, {
      credentials: "same-origin", cache: "no-store", headers: { "X-Device-Request": "1" },
    }), 20000);
    const type = response.headers.get("Content-Type") || "";
    if (!response.ok || response.redirected || !type.startsWith("application/json")) return false;
    const body = await response.text();
    JSON.parse(body);  // only a whole list replaces the one kept
    const cache = await caches.open(STATE_CACHE);
    await cache.put(WORKER_PASSES, new Response(body, { headers: { "Content-Type": "application/json" } }));
    return true;
  } catch (error) {
    workerPassesSyncedAt = 0;  // no network: try again at the next tick
    return false;
  }
}

async function keptWorkerPasses() {
  const hit = await (await caches.open(STATE_CACHE)).match(WORKER_PASSES);
  try {
    return hit ? await hit.json() : null;
  } catch (error) {
    return null;
  }
}

// kiosk.registers.worker_passes.normalise_code: the part after the last "/" of a scanned
// URL, letters and digits only, upper case, at most 12.
function normaliseCode(text) {
  const trimmed = String(text || "").trim().toUpperCase().replace(/\/+$/, "");
  return trimmed.slice(trimmed.lastIndexOf("/") + 1).replace(/[^A-Z0-9]/g, "").slice(0, 12);
}

async function sha256Hex(text) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

function siteDay(moment, timezone) {
  // en-CA writes dates as YYYY-MM-DD, comparable with the list's ISO dates
  return new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit" })
    .format(moment);
}

function workerVerdict(list, hash, day) {
  const found = list.passes.find((p) => p.hash === hash);
  if (!found) return { verdict: "unknown" };
  if (found.revoked) return { verdict: "revoked" };
  if (day > found.valid_until) return { verdict: "expired" };
  if (day < found.valid_from) return { verdict: "not_yet" };
  return { verdict: "valid", floor: found.floor, until: found.valid_until };
}

function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function judgeOffline(request, url, lang) {
  const config = CONFIG.worker_passes;
  if (!config || url.pathname !== config.write) return null;
  const list = await keptWorkerPasses();
  if (!list || !Array.isArray(list.passes)) return null;
  let form;
  try {
    form = await request.clone().formData();
  } catch (error) {
    return null;
  }
  const actionAt = new Date(form.get("action_at") || Date.now());
  const moment = isNaN(actionAt.getTime()) ? new Date() : actionAt;
  const hash = await sha256Hex(`${list.salt}:${normaliseCode(form.get("code"))}`);
  const result = workerVerdict(list, hash, siteDay(moment, list.timezone));
  // The shell cache stores pages compressed (sw-store.js): read through matchPacked.
  const shell = await caches.open(CONFIG.cache);
  const screen = await matchPacked(shell, `${config.screen}?lang=${lang}`, { ignoreVary: true });
  if (!screen) return null;
  const body = (await screen.text())
    .replace('data-verdict="pending"', `data-verdict="${result.verdict}"`)
    .replaceAll("__FLOOR__", escapeHtml(result.floor ?? ""))
    .replaceAll("__UNTIL__", escapeHtml(result.until ?? ""));
  const headers = new Headers({ "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
  for (const [header, value] of screen.headers) {
    if (/^hx-(retarget|reswap|reselect|push-url|replace-url)$/i.test(header)) headers.set(header, value);
  }
  return { queue: result.verdict === "valid", status: result.verdict === "valid" ? 202 : 422, body, headers };
}
