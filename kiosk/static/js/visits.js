// The visitor pages: a print button for the on-site roll call (no inline script: CSP).
(function () {
  "use strict";
  document.addEventListener("click", function (evt) {
    if (evt.target.closest && evt.target.closest("[data-print]")) window.print();
  });
})();
