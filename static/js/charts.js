/* Small helpers around Chart.js (vendored under static/vendor/chartjs). */
(function () {
  "use strict";
  var palette = ["#a51c1c", "#d9822b", "#2f6fb0", "#5b8c5a", "#7a5195", "#6c757d"];

  window.renderStackedBar = function (canvasId, data) {
    var canvas = document.getElementById(canvasId);
    if (!canvas || typeof Chart === "undefined") { return null; }
    data.datasets.forEach(function (ds, i) {
      ds.backgroundColor = ds.backgroundColor || palette[i % palette.length];
      ds.borderRadius = 3;
    });
    return new Chart(canvas, {
      type: "bar",
      data: data,
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { position: "bottom" } },
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
  };
})();

/* Bars of counts on the left axis, a percentage line on the right axis ("rate"). */
(function () {
  "use strict";
  window.renderComboChart = function (canvasId, data) {
    var canvas = document.getElementById(canvasId);
    if (!canvas || typeof Chart === "undefined") { return null; }
    return new Chart(canvas, {
      data: data,
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { position: "bottom" } },
        scales: {
          y: { beginAtZero: true, ticks: { precision: 0 } },
          rate: { position: "right", min: 0, max: 100, grid: { drawOnChartArea: false },
                  ticks: { callback: function (v) { return v + "%"; } } }
        }
      }
    });
  };
})();
