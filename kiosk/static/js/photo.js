// Photos taken on a device are shrunk there before they are sent or queued (OFFLINE.md 7):
// at most MAX_SIDE px on the long side, JPEG, so a queued report or patrol photo stays
// small in the outbox. Shared by the patrol tablet (patrol.js) and the kiosk's report
// form; the server cleans and shrinks again (kiosk/photos.py). No inline script (CSP).
//
// - photo.shrink(file) -> Promise<Blob>: the shrunk JPEG (rejects when it is no image).
// - photo.replace(input) -> Promise<Blob>: the input's file replaced by its shrunk JPEG;
//   rejects with "type" (not an image) or "too_large" (still over MAX_BYTES).
// - An `input[data-photo]` (the kiosk's report form) is handled here: shrunk when chosen,
//   shown in its field's [data-photo-preview], refused with the field's data-msg-type or
//   data-msg-too-large; its form's submit buttons wait while it is being shrunk.
(function () {
  "use strict";

  var MAX_SIDE = 1600;
  var QUALITY = 0.85;
  var MAX_BYTES = 8 * 1024 * 1024;  // kiosk/photos.py MAX_BYTES

  function shrink(file) {
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      if (bitmap.close) bitmap.close();
      return new Promise(function (resolve, reject) {
        canvas.toBlob(function (blob) { if (blob) resolve(blob); else reject(new Error("encode")); }, "image/jpeg", QUALITY);
      });
    });
  }

  function replace(input) {
    var file = input.files && input.files[0];
    if (!file) return Promise.reject("none");
    if (file.type && !/^image\//.test(file.type)) return Promise.reject("type");
    return shrink(file).then(function (blob) {
      if (blob.size > MAX_BYTES) throw "too_large";
      var files = new DataTransfer();
      files.items.add(new File([blob], "photo.jpg", { type: "image/jpeg" }));
      input.files = files.files;
      return blob;
    }, function () { throw "type"; });
  }

  window.photo = { shrink: shrink, replace: replace, MAX_SIDE: MAX_SIDE, MAX_BYTES: MAX_BYTES };

  // --- the kiosk's photo field -------------------------------------------------------
  function field(input) { return input.closest(".kfield") || input.parentNode; }

  function say(input, message) {
    var box = field(input);
    var slot = box.querySelector("[data-client-error]");
    box.querySelectorAll(".error:not([data-client-error])").forEach(function (el) { el.hidden = true; });
    if (slot) { slot.textContent = message || ""; slot.hidden = !message; }
    box.classList.toggle("invalid", !!message);
  }

  function preview(input, blob) {
    var box = field(input);
    var img = box.querySelector("[data-photo-preview]");
    var clear = box.querySelector("[data-photo-clear]");
    if (img) {
      if (img.dataset.url) URL.revokeObjectURL(img.dataset.url);
      img.dataset.url = blob ? URL.createObjectURL(blob) : "";
      img.src = img.dataset.url || "";
      img.hidden = !blob;
    }
    if (clear) clear.hidden = !blob;
  }

  function busy(input, on) {
    var form = input.form;
    if (!form) return;
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = on; });
    if (on) form.dataset.photoBusy = "1"; else delete form.dataset.photoBusy;
  }

  document.addEventListener("change", function (evt) {
    var input = evt.target;
    if (!input.matches || !input.matches("input[data-photo]")) return;
    say(input, "");
    if (!input.files.length) { preview(input, null); return; }
    busy(input, true);
    replace(input).then(function (blob) {
      preview(input, blob);
    }, function (reason) {
      input.value = "";
      preview(input, null);
      say(input, reason === "too_large" ? input.dataset.msgTooLarge : input.dataset.msgType);
    }).then(function () { busy(input, false); });
  });

  document.addEventListener("click", function (evt) {
    var button = evt.target.closest && evt.target.closest("[data-photo-clear]");
    if (!button) return;
    var input = field(button).querySelector("input[data-photo]");
    if (input) { input.value = ""; preview(input, null); say(input, ""); }
  });
})();
