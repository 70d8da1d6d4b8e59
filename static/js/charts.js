/* The dashboards' charts. Data comes from <script type="application/json" id="…-chart-data"> elements
 * (Django's json_script), the canvas is the element whose id is the same without "-data"; no inline
 * script is needed, so a Content-Security-Policy without 'unsafe-inline' keeps working. Every number is
 * also in the table beside its chart. */
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") { return; }

  var PALETTE = ["#0b4f8a", "#c2410c", "#15803d", "#7e22ce", "#b91c1c", "#0e7490", "#a16207", "#be185d"];
  var PACE_COLOUR = "#6b7280";

  function number(value) { return value === null || value === undefined ? null : parseFloat(value); }
  function numbers(values) { return values.map(number); }

  function percentAxis(title) {
    return { beginAtZero: true, suggestedMax: 100, title: { display: true, text: title }, ticks: { callback: function (v) { return v + "%"; } } };
  }

  function paceChart(canvas, data) {
    var datasets = [{
      label: data.pace.label, data: numbers(data.pace.data), borderColor: PACE_COLOUR, borderDash: [6, 4],
      pointRadius: 0, borderWidth: 2, fill: false, order: 2
    }];
    data.datasets.forEach(function (set, index) {
      var colour = PALETTE[index % PALETTE.length];
      datasets.push({
        label: set.label, data: numbers(set.data), borderColor: colour, backgroundColor: colour,
        pointRadius: 5, pointHoverRadius: 7, spanGaps: false, fill: false, order: 1
      });
    });
    return new window.Chart(canvas, {
      type: "line",
      data: { labels: data.labels, datasets: datasets },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        scales: { y: percentAxis(data.yTitle) },
        plugins: { legend: { position: "bottom" }, tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": " + c.formattedValue + "%"; } } } }
      }
    });
  }

  function barChart(canvas, data) {
    var datasets = data.datasets.map(function (set, index) {
      return { type: "bar", label: set.label, data: numbers(set.data), backgroundColor: set.colour || (index === 0 ? "#93c5fd" : "#0b4f8a"), order: 2 };
    });
    if (data.pace !== null) {
      datasets.push({
        type: "line", label: data.paceLabel + " " + data.pace + "%", data: data.labels.map(function () { return number(data.pace); }),
        borderColor: PACE_COLOUR, borderDash: [6, 4], pointRadius: 0, borderWidth: 2, fill: false, order: 1
      });
    }
    return new window.Chart(canvas, {
      data: { labels: data.labels, datasets: datasets },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false, indexAxis: "x",
        scales: { y: percentAxis(data.yTitle), x: { ticks: { autoSkip: false, maxRotation: 60, minRotation: 0 } } },
        plugins: { legend: { position: "bottom" } }
      }
    });
  }

  function seriesChart(canvas, data) {
    // a measure's results by date (programs/charts.py), against its year's target where one is approved
    var datasets = data.datasets.map(function (set) {
      return { label: set.label, data: numbers(set.data), borderColor: set.colour, backgroundColor: set.colour, pointRadius: 5, fill: false, order: 1 };
    });
    if (data.target !== null) {
      datasets.push({
        label: data.targetLabel + " " + data.target, data: data.labels.map(function () { return number(data.target); }),
        borderColor: PACE_COLOUR, borderDash: [6, 4], pointRadius: 0, borderWidth: 2, fill: false, order: 2
      });
    }
    return new window.Chart(canvas, {
      type: "line",
      data: { labels: data.labels, datasets: datasets },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        scales: { y: { beginAtZero: true, title: { display: true, text: data.yTitle } } },
        plugins: { legend: { position: "bottom" } }
      }
    });
  }

  document.querySelectorAll('script[type="application/json"][id$="-chart-data"]').forEach(function (element) {
    var canvas = document.getElementById(element.id.replace(/-data$/, ""));
    if (!canvas) { return; }
    var data = JSON.parse(element.textContent);
    var chart = data.kind === "pace" ? paceChart(canvas, data) : data.kind === "series" ? seriesChart(canvas, data) : barChart(canvas, data);
    canvas.dataset.rendered = "true";
    canvas.chart = chart;
  });
})();
