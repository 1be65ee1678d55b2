// Admin behaviour shared by every screen: CSRF header for HTMX, toasts from HX-Trigger.
(function () {
  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRFToken"] = csrfToken();
  });
  function showToast(message, level) {
    var holder = document.getElementById("toasts");
    if (!holder || !window.bootstrap) { return; }
    var toast = document.createElement("div");
    toast.className = "toast align-items-center border-0 text-bg-" + (level || "success");
    toast.setAttribute("role", "status");
    var row = document.createElement("div");
    row.className = "d-flex";
    var body = document.createElement("div");
    body.className = "toast-body";
    body.textContent = message;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close btn-close-white me-2 m-auto";
    close.setAttribute("data-bs-dismiss", "toast");
    close.setAttribute("aria-label", "Tutup");
    row.appendChild(body);
    row.appendChild(close);
    toast.appendChild(row);
    holder.appendChild(toast);
    new window.bootstrap.Toast(toast, { delay: 4000 }).show();
    toast.addEventListener("hidden.bs.toast", function () { toast.remove(); });
  }
  // Date inputs read dd/mm/yyyy whatever the browser's language: a text input marked
  // data-date (or data-datetime, dd/mm/yyyy HH:MM) gets the flatpickr calendar (Indonesian).
  // It submits the text as shown, which the engine accepts; typing stays possible.
  function datePickers(root) {
    if (!window.flatpickr || !root.querySelectorAll) { return; }
    root.querySelectorAll("input[data-date], input[data-datetime]").forEach(function (input) {
      if (input._flatpickr) { return; }
      var withTime = input.hasAttribute("data-datetime");
      window.flatpickr(input, {
        locale: window.flatpickr.l10ns.id || "default",
        dateFormat: withTime ? "d/m/Y H:i" : "d/m/Y",
        enableTime: withTime,
        time_24hr: true,
        allowInput: true,
        disableMobile: true
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.body.addEventListener("toast", function (event) {
      showToast(event.detail.message, event.detail.level);
    });
    datePickers(document);
  });
  document.addEventListener("htmx:load", function (event) { datePickers(event.detail.elt); });
  document.addEventListener("htmx:responseError", function (event) {
    showToast("Permintaan gagal (" + event.detail.xhr.status + "). Coba lagi.", "danger");
  });
})();
