// The lobby kiosk's behaviour (no inline script: the CSP forbids it).
// 1. Idle: no touch or key for the screen's idle time -> the camera off (scan.js) and
//    back to the welcome page, which clears everything typed (nothing is kept in the browser).
// 2. The steps of the registration page (whom, about you, privacy) and of the report
//    form (where, what): one shown at a time,
//    only the last one posts.
(function () {
  "use strict";
  var body = document.body;
  if (!body || !body.classList.contains("kiosk")) return;

  // ---- idle reset -------------------------------------------------------------
  var timer = null;

  function idleMs() {
    // The innermost screen element may ask for its own time (the waiting screen waits
    // longer; an outcome or a goodbye returns sooner).
    var marked = document.querySelectorAll("[data-kiosk-idle]");
    var seconds = marked.length ? marked[marked.length - 1].getAttribute("data-kiosk-idle") : body.dataset.idleSeconds;
    return Math.max(3, parseInt(seconds || "60", 10)) * 1000;
  }

  function untouchedWelcome() {
    var screen = document.getElementById("screen");
    if (!screen || screen.dataset.screen !== "welcome") return false;
    if (document.documentElement.lang !== body.dataset.homeLang) return false;
    return !Array.prototype.some.call(screen.querySelectorAll("input:not([type=hidden])"), function (el) {
      return el.value;
    });
  }

  function goHome() {
    if (window.scan) window.scan.close();  // the camera goes off before anything else
    if (untouchedWelcome()) { restart(); return; }
    window.location.replace(body.dataset.homeUrl);
  }

  function restart() {
    clearTimeout(timer);
    timer = setTimeout(goHome, idleMs());
  }

  ["pointerdown", "keydown", "input", "touchstart", "wheel"].forEach(function (name) {
    document.addEventListener(name, restart, { capture: true, passive: true });
  });
  document.addEventListener("htmx:afterSettle", restart);
  restart();

  // ---- registration steps -----------------------------------------------------
  function form() { return document.querySelector("form[data-kiosk-steps]"); }

  function clientError(field, message) {
    var box = field.closest(".kfield") || field.closest(".step");
    var slot = box && box.querySelector("[data-client-error]");
    if (slot) {
      slot.textContent = message || "";
      slot.hidden = !message;
    }
    if (box && box.classList.contains("kfield")) {
      box.classList.toggle("invalid", !!message);
      if (!message) box.querySelectorAll(".error:not([data-client-error])").forEach(function (el) { el.hidden = true; });
    }
  }

  function stepValid(section) {
    var ok = true;
    section.querySelectorAll("[required]").forEach(function (field) {
      var valid = field.checkValidity();
      clientError(field, valid ? "" : field.dataset.msg);
      if (!valid && ok) { ok = false; field.focus({ preventScroll: false }); }
    });
    return ok;
  }

  function show(name) {
    var f = form();
    if (!f) return;
    f.querySelectorAll("[data-step]").forEach(function (section) {
      section.hidden = section.dataset.step !== name;
    });
    f.dataset.currentStep = name;
    var input = f.querySelector("input[name=step]");
    if (input) input.value = name;
    window.scrollTo(0, 0);
  }

  function pressed(group, button) {
    document.querySelectorAll(group).forEach(function (el) { el.removeAttribute("aria-pressed"); });
    if (button) button.setAttribute("aria-pressed", "true");
  }

  function pickRoom(button) {
    var f = form();
    f.querySelector("input[name=room]").value = button.dataset.pickRoom;
    f.querySelector("input[name=room_number]").value = "";
    f.querySelectorAll("[data-room-summary]").forEach(function (el) { el.textContent = button.dataset.label; });
    pressed("[data-pick-room]", button);
    show("about");
  }

  function pickBuilding(button) {
    var f = form();
    var id = button.dataset.pickBuilding;
    f.querySelector("input[name=building]").value = id;
    pressed("[data-pick-building]", button);
    f.querySelectorAll("[data-building-panel]").forEach(function (panel) {
      panel.hidden = panel.dataset.buildingPanel !== id;
    });
  }

  function pickUnit(button) {
    var key = button.dataset.pickUnit;
    var panel = document.querySelector("[data-unit-panel='" + key + "']");
    pressed("[data-pick-unit]", button);
    if (!panel) return;
    panel.parentNode.querySelectorAll("[data-unit-panel]").forEach(function (el) { el.hidden = el !== panel; });
    panel.scrollIntoView({ block: "start" });
  }

  // The step's fields checked by the server's rules before moving on (a bad phone number
  // is caught here, not after the privacy step); without a connection, go on (the final
  // submission is checked anyway).
  function checkStep(button) {
    var f = form();
    var section = button.closest("[data-step]");
    var data = new FormData(f);
    data.delete("idempotency_key");
    button.disabled = true;
    fetch(button.dataset.checkUrl, { method: "POST", body: data, credentials: "same-origin",
                                     headers: { "X-Device-Request": "1", "Accept": "application/json" } })
      .then(function (response) {
        if (response.status !== 422) { show(button.dataset.goto); return; }
        return response.json().then(function (body) {
          var first = null;
          section.querySelectorAll("[name]").forEach(function (field) {
            var message = (body.errors || {})[field.name];
            if (field.type === "hidden") return;
            clientError(field, message || "");
            if (message && !first) first = field;
          });
          if (first) first.focus();
          else show(button.dataset.goto);
        });
      })
      .catch(function () { show(button.dataset.goto); })
      .then(function () { button.disabled = false; });
  }

  function typedRoom(button) {
    var f = form();
    var typed = f.querySelector("input[name=room_number]");
    var number = typed.value.trim();
    if (!number) { clientError(typed, typed.dataset.msg); typed.focus(); return; }
    function goOn(roomId, label) {
      clientError(typed, "");
      f.querySelector("input[name=room]").value = roomId || "";
      if (roomId) typed.value = "";
      f.querySelectorAll("[data-room-summary]").forEach(function (el) { el.textContent = label; });
      show("about");
    }
    // Ask the server whether the room exists; without a connection, go on (the final
    // submission is checked anyway).
    var url = button.dataset.lookup + "?number=" + encodeURIComponent(number) +
      "&building=" + encodeURIComponent(f.querySelector("input[name=building]").value);
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.json().then(function (body) {
          if (response.ok) goOn(String(body.id), body.label);
          else if (response.status === 422) { clientError(typed, body.message); typed.focus(); }
          else goOn("", number);
        });
      })
      .catch(function () { goOn("", number); });
  }

  function stepBy(button) {
    var input = document.getElementById(button.dataset.for);
    var value = (parseInt(input.value, 10) || 1) + parseInt(button.dataset.stepBy, 10);
    input.value = Math.min(parseInt(input.max, 10) || 20, Math.max(parseInt(input.min, 10) || 1, value));
  }

  document.addEventListener("click", function (evt) {
    var target = evt.target.closest && evt.target.closest("button, a");
    if (!target || !target.closest("form[data-kiosk-steps]")) return;
    var d = target.dataset;
    if (d.pickRoom) pickRoom(target);
    else if (d.pickBuilding) pickBuilding(target);
    else if (d.pickUnit) pickUnit(target);
    else if (d.typedRoom !== undefined) typedRoom(target);
    else if (d.stepBy) stepBy(target);
    else if (d.goto) {
      if (d.check !== undefined && !stepValid(target.closest("[data-step]"))) return;
      if (d.checkUrl) { checkStep(target); return; }
      show(d.goto);
    }
  });

  // The last step is checked as the others before the form is sent (the report's
  // description); a photo still being shrunk (photo.js) holds the form back.
  document.addEventListener("htmx:beforeRequest", function (evt) {
    var f = evt.detail.elt;
    if (!f || !f.matches || !f.matches("form[data-kiosk-steps]")) return;
    var section = f.querySelector("[data-step]:not([hidden])");
    if (f.dataset.photoBusy || (section && !stepValid(section))) evt.preventDefault();
  });

  // A message the page showed goes away as soon as the field is corrected.
  function corrected(evt) {
    var field = evt.target;
    if (field.closest && field.closest("form[data-kiosk-steps]") && field.checkValidity()) clientError(field, "");
  }
  document.addEventListener("input", corrected);
  document.addEventListener("change", corrected);

  // Enter in a field of an earlier step moves on instead of sending the whole form.
  document.addEventListener("keydown", function (evt) {
    if (evt.key !== "Enter" || evt.target.tagName !== "INPUT") return;
    var section = evt.target.closest("form[data-kiosk-steps] [data-step]");
    if (!section || section.dataset.step === "privacy") return;
    evt.preventDefault();
    var next = section.querySelector("[data-typed-room], [data-goto][data-check]");
    if (next) next.click();
  });
})();
