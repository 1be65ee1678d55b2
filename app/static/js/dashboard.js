/* The owner's dashboard: draws the charts with Chart.js from the JSON block
   #dashboard-data (no inline script: the page runs under a self-only CSP). Money is shown
   as Indonesian rupiah (Rp 1.234.567), month names are given by the server. */
(function () {
  "use strict";

  var numbers = new Intl.NumberFormat("id-ID", { maximumFractionDigits: 0 });

  function rupiah(value) {
    return "Rp " + numbers.format(value);
  }

  /* Short rupiah for an axis: Rp 1,5 jt, Rp 250 rb. */
  function shortRupiah(value) {
    var abs = Math.abs(value);
    var short = new Intl.NumberFormat("id-ID", { maximumFractionDigits: 1 });
    if (abs >= 1e9) return "Rp " + short.format(value / 1e9) + " M";
    if (abs >= 1e6) return "Rp " + short.format(value / 1e6) + " jt";
    if (abs >= 1e3) return "Rp " + short.format(value / 1e3) + " rb";
    return rupiah(value);
  }

  function colour(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  function base() {
    return {
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } }
    };
  }

  function whole(value) {
    return Number.isInteger(value) ? numbers.format(value) : "";
  }

  /* A long label cut for a narrow axis; the tooltip keeps the whole name. */
  function cut(limit) {
    return function (value) {
      var text = this.getLabelForValue(value);
      return text.length > limit ? text.slice(0, limit - 1) + "…" : text;
    };
  }

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas) return null;
    return new window.Chart(canvas, config);
  }

  function monthsChart(data, primary, secondary) {
    var options = base();
    options.scales = {
      y: { beginAtZero: true, ticks: { callback: shortRupiah }, title: { display: false } },
      y1: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false },
            ticks: { precision: 0, callback: whole } }
    };
    options.plugins.tooltip = { callbacks: { label: function (item) {
      return item.dataset.yAxisID === "y"
        ? item.dataset.label + ": " + rupiah(item.parsed.y)
        : item.dataset.label + ": " + numbers.format(item.parsed.y);
    } } };
    return draw("chart-months", {
      type: "bar",
      data: { labels: data.months, datasets: [
        { label: "Pendapatan bersih", data: data.revenue, backgroundColor: primary, yAxisID: "y", order: 2,
          maxBarThickness: 48 },
        { label: "Invoice lunas", data: data.invoices, type: "line", borderColor: secondary,
          backgroundColor: secondary, yAxisID: "y1", tension: 0.25, order: 1 }
      ] },
      options: options
    });
  }

  function horizontalBars(id, labels, datasets, unit) {
    var options = base();
    options.indexAxis = "y";
    options.scales = {
      x: { beginAtZero: true, ticks: { precision: 0, callback: whole } },
      y: { ticks: { callback: cut(window.innerWidth < 576 ? 14 : 24) } }
    };
    options.plugins.tooltip = { callbacks: { label: function (item) {
      return item.dataset.label + ": " + numbers.format(item.parsed.x) + (unit ? " " + unit : "");
    } } };
    if (datasets.length === 1) options.plugins.legend = { display: false };
    datasets.forEach(function (dataset) { dataset.maxBarThickness = 28; });
    return draw(id, { type: "bar", data: { labels: labels, datasets: datasets }, options: options });
  }

  function start() {
    var block = document.getElementById("dashboard-data");
    if (!block || !window.Chart) return;
    var data = JSON.parse(block.textContent);
    var primary = colour("--bs-primary", "#0d6efd");
    var success = colour("--bs-success", "#198754");
    var warning = colour("--bs-warning", "#ffc107");
    var info = colour("--bs-info", "#0dcaf0");
    window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    var charts = {
      months: monthsChart(data, primary, warning),
      doctors: horizontalBars("chart-doctors", data.doctors.labels, [
        { label: "Dipesan", data: data.doctors.booked, backgroundColor: info },
        { label: "Selesai", data: data.doctors.done, backgroundColor: success }
      ], "janji"),
      products: horizontalBars("chart-products", data.products.labels, [
        { label: "Terjual", data: data.products.values, backgroundColor: primary }
      ], "pcs"),
      services: horizontalBars("chart-services", data.services.labels, [
        { label: "Selesai", data: data.services.values, backgroundColor: success }
      ], "kali")
    };
    window.dashboardCharts = charts; // the end-to-end test checks the charts exist
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
