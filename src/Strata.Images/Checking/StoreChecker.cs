using Strata.Content;
using Strata.Core;
using Strata.Images.Access;
using Strata.Images.Gc;
using Strata.Images.Layers;
using Strata.Images.Metadata;
using Strata.Oci;

namespace Strata.Images.Checking;

/// <summary>
/// <c>system check</c>: verifies every blob against its digest and size, every image's
/// manifest, config and layers (config diff IDs against the layer records), every name,
/// index.json, and counts the snapshotter's unpacked layers. <c>--repair</c> drops images whose content is
/// corrupt or missing, removes corrupt and unreferenced blobs, scratch
/// leftovers, what crashed or killed operations of the collector's <see cref="IStorageOwner"/>s left (unfinished
/// cache mount directories, half-removed downloads and clones, private directories of killed
/// builds), and rewrites index.json; the result is then checked again.
/// </summary>
public static class StoreChecker
{
    /// <param name="keepUnreferencedYoungerThan">
    /// When repairing, unreferenced blobs committed less than this long ago are kept: a build or
    /// load in another process may be about to name them in an image. Null removes them all
    /// (an explicit <c>system check --repair</c>).
    /// </param>
    public static Task<CheckReport> CheckAsync(ImageStore store, bool repair, bool verifyDiffIds, CancellationToken cancellationToken, TimeSpan? keepUnreferencedYoungerThan = null) =>
        CheckAsync(new GarbageCollector(store, [], null), repair, verifyDiffIds, cancellationToken, keepUnreferencedYoungerThan);

    /// <summary>As above, with the collector whose roots (images, its reference providers, leases) say which blobs are garbage.</summary>
    public static Task<CheckReport> CheckAsync(GarbageCollector gc, bool repair, bool verifyDiffIds, CancellationToken cancellationToken, TimeSpan? keepUnreferencedYoungerThan = null)
    {
        ArgumentNullException.ThrowIfNull(gc);
        return CheckAsync(gc, repair, verifyDiffIds, afterRepair: false, keepUnreferencedYoungerThan, cancellationToken);
    }

    private static async Task<CheckReport> CheckAsync(GarbageCollector gc, bool repair, bool verifyDiffIds, bool afterRepair, TimeSpan? keepUnreferencedYoungerThan, CancellationToken cancellationToken)
    {
        var store = gc.Store;
        var findings = new List<CheckFinding>();
        var repairs = new List<string>();
        // An open store is a fault even once opening closed it: other users could run its setuid
        // files until then. --repair reports the closing as its repair instead.
        if (store.ClosedOnOpen is { } closed && !repair && !afterRepair) findings.Add(new(CheckSeverity.Fault, closed + " when this command opened it"));
        else if (store.ClosedOnOpen is { } repaired && repair) repairs.Add(repaired);
        if (StoreAccess.DescribeOpen(store.Layout.Root) is { } open) findings.Add(new(CheckSeverity.Fault, open));

        var blobs = new Dictionary<Digest, ContentInfo>();
        await foreach (var info in store.Content.ListAsync(cancellationToken).ConfigureAwait(false)) blobs[info.Digest] = info;
        var corrupt = new HashSet<Digest>();
        foreach (var digest in blobs.Keys)
        {
            if (!await store.Content.VerifyAsync(digest, cancellationToken).ConfigureAwait(false))
            {
                corrupt.Add(digest);
                findings.Add(new(CheckSeverity.Fault, $"blob {digest}: content does not match its digest"));
            }
        }

        var records = await store.Metadata.ListImagesAsync(cancellationToken).ConfigureAwait(false);
        var referenced = new HashSet<Digest>();
        var broken = new List<ImageRecord>();
        var layerRecords = (await store.Metadata.ListLayersAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(l => l.Digest);
        foreach (var record in records)
        {
            var problems = await CheckImageAsync(store, record, blobs, corrupt, layerRecords, referenced, verifyDiffIds, cancellationToken).ConfigureAwait(false);
            if (problems.Count == 0) continue;
            broken.Add(record);
            findings.AddRange(problems.Select(p => new CheckFinding(CheckSeverity.Fault, $"image {record.Id}: {p}")));
        }

        var imageIds = records.Select(r => r.Id).ToHashSet();
        foreach (var tag in await store.Metadata.ListTagsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!imageIds.Contains(tag.ImageId)) findings.Add(new(CheckSeverity.Fault, $"name {tag.Name.Familiar} points at missing image {tag.ImageId}"));
        }
        await CheckIndexAsync(store, records, findings, cancellationToken).ConfigureAwait(false);

        // Unpacked layers are the snapshotter's (its owner keeps them consistent); counted here.
        int unpacked = await gc.CountUnpackedAsync(cancellationToken).ConfigureAwait(false);

        // The collector's roots: images, what reference providers hold (a build cache record keeps
        // its layer blob until builder prune frees it) and what running builds, loads and imports
        // lease (they are about to name it).
        var roots = await gc.MarkAsync(await store.Leases.ReadAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        var unreferenced = blobs.Keys.Where(d => !referenced.Contains(d) && !corrupt.Contains(d) && !roots.Blobs.Contains(d)).ToList();
        findings.AddRange(unreferenced.Select(d => new CheckFinding(CheckSeverity.Garbage, $"blob {d} ({blobs[d].Size} bytes) is referenced by no image")));
        // Scratch younger than an hour may belong to a command still running in another process.
        var scratch = Directory.Exists(store.Layout.Temp)
            ? Directory.EnumerateFileSystemEntries(store.Layout.Temp).Where(e => store.Now - File.GetLastWriteTimeUtc(e) > TimeSpan.FromHours(1)).ToList()
            : [];

        // What crashed or killed operations of the owners above left (unfinished cache mounts,
        // half-removed downloads and clones, private directories of killed builds).
        var ownerLeftovers = gc.Owners.SelectMany(o => o.Leftovers()).ToList();
        findings.AddRange(ownerLeftovers.Select(l => new CheckFinding(CheckSeverity.Garbage, l.Finding)));

        var report = new CheckReport(blobs.Count, records.Count, unpacked, findings, repairs);
        if (!repair) return report;

        if (broken.Count > 0)
        {
            foreach (var record in broken)
            {
                await store.Metadata.WriteAsync(async (c, ct) => { await MetadataStore.DeleteImageAsync(c, record.Id, ct).ConfigureAwait(false); return 0; }, cancellationToken).ConfigureAwait(false);
                repairs.Add($"removed damaged image {record.Id}");
            }
        }
        var removable = keepUnreferencedYoungerThan is { } keep
            ? unreferenced.Where(d => store.Now - blobs[d].CommittedAt >= keep).ToList()
            : unreferenced;
        // The collector marks again inside its sweep: a build or load in another process may
        // have named or leased a blob since.
        foreach (var digest in await gc.SweepBlobsAsync(corrupt.Concat(removable).ToList(), corrupt, cancellationToken).ConfigureAwait(false))
            repairs.Add($"removed blob {digest}");
        foreach (var dir in ownerLeftovers.Select(l => l.Path))
        {
            Scratch.Delete(dir);
            repairs.Add($"removed {dir}");
        }
        foreach (var entry in scratch)
        {
            Scratch.Delete(entry);
            repairs.Add($"removed scratch {entry}");
        }
        await store.Metadata.WriteAsync(async (c, ct) =>
        {
            await MetadataStore.ExecuteAsync(c, "DELETE FROM tags WHERE image_id NOT IN (SELECT id FROM images)", ct).ConfigureAwait(false);
            await store.WriteIndexAsync(c, ct).ConfigureAwait(false);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
        repairs.Add("rewrote index.json");

        var after = await CheckAsync(gc, repair: false, verifyDiffIds, afterRepair: true, keepUnreferencedYoungerThan: null, cancellationToken).ConfigureAwait(false);
        return after with { Repairs = repairs };
    }

    private static async Task<List<string>> CheckImageAsync(ImageStore store, ImageRecord record, Dictionary<Digest, ContentInfo> blobs, HashSet<Digest> corrupt,
        Dictionary<Digest, LayerRecord> layerRecords, HashSet<Digest> referenced, bool verifyDiffIds, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        referenced.Add(record.ManifestDigest);
        if (!blobs.TryGetValue(record.ManifestDigest, out var manifestInfo)) return [$"manifest {record.ManifestDigest} is missing"];
        if (corrupt.Contains(record.ManifestDigest)) return [$"manifest {record.ManifestDigest} is corrupt"];
        if (manifestInfo.Size != record.ManifestSize) problems.Add($"manifest {record.ManifestDigest} is {manifestInfo.Size} bytes, recorded as {record.ManifestSize}");
        ImageManifest manifest;
        ImageConfig config;
        try
        {
            manifest = OciJson.DeserializeManifest(await store.Content.ReadAllBytesAsync(record.ManifestDigest, store.Options.MaxDocumentBytes, cancellationToken).ConfigureAwait(false), $"manifest {record.ManifestDigest}");
            referenced.Add(manifest.Config.Digest);
            if (manifest.Config.Digest != record.Id) return [$"manifest names config {manifest.Config.Digest}, not the image ID"];
            if (!blobs.ContainsKey(manifest.Config.Digest) || corrupt.Contains(manifest.Config.Digest)) return [$"config {manifest.Config.Digest} is missing or corrupt"];
            config = OciJson.DeserializeConfig(await store.Content.ReadAllBytesAsync(manifest.Config.Digest, store.Options.MaxDocumentBytes, cancellationToken).ConfigureAwait(false), $"config {manifest.Config.Digest}");
        }
        catch (StrataException ex)
        {
            return [ex.Message];
        }
        var diffIds = config.RootFs.DiffIds;
        if (diffIds.Count != manifest.Layers.Count) problems.Add($"config lists {diffIds.Count} diff IDs for {manifest.Layers.Count} layers");
        var recorded = await store.Metadata.ImageLayersAsync(record.Id, cancellationToken).ConfigureAwait(false);
        if (recorded.Count != manifest.Layers.Count) problems.Add($"metadata lists {recorded.Count} layers, the manifest {manifest.Layers.Count}");
        for (int i = 0; i < manifest.Layers.Count; i++)
        {
            var layer = manifest.Layers[i];
            referenced.Add(layer.Digest);
            if (!blobs.TryGetValue(layer.Digest, out var info)) { problems.Add($"layer {layer.Digest} is missing"); continue; }
            if (corrupt.Contains(layer.Digest)) { problems.Add($"layer {layer.Digest} is corrupt"); continue; }
            if (info.Size != layer.Size) problems.Add($"layer {layer.Digest} is {info.Size} bytes, the manifest says {layer.Size}");
            if (!layerRecords.TryGetValue(layer.Digest, out var lr)) { problems.Add($"layer {layer.Digest} has no metadata record"); continue; }
            if (i < diffIds.Count && lr.DiffId != diffIds[i]) problems.Add($"layer {layer.Digest} is recorded with diff ID {lr.DiffId}, the config says {diffIds[i]}");
            if (verifyDiffIds)
            {
                var (actual, _) = await LayerIngest.MeasureAsync(store, layer.Digest, $"layer {layer.Digest}", cancellationToken).ConfigureAwait(false);
                if (i < diffIds.Count && actual != diffIds[i]) problems.Add($"layer {layer.Digest} uncompresses to {actual}, the config says {diffIds[i]}");
            }
        }
        return problems;
    }

    private static async Task CheckIndexAsync(ImageStore store, List<ImageRecord> records, List<CheckFinding> findings, CancellationToken cancellationToken)
    {
        if (!File.Exists(store.Layout.IndexJson))
        {
            findings.Add(new(CheckSeverity.Fault, "index.json is missing"));
            return;
        }
        try
        {
            var index = OciJson.DeserializeIndex(await File.ReadAllBytesAsync(store.Layout.IndexJson, cancellationToken).ConfigureAwait(false), "index.json");
            var indexes = await store.Indexes.ListAsync(cancellationToken).ConfigureAwait(false);
            var manifests = records.Select(r => r.ManifestDigest).Concat(indexes.Select(i => i.Digest)).ToHashSet();
            foreach (var m in index.Manifests.Where(m => !manifests.Contains(m.Digest)))
                findings.Add(new(CheckSeverity.Fault, $"index.json lists manifest {m.Digest}, which no image has"));
            var listed = index.Manifests.Select(m => m.Digest).ToHashSet();
            // An index's present child is listed through its index.
            var children = indexes.Where(i => listed.Contains(i.Digest)).SelectMany(i => i.Children).Select(c => c.Manifest.Digest).ToHashSet();
            foreach (var r in records.Where(r => !listed.Contains(r.ManifestDigest) && !children.Contains(r.ManifestDigest)))
                findings.Add(new(CheckSeverity.Fault, $"index.json does not list image {r.Id}"));
            foreach (var i in indexes.Where(i => !listed.Contains(i.Digest)))
                findings.Add(new(CheckSeverity.Fault, $"index.json does not list index {i.Digest}"));
            foreach (var i in indexes)
            {
                if (await store.Content.InfoAsync(i.Digest, cancellationToken).ConfigureAwait(false) is null)
                    findings.Add(new(CheckSeverity.Fault, $"index {i.Digest} is missing its blob"));
            }
        }
        catch (StrataException ex)
        {
            findings.Add(new(CheckSeverity.Fault, ex.Message));
        }
    }
}
