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

// Console navigation groups (<details data-navgroup>): one open at a time; Escape or a click
// elsewhere closes it, and focus goes back to the group's heading.
(function () {
  "use strict";
  function groups() { return document.querySelectorAll("details[data-navgroup]"); }
  document.addEventListener("toggle", function (event) {
    var opened = event.target;
    if (!opened.matches || !opened.matches("details[data-navgroup]") || !opened.open) return;
    groups().forEach(function (other) { if (other !== opened) other.open = false; });
  }, true);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    groups().forEach(function (group) {
      if (group.open) { group.open = false; group.querySelector("summary").focus(); }
    });
  });
  document.addEventListener("click", function (event) {
    groups().forEach(function (group) { if (group.open && !group.contains(event.target)) group.open = false; });
  });
})();
