// Draws each chart of the report as SVG from the JSON embedded in the page. No libraries, no network.
(function () {
  'use strict';
  var NS = 'http://www.w3.org/2000/svg';
  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (parent) { parent.appendChild(e); }
    return e;
  }
  function text(parent, x, y, s, anchor) {
    var t = el('text', { x: x, y: y, 'text-anchor': anchor || 'start' }, parent);
    t.textContent = s;
    return t;
  }
  function fmt(v, format) {
    if (v === null || v === undefined) { return '–'; }
    if (format === 'percent') { return (100 * v).toFixed(1) + '%'; }
    if (format === 'money') { return '$' + v.toLocaleString('en-US', { maximumFractionDigits: 0 }); }
    return Number.isInteger(v) ? v.toLocaleString('en-US')
      : v.toLocaleString('en-US', { maximumFractionDigits: Math.abs(v) < 10 ? 3 : 1 });
  }
  // the widest label as drawn (upper-case codes are wider than an estimate per character allows)
  function labelPixels(svg, bars) {
    var probe = text(svg, 0, 0, '');
    var widest = bars.reduce(function (m, b) {
      probe.textContent = b.label;
      var w = probe.getComputedTextLength ? probe.getComputedTextLength() : 0;
      return Math.max(m, w > 0 ? w : 6.5 * b.label.length);
    }, 0);
    svg.removeChild(probe);
    return widest;
  }
  function draw(chart, holder) {
    var n = chart.bars.length, k = chart.series.length;
    var svg = el('svg', { role: 'img', 'aria-label': chart.id }, holder);
    var labelWidth = Math.min(320, 12 + labelPixels(svg, chart.bars)), width = 560 + Math.max(0, labelWidth - 150);
    var rowHeight = 14 * k + 8, top = k > 1 ? 24 : 4;
    var height = top + n * rowHeight + 4;
    var max = 0;
    chart.bars.forEach(function (b) { b.values.forEach(function (v) { if (v !== null && v > max) { max = v; } }); });
    if (max <= 0) { max = 1; }
    svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
    if (k > 1) {
      var legend = el('g', { 'class': 'legend' }, svg);
      var x = 0;
      chart.series.forEach(function (s, j) {
        el('rect', { x: x, y: 6, width: 10, height: 10, 'class': 'bar-' + (j % 5) }, legend);
        text(legend, x + 14, 15, s);
        x += 30 + 7 * s.length;
      });
    }
    var span = width - labelWidth - 70;
    chart.bars.forEach(function (b, i) {
      var y = top + i * rowHeight;
      text(svg, labelWidth - 6, y + rowHeight / 2 + 4, b.label, 'end');
      b.values.forEach(function (v, j) {
        var w = v === null ? 0 : Math.max(1, span * Math.max(v, 0) / max);
        var r = el('rect', { x: labelWidth, y: y + 4 + j * 14, width: w, height: 12, 'class': 'bar bar-' + (j % 5) },
          svg);
        el('title', {}, r).textContent = b.label + (k > 1 ? ' · ' + chart.series[j] : '') + ': ' + fmt(v, chart.format);
        text(svg, labelWidth + w + 4, y + 14 + j * 14, fmt(v, chart.format));
      });
    });
  }
  // a row per label, a column per series; a cell's shade is its value against the largest, an empty cell is blank
  function heatmap(chart, holder) {
    var svg = el('svg', { role: 'img', 'aria-label': chart.id }, holder);
    var labelWidth = Math.min(320, 12 + labelPixels(svg, chart.bars)), k = chart.series.length;
    var cell = Math.max(30, Math.min(56, Math.floor((640 - labelWidth) / k))), rowHeight = 22, top = 20;
    var width = labelWidth + k * cell, height = top + chart.bars.length * rowHeight + 2;
    var max = 0;
    chart.bars.forEach(function (b) { b.values.forEach(function (v) { if (v !== null && v > max) { max = v; } }); });
    if (max <= 0) { max = 1; }
    svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
    chart.series.forEach(function (s, j) {
      text(svg, labelWidth + j * cell + cell / 2, 13, s.replace(/^[^0-9]* /, ''), 'middle');
    });
    chart.bars.forEach(function (b, i) {
      var y = top + i * rowHeight;
      text(svg, labelWidth - 6, y + rowHeight / 2 + 4, b.label, 'end');
      b.values.forEach(function (v, j) {
        if (v === null) { return; }
        var share = Math.max(0, v) / max, partial = j === b.partial;
        var r = el('rect', { x: labelWidth + j * cell + 1, y: y + 1, width: cell - 2, height: rowHeight - 2,
          'class': partial ? 'heat partial' : 'heat', 'fill-opacity': (0.08 + 0.92 * share).toFixed(3) }, svg);
        el('title', {}, r).textContent = b.label + ' · ' + chart.series[j] + ': ' + fmt(v, chart.format)
          + (partial ? ' (so far: the period is not over)' : '');
        var t = text(svg, labelWidth + j * cell + cell / 2, y + rowHeight / 2 + 4,
          (chart.format === 'percent' ? Math.round(100 * v) + '%' : fmt(v, chart.format)) + (partial ? '*' : ''),
          'middle');
        t.setAttribute('class', share > 0.55 ? 'on-dark' : 'on-light');
      });
    });
  }
  try {
    var charts = JSON.parse(document.getElementById('report-data').textContent);
    charts.forEach(function (chart) {
      var holder = document.querySelector('[data-chart="' + chart.id + '"]');
      if (holder) { (chart.style === 'heatmap' ? heatmap : draw)(chart, holder); }
    });
    document.body.setAttribute('data-rendered', String(charts.length));
  } catch (e) {
    var p = document.createElement('p');
    p.className = 'error';
    p.textContent = 'The charts could not be drawn: ' + e;
    document.body.insertBefore(p, document.body.firstChild);
    document.body.setAttribute('data-render-error', String(e));
  }
})();
