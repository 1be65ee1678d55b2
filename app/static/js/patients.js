// The patient chart: keep the keyboard where the work is after an HTMX swap.
(function () {
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (!target || !target.id) { return; }
    // outerHTML swaps replace the target: look the element up again by its id.
    var fresh = document.getElementById(target.id);
    if (!fresh) { return; }
    if (fresh.id === "patient-allergies") {
      var input = document.getElementById("new-allergy");
      if (input) { input.focus(); }
      return;
    }
    var field = fresh.querySelector("form .is-invalid") ||
      (fresh.id.indexOf("record-") === 0 ? fresh.querySelector("form input[type=date]") : null);
    if (field) { field.focus(); }
  });
})();
