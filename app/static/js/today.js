// Hari ini: the appointment part refreshes itself every 60 seconds and after an action
// (hx-trigger on #today-appointments); the refresh waits while someone is typing an
// invoice number there, so nothing typed is lost.
(function () {
  function typing(section) {
    var active = document.activeElement;
    return Array.prototype.some.call(
      section.querySelectorAll("input[name=digisoft_invoice_numbers]"),
      function (input) { return input === active || input.value.trim() !== ""; });
  }
  document.addEventListener("htmx:confirm", function (event) {
    var element = event.detail.elt;
    if (!element || element.id !== "today-appointments") { return; }
    if (typing(element)) { event.preventDefault(); }
  });
})();
