// The patrol page (P1-P8): one page holds the whole route, so a patrol runs offline
// from start to finish. The patrol key is made here when the officer starts; every
// form names it; what the officer did is kept on the tablet (patrol-record.js) until the
// server has it (the offline outbox replays the submissions in order). The camera's QR
// scan is scan.js; the progress shown, patrol-progress.js. No inline script (CSP).
(function () {
  "use strict";

  var run = document.getElementById("run");
  if (!run) return;
  var record = window.patrolRecord;
  var msg = run.dataset;

  var state = record.load(run.dataset.runKey);
  var serverUuid = run.dataset.patrol;
  if (serverUuid && state.uuid !== serverUuid) state = { uuid: serverUuid, started: true };
  state.items = state.items || {};
  state.scanned = state.scanned || {};

  function save() { record.save(run.dataset.runKey, state); }
  function all(selector, root) { return Array.prototype.slice.call((root || run).querySelectorAll(selector)); }
  function itemOf(el) { return el.closest(".item"); }

  // What the server already knows (data-answers) fills gaps in local state.
  var known = {};
  try { known = JSON.parse(run.querySelector(".stops").dataset.answers || "{}"); } catch (e) { known = {}; }
  Object.keys(known).forEach(function (key) {
    var a = known[key];
    if (state.items[key] || !a.result) return;
    state.items[key] = { result: a.result, note: !!a.note, noteText: a.note, sentNote: a.note, value: a.value,
                         department: a.department, sentDepartment: a.department, photos: a.photos || 0 };
  });
  all(".stop[data-scanned]").forEach(function (li) { state.scanned[li.dataset.code] = state.scanned[li.dataset.code] || "qr"; });

  function setStage(name) {
    all("[data-stage]").forEach(function (el) { el.hidden = el.dataset.stage !== name; });
    all("[data-finish-queued]").forEach(function (el) { el.hidden = !state.finishQueued; });
    all("[data-finish-sent]").forEach(function (el) { el.hidden = !!state.finishQueued; });
    all("[data-finished-incomplete]").forEach(function (el) { el.hidden = !state.incomplete; });
  }

  function status(text) {
    var line = document.getElementById("patrol-status");
    if (!line) return;
    line.textContent = text || "";
    line.hidden = !text;
  }

  function applyItem(el) {
    var s = state.items[el.dataset.item] || {};
    el.dataset.result = s.result || "";
    el.dataset.photos = s.photos || 0;
    all(".answer", el).forEach(function (b) { b.setAttribute("aria-pressed", String(b.dataset.result === s.result && !!s.result)); });
    var count = el.querySelector("[data-photo-count]");
    if (count) count.textContent = s.photos ? "✓ " + s.photos : "";
  }

  // What the officer typed, back in its fields (a page from the offline copy is blank).
  function restoreInputs(el) {
    var s = state.items[el.dataset.item];
    if (!s) return;
    var typed = { note: s.noteText, number: s.value, text: s.value, department: s.department };
    Object.keys(typed).forEach(function (name) {
      var field = el.querySelector("[name=" + name + "]");
      if (field && typed[name] && (name === "department" || !field.value.trim())) field.value = typed[name];
    });
  }

  function applyStop(li) {
    var how = state.scanned[li.dataset.code];
    var badge = li.querySelector("[data-stop-state]");
    if (how) {
      li.dataset.scanned = "1";
      badge.textContent = how === "typed" ? msg.msgTyped : msg.msgScanned;
      badge.classList.add("badge-ok");
    }
  }

  function refresh() { window.patrolProgress.show(run, state); }

  // A stop's checklist, from the one copy per kind of place, put in place when first opened.
  function renderItems(li) {
    if (li.dataset.rendered) return;
    var template = run.querySelector('template[data-checklist="' + li.dataset.kind + '"]');
    var box = li.querySelector(".stop-items");
    box.innerHTML = template ? template.innerHTML.split("__cp__").join(li.dataset.cp) : "";
    li.dataset.rendered = "1";
    setPatrolInputs();
    all(".item", box).forEach(function (el) { restoreInputs(el); applyItem(el); });
    if (window.formKey) window.formKey.prepare(box);
    window.htmx.process(box);
  }

  // The scan's form is made when the checkpoint is scanned (one template for all stops).
  function scanForm(li) {
    var form = li.querySelector(".scan-form");
    if (form) return form;
    li.insertAdjacentHTML("beforeend", document.getElementById("scan-form-template").innerHTML);
    form = li.querySelector(".scan-form");
    form.querySelector("[name=code]").value = li.dataset.code;
    form.querySelector("[data-patrol-input]").value = state.uuid || "";
    if (window.formKey) window.formKey.prepare(form);
    window.htmx.process(form);
    return form;
  }

  function openStop(li) {
    renderItems(li);
    all(".stop").forEach(function (other) {
      var open = other === li;
      other.querySelector(".stop-items").hidden = !open;
      other.querySelector("[data-stop-toggle]").setAttribute("aria-expanded", String(open));
    });
    state.open = li.dataset.code;
    save();
    li.scrollIntoView({ block: "start" });
  }

  function setPatrolInputs() {
    all("[data-patrol-input]").forEach(function (input) { input.value = state.uuid || ""; });
  }

  // --- checkpoints: QR scan or typed code proves presence and opens the items ---
  function handleCode(raw, typed) {
    var code = String(raw || "").trim().replace(/\/+$/, "");
    code = code.substring(code.lastIndexOf("/") + 1).toUpperCase();
    var li = run.querySelector('.stop[data-code="' + code.replace(/[^A-Z0-9]/g, "") + '"]');
    var error = run.querySelector("[data-scan-error]");
    if (!li) {
      error.textContent = msg.msgUnknownCode;
      error.hidden = false;
      return;
    }
    error.hidden = true;
    if (!state.scanned[li.dataset.code]) {
      state.scanned[li.dataset.code] = typed ? "typed" : "qr";
      var form = scanForm(li);
      form.querySelector("[name=typed]").value = typed ? "1" : "0";
      form.requestSubmit();
      applyStop(li);
    }
    openStop(li);
    refresh();
  }

  // A QR code read by the camera (scan.js) opens its checkpoint as a typed one does.
  run.addEventListener("scan:code", function (evt) { handleCode(evt.detail.code, false); });

  // --- photos: shrunk on the tablet before upload (photo.js, OFFLINE.md 7) ---
  run.addEventListener("change", function (evt) {
    var input = evt.target;
    if (!input.matches("[data-photo-input]") || !input.files.length) return;
    var form = input.form;
    window.photo.replace(input).then(function () {
      var key = itemOf(input).dataset.item;
      var s = state.items[key] = state.items[key] || {};
      s.photos = (s.photos || 0) + 1;
      if (itemOf(input).dataset.kind === "photo" && !s.result) s.result = "pass";
      save();
      applyItem(itemOf(input));
      refresh();
      window.htmx.trigger(form, "photo-ready");
    }, function () { input.value = ""; });  // not an image: nothing is sent
  });

  // --- answers: one tap; the page shows the answer at once, online or not ---
  function resultFor(button, item) {
    var kind = item.dataset.kind;
    if (button.dataset.result === "na") return "na";
    if (kind === "number") {
      var n = parseFloat(item.querySelector("[name=number]").value);
      if (isNaN(n)) return null;
      var min = parseFloat(item.dataset.min), max = parseFloat(item.dataset.max);
      return (!isNaN(min) && n < min) || (!isNaN(max) && n > max) ? "fail" : "pass";
    }
    return button.dataset.result || "pass";
  }

  run.addEventListener("click", function (evt) {
    var button = evt.target.closest("button");
    if (!button) return;
    if (button.matches("[data-stop-toggle]")) {
      var li = button.closest(".stop");
      if (li.dataset.scanned) openStop(li);
      else { run.querySelector("#typed-code").focus(); }
      return;
    }
    if (button.matches("[data-finish]")) {
      // Finishing with checkpoints or items still open asks first, and for a reason (P1).
      var left = window.patrolProgress.open(run, state);
      var confirmBox = run.querySelector("[data-incomplete]");
      if (left.checkpoints || left.items) {
        run.querySelector("[data-incomplete-text]").textContent = msg.msgIncomplete
          .replace("{checkpoints}", left.checkpoints).replace("{items}", left.items);
        confirmBox.hidden = false;
        button.hidden = true;
        confirmBox.querySelector("textarea").required = true;  // the reason is asked for only here
        confirmBox.querySelector("textarea").focus();
      } else {
        confirmBox.querySelector("textarea").value = "";
        confirmBox.querySelector("textarea").required = false;
        button.form.requestSubmit();
      }
      return;
    }
    if (button.matches("[data-incomplete-cancel]")) {
      run.querySelector("[data-incomplete]").hidden = true;
      run.querySelector("[data-incomplete] textarea").required = false;
      run.querySelector("[data-finish]").hidden = false;
      return;
    }
    if (button.matches("[data-all-pass]")) {
      all(".item[data-kind=check]", button.closest(".stop")).forEach(function (item) {
        if (!(state.items[item.dataset.item] || {}).result) item.querySelector(".answer-pass").click();
      });
      return;
    }
    var item = itemOf(button);
    if (!item || !button.closest(".answer-form")) return;
    var result = resultFor(button, item);
    if (!result) { evt.preventDefault(); item.querySelector("[name=number]").focus(); return; }
    // The choice travels in a hidden input, not as the submit button's value: a request
    // queued behind another is built later, when the button may have lost focus.
    button.form.querySelector("[name=result]").value = button.dataset.result;
    var s = state.items[item.dataset.item] = state.items[item.dataset.item] || {};
    s.result = result;
    s.noteText = item.querySelector("[name=note]").value;
    s.note = !!s.noteText.trim();
    s.department = item.querySelector("[name=department]").value;
    s.sentNote = s.noteText;
    s.sentDepartment = s.department;
    var reading = item.querySelector("[name=number], [name=text]");
    if (reading) s.value = reading.value;
    save();
    applyItem(item);
    refresh();
    if (result === "fail" && !s.note) setTimeout(function () { item.querySelector("[name=note]").focus(); }, 0);
  }, true);

  // --- a failed item's remark and department are saved as they are typed (into the
  // outbox when offline), with a visible saved state: no separate "save" tap ---
  var noteTimers = {};
  function noteState(item, text) {
    var el = item.querySelector("[data-note-state]");
    if (el) el.textContent = text || "";
  }
  function saveFailDetails(item) {
    var key = item.dataset.item;
    clearTimeout(noteTimers[key]);
    delete noteTimers[key];
    var s = state.items[key];
    if (!s || s.result !== "fail") return;
    var noteText = item.querySelector("[name=note]").value;
    var department = item.querySelector("[name=department]").value;
    if (noteText === (s.sentNote || "") && department === (s.sentDepartment || department)) return;
    s.noteText = noteText;
    s.note = !!noteText.trim();
    s.department = department;
    s.sentNote = noteText;
    s.sentDepartment = department;
    save();
    applyItem(item);
    refresh();
    var form = item.querySelector(".answer-form");
    form.querySelector("[name=result]").value = "fail";
    noteState(item, msg.msgNoteSaving);
    form.requestSubmit();
  }
  // The browser's own "fill out this field" is in the browser's language: ours is in the page's.
  run.addEventListener("invalid", function (evt) {
    if (evt.target.matches("[name=incomplete_reason]")) evt.target.setCustomValidity(msg.msgReasonNeeded);
  }, true);
  run.addEventListener("input", function (evt) {
    if (evt.target.matches("[name=incomplete_reason]")) evt.target.setCustomValidity("");
    if (!evt.target.matches(".fail-details [name=note]")) return;
    var item = itemOf(evt.target);
    var s = state.items[item.dataset.item];
    if (s) { s.noteText = evt.target.value; s.note = !!s.noteText.trim(); save(); refresh(); }
    noteState(item, "");
    clearTimeout(noteTimers[item.dataset.item]);
    noteTimers[item.dataset.item] = setTimeout(function () { saveFailDetails(item); }, 800);
  });
  run.addEventListener("change", function (evt) {
    if (evt.target.matches(".fail-details [name=note], .fail-details [name=department]")) saveFailDetails(itemOf(evt.target));
  });

  run.addEventListener("submit", function (evt) {
    var form = evt.target;
    if (form.matches("[data-typed-form]")) {
      evt.preventDefault();
      handleCode(form.querySelector("[name=code]").value, true);
      form.reset();
      return;
    }
    if (form.matches(".start-form") && !state.started) {
      state.uuid = state.uuid || window.formKey.newKey();
      state.started = true;
      setPatrolInputs();
      save();
      setStage("walk");
      refresh();
    }
  }, true);

  // Every request names the patrol. Each form gets a fresh key for its next submission
  // once this one is built (its parameters and its X-Submission-Key header carry this key).
  run.addEventListener("htmx:configRequest", function (evt) {
    var form = evt.detail.elt.closest("form");
    if (form && state.uuid) evt.detail.parameters.patrol = state.uuid;
  });
  run.addEventListener("htmx:beforeRequest", function (evt) {
    var form = evt.detail.elt.closest("form");
    var key = form && form.querySelector("[name=idempotency_key]");
    if (key) key.value = window.formKey.newKey();
  });

  run.addEventListener("htmx:afterRequest", function (evt) {
    var form = evt.detail.elt.closest("form");
    var xhr = evt.detail.xhr;
    var item = form && itemOf(form);
    if (item) item.classList.toggle("unsent", !xhr || xhr.status === 0);
    if (item && form.matches(".answer-form") && (state.items[item.dataset.item] || {}).result === "fail" &&
        item.querySelector("[name=note]").value.trim()) {
      noteState(item, !xhr || xhr.status === 0 || xhr.status === 202 ? msg.msgNoteKept : (xhr.status < 300 ? msg.msgNoteSaved : ""));
    }
    if (!xhr || xhr.status === 0) { status(msg.msgUnsent); return; }
    if (xhr.status === 422 && !form.matches(".finish-form")) {
      var doc = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
      var el = doc.querySelector("[data-toast]");
      status(el ? el.textContent.trim() : "");
      return;
    }
    if (xhr.status < 300) {
      status("");
      if (form.matches(".finish-form")) {
        state.finished = true;
        state.incomplete = !!form.querySelector("[name=incomplete_reason]").value.trim();
        state.finishQueued = xhr.status === 202;  // kept in the outbox until the server has it
        save();
        refresh();
        setStage("done");
        window.scrollTo(0, 0);
      }
    }
  });

  // An extra patrol can be run again; a scheduled one stays finished on this tablet.
  document.addEventListener("click", function (evt) {
    if (evt.target.closest(".run-summary a") && run.dataset.runKey.indexOf("adhoc-") === 0) record.drop(run.dataset.runKey);
  });

  // --- initial view ---
  setPatrolInputs();
  all(".stop").forEach(applyStop);
  if (state.finished) setStage("done");
  else if (state.started) setStage("walk");
  else setStage("start");
  refresh();
  var open = state.open && run.querySelector('.stop[data-code="' + state.open + '"]');
  if (open && !state.finished) openStop(open);
})();
