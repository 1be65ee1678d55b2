/* The Midtrans stand-in's Snap script (MIDTRANS_MODE=standin): snap.pay(token) opens the
   local payment page instead of Midtrans' popup. Served by /api/payments/webhooks/clients. */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script ? new URL(script.src).origin : window.location.origin;
  window.snap = {
    pay: function (token) {
      window.location.href = base + "/payments/standin/" + encodeURIComponent(token);
    },
    hide: function () {}
  };
}());
