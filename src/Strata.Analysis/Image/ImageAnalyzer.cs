using System.Globalization;
using Strata.Archive;
using Strata.Core;
using Strata.Images.Transfer;
using Strata.Oci;

namespace Strata.Analysis.Image;

/// <summary>
/// <c>strata analyze</c>: reads an image from any <see cref="IImageSource"/> (the store, a docker
/// or OCI archive, an OCI layout) and streams each layer once, bottom first, never unpacking it
/// and never holding it in memory; what it keeps is one compact record per path that exists
/// (see <see cref="LayerStackWalk"/>). A multi-stage image is only its final stage already, so
/// the waste it reports is the final stage's.
/// </summary>
public static class ImageAnalyzer
{
    internal const string SecretFix = "never COPY/ADD a secret or pass it as ARG/ENV: use RUN --mount=type=secret, and rotate this one (anyone with the image can read every layer)";

    /// <param name="root">The image's manifest, or an index to pick <see cref="ImageAnalysisOptions.Platform"/> from.</param>
    /// <param name="name">What the report calls the image.</param>
    public static async Task<ImageAnalysis> AnalyzeAsync(IImageSource source, Descriptor root, string name, ImageAnalysisOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(options);
        var manifestDescriptor = await ImageCopier.ResolveAsync(source, root, options.Platform, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException($"{source.Name}: {name} has no image for platform {options.Platform}");
        var manifestBytes = await source.ReadDocumentAsync(manifestDescriptor, cancellationToken).ConfigureAwait(false);
        var manifest = ImageDocuments.ParseManifest(manifestDescriptor, manifestBytes, source.Name);
        var configBytes = await source.ReadDocumentAsync(manifest.Config, cancellationToken).ConfigureAwait(false);
        var documents = ImageDocuments.Parse(manifestDescriptor, manifestBytes, configBytes, source.Name);
        var config = documents.Config;
        var provenance = BuildProvenance.From(manifest);

        var history = config.History ?? [];
        var layerHistory = LayerHistory(history, manifest.Layers.Count);
        var walk = new LayerStackWalk(manifest.Layers.Count, options.BigFileBytes, options.KeepChanges, options.Changes);
        var scanner = new SecretScanner(options.SecretScanBytes);
        for (int i = 0; i < manifest.Layers.Count; i++)
            await WalkLayerAsync(source, manifest.Layers[i], i, walk, scanner, cancellationToken).ConfigureAwait(false);

        int baseLayers = Math.Min(provenance.BaseLayers ?? options.BaseLayers ?? 0, manifest.Layers.Count);
        string baseFrom = provenance.BaseLayers is not null ? "annotation" : options.BaseLayers is not null ? options.BaseLayersFrom : "none";
        string? Instruction(int layer) => layer >= 0 && layer < layerHistory.Length && layerHistory[layer] >= 0 ? Trim(history[layerHistory[layer]].CreatedBy) : null;
        string? Source(int layer) => layer >= 0 && layer < layerHistory.Length ? provenance.SourceOf(layerHistory[layer]) : null;

        var layers = new List<LayerSummary>();
        for (int i = 0; i < manifest.Layers.Count; i++)
        {
            var c = walk.Layers[i];
            layers.Add(new LayerSummary(i, manifest.Layers[i].Digest.ToString(), config.RootFs.DiffIds[i].ToString(), Instruction(i), Source(i), i < baseLayers,
                c.Size, manifest.Layers[i].Size, c.Added, c.Modified, c.Removed, c.Wasted));
        }

        var findings = new List<Finding>();
        findings.AddRange(LayerSecrets(walk, Instruction, Source));
        findings.AddRange(ConfigSecrets(config, history, layerHistory, provenance));
        findings.AddRange(walk.Groups.Where(g => g.Value.Bytes > 0)
            .Select(g => GroupFinding(g.Key, g.Value, walk, Instruction, Source))
            .OrderByDescending(f => f.Bytes).ThenBy(f => f.Layer).ThenBy(f => f.Rule, StringComparer.Ordinal));

        long total = layers.Sum(l => l.Size);
        long wasted = layers.Sum(l => l.WastedBytes);
        long baseWasted = layers.Where(l => l.IsBase).Sum(l => l.WastedBytes);
        long shipped = walk.ShippedBytes();
        return new ImageAnalysis(
            ImageAnalysis.CurrentSchemaVersion, name, documents.Id.ToString(), manifestDescriptor.Digest.ToString(), baseLayers, baseFrom,
            total, shipped, wasted, baseWasted, wasted - baseWasted,
            total == 0 ? 1 : Math.Round((double)shipped / total, 6),
            total == 0 ? 0 : Math.Round((wasted - baseWasted) * 100.0 / total, 4),
            layers, findings)
        {
            Changes = walk.Changes?.Result(walk.Layers) ?? [],
        };
    }

    private static async Task WalkLayerAsync(IImageSource source, Descriptor layer, int index, LayerStackWalk walk, SecretScanner scanner, CancellationToken cancellationToken)
    {
        var blob = await source.OpenBlobAsync(layer, cancellationToken).ConfigureAwait(false);
        await using (blob.ConfigureAwait(false))
        {
            var probe = new ContentProbe(scanner);
            var read = new LayerReadOptions
            {
                LayerName = layer.Digest.ToString(),
                ContentObserver = e => probe.Begin(e.Size),
            };
            await foreach (var entry in LayerReader.ReadEntriesAsync(blob, read, cancellationToken).ConfigureAwait(false))
            {
                // The reader asked the probe to begin on every regular-file header, so every File
                // entry (not whiteouts, whose headers are regular files too) has been probed.
                if (entry.Type == LayerEntryType.File)
                {
                    var (hash, hits) = probe.Finish(entry.Name[(entry.Name.LastIndexOf('/') + 1)..]);
                    walk.Apply(index, entry, hash, hits);
                }
                else
                {
                    walk.Apply(index, entry, null, []);
                }
            }
            // The source verifies a blob when its end is read: read the padding after the tar's end too.
            await blob.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>For each layer, the index of its history entry (the n-th non-empty one), or -1 when the history does not line up.</summary>
    private static int[] LayerHistory(IReadOnlyList<HistoryEntry> history, int layerCount)
    {
        var map = Enumerable.Repeat(-1, layerCount).ToArray();
        var nonEmpty = history.Select((h, i) => (h, i)).Where(x => !x.h.EmptyLayer).Select(x => x.i).ToList();
        if (nonEmpty.Count != layerCount) return map;
        for (int i = 0; i < layerCount; i++) map[i] = nonEmpty[i];
        return map;
    }

    /// <summary>created_by as the step reads: the legacy <c>/bin/sh -c #(nop) </c> and BuildKit's <c> # buildkit</c> dropped.</summary>
    internal static string? Trim(string? createdBy)
    {
        if (createdBy is null) return null;
        var s = createdBy.Trim();
        const string nop = "/bin/sh -c #(nop) ";
        if (s.StartsWith(nop, StringComparison.Ordinal)) s = s[nop.Length..].Trim();
        else if (s.StartsWith("/bin/sh -c ", StringComparison.Ordinal)) s = "RUN " + s;
        if (s.EndsWith(" # buildkit", StringComparison.Ordinal)) s = s[..^" # buildkit".Length];
        return SecretScanner.Redact(s);
    }

    private static IEnumerable<Finding> LayerSecrets(LayerStackWalk walk, Func<int, string?> instruction, Func<int, string?> source)
    {
        foreach (var s in walk.Secrets.OrderBy(s => s.Layer).ThenBy(s => s.Path, StringComparer.Ordinal).ThenBy(s => s.Hit.Rule.Id, StringComparer.Ordinal))
        {
            var where = s.ByLayer is { } by
                ? $"; layer {by} removed it, but it is still in layer {s.Layer}"
                : "";
            yield return new Finding(s.Hit.Rule.Id, "secret", "error", $"{s.Hit.Rule.Title} in {s.Path} (layer {s.Layer}{where})",
                s.Layer, instruction(s.Layer), source(s.Layer), s.ByLayer, s.ByLayer is { } b ? instruction(b) : null, s.ByLayer is { } b2 ? source(b2) : null,
                s.Size, 1, [new FindingPath(s.Path, s.Size)], SecretFix, s.Hit.Masked);
        }
    }

    private static IEnumerable<Finding> ConfigSecrets(ImageConfig config, IReadOnlyList<HistoryEntry> history, int[] layerHistory, BuildProvenance provenance)
    {
        const string fix = AnalysisRules.ConfigSecretFix;
        Finding Make(SecretHit hit, string where, int layer, string? instruction, string? source) =>
            new(hit.Rule.Id, "secret", "error", $"{hit.Rule.Title} in {where}", layer, instruction, source, null, null, null, 0, 0, [], fix, hit.Masked);

        for (int h = 0; h < history.Count; h++)
        {
            var text = history[h].CreatedBy ?? "";
            int layer = Array.IndexOf(layerHistory, h);
            var hits = SecretScanner.Match(text).Concat(Assignments(text)).DistinctBy(x => x.Rule.Id);
            foreach (var hit in hits) yield return Make(hit, $"history entry {h.ToString(CultureInfo.InvariantCulture)}", layer, Trim(text), provenance.SourceOf(h));
        }
        foreach (var env in config.Config?.Env ?? [])
            foreach (var hit in SecretScanner.Match(env).Concat(Assignments(env)).DistinctBy(x => x.Rule.Id))
                yield return Make(hit, $"ENV {env[..Math.Max(0, env.IndexOf('=', StringComparison.Ordinal))]}", -1, null, null);
        foreach (var (key, value) in config.Config?.Labels ?? new Dictionary<string, string>())
            foreach (var hit in SecretScanner.Match(value).Concat(Assignments($"{key}={value}")).DistinctBy(x => x.Rule.Id))
                yield return Make(hit, $"LABEL {key}", -1, null, null);
    }

    /// <summary><c>NAME=value</c> words whose name says secret (ENV values, build args in a RUN's history).</summary>
    private static IEnumerable<SecretHit> Assignments(string text)
    {
        foreach (var word in text.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!word.Contains('=', StringComparison.Ordinal)) continue;
            if (SecretRules.EnvName.Pattern!.Match(word) is { Success: true } m)
                yield return new SecretHit(SecretRules.EnvName, SecretMask.Mask(m.Groups["secret"].Value));
        }
    }

    private static Finding GroupFinding((string Rule, int From, int By, string Kind) key, PathGroup group, LayerStackWalk walk, Func<int, string?> instruction, Func<int, string?> source)
    {
        var (rule, from, by, kind) = key;
        string files = group.Count == 1 ? "1 file" : $"{group.Count.ToString(CultureInfo.InvariantCulture)} files";
        string bytes = HumanBytes.Format(group.Bytes);
        // Category, severity and the general fix come from the rule catalog the SARIF driver lists;
        // a finding only adds what it knows: the layers, and where the fix depends on them.
        var catalog = AnalysisRules.Find(rule) ?? throw new InvalidOperationException($"rule {rule} is not in AnalysisRules.All");
        var (message, fix) = rule switch
        {
            "deleted-files" => ($"{bytes} in {files} added by layer {from} and deleted by layer {by} still ship in layer {from}",
                $"remove them in the same RUN that creates them (layer {from}'s step), or make them in a build stage and COPY --from only what the image needs"),
            "overwritten-files" => ($"{bytes} in {files} of layer {from} overwritten by layer {by} still ship in layer {from}", catalog.Fix),
            "metadata-copy-up" => ($"layer {by} copied {files} ({bytes}) of layer {from} whole with the same content, to change only mode, owner or time", catalog.Fix),
            "big-file-copy-up" => ($"layer {by} changed {files} of layer {from}: each was copied up whole ({bytes} stay in layer {from})", catalog.Fix),
            _ => ($"layer {from} leaves {bytes} of {kind} cache in {files}", walk.CacheFix(kind)),
        };
        return new Finding(rule, catalog.Category, catalog.Severity, message, from, instruction(from), source(from),
            by >= 0 ? by : null, by >= 0 ? instruction(by) : null, by >= 0 ? source(by) : null,
            group.Bytes, group.Count, group.Paths(), fix, null);
    }
}
