// What the patrol page shows of a run's progress (patrol.js keeps the state): the progress
// line, the failed items still lacking a note or a photo (which hold back "Finish"), and
// the counts of the summary. No inline script (CSP).
(function () {
  "use strict";

  function all(run, selector) { return Array.prototype.slice.call(run.querySelectorAll(selector)); }

  function blockers(run, state) {
    var msg = run.dataset;
    var list = [];
    all(run, ".item").forEach(function (el) {
      var s = state.items[el.dataset.item];
      if (!s || s.result !== "fail") return;
      var needs = [];
      if (el.dataset.requiresNote === "1" && !s.note) needs.push(msg.msgNeedsNote);
      if (el.dataset.requiresPhoto === "1" && !s.photos) needs.push(msg.msgNeedsPhoto);
      if (needs.length) list.push({ el: el, text: el.closest(".stop").dataset.name + ": " + el.querySelector(".item-text").textContent.trim().replace(/\s+/g, " ") + " — " + needs.join(", ") });
    });
    return list;
  }

  function counts(state) {
    var c = { scanned: Object.keys(state.scanned).length, answered: 0, pass: 0, fail: 0, na: 0 };
    Object.keys(state.items).forEach(function (k) {
      var r = state.items[k].result;
      if (r) { c.answered += 1; c[r] = (c[r] || 0) + 1; }
    });
    return c;
  }

  // What is still open on the route: checkpoints not scanned, items not answered (P1).
  function open(run, state) {
    var c = counts(state);
    var stops = all(run, ".stop").length, items = all(run, ".item").length;
    return { checkpoints: Math.max(0, stops - c.scanned), items: Math.max(0, items - c.answered) };
  }

  function show(run, state) {
    var c = counts(state);
    var stops = all(run, ".stop").length;
    var p = run.querySelector("[data-progress]");
    if (p && state.started) {
      p.textContent = run.dataset.msgProgress.replace("{scanned}", c.scanned).replace("{total}", stops)
        .replace("{answered}", c.answered).replace("{items}", all(run, ".item").length);
    }
    var list = blockers(run, state);
    var box = run.querySelector("[data-blockers]");
    var ul = run.querySelector("[data-blocker-list]");
    ul.textContent = "";
    list.forEach(function (b) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "#" + b.el.closest(".stop").id;
      a.textContent = b.text;
      li.appendChild(a);
      ul.appendChild(li);
    });
    box.hidden = list.length === 0;
    run.querySelector("[data-finish]").disabled = list.length > 0;
    Object.keys(c).forEach(function (k) {
      var dd = run.querySelector('[data-count="' + k + '"]');
      if (dd) dd.textContent = k === "scanned" ? c.scanned + " / " + stops : c[k];
    });
  }

  window.patrolProgress = { show: show, open: open };
})();
