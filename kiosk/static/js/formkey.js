// Submission keys made in the browser (OFFLINE.md 4, 5). A form marked
// `data-idempotent` gets a fresh key in its empty `idempotency_key` input when it is
// shown (never rendered by the server: a cached form would hand every visitor the same
// key), and its `action_at` input gets the device's time when it is sent. A double tap
// sends the same key twice, so the server stores one record.
(function () {
  "use strict";

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function prepare(root) {
    var forms = (root.matches && root.matches("form[data-idempotent]")) ? [root] : [];
    forms = forms.concat(Array.prototype.slice.call((root.querySelectorAll ? root : document).querySelectorAll("form[data-idempotent]")));
    forms.forEach(function (form) {
      var input = form.querySelector("input[name=idempotency_key]");
      if (input && !input.value) input.value = newKey();
    });
  }

  function stamp(form) {
    var input = form && form.querySelector && form.querySelector("input[name=action_at]");
    if (input) input.value = new Date().toISOString();
  }

  // A new key for a form the server sent back (e.g. 422 with the visitor's input kept)
  // keeps the key it carried: the same attempt, corrected.
  document.addEventListener("DOMContentLoaded", function () { prepare(document); });
  document.addEventListener("htmx:load", function (evt) { prepare(evt.detail.elt); });
  document.addEventListener("submit", function (evt) { stamp(evt.target); }, true);
  document.addEventListener("htmx:configRequest", function (evt) {
    var form = evt.detail.elt && evt.detail.elt.closest && evt.detail.elt.closest("form[data-idempotent]");
    if (form) {
      stamp(form);
      var input = form.querySelector("input[name=action_at]");
      if (input) evt.detail.parameters.action_at = input.value;  // htmx 2: a FormData proxy
    }
  });

  window.formKey = { newKey: newKey, prepare: prepare };
})();
