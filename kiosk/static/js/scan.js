// Camera QR scanning, shared by the lobby kiosk and the patrol tablets (templates/_scanner.html).
// A button `data-scan-open` with `aria-controls` naming a `[data-scanner]` panel opens the
// camera in that panel; the first code read closes it and is announced as a `scan:code`
// event on the button (detail.code). A button with `data-scan-fill="<field id>"` then puts
// the code in that field and submits its form, as typing and Enter would. Where the camera
// cannot be used, the panel says why and `data-scan-typed` (or the fill field) gets focus.
// Where the browser has no BarcodeDetector of its own, the vendored polyfill is loaded the
// first time the camera opens, and reads with the WebAssembly file served from here (never
// its default CDN). The camera stops when a code is read, on "Close camera", when the page
// is hidden or left, and when its panel leaves the page (an htmx swap). No inline script (CSP).
(function () {
  "use strict";

  var script = document.currentScript;
  var POLYFILL = script.dataset.polyfill;
  var WASM = script.dataset.wasm;
  var LOOK_MS = 200;
  var current = null;  // { button, panel, stream, timer }
  var loading = null;  // the polyfill's <script>, once asked for

  // The polyfill reads with our copy of its WebAssembly file. A fresh object each time: it
  // also drops a reader that failed to load, so that the next try fetches it again.
  function ourWasm() {
    window.BarcodeDetectionAPI.setZXingModuleOverrides({
      locateFile: function (path, prefix) { return /\.wasm$/.test(path) ? WASM : prefix + path; },
    });
  }

  function detector() {
    if (!loading && "BarcodeDetector" in window) {  // the browser's own, if it reads QR codes
      return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
        if (formats.indexOf("qr_code") < 0) throw new Error("no qr_code");
        return new window.BarcodeDetector({ formats: ["qr_code"] });
      });
    }
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = POLYFILL;
        tag.onload = function () { ourWasm(); resolve(); };
        tag.onerror = function () { loading = null; tag.remove(); reject(new Error("unsupported")); };
        document.head.appendChild(tag);
      });
    }
    return loading.then(function () {
      // Compile the reader now, so that one that cannot load says so at once.
      return window.BarcodeDetectionAPI.prepareZXingModule({ fireImmediately: true }).then(function () {
        return new window.BarcodeDetector({ formats: ["qr_code"] });
      }, function (error) { ourWasm(); throw error; });
    });
  }

  function errorSlot(panel) { return panel.querySelector("[data-scan-error]"); }

  // Why the camera cannot be used, and the field to type the code in instead.
  function say(button, panel, reason) {
    var slot = errorSlot(panel);
    if (slot) {
      slot.textContent = panel.dataset["msg" + reason] || panel.dataset.msgUnsupported;
      slot.hidden = false;
    }
    var field = document.getElementById(button.dataset.scanTyped || button.dataset.scanFill || "");
    if (field) field.focus();
  }

  // Why the camera did not open, as the name of a message on the panel.
  function reasonOf(error) {
    var name = error && error.name;
    if (name === "NotAllowedError" || name === "SecurityError") return "Denied";
    if (name === "NotFoundError" || name === "OverconstrainedError" || name === "NotReadableError") return "NoCamera";
    return "Unsupported";
  }

  function close() {
    var was = current;
    if (!was) return;
    current = null;
    clearTimeout(was.timer);
    if (was.stream) was.stream.getTracks().forEach(function (track) { track.stop(); });
    var video = was.panel.querySelector("video");
    if (video) video.srcObject = null;
    var view = was.panel.querySelector("[data-scanner-view]");
    if (view) view.hidden = true;
    was.button.setAttribute("aria-expanded", "false");
  }

  function found(button, code) {
    close();
    var evt = new CustomEvent("scan:code", { bubbles: true, cancelable: true, detail: { code: code } });
    if (!button.dispatchEvent(evt) || !button.dataset.scanFill) return;
    var field = document.getElementById(button.dataset.scanFill);
    if (!field || !field.form) return;
    field.value = code;
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.form.requestSubmit();
  }

  function look(session, reader, video) {
    if (current !== session) return;
    if (!session.panel.isConnected) { close(); return; }
    reader.detect(video).then(function (codes) {
      if (current !== session) return;
      var code = codes.map(function (c) { return String(c.rawValue || "").trim(); }).filter(Boolean)[0];
      if (code) found(session.button, code);
      else session.timer = setTimeout(function () { look(session, reader, video); }, LOOK_MS);
    }, function () {
      if (current !== session) return;
      session.failures = (session.failures || 0) + 1;
      if (session.failures < 5) session.timer = setTimeout(function () { look(session, reader, video); }, LOOK_MS * 2);
      else { close(); say(session.button, session.panel, "Unsupported"); }
    });
  }

  function open(button) {
    close();
    var panel = document.getElementById(button.getAttribute("aria-controls"));
    if (!panel) return;
    var slot = errorSlot(panel);
    if (slot) slot.hidden = true;
    var session = { button: button, panel: panel, stream: null, timer: null };
    current = session;
    button.setAttribute("aria-expanded", "true");
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {  // e.g. not over HTTPS
      close();
      say(button, panel, "Unsupported");
      return;
    }
    panel.querySelector("[data-scanner-view]").hidden = false;  // at once: the camera is coming
    var facing = panel.dataset.facing || "environment";
    var camera = navigator.mediaDevices.getUserMedia({ video: { facingMode: facing }, audio: false });
    Promise.all([camera, detector().catch(function () { return null; })]).then(function (both) {
      var stream = both[0], reader = both[1];
      if (current !== session) { stream.getTracks().forEach(function (t) { t.stop(); }); return; }
      session.stream = stream;
      if (!reader) { close(); say(button, panel, "Unsupported"); return; }
      var video = panel.querySelector("video");
      video.srcObject = stream;
      var playing = video.play();  // muted and inline: browsers let it play without a tap
      if (playing) playing.catch(function () {});
      look(session, reader, video);
    }, function (error) {  // only the camera fails here: a reader that cannot load gives null
      if (current !== session) return;
      close();
      say(button, panel, reasonOf(error));
    });
  }

  document.addEventListener("click", function (evt) {
    var button = evt.target.closest && evt.target.closest("[data-scan-open], [data-scan-close]");
    if (!button) return;
    if (button.hasAttribute("data-scan-close")) close();
    else if (current && current.button === button) close();
    else open(button);
  });
  document.addEventListener("visibilitychange", function () { if (document.hidden) close(); });
  window.addEventListener("pagehide", close);

  window.scan = { open: open, close: close };
})();
