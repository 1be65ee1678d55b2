// Konsultasi: keep the chat scrolled to the newest message, never show a message twice
// (a send and a poll may both bring it), let the send and prescribe forms show their own
// refusals (413, 415, 422 answers are swapped in, with their messages inline), and show the
// allergy confirmation as soon as a product that matches an allergy is picked.
(function () {
  var INLINE = [400, 413, 415, 422];

  function chat() { return document.getElementById("chat-messages"); }

  function nearBottom(box) {
    return box.scrollHeight - box.scrollTop - box.clientHeight < 120;
  }

  function toBottom(box) { box.scrollTop = box.scrollHeight; }

  function dropRepeats(box) {
    var seen = {};
    box.querySelectorAll("[data-message-id]").forEach(function (item) {
      var id = item.getAttribute("data-message-id");
      if (seen[id]) { item.remove(); } else { seen[id] = true; }
    });
    var empty = box.querySelector(".chat-empty");
    if (empty && box.querySelector("[data-message-id]")) { empty.remove(); }
  }

  var stick = true;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var box = chat();
    if (box && event.detail.target === box) { stick = nearBottom(box); }
    var target = event.detail.target;
    if (target && target.closest && target.closest("[data-inline-errors]") &&
        INLINE.indexOf(event.detail.xhr.status) !== -1) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  function settle(mine) {
    var box = chat();
    if (!box) { return; }
    dropRepeats(box);
    if (mine || stick) { toBottom(box); }
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target === chat()) { settle(false); }
  });
  // a sent message comes back out of band: scroll to it whatever the position was
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    if (event.detail.target === chat()) { settle(true); }
  });

  function allergyConfirm(root) {
    var picked = root.querySelector("input[name='id_menu']:checked");
    var confirm = document.getElementById("allergy-confirm");
    if (!confirm) { return; }
    var warned = picked && picked.getAttribute("data-allergies");
    confirm.hidden = !warned;
    var words = document.getElementById("allergy-confirm-words");
    if (words) { words.textContent = warned || ""; }
    var box = confirm.querySelector("input[type='checkbox']");
    if (box && !warned) { box.checked = false; }
  }

  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("#prescribe-form");
    if (form && event.target.name === "id_menu") {
      // a new search keeps the picked product among its choices
      var picked = document.getElementById("prescribe-picked");
      if (picked) { picked.value = event.target.value; }
      allergyConfirm(form);
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var box = chat();
    if (box) { dropRepeats(box); toBottom(box); }
  });
})();
