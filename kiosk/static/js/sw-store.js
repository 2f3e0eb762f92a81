// What the service worker keeps, kept small (issue 12: a tablet's offline copy of a day of
// patrols <= 2 MB). sw.js loads it with importScripts, before sw-outbox.js and sw-keep.js.
//
// Pages, scripts, styles and the QR reader's wasm are stored gzip-compressed
// (CompressionStream) and marked with STORED_ENCODING; `unpack` gives back the response
// as the server sent it. Everything the worker puts into or reads out of its shell cache
// goes through `putPacked` / `matchPacked`, so no caller sees a stored (compressed) body.
// A copy stored before this file existed (no mark) is handed out as it is.
"use strict";

const STORED_ENCODING = "X-Stored-Encoding";
const PACKED_TYPES = /^(text\/|application\/(javascript|json|wasm|xml)|image\/svg\+xml)/i;

function packable(response) {
  return typeof CompressionStream === "function" && response.body !== null
    && PACKED_TYPES.test(response.headers.get("Content-Type") || "");
}

// The response to store: its body compressed, its headers kept but for the length.
function pack(response) {
  if (!packable(response)) return response;
  const headers = new Headers(response.headers);
  headers.delete("Content-Length");
  headers.delete("Content-Encoding");
  headers.set(STORED_ENCODING, "gzip");
  return new Response(response.body.pipeThrough(new CompressionStream("gzip")), {
    status: response.status, statusText: response.statusText, headers,
  });
}

// A stored response as it came from the server.
function unpack(response) {
  if (!response || response.headers.get(STORED_ENCODING) !== "gzip") return response;
  const headers = new Headers(response.headers);
  headers.delete(STORED_ENCODING);
  return new Response(response.body.pipeThrough(new DecompressionStream("gzip")), {
    status: response.status, statusText: response.statusText, headers,
  });
}

function putPacked(cache, key, response) {
  return cache.put(key, pack(response));
}

async function matchPacked(cache, key, options) {
  return unpack(await cache.match(key, options));
}
