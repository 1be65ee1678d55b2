// Picture gallery (products, services): say how many files are chosen before uploading, and keep the upload
// button disabled until there is something to send (works again after each HTMX swap).
(function () {
  function wire(root) {
    var forms = (root || document).querySelectorAll("form[data-gallery-upload]");
    forms.forEach(function (form) {
      if (form.dataset.wired) { return; }
      form.dataset.wired = "1";
      var input = form.querySelector("input[type=file]");
      var button = form.querySelector("button[type=submit]");
      var help = form.querySelector(".form-text");
      var original = help ? help.textContent : "";
      function update() {
        var count = input.files ? input.files.length : 0;
        button.disabled = count === 0;
        if (help) {
          help.textContent = count ? count + " berkas dipilih. " + original : original;
        }
      }
      input.addEventListener("change", update);
      update();
    });
  }
  document.addEventListener("DOMContentLoaded", function () { wire(document); });
  document.addEventListener("htmx:afterSwap", function () { wire(document); });
})();
