// Kalender: FullCalendar fed by /admin/calendar/events (services/appointments/queries.py: timeline; the month
// view of every doctor gets the number of appointments per day, a click opens that day); the booking form
// and an appointment's panel open in a Bootstrap modal via HTMX; every action answers with
// an HX-Trigger "calendar:refresh" that makes the calendar fetch its events again.
(function () {
  "use strict";
  var calendar = null;

  // FullCalendar inserts its stylesheet rule by rule, including an @font-face whose icon
  // font is a data: URI that the CSP (font-src 'self') refuses, which Chromium reports as an
  // error even when no icon is shown. The calendar uses text buttons (buttonIcons: false),
  // so that rule goes in without its source (same position, nothing to load). This file
  // loads before FullCalendar for this reason.
  if (window.CSSStyleSheet && !CSSStyleSheet.prototype.insertRule.clinicFiltered) {
    var insertRule = CSSStyleSheet.prototype.insertRule;
    var filtered = function (rule, index) {
      if (typeof rule === "string" && rule.indexOf("@font-face") === 0 && rule.indexOf("fcicons") !== -1) {
        return insertRule.call(this, "@font-face{font-family:fcicons}", index);
      }
      return insertRule.apply(this, arguments);
    };
    filtered.clinicFiltered = true;
    CSSStyleSheet.prototype.insertRule = filtered;
  }

  function modalElement() { return document.getElementById("calendar-modal"); }

  function showModal() {
    var element = modalElement();
    if (element && window.bootstrap) { window.bootstrap.Modal.getOrCreateInstance(element).show(); }
  }

  function openInModal(url) {
    if (!window.htmx) { window.location.href = url; return; }
    window.htmx.ajax("GET", url, { target: "#calendar-modal-body", swap: "innerHTML" });
  }

  function withParams(url, params) {
    var query = new URLSearchParams();
    Object.keys(params).forEach(function (key) {
      if (params[key] !== undefined && params[key] !== null && params[key] !== "") { query.set(key, params[key]); }
    });
    var text = query.toString();
    return text ? url + (url.indexOf("?") === -1 ? "?" : "&") + text : url;
  }

  function notify(message, level) {
    document.body.dispatchEvent(new CustomEvent("toast", { detail: { message: message, level: level || "danger" } }));
  }

  function buildCalendar(element) {
    var filter = document.getElementById("doctor-filter");
    var cancelled = document.getElementById("show-cancelled");
    var detailUrl = element.getAttribute("data-detail-url").replace(/\/0$/, "/");
    var bookUrl = element.getAttribute("data-book-url");
    var canBook = element.getAttribute("data-can-book") === "1";
    var options = {
      locale: "id",
      timeZone: "UTC", // events are clinic wall-clock times; show them as they are
      now: element.getAttribute("data-now"),
      initialView: window.innerWidth < 768 ? "timeGridDay" : "timeGridWeek",
      headerToolbar: { left: "prev,next today", center: "title", right: "timeGridDay,timeGridWeek,dayGridMonth" },
      // text buttons: the icon font FullCalendar embeds is a data: URI the CSP does not allow
      buttonIcons: false,
      buttonText: { prev: "\u2039", next: "\u203a", today: "Hari ini", day: "Hari", week: "Minggu",
                    month: "Bulan" },
      buttonHints: { prev: "$0 sebelumnya", next: "$0 berikutnya", today: "$0 ini" },
      slotMinTime: element.getAttribute("data-slot-min") || "07:00:00",
      slotMaxTime: element.getAttribute("data-slot-max") || "21:00:00",
      slotDuration: "00:30:00",
      allDaySlot: false,
      nowIndicator: true,
      height: "auto",
      dayMaxEvents: 4,
      moreLinkClick: "timeGridDay", // a day view rather than a popover (its close icon is the font)
      eventDisplay: "block",
      eventShortHeight: 44, // a 30-minute appointment shows time and title on one line
      views: { timeGridWeek: { displayEventEnd: false }, dayGridMonth: { displayEventEnd: false } },
      eventTimeFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
      slotLabelFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
      // every view asks for its own range: the month view of every doctor answers counts
      // per day, which a week or day view inside that month must not reuse
      lazyFetching: false,
      events: {
        url: element.getAttribute("data-events-url"),
        extraParams: function () {
          return { id_doctors: filter ? filter.value : "", cancelled: cancelled && cancelled.checked ? "1" : "" };
        },
        failure: function () { notify("Janji tidak dapat dimuat. Muat ulang halaman."); }
      },
      eventDidMount: function (info) {
        var props = info.event.extendedProps;
        if (props.day_count !== undefined) {
          // the month view of every doctor: the day's number of appointments
          info.el.setAttribute("title", info.event.title + " — klik untuk melihat hari ini");
          info.el.setAttribute("data-day-count", props.day_count);
          return;
        }
        info.el.setAttribute("title", props.patients + " · " + info.event.extendedProps.doctor + " · " +
          (props.status_label || props.status));
        info.el.setAttribute("data-appointment-id", info.event.id);
        info.el.setAttribute("data-status", props.status);
      },
      eventClick: function (info) {
        info.jsEvent.preventDefault();
        if (info.event.extendedProps.day_count !== undefined) {
          calendar.changeView("timeGridDay", info.event.extendedProps.date);
          return;
        }
        openInModal(detailUrl + info.event.id);
      }
    };
    if (canBook) {
      // The form preselects the free slot nearest the time clicked, of the doctor whose
      // column it is (resource views) or the one filtered, else of any doctor.
      options.dateClick = function (info) {
        var doctor = info.resource ? info.resource.id : (filter ? filter.value : "");
        var params = { tanggal: info.dateStr.slice(0, 10), id_doctors: doctor };
        if (!info.allDay) { params.jam = info.dateStr.slice(11, 16); }
        openInModal(withParams(bookUrl, params));
      };
    }
    calendar = new window.FullCalendar.Calendar(element, options);
    calendar.render();
    if (filter) { filter.addEventListener("change", function () { calendar.refetchEvents(); }); }
    if (cancelled) { cancelled.addEventListener("change", function () { calendar.refetchEvents(); }); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("calendar");
    if (element && window.FullCalendar) { buildCalendar(element); }
    document.body.addEventListener("calendar:refresh", function () {
      if (calendar) { calendar.refetchEvents(); }
    });
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail.target && event.detail.target.id === "calendar-modal-body" && modalElement()) {
        showModal();
      }
    });
  });

  // Picking a slot in the booking form remembers its time: another doctor, service or date
  // then preselects the free slot nearest to it.
  document.addEventListener("change", function (event) {
    var slot = event.target;
    if (!slot.matches || !slot.matches("#book-form input[name=id_doctor_schedules][data-start]")) { return; }
    var time = document.getElementById("book-time");
    if (time) { time.value = slot.getAttribute("data-start"); }
  });

  // Enter in a walk-in patient's field saves the patient, not the whole booking.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !event.target.closest || !event.target.closest("#walk-in-fields")) { return; }
    if (event.target.tagName === "BUTTON") { return; }
    event.preventDefault();
    var save = document.getElementById("walk-in-save");
    if (save) { save.click(); }
  });

  // A date chip under "no free slot" sets its date field and asks for that date's slots.
  document.addEventListener("click", function (event) {
    var chip = event.target.closest ? event.target.closest("[data-set-date]") : null;
    if (!chip) { return; }
    var input = document.querySelector(chip.getAttribute("data-date-input"));
    if (!input) { return; }
    input.value = chip.getAttribute("data-set-date");
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });
})();
