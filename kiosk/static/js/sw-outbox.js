// The outbox of the kiosk's and tablets' service worker (OFFLINE.md 2, 3, 7): loaded by
// sw.js with importScripts, after Workbox. A queued write waits in Workbox's Queue
// (IndexedDB); `replay` sends the entries oldest first and classifies each answer:
// 2xx/3xx done; network error, 5xx, 409, 429 retried with back-off; any other 4xx moved
// to the dead-letter store, which the device shows to staff and reports to the server.
// An acknowledged write that finished a run lets the run's kept page go (sw-keep.js).
/* global workbox, CONFIG, evictDone */
"use strict";

const RETENTION_MINUTES = 60 * 24 * 365;  // Workbox drops older entries silently: never in practice
const REPLAY_TIMEOUT_MS = 60000;

let replaying = null;  // the replay under way, if any
let failures = 0;  // consecutive failed replays, for the back-off
let nextAttempt = 0;  // time before which a timer tick does not replay
let serverReachable = true;

// The outbox: Workbox's Queue stores each request in IndexedDB and registers a
// Background Sync; our `replay` runs on that sync (and on the other triggers).
const outbox = new workbox.backgroundSync.Queue("outbox", {
  onSync: () => replay({ fromSync: true }),
  maxRetentionTime: RETENTION_MINUTES,
});
// The same store, read in place: an entry is deleted only after the server has
// answered it, so a worker stopped mid-replay loses nothing (the server's idempotency
// turns a second delivery into the first one's answer).
const outboxStore = new workbox.backgroundSync.QueueStore("outbox");
// Refused entries (dead letters): kept on the device for staff, never replayed.
const deadStore = new workbox.backgroundSync.QueueStore("outbox-dead");

function withTimeout(request, ms) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  return fetch(request, { signal: controller.signal }).finally(() => clearTimeout(timer));
}

function classify(response) {
  if (response.ok || response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) return "done";
  if (response.status >= 500 || response.status === 409 || response.status === 429) return "retry";
  return "dead";
}

function replayRequest(entry) {
  const stored = entry.requestData;
  const headers = new Headers(stored.headers);
  headers.set("X-Outbox-Replay", "1");
  headers.set("X-Outbox-Queued-At", new Date(entry.timestamp).toISOString());
  return new Request(stored.url, {
    method: stored.method, headers, body: stored.body, credentials: "same-origin",
    mode: "same-origin", redirect: "manual", cache: "no-store",
  });
}

async function replayOnce() {
  for (;;) {
    const entries = await outboxStore.getAll();  // oldest first; new ones go to the end
    if (entries.length === 0) return;
    for (const entry of entries) {
      let response;
      try {
        response = await withTimeout(replayRequest(entry), REPLAY_TIMEOUT_MS);
      } catch (error) {
        setReachable(false);
        throw new Error("network");
      }
      setReachable(true);
      const outcome = classify(response);
      if (outcome === "retry") throw new Error(`status ${response.status}`);
      if (outcome === "dead") {
        await deadStore.pushEntry({
          requestData: entry.requestData, timestamp: entry.timestamp,
          // the server's reason (X-Refusal, URL-encoded, in the device's language), for the tablet's queue
          metadata: Object.assign({}, entry.metadata, {
            status: response.status, reason: response.headers.get("X-Refusal"), failedAt: new Date().toISOString(),
          }),
        });
      }
      await outboxStore.deleteEntry(entry.id);
      if (outcome === "done" && entry.metadata && entry.metadata.done) await evictDone(entry.metadata.done);
      await broadcast();
    }
  }
}

// One replay at a time; callers share the one under way. Throws when entries remain
// (so that a Background Sync event is retried by the browser). `fresh`: an explicit
// trigger (the network returned, a page loaded, staff asked), which restarts the back-off.
function replay({ force = false, fromSync = false, fresh = false } = {}) {
  if (fresh || fromSync) failures = 0;
  if (replaying) return replaying;
  if (!force && !fromSync && !fresh && Date.now() < nextAttempt) return Promise.resolve();
  replaying = (async () => {
    try {
      await replayOnce();
      failures = 0;
      nextAttempt = 0;
    } catch (error) {
      failures += 1;
      scheduleRetry();
      if (fromSync) throw error;
    } finally {
      replaying = null;
      await broadcast();
    }
  })();
  return replaying;
}

let retryTimer = null;
function scheduleRetry() {
  const delay = Math.min(CONFIG.retry.max, CONFIG.retry.min * 2 ** Math.max(0, failures - 1));
  nextAttempt = Date.now() + delay;
  clearTimeout(retryTimer);
  retryTimer = setTimeout(() => { replay({ force: true }); }, delay);  // while the worker stays awake
}

// --- state for the pages ------------------------------------------------------------

function setReachable(value) {
  if (serverReachable !== value) {
    serverReachable = value;
    broadcast();
  }
}

async function status({ entries = false } = {}) {
  const result = {
    type: "status",
    version: CONFIG.version,
    pending: await outboxStore.size(),
    dead: await deadStore.size(),
    reachable: serverReachable,
    replaying: Boolean(replaying),
    next_attempt: nextAttempt,
  };
  if (!entries) return result;
  const [pendingEntries, deadEntries] = await Promise.all([outboxStore.getAll(), deadStore.getAll()]);
  const describe = (entry) => ({
    id: (entry.metadata && entry.metadata.key) || `entry-${entry.id}`,
    method: entry.requestData.method,
    path: new URL(entry.requestData.url).pathname,
    status: entry.metadata && entry.metadata.status,
    queued_at: new Date(entry.timestamp).toISOString(),
    failed_at: entry.metadata && entry.metadata.failedAt,
    label: entry.metadata && entry.metadata.label,
    reason: entry.metadata && entry.metadata.reason,
  });
  result.oldest_pending_at = pendingEntries.length ? new Date(pendingEntries[0].timestamp).toISOString() : null;
  result.pending_entries = pendingEntries.map(describe);
  result.dead_entries = deadEntries.map(describe);
  return result;
}

async function broadcast() {
  const message = await status();
  for (const client of await self.clients.matchAll({ type: "window" })) client.postMessage(message);
}

function bodyOf(entry) {
  const body = entry.requestData.body;
  const type = entry.requestData.headers["content-type"] || "";
  if (!body) return { body: "" };
  if (/^(application\/x-www-form-urlencoded|text\/|application\/json)/.test(type)) {
    return { body: new TextDecoder().decode(body) };
  }
  let binary = "";  // photos and other multipart bodies: base64
  const bytes = new Uint8Array(body);
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { body_base64: btoa(binary) };
}

async function exportEntries() {
  const dump = (entry, state) => ({
    state,
    id: entry.id,
    queued_at: new Date(entry.timestamp).toISOString(),
    method: entry.requestData.method,
    url: entry.requestData.url,
    content_type: entry.requestData.headers["content-type"] || null,
    metadata: entry.metadata || {},
    ...bodyOf(entry),
  });
  const [pendingEntries, deadEntries] = await Promise.all([outboxStore.getAll(), deadStore.getAll()]);
  return {
    exported_at: new Date().toISOString(),
    version: CONFIG.version,
    entries: pendingEntries.map((e) => dump(e, "pending")).concat(deadEntries.map((e) => dump(e, "dead"))),
  };
}

async function clearDead() {
  for (const entry of await deadStore.getAll()) await deadStore.deleteEntry(entry.id);
}

