using System.Diagnostics;
using System.IO.Compression;
using Strata.Archive.Tests.Fixtures;
using Strata.Core;

namespace Strata.Archive.Tests;

/// <summary>
/// An uncompressed layer tar turned into its export variant: the size docker push would make
/// (GNU <c>gzip -6</c> of the same tar), bytes that decompress to the tar, and both digests.
/// </summary>
public sealed class LayerCompressorTests : IDisposable
{
    private readonly TempDir _temp = RootOnly.NewTempDir();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Gzip_at_the_default_level_is_within_two_percent_of_gnu_gzip_6_of_the_same_tar()
    {
        string tar = await WriteLayerAsync();
        var plain = await File.ReadAllBytesAsync(tar);
        using var output = new MemoryStream();

        LayerWriteResult result;
        await using (var input = File.OpenRead(tar))
            result = await LayerCompressor.CompressAsync(input, output, LayerCompression.Gzip, LayerCompressor.DefaultLevel(LayerCompression.Gzip), CancellationToken.None);
        long gnu = await GnuGzipSizeAsync(tar);

        Assert.Equal(6, LayerCompressor.DefaultLevel(LayerCompression.Gzip));
        Assert.True(Math.Abs(output.Length - gnu) <= gnu * 0.02, $"strata gzip {output.Length} bytes, gzip -6 {gnu} bytes");
        Assert.Equal(MediaTypes.OciLayerGzip, result.MediaType);
        Assert.Equal(Digest.Compute(plain), result.DiffId.Digest);
        Assert.Equal(Digest.Compute(output.ToArray()), result.Digest);
        Assert.Equal((output.Length, plain.LongLength), (result.Size, result.UncompressedSize));
        using var gunzip = new GZipStream(new MemoryStream(output.ToArray()), CompressionMode.Decompress);
        using var back = new MemoryStream();
        await gunzip.CopyToAsync(back);
        Assert.Equal(plain, back.ToArray());
    }

    [Fact]
    public async Task Zstd_decompresses_to_the_same_tar()
    {
        string tar = await WriteLayerAsync();
        var plain = await File.ReadAllBytesAsync(tar);
        using var output = new MemoryStream();

        LayerWriteResult result;
        await using (var input = File.OpenRead(tar))
            result = await LayerCompressor.CompressAsync(input, output, LayerCompression.Zstd, 3, CancellationToken.None);

        Assert.Equal(MediaTypes.OciLayerZstd, result.MediaType);
        Assert.Equal(Digest.Compute(plain), result.DiffId.Digest);
        Assert.Equal(Digest.Compute(output.ToArray()), result.Digest);
        using var unzstd = new ZstdSharp.DecompressionStream(new MemoryStream(output.ToArray()));
        using var back = new MemoryStream();
        await unzstd.CopyToAsync(back);
        Assert.Equal(plain, back.ToArray());
    }

    [Theory]
    [InlineData(LayerCompression.Gzip, 10, "gzip compression level 10 is out of range 0-9")]
    [InlineData(LayerCompression.Zstd, 0, "zstd compression level 0 is out of range 1-22")]
    [InlineData(LayerCompression.None, 0, "a layer is compressed with gzip or zstd")]
    public async Task A_level_out_of_range_is_refused_naming_it(LayerCompression compression, int level, string message)
    {
        var e = await Assert.ThrowsAsync<InvalidArgumentException>(() => LayerCompressor.CompressAsync(new MemoryStream(), new MemoryStream(), compression, level, CancellationToken.None));
        Assert.Equal(message, e.Message);
    }

    /// <summary>A layer of text files (source-like, compressible) and one incompressible file, ~6 MiB.</summary>
    private async Task<string> WriteLayerAsync()
    {
        var rng = new Random(17);
        string root = _temp.NewDir("tree");
        string[] words = ["layer", "digest", "snapshot", "overlay", "manifest", "config", "blob", "return", "public", "static", "{", "}", "(x)", "\n"];
        for (int f = 0; f < 40; f++)
        {
            var text = new System.Text.StringBuilder();
            while (text.Length < 120_000) text.Append(words[rng.Next(words.Length)]).Append(rng.Next(3) == 0 ? rng.Next(1000).ToString(System.Globalization.CultureInfo.InvariantCulture) : " ");
            await File.WriteAllTextAsync(Path.Combine(root, $"src{f}.txt"), text.ToString());
        }
        var random = new byte[1 << 20];
        rng.NextBytes(random);
        await File.WriteAllBytesAsync(Path.Combine(root, "random.bin"), random);
        string tar = _temp.PathOf("layer.tar");
        await using var file = File.Create(tar);
        await LayerWriter.WriteTreeAsync(root, file, LayerWriteOptions.Default with { Compression = LayerCompression.None, SourceDateEpoch = DateTimeOffset.UnixEpoch }, CancellationToken.None);
        return tar;
    }

    private static async Task<long> GnuGzipSizeAsync(string path)
    {
        var start = new ProcessStartInfo("gzip", ["-6", "-n", "-c", path]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var gzip = Process.Start(start)!;
        using var counted = new MemoryStream();
        await gzip.StandardOutput.BaseStream.CopyToAsync(counted);
        await gzip.WaitForExitAsync();
        Assert.Equal(0, gzip.ExitCode);
        return counted.Length;
    }
}
