namespace Strata.Archive.Tests.Fixtures;

/// <summary>Short forms of the public API for tests working on in-memory layers.</summary>
internal static class Layers
{
    public static async Task<(LayerWriteResult Result, byte[] Blob)> WriteTreeAsync(string root, LayerWriteOptions? options = null)
    {
        using var output = new MemoryStream();
        var result = await LayerWriter.WriteTreeAsync(root, output, options ?? LayerWriteOptions.Default, CancellationToken.None);
        return (result, output.ToArray());
    }

    public static async Task<(LayerWriteResult Result, byte[] Blob)> WriteOverlayUpperAsync(string upper, LayerWriteOptions? options = null)
    {
        using var output = new MemoryStream();
        var result = await LayerWriter.WriteOverlayUpperAsync(upper, output, options ?? LayerWriteOptions.Default, CancellationToken.None);
        return (result, output.ToArray());
    }

    public static async Task<(LayerWriteResult Result, byte[] Blob)> WriteDiffAsync(string lower, string upper, LayerWriteOptions? options = null)
    {
        using var output = new MemoryStream();
        var result = await LayerWriter.WriteDiffAsync(lower, upper, output, options ?? LayerWriteOptions.Default, CancellationToken.None);
        return (result, output.ToArray());
    }

    public static Task<LayerApplyResult> ApplyAsync(byte[] layer, string root, string name = "test-layer", LayerApplyOptions? options = null) =>
        LayerApplier.ApplyAsync(new MemoryStream(layer), root, (options ?? new LayerApplyOptions()) with { LayerName = name }, CancellationToken.None);

    public static async Task<List<LayerEntry>> EntriesAsync(byte[] layer, bool hashContent = false)
    {
        var list = new List<LayerEntry>();
        await foreach (var e in LayerReader.ReadEntriesAsync(new MemoryStream(layer), new LayerReadOptions { HashContent = hashContent })) list.Add(e);
        return list;
    }

    /// <summary>An entry as a comparable line (xattrs in hex), for asserting whole layers.</summary>
    public static string Describe(LayerEntry e) =>
        $"{e.Name} {e.Type} size={e.Size} mode={Convert.ToString(e.Mode, 8)} {e.Uid}:{e.Gid} mtime={e.MtimeSeconds} link={e.LinkTarget} dev={e.DeviceMajor}:{e.DeviceMinor} "
        + $"content={e.ContentDigest} xattrs={string.Join(",", e.Xattrs.Select(x => x.Key + "=" + Convert.ToHexStringLower(x.Value)))}";
}
