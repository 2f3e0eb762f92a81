// What the patrol page shows of a run's progress (patrol.js keeps the state): the progress
// line, the failed items still lacking a note or a photo (which hold back "Finish"), and
// the counts of the summary. No inline script (CSP).
(function () {
  "use strict";

  function all(run, selector) { return Array.prototype.slice.call(run.querySelectorAll(selector)); }

  // A checklist item as rendered once for its kind of place (run.html's <template>s).
  function itemOf(run, stop, itemId) {
    var template = run.querySelector('template[data-checklist="' + stop.dataset.kind + '"]');
    return template && template.content.querySelector('.item[data-item="__cp__-' + itemId + '"]');
  }

  function blockers(run, state) {
    var msg = run.dataset;
    var list = [];
    Object.keys(state.items).forEach(function (key) {
      var s = state.items[key];
      if (!s || s.result !== "fail") return;
      var parts = key.split("-");
      var stop = run.querySelector('.stop[data-cp="' + parts[0] + '"]');
      var el = stop && itemOf(run, stop, parts[1]);
      if (!el) return;
      var needs = [];
      if (el.dataset.requiresNote === "1" && !s.note) needs.push(msg.msgNeedsNote);
      if (el.dataset.requiresPhoto === "1" && !s.photos) needs.push(msg.msgNeedsPhoto);
      if (needs.length) list.push({ stop: stop, text: stop.dataset.name + ": " + el.querySelector(".item-text").textContent.trim().replace(/\s+/g, " ") + " — " + needs.join(", ") });
    });
    return list;
  }

  function totalItems(run) {
    return all(run, ".stop").reduce(function (sum, li) { return sum + (+li.dataset.items || 0); }, 0);
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
    var stops = all(run, ".stop").length, items = totalItems(run);
    return { checkpoints: Math.max(0, stops - c.scanned), items: Math.max(0, items - c.answered) };
  }

  function show(run, state) {
    var c = counts(state);
    var stops = all(run, ".stop").length;
    var p = run.querySelector("[data-progress]");
    if (p && state.started) {
      p.textContent = run.dataset.msgProgress.replace("{scanned}", c.scanned).replace("{total}", stops)
        .replace("{answered}", c.answered).replace("{items}", totalItems(run));
    }
    var list = blockers(run, state);
    var box = run.querySelector("[data-blockers]");
    var ul = run.querySelector("[data-blocker-list]");
    ul.textContent = "";
    list.forEach(function (b) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "#" + b.stop.id;
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
