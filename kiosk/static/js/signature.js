// Drawn signatures (keys, cases, registers): every [data-signature] box holds a canvas, a
// hidden input that receives the drawing as a PNG data URL, and a "clear" button. Works for
// content swapped in by htmx too. Server side: kiosk/signatures.py checks and stores the PNG.
(function () {
  "use strict";

  function fit(canvas, pad) {
    // Match the canvas's pixels to its CSS size (and the screen's density) so strokes land
    // under the finger; resizing clears the canvas, so the drawing is put back.
    var ratio = Math.max(window.devicePixelRatio || 1, 1);
    var data = pad.isEmpty() ? null : pad.toData();
    canvas.width = canvas.offsetWidth * ratio;
    canvas.height = canvas.offsetHeight * ratio;
    canvas.getContext("2d").scale(ratio, ratio);
    pad.clear();
    if (data) pad.fromData(data);
  }

  function setUp(box) {
    if (box.dataset.signatureReady) return;
    box.dataset.signatureReady = "1";
    var canvas = box.querySelector("canvas");
    var input = box.querySelector("input[type=hidden]");
    var clear = box.querySelector("[data-signature-clear]");
    var pad = new window.SignaturePad(canvas, { penColor: "#111", backgroundColor: "rgba(0,0,0,0)" });
    fit(canvas, pad);
    pad.addEventListener("endStroke", function () {
      input.value = pad.isEmpty() ? "" : pad.toDataURL("image/png");
      box.classList.toggle("signed", !pad.isEmpty());
    });
    if (clear) {
      clear.addEventListener("click", function () {
        pad.clear();
        input.value = "";
        box.classList.remove("signed");
      });
    }
    window.addEventListener("resize", function () { fit(canvas, pad); });
  }

  function scan(root) {
    (root.querySelectorAll ? root : document).querySelectorAll("[data-signature]").forEach(setUp);
    if (root.matches && root.matches("[data-signature]")) setUp(root);
  }

  document.addEventListener("DOMContentLoaded", function () { scan(document); });
  document.addEventListener("htmx:load", function (event) { scan(event.target); });
})();
