// Kiosk notices (V9): a notice past its end disappears, also from the welcome screen the
// kiosk shows from its offline cache. No inline script (CSP).
(function () {
  "use strict";
  function sweep() {
    var now = Date.now();
    document.querySelectorAll(".kiosk-notice[data-until]").forEach(function (notice) {
      var until = Date.parse(notice.dataset.until);
      if (!isNaN(until) && until <= now) notice.remove();
    });
    document.querySelectorAll(".kiosk-notices").forEach(function (box) {
      if (!box.querySelector(".kiosk-notice")) box.remove();
    });
  }
  document.addEventListener("DOMContentLoaded", sweep);
  document.addEventListener("htmx:load", sweep);
  setInterval(sweep, 60000);
})();
