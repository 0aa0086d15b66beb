// Layout facts of a page as the browser laid it out, for HeadlessChromium.layout: per chart its ticks, legend items
// and every overlap among its texts and legend boxes; per drift statistics row its cells; the page's size. Written
// base64-encoded into <body data-layout> so that --dump-dom carries it unescaped.
(function () {
  function box(element) {
    var r = element.getBoundingClientRect();
    return {x: r.left, y: r.top, w: r.width, h: r.height};
  }
  function overlap(a, b) {
    return a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5;
  }
  function label(element) {
    var clone = element.cloneNode(true);
    Array.prototype.forEach.call(clone.querySelectorAll('title'), function (t) { t.remove(); });
    return clone.textContent.trim();
  }
  var charts = Array.prototype.map.call(document.querySelectorAll('svg.chart'), function (svg) {
    var plot = box(svg.querySelector('.plot-area'));
    var frame = box(svg);
    var items = Array.prototype.map.call(svg.querySelectorAll('.legend .item'), box);
    var legendOverlaps = 0;
    var legendOnPlot = 0;
    for (var i = 0; i < items.length; i++) {
      for (var j = i + 1; j < items.length; j++) {
        if (overlap(items[i], items[j])) legendOverlaps++;
      }
      if (overlap(items[i], plot)) legendOnPlot++;
    }
    var texts = Array.prototype.filter.call(svg.querySelectorAll('text'), function (t) {
      return label(t) !== '' && box(t).w > 0;
    });
    var boxes = texts.map(box);
    var textOverlaps = [];
    var outside = [];
    for (var a = 0; a < texts.length; a++) {
      for (var b = a + 1; b < texts.length; b++) {
        if (overlap(boxes[a], boxes[b])) textOverlaps.push(label(texts[a]) + ' / ' + label(texts[b]));
      }
      var t = boxes[a];
      if (t.x < frame.x - 1 || t.y < frame.y - 1 || t.x + t.w > frame.x + frame.w + 1 || t.y + t.h > frame.y + frame.h + 1) {
        outside.push(label(texts[a]));
      }
    }
    return {
      title: svg.getAttribute('aria-label'),
      xTicks: Array.prototype.map.call(svg.querySelectorAll('.axis-x .tick text'), label),
      yTicks: Array.prototype.map.call(svg.querySelectorAll('.axis-y .tick text'), label),
      axisTitles: Array.prototype.map.call(svg.querySelectorAll('.axis-title'), label),
      marks: svg.querySelectorAll('.series, .bars rect').length,
      markers: svg.querySelectorAll('.marker').length,
      legend: Array.prototype.map.call(svg.querySelectorAll('.legend .item'), label),
      legendOverlaps: legendOverlaps,
      legendOnPlot: legendOnPlot,
      textOverlaps: textOverlaps,
      textOutside: outside
    };
  });
  var statistics = Array.prototype.map.call(document.querySelectorAll('tr[data-statistic]'), function (row) {
    var cells = row.querySelectorAll('td');
    return {name: row.getAttribute('data-statistic'), value: cells[2].textContent.trim(),
      pValue: cells[4].textContent.trim()};
  });
  var facts = {charts: charts, statistics: statistics, width: document.documentElement.scrollWidth,
    height: document.documentElement.scrollHeight};
  document.body.setAttribute('data-layout', btoa(unescape(encodeURIComponent(JSON.stringify(facts)))));
})();
