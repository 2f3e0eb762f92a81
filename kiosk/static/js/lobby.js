// The lobby board refreshes itself (htmx polling of #board). A refresh would wipe what
// a person is typing (a floor, a reason) or the host's phones they are reading, or pull
// the focus from under someone working the board by keyboard (focus-visible: a mouse
// click leaves no such focus), so the poll is skipped while any is the case. No inline
// script (CSP).
(function () {
  "use strict";

  document.addEventListener("htmx:beforeRequest", function (evt) {
    var board = evt.detail.elt;
    if (!board || !board.matches || !board.matches("[data-lobby-board]")) return;
    var active = document.activeElement;
    var inside = active && board.contains(active);
    var typing = inside && active.matches("input, textarea, select");
    var keyboard = inside && active.matches(":focus-visible");
    var reading = board.querySelector(".contacts-slot .contacts");
    if (typing || keyboard || reading) evt.preventDefault();
  });

  document.addEventListener("click", function (evt) {
    var button = evt.target.closest && evt.target.closest("[data-close-contacts]");
    if (button) button.closest(".contacts-slot").innerHTML = "";
  });
})();
