/**
 * The overview's chart script (served as an asset, so the CSP needs no inline script): each
 * `<script type="application/json" data-chart>` block holds a chart's per-day series, drawn with
 * uPlot into the `.chart-box` beside it (the page shows the legend); once drawn, the table of the
 * same numbers (the page without JavaScript) is folded away.
 */
export const CHARTS_JS = `"use strict";
document.addEventListener("DOMContentLoaded", function () {
  if (typeof uPlot !== "function") return;
  var blocks = document.querySelectorAll("script[type='application/json'][data-chart]");
  Array.prototype.forEach.call(blocks, function (block) {
    var chart = JSON.parse(block.textContent);
    var card = block.parentNode, box = card.querySelector(".chart-box");
    var days = chart.days.map(function (d) { return Date.parse(d + "T00:00:00Z") / 1000; });
    var series = [{}].concat(chart.series.map(function (s) {
      var line = { label: s.label, stroke: s.color, width: 2, points: { size: 5, fill: s.color } };
      if (s.area) line.fill = s.color + "26";
      return line;
    }));
    var width = function () { return Math.max(240, box.clientWidth || card.clientWidth - 32); };
    var plot = new uPlot({
      width: width(), height: 170, series: series,
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"); },
      scales: { y: { range: function (u, min, max) { return [0, Math.max(1, max)]; } } },
      axes: [{ space: 50 }, { space: 30, values: function (u, vals) { return vals.map(function (v) { return v % 1 ? "" : v; }); } }],
      legend: { show: false },
      cursor: { drag: { x: false, y: false } }
    }, [days].concat(chart.values), box);
    window.addEventListener("resize", function () { plot.setSize({ width: width(), height: 170 }); });
    var legend = card.querySelector(".legend"), numbers = card.querySelector("details");
    if (legend) legend.hidden = false;
    if (numbers) numbers.open = false;
  });
});
`;
