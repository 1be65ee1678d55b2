// Pesanan: the board marks the card whose order is open in the drawer (also after the board
// refreshes itself following a step), and the drawer's focus goes to its title when it opens.
(function () {
  function openId() {
    var panel = document.querySelector("#order-drawer-body .order-panel");
    var drawer = document.getElementById("order-drawer");
    if (!panel || !drawer || !drawer.classList.contains("show")) { return null; }
    return panel.getAttribute("data-order-id");
  }
  function markOpenCard() {
    var id = openId();
    document.querySelectorAll(".order-card").forEach(function (card) {
      card.classList.toggle("is-open", card.getAttribute("data-order-id") === id);
    });
  }
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (target && target.id === "order-drawer-body") {
      var title = document.getElementById("order-drawer-title");
      if (title) { title.setAttribute("tabindex", "-1"); title.focus({ preventScroll: true }); }
    }
    markOpenCard();
  });
  document.addEventListener("DOMContentLoaded", function () {
    var drawer = document.getElementById("order-drawer");
    if (!drawer) { return; }
    drawer.addEventListener("shown.bs.offcanvas", markOpenCard);
    drawer.addEventListener("hidden.bs.offcanvas", markOpenCard);
  });
})();
