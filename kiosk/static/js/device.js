// The page side of the offline layer on a kiosk or tablet (OFFLINE.md): registers the
// service worker, shows the outbox badge and the offline indicator, triggers replays
// (page load, `online`, a timer), sends the heartbeat, and holds the staff panel
// (press and hold the badge) with the refused entries and the export.
(function () {
  "use strict";

  // htmx may swap the whole body (the kiosk's queued screen does): elements are looked
  // up when used and events are delegated, so the new badge works as the old one did.
  if (window.deviceOutbox || !("serviceWorker" in navigator)) return;
  var first = document.getElementById("outbox");
  if (!first) return;
  var data = first.dataset;  // URLs and messages: the same on every page of this device
  var TICK_MS = 15000;
  var HEARTBEAT_MS = 60000;
  var HOLD_MS = 1500;
  var ASK_TIMEOUT_MS = 10000;
  var state = { pending: 0, dead: 0, reachable: true, persisted: null };
  var heartbeatTimer = null;

  function pageLang() {
    return (document.documentElement.lang || "zh").slice(0, 2);
  }

  // --- the worker ---------------------------------------------------------------------

  // A question to the worker; null when there is none (yet) or it does not answer.
  function ask(message) {
    var answer = navigator.serviceWorker.ready.then(function (registration) {
      var worker = navigator.serviceWorker.controller || registration.active;
      if (!worker) return null;
      return new Promise(function (resolve) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (event) { resolve(event.data); };
        worker.postMessage(message, [channel.port2]);
      });
    });
    var timeout = new Promise(function (resolve) { setTimeout(function () { resolve(null); }, ASK_TIMEOUT_MS); });
    return Promise.race([answer, timeout]);
  }

  function show(status) {
    if (!status) return status;
    var hadDead = state.dead;
    state.pending = status.pending;
    state.dead = status.dead;
    state.reachable = status.reachable;
    render();
    if (status.dead > hadDead) heartbeat();  // report a refused entry at once
    return status;
  }

  navigator.serviceWorker.addEventListener("message", function (event) {
    if (event.data && event.data.type === "status") show(event.data);
  });

  // Offline, register() fails (it cannot fetch /sw.js to check for an update) while the
  // installed worker still runs: the page says hello to that one all the same, so the
  // device remembers the language the officer switched to without a network.
  var registered = navigator.serviceWorker.register(data.sw, { scope: "/", updateViaCache: "none" })
    .catch(function () { return null; });
  Promise.race([navigator.serviceWorker.ready, registered]).then(function () {
    return ask({ type: "hello", lang: pageLang() });
  }).then(show).then(heartbeat, heartbeat);  // no worker: the page still works online, and reports

  // --- replay triggers ------------------------------------------------------------------

  window.addEventListener("online", function () { ask({ type: "replay" }).then(show).then(heartbeat); });
  window.addEventListener("offline", render);
  setInterval(function () { ask({ type: "tick" }).then(show); }, TICK_MS);
  document.addEventListener("outbox-changed", function () { ask({ type: "status" }).then(show); });

  // A write from an idempotent form carries its submission key in a header: only such a
  // write may wait in the outbox (its replay cannot store anything twice). Every request
  // says in which language to answer if it has to wait, and which queued screen fits
  // (a form's data-queued-screen, when the server's default for its URL does not).
  document.addEventListener("htmx:configRequest", function (evt) {
    var elt = evt.detail.elt;
    evt.detail.headers["X-Device-Lang"] = pageLang();
    var form = elt && elt.closest && elt.closest("form[data-idempotent]");
    // The key as sent (a page may already have put the next one in the form's input).
    var key = form && (evt.detail.parameters.idempotency_key
                       || (form.querySelector("input[name=idempotency_key]") || {}).value);
    if (key && evt.detail.verb === "post") evt.detail.headers["X-Submission-Key"] = String(key);
    var marked = elt && elt.closest && elt.closest("[data-queued-screen]");
    if (marked) evt.detail.headers["X-Queued-Screen"] = marked.getAttribute("data-queued-screen");
  });

  if (navigator.storage && navigator.storage.persist) {
    navigator.storage.persist().then(function (granted) { state.persisted = granted; render(); });
  }

  // --- pages kept for offline use beyond the shell ------------------------------------
  // A page may name further pages of its face to keep (the tablet's list names today's
  // patrol pages): `data-offline-keep='{"owner": ..., "pages": [...]}'`. The worker
  // fetches them in the background and says when all are kept; the element is shown then.
  var keep = document.querySelector("[data-offline-keep]");
  if (keep) {
    var wanted = JSON.parse(keep.dataset.offlineKeep);
    var kept = function (done) {
      if (!done || done.type !== "kept" || done.owner !== wanted.owner) return;
      keep.hidden = !done.complete;
      keep.dataset.kept = done.complete ? "all" : "some";
    };
    navigator.serviceWorker.addEventListener("message", function (event) { kept(event.data); });
    navigator.serviceWorker.ready.then(function () {
      return ask(Object.assign({ type: "keep" }, wanted));
    }).then(kept);
  }

  // --- heartbeat ----------------------------------------------------------------------

  function heartbeat() {
    clearTimeout(heartbeatTimer);
    heartbeatTimer = setTimeout(heartbeat, HEARTBEAT_MS);
    return ask({ type: "status" }).then(function (status) {
      status = status || { pending: state.pending, dead: state.dead, dead_entries: [] };
      return fetch(data.heartbeat, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-Device-Request": "1" },
        body: JSON.stringify({
          pending: status.pending, dead: status.dead, clock: new Date().toISOString(),
          oldest_pending_at: status.oldest_pending_at, version: status.version || data.version,
          persisted: state.persisted, dead_letters: status.dead_entries || [],
        }),
      });
    }).then(function (response) {
      state.reachable = response.ok || response.status < 500;
      render();
    }, function () {
      state.reachable = false;
      render();
    });
  }

  // --- the badge and the indicator ----------------------------------------------------

  function format(template, n) { return template.replace("{n}", String(n)); }

  function render() {
    var root = document.getElementById("outbox");
    var panel = document.getElementById("outbox-panel");
    if (!root) return;
    data = root.dataset;  // the current page's language
    var offline = !navigator.onLine || !state.reachable;
    var parts = [];
    if (offline) parts.push(data.msgOffline);
    if (state.pending) parts.push(format(data.msgPending, state.pending));
    if (state.dead) parts.push(format(data.msgDead, state.dead));
    root.hidden = parts.length === 0;
    root.dataset.state = state.dead ? "dead" : (offline ? "offline" : (state.pending ? "pending" : "ok"));
    root.dataset.pending = String(state.pending);
    root.dataset.dead = String(state.dead);
    root.querySelector("[data-outbox-text]").textContent = parts.join(" · ");
    if (panel && panel.open) fillPanel();
  }

  // --- the staff panel: press and hold the badge --------------------------------------

  var holdTimer = null;
  function onBadge(evt) { return evt.target.closest && evt.target.closest("#outbox-badge"); }
  document.addEventListener("pointerdown", function (evt) {
    if (onBadge(evt)) holdTimer = setTimeout(openPanel, HOLD_MS);
  });
  ["pointerup", "pointercancel"].forEach(function (name) {
    document.addEventListener(name, function () { clearTimeout(holdTimer); });
  });
  document.addEventListener("keydown", function (evt) {
    if (onBadge(evt) && evt.key === "Enter" && evt.shiftKey) openPanel();  // keyboard: Shift+Enter
  });

  function openPanel() {
    var panel = document.getElementById("outbox-panel");
    fillPanel();
    if (panel && !panel.open) panel.showModal();
  }

  function row(entry) {
    var tr = document.createElement("tr");
    var answer = String(entry.status || "—");
    try { if (entry.reason) answer += " " + decodeURIComponent(entry.reason); } catch (e) { /* the status alone */ }
    [new Date(entry.queued_at).toLocaleString(), entry.method + " " + entry.path, answer].forEach(function (value) {
      var td = document.createElement("td");
      td.textContent = value;
      tr.appendChild(td);
    });
    return tr;
  }

  function fillPanel() {
    ask({ type: "status" }).then(function (status) {
      var panel = document.getElementById("outbox-panel");
      if (!status || !panel) return;
      panel.querySelector("[data-panel-pending]").textContent = String(status.pending);
      panel.querySelector("[data-panel-dead]").textContent = String(status.dead);
      panel.querySelector("[data-panel-storage]").textContent = state.persisted ? data.msgPersisted : data.msgNotPersisted;
      var body = panel.querySelector("[data-panel-dead-rows]");
      body.replaceChildren.apply(body, (status.dead_entries || []).map(row));
      panel.querySelector("[data-panel-clear]").disabled = !status.dead || !panel.dataset.exported;
    });
  }

  var actions = {
    send: function () { ask({ type: "replay" }).then(show); },
    export: exportEntries,
    clear: function () {
      if (window.confirm(data.msgConfirmClear)) ask({ type: "clear-dead" }).then(show).then(heartbeat);
    },
    close: function () { document.getElementById("outbox-panel").close(); },
  };
  document.addEventListener("click", function (evt) {
    var button = evt.target.closest && evt.target.closest("#outbox-panel button");
    if (!button) return;
    var name = ["send", "export", "clear", "close"].find(function (n) { return button.hasAttribute("data-panel-" + n); });
    if (name) actions[name]();
  });

  function exportEntries() {
    var panel = document.getElementById("outbox-panel");
    ask({ type: "export" }).then(function (dump) {
      var blob = new Blob([JSON.stringify(dump, null, 2)], { type: "application/json" });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = "outbox-" + new Date().toISOString().replace(/[:.]/g, "-") + ".json";
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
      panel.dataset.exported = "1";
      fillPanel();
    });
  }

  window.deviceOutbox = { ask: ask, heartbeat: heartbeat, state: state };
  render();
})();
