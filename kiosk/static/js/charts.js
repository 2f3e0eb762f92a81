// Charts of the staff console (the quarterly complaint analysis, C5), drawn with the vendored
// Apache ECharts. Each <div data-chart="ID"> is drawn from the JSON in <script
// type="application/json" id="ID">, written by the server in the page's language: no inline
// script, so the Content-Security-Policy stays strict.
(function () {
  "use strict";

  function option(data) {
    var series = data.series.map(function (s) {
      return { name: s.name, type: "bar", stack: "complaints", emphasis: { focus: "series" }, data: s.data };
    });
    series.push({
      name: data.total.name, type: "line", data: data.total.data, symbolSize: 8,
      label: { show: true, position: "top" }, lineStyle: { width: 2 }, z: 10,
    });
    return {
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { type: "scroll", bottom: 0 },
      grid: { left: 40, right: 20, top: 30, bottom: 60 },
      xAxis: { type: "category", data: data.quarters },
      yAxis: { type: "value", minInterval: 1 },
      series: series,
    };
  }

  function draw(element) {
    var source = document.getElementById(element.dataset.chart);
    if (!source || !window.echarts) return;
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(option(JSON.parse(source.textContent)));
    element.dataset.chartReady = "1";
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function start() {
    document.querySelectorAll("[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
