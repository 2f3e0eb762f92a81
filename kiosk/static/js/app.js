// Shared page behaviour: error toasts for failed htmx requests. No inline script
// anywhere (the CSP forbids it); behaviour sits on elements as hx-* attributes.
(function () {
  "use strict";

  function toast(message) {
    var region = document.getElementById("toasts");
    if (!region || !message) return;
    var item = document.createElement("div");
    item.className = "toast toast-error";
    item.textContent = message;
    region.appendChild(item);
    setTimeout(function () { item.remove(); }, 8000);
  }

  function messageFrom(xhr) {
    // Error responses to partial requests carry one [data-toast] element; only its
    // text is used, never its markup.
    try {
      var doc = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
      var el = doc.querySelector("[data-toast]");
      if (el) return el.textContent.trim();
    } catch (e) { /* fall through to the generic message */ }
    return document.body.dataset.msgError;
  }

  document.addEventListener("htmx:responseError", function (evt) {
    toast(messageFrom(evt.detail.xhr));
  });
  document.addEventListener("htmx:sendError", function () {
    toast(document.body.dataset.msgNetwork);
  });
  document.addEventListener("showToast", function (evt) {
    toast(evt.detail && evt.detail.value);
  });
})();
