namespace Strata.Analysis.Image.Html;

/// <summary>
/// The page's one stylesheet and one script, inline (the report works offline and from a file).
/// The page's Content-Security-Policy allows exactly these two by hash, so nothing injected
/// could run even if escaping failed, and any fetch (a CDN, an image URL) is blocked and logged.
/// The script reads only the DOM (data-* attributes of integers): no image data is in it.
/// </summary>
internal static class HtmlAssets
{
    public const string Style = """
        :root { --fg: #1d2433; --muted: #5d6778; --line: #d9dee7; --bar: #3a78d8; --base: #8fa3bf; --waste: #e0662c; --bg-alt: #f5f7fa; }
        * { box-sizing: border-box; }
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); margin: 0 auto; padding: 16px 24px 48px; max-width: 1200px; }
        h1 { font-size: 20px; margin: 8px 0 4px; word-break: break-all; }
        h2 { font-size: 16px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
        code, pre, .name, .mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
        pre { white-space: pre-wrap; word-break: break-all; background: var(--bg-alt); padding: 6px 8px; margin: 6px 0; }
        dl.summary { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0; }
        dl.summary dt { color: var(--muted); }
        dl.summary dd { margin: 0; }
        #layer-chart { max-width: 100%; height: auto; display: block; }
        #layer-chart .track { fill: var(--bg-alt); }
        #layer-chart .size { fill: var(--bar); }
        #layer-chart .base .size, #layer-chart .base-key { fill: var(--base); }
        #layer-chart .wasted { fill: var(--waste); }
        #layer-chart text { font-size: 12px; fill: var(--fg); }
        #layer-chart a:hover .track, #layer-chart a.selected .track { fill: #e4ebf7; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--line); }
        th { background: var(--bg-alt); font-weight: 600; }
        td.num { text-align: right; white-space: nowrap; }
        tr.error .sev { color: #b3261e; font-weight: 600; }
        tr.warning .sev { color: #9a5b00; font-weight: 600; }
        ul.paths { margin: 4px 0; padding-left: 18px; }
        .fix { color: var(--muted); }
        .value { color: #b3261e; }
        .controls { margin: 6px 0; }
        details.layer { border: 1px solid var(--line); border-radius: 4px; margin: 6px 0; }
        details.layer > summary { padding: 6px 8px; cursor: pointer; background: var(--bg-alt); }
        details.layer > .body { padding: 4px 12px 8px; }
        details.layer:target, details.layer.selected { border-color: var(--bar); }
        .note { color: var(--muted); font-style: italic; }
        ul.tree, ul.tree ul { list-style: none; margin: 0; padding-left: 18px; }
        ul.tree { padding-left: 0; }
        ul.tree summary { cursor: pointer; }
        .size { color: var(--muted); font-size: 12px; }
        .mark { display: inline-block; width: 1.3em; text-align: center; font-weight: 700; border-radius: 3px; font-size: 12px; }
        .added .mark { background: #dcf3e0; color: #1d6b2c; }
        .modified .mark { background: #fdf0d2; color: #8a5a00; }
        .removed .mark { background: #fbe0dc; color: #a3261a; }
        .removed .name { text-decoration: line-through; }
        """;

    public const string Script = """
        (function () {
          'use strict';
          var chartBars = Array.prototype.slice.call(document.querySelectorAll('#layer-chart a.bar'));
          var rows = Array.prototype.slice.call(document.querySelectorAll('#findings-table tbody tr'));
          var filter = document.getElementById('finding-filter');
          var shown = document.getElementById('finding-count');

          function select(layer) {
            chartBars.forEach(function (a) { a.classList.toggle('selected', a.getAttribute('data-layer') === layer); });
            document.querySelectorAll('details.layer').forEach(function (d) { d.classList.toggle('selected', d.getAttribute('data-layer') === layer); });
          }

          function openTarget() {
            var id = decodeURIComponent(location.hash.slice(1));
            var target = id ? document.getElementById(id) : null;
            if (target && target.tagName === 'DETAILS') {
              target.open = true;
              select(target.getAttribute('data-layer'));
            }
          }

          function applyFilter() {
            var layer = filter ? filter.value : 'all';
            var count = 0;
            rows.forEach(function (row) {
              var match = layer === 'all' || row.getAttribute('data-layer') === layer || row.getAttribute('data-by') === layer;
              row.hidden = !match;
              if (match) count++;
            });
            if (shown) shown.textContent = String(count);
          }

          document.querySelectorAll('button[data-tree]').forEach(function (button) {
            button.addEventListener('click', function () {
              var open = button.getAttribute('data-tree') === 'open';
              document.querySelectorAll('details').forEach(function (d) { d.open = open; });
            });
          });
          if (filter) filter.addEventListener('change', applyFilter);
          window.addEventListener('hashchange', openTarget);
          openTarget();
          applyFilter();
          // Marks the page as fully set up; a reader (the browser test) waits for it.
          document.documentElement.setAttribute('data-ready', 'true');
        })();
        """;
}
