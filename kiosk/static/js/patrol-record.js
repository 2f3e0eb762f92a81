// What a patrol tablet keeps of each patrol run (localStorage, one record per run key):
// what the officer did, until the server has it (patrol.js), so that a reload, a language
// switch or a closed browser shows the patrol as it was. Old records go; today's list
// (also kept for offline use) marks a patrol finished on this tablet, whose record the
// server may not have yet, so that nobody starts it twice. No inline script (CSP).
(function () {
  "use strict";

  var PREFIX = "patrol-run:";
  var KEEP_DAYS = 3;  // a tablet's record of a finished patrol, after which it is let go

  function read(name) {
    try { return JSON.parse(localStorage.getItem(name)) || {}; } catch (e) { return {}; }
  }

  Object.keys(localStorage).forEach(function (name) {
    if (name.indexOf(PREFIX) !== 0) return;
    var old = read(name);
    if (!old.savedAt || Date.now() - old.savedAt > KEEP_DAYS * 86400000) localStorage.removeItem(name);
  });
  Array.prototype.forEach.call(document.querySelectorAll(".occurrence[data-run-key]"), function (li) {
    var mark = li.querySelector("[data-local-finished]");
    if (mark) mark.hidden = !read(PREFIX + li.dataset.runKey).finished;
  });

  window.patrolRecord = {
    load: function (runKey) { return read(PREFIX + runKey); },
    save: function (runKey, state) {
      state.savedAt = Date.now();
      try { localStorage.setItem(PREFIX + runKey, JSON.stringify(state)); } catch (e) { /* storage full: the server still has it */ }
    },
    drop: function (runKey) { localStorage.removeItem(PREFIX + runKey); },
  };
})();
