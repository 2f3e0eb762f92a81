// The department's tablet pages (templates/patrol/work/): photos shrunk before they are
// sent or queued (photo.js), a fresh submission key after each accepted progress
// note, the complaint's version carried on after the form was signed for on this page, and
// the tablet's queue shown on the page: what waits to be sent and what the server refused,
// with its reason (the service worker keeps it: sw-outbox.js).
(function () {
  "use strict";

  document.addEventListener("change", function (evt) {
    var input = evt.target;
    if (!input.matches || !input.matches("[data-work-photos]") || !input.files.length) return;
    var max = Number(input.dataset.max || 3);
    var chosen = Array.prototype.slice.call(input.files, 0, max);
    var count = input.parentNode.querySelector("[data-photo-count]");
    if (input.files.length > max && count) count.textContent = input.dataset.msgTooMany;
    if (input.dataset.shrunk === "1") { input.dataset.shrunk = ""; return; }
    Promise.all(chosen.map(function (file) { return window.photo.shrink(file); })).then(function (blobs) {
      var files = new DataTransfer();
      blobs.forEach(function (blob, i) { files.items.add(new File([blob], "photo-" + (i + 1) + ".jpg", { type: "image/jpeg" })); });
      input.dataset.shrunk = "1";
      input.files = files.files;
      if (count) count.textContent = "✓ " + blobs.length;
    });
  });

  // The queue label travels with the request so that the queue can say what an entry is.
  document.addEventListener("htmx:configRequest", function (evt) {
    var form = evt.detail.elt && evt.detail.elt.closest && evt.detail.elt.closest("form[data-queue-label]");
    if (form) evt.detail.headers["X-Queue-Label"] = encodeURIComponent(form.dataset.queueLabel);
  });

  document.addEventListener("htmx:afterRequest", function (evt) {
    var form = evt.detail.elt && evt.detail.elt.closest && evt.detail.elt.closest("form.work-form");
    var xhr = evt.detail.xhr;
    if (!form || !xhr || xhr.status === 0 || xhr.status >= 300) return;  // refusals: the toast (app.js)
    if (form.hasAttribute("data-again")) {  // a progress note: ready for the next one
      form.reset();
      form.querySelector("[name=idempotency_key]").value = window.formKey.newKey();
    } else {
      form.querySelectorAll("button[type=submit], input, textarea").forEach(function (el) { el.disabled = true; });
    }
    if (form.hasAttribute("data-bumps-version")) {  // signed for: the record's next version
      document.querySelectorAll("form.work-form:not([data-bumps-version]) [data-version]").forEach(function (input) {
        input.value = String(Number(input.value) + 1);
      });
    }
    showQueue();
  });

  function label(entry) {
    try { return entry.label ? decodeURIComponent(entry.label) : entry.path; } catch (e) { return entry.path; }
  }

  function showQueue() {
    var box = document.querySelector("[data-work-queue]");
    if (!box || !window.deviceOutbox) return;
    window.deviceOutbox.ask({ type: "status" }).then(function (status) {
      if (!status) return;
      var list = box.querySelector("[data-queue-entries]");
      var rows = [];
      (status.pending_entries || []).forEach(function (entry) {
        rows.push(["pending", label(entry), box.dataset.msgPending]);
      });
      (status.dead_entries || []).forEach(function (entry) {
        var reason = entry.reason ? decodeURIComponent(entry.reason) : String(entry.status || "");
        rows.push(["refused", label(entry), box.dataset.msgRefused + ": " + reason]);
      });
      list.replaceChildren.apply(list, rows.map(function (row) {
        var li = document.createElement("li");
        li.className = "queue-" + row[0];
        li.dataset.queueState = row[0];
        var what = document.createElement("strong");
        what.textContent = row[1];
        var why = document.createElement("span");
        why.textContent = " · " + row[2];
        li.append(what, why);
        return li;
      }));
      box.hidden = rows.length === 0;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    showQueue();
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.addEventListener("message", function (event) {
        if (event.data && event.data.type === "status") showQueue();
      });
    }
    document.addEventListener("outbox-changed", showQueue);
  });
})();
