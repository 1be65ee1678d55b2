// Catalog screens: colour chips and a colour picker beside the colour field (the rich-text
// editor of brief / komposisi / aturan pakai is js/richtext.js, shared by every form).
// Works under the self-only CSP: colours are set through element.style, never in markup.
(function () {
  "use strict";

  var COLOUR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

  // ---- colours chosen by data ---------------------------------------------------------
  function normalColour(value) {
    value = (value || "").trim();
    if (!COLOUR.test(value)) { return null; }
    if (value.length === 4) {
      value = "#" + value[1] + value[1] + value[2] + value[2] + value[3] + value[3];
    }
    return value.toLowerCase();
  }

  function paintChips(root) {
    root.querySelectorAll("[data-colour]").forEach(function (element) {
      var colour = normalColour(element.getAttribute("data-colour"));
      if (colour) { element.style.backgroundColor = colour; }
    });
  }

  // The field's error message sits after the control; once the control is wrapped, show it
  // explicitly (Bootstrap only shows it next to an .is-invalid sibling).
  function showFeedback(control, wrapper) {
    var next = wrapper.nextElementSibling;
    if (control.classList.contains("is-invalid") && next && next.classList.contains("invalid-feedback")) {
      next.classList.add("d-block");
    }
  }

  function colourPicker(root) {
    root.querySelectorAll("input#f-color").forEach(function (text) {
      if (text.dataset.picker) { return; }
      text.dataset.picker = "1";
      var holder = document.createElement("div");
      holder.className = "colour-field";
      var picker = document.createElement("input");
      picker.type = "color";
      picker.className = "form-control form-control-color";
      picker.setAttribute("aria-label", "Pilih warna");
      picker.value = normalColour(text.value) || "#6c757d";
      text.parentNode.insertBefore(holder, text);
      holder.appendChild(picker);
      holder.appendChild(text);
      if (!text.value) { text.placeholder = "#RRGGBB"; }
      showFeedback(text, holder);
      picker.addEventListener("input", function () {
        text.value = picker.value.toUpperCase();
      });
      text.addEventListener("input", function () {
        var colour = normalColour(text.value);
        if (colour) { picker.value = colour; }
      });
    });
  }

  function init(root) {
    if (!root || !root.querySelectorAll) { return; }
    paintChips(root);
    colourPicker(root);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.detail.elt); });
})();
