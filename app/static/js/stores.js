// Store products screen: filter the product checklist, check all shown, paint category chips.
(function () {
  var HEX = /^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$/;

  function paintChips(root) {
    (root || document).querySelectorAll("[data-colour]").forEach(function (chip) {
      var colour = chip.getAttribute("data-colour");
      if (HEX.test(colour)) { chip.style.backgroundColor = colour; }
    });
  }

  function shownBoxes(list) {
    return Array.prototype.filter.call(list.querySelectorAll("[data-filter-text]"), function (row) {
      return !row.hidden;
    }).map(function (row) { return row.querySelector("input[type=checkbox]"); });
  }

  document.addEventListener("input", function (event) {
    var field = event.target;
    if (!field.matches || !field.matches("[data-filter-list]")) { return; }
    var list = document.querySelector(field.getAttribute("data-filter-list"));
    if (!list) { return; }
    var text = field.value.trim().toLowerCase();
    list.querySelectorAll("[data-filter-text]").forEach(function (row) {
      row.hidden = text !== "" && row.getAttribute("data-filter-text").indexOf(text) === -1;
    });
  });

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("[data-check-all]")) { return; }
    var list = document.querySelector(box.getAttribute("data-check-all"));
    if (!list) { return; }
    shownBoxes(list).forEach(function (item) { if (item) { item.checked = box.checked; } });
  });

  document.addEventListener("htmx:load", function (event) { paintChips(event.detail.elt); });
  document.addEventListener("DOMContentLoaded", function () { paintChips(document); });
})();
