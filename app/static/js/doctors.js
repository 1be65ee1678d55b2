// Doctors' weekly schedule: colour the service chips of the slots and, after a refused
// change, put the keyboard focus on the first field that needs fixing.
(function () {
  var HEX = /^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$/;

  function paintChips(root) {
    (root || document).querySelectorAll(".slot-chip[data-colour]").forEach(function (chip) {
      var colour = chip.getAttribute("data-colour");
      if (HEX.test(colour)) { chip.style.backgroundColor = colour; }
    });
  }

  document.addEventListener("htmx:load", function (event) { paintChips(event.detail.elt); });
  document.addEventListener("DOMContentLoaded", function () { paintChips(document); });
  // after the settle phase: htmx restores the old attributes of same-id elements until then
  document.addEventListener("htmx:afterSettle", function (event) {
    if (!event.detail.xhr || event.detail.xhr.status !== 422) { return; }
    var invalid = document.querySelector("#weekly .is-invalid");
    if (invalid) { invalid.focus(); }
  });
})();
