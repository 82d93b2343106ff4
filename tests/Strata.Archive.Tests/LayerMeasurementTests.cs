using Strata.Archive;

namespace Strata.Archive.Tests;

public sealed class LayerMeasurementTests : IDisposable
{
    private readonly TempDir _tempDir = new("strata-measure-");

    public void Dispose() => _tempDir.Dispose();

    [Theory]
    [InlineData(LayerCompression.None)]
    [InlineData(LayerCompression.Gzip)]
    [InlineData(LayerCompression.Zstd)]
    public async Task Measuring_a_layer_gives_the_writers_diff_id_and_docker_content_size(LayerCompression compression)
    {
        File.WriteAllBytes(Path.Combine(_tempDir.Path, "a"), new byte[1000]);
        Directory.CreateDirectory(Path.Combine(_tempDir.Path, "d"));
        File.WriteAllText(Path.Combine(_tempDir.Path, "d", "b"), "hello");
        File.CreateSymbolicLink(Path.Combine(_tempDir.Path, "link"), "d/b");
        Strata.Core.Unix.Libc.Link(Path.Combine(_tempDir.Path, "a"), Path.Combine(_tempDir.Path, "hard"));
        using var blob = new MemoryStream();
        var written = await LayerWriter.WriteTreeAsync(_tempDir.Path, blob, LayerWriteOptions.Default with { Compression = compression }, CancellationToken.None);
        blob.Position = 0;

        var measured = await LayerReader.MeasureAsync(blob, LayerReadOptions.Default, CancellationToken.None);

        Assert.Equal(written.DiffId, measured.DiffId);
        Assert.Equal(written.UncompressedSize, measured.UncompressedSize);
        Assert.Equal(1000 + 5 + 3, measured.ContentSize);
        Assert.Equal(5, measured.Entries);
    }
}
