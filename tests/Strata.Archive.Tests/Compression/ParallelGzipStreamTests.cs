using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;
using Strata.Archive.Compression;
using Strata.Archive.Tests.Fixtures;

namespace Strata.Archive.Tests.Compression;

/// <summary>The chunked parallel gzip against independent readers: .NET's GZipStream (zlib-ng),
/// GNU gzip, and tar -z on a whole layer. Chunk-boundary sizes, empty input, random and text
/// data mixed, every level; parallel and inline runs must give the same bytes.</summary>
public sealed class ParallelGzipStreamTests : IDisposable
{
    private const int Chunk = ParallelGzipStream.ChunkSize;
    private readonly TempDir _temp = RootOnly.NewTempDir();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<int> BoundarySizes => [0, 1, 511, DeflateChunk.ProbeSize, Chunk - 1, Chunk, Chunk + 1, (3 * Chunk) + 7];

    [Theory]
    [MemberData(nameof(BoundarySizes))]
    public void Text_round_trips_through_dotnet_gzip_at_chunk_boundaries(int size)
    {
        var data = Text(size, seed: size);
        foreach (int level in new[] { 0, 1, 6, 9 })
            Assert.Equal(data, Gunzip(Gzip(data, level, parallel: true)));
    }

    [Theory]
    [MemberData(nameof(BoundarySizes))]
    public void Random_data_round_trips_and_is_stored_not_inflated(int size)
    {
        var data = RandomBytes(size, seed: size);
        var gz = Gzip(data, level: 1, parallel: true);
        Assert.Equal(data, Gunzip(gz));
        // header 10 + trailer 8 + final block 2 + 5 per stored block of 65,535
        int chunks = (size + Chunk - 1) / Chunk;
        int storedMax = 20 + (chunks * (DeflateChunk.StoredSize(Chunk) - Chunk)) + size;
        Assert.True(gz.Length <= storedMax, $"{gz.Length} bytes for {size} random bytes");
    }

    [Fact]
    public void Compressible_chunks_are_compressed()
    {
        var data = Text(4 * Chunk, seed: 3);
        var gz = Gzip(data, level: 1, parallel: true);
        Assert.True(gz.Length < data.Length / 2, $"{gz.Length} bytes for {data.Length} of text");
    }

    [Fact]
    public void Parallel_and_inline_output_is_byte_identical_whatever_the_write_sizes()
    {
        var data = Mixed(new Random(11), 9 * Chunk / 2);
        var inline = Gzip(data, level: 6, parallel: false);
        var parallel = Gzip(data, level: 6, parallel: true, writeSize: 4093);
        Assert.Equal(inline, parallel);
        Assert.Equal(data, Gunzip(parallel));
    }

    [Fact]
    public void Mixed_random_and_text_round_trips_as_a_property()
    {
        var sizes = Gen.Choose(0, (5 * Chunk) / 2).ToArbitrary();
        Prop.ForAll(sizes, size =>
        {
            var data = Mixed(new Random(size), size);
            var gz = Gzip(data, level: 1 + (size % 9), parallel: true, writeSize: 1 + (size % 70000));
            return data.AsSpan().SequenceEqual(Gunzip(gz));
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(20));
    }

    [Fact]
    public async Task Gnu_gzip_tests_and_decompresses_the_stream()
    {
        var data = Mixed(new Random(5), (3 * Chunk) + 12345);
        string path = _temp.PathOf("mixed.gz");
        await File.WriteAllBytesAsync(path, Gzip(data, level: 1, parallel: true));

        await RunAsync("gzip", "-t", path);
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(await RunAsync("gzip", "-dc", path)));
    }

    [Fact]
    public async Task Gnu_gzip_reads_the_empty_stream()
    {
        string path = _temp.PathOf("empty.gz");
        await File.WriteAllBytesAsync(path, Gzip([], level: 6, parallel: true));
        Assert.Empty(await RunAsync("gzip", "-dc", path));
    }

    [Fact]
    public async Task Tar_lists_a_gzip_layer_with_a_big_random_file()
    {
        var source = new TreeBuilder(_temp.PathOf("source"));
        source.File("big.bin", RandomBytes((2 * Chunk) + 100, seed: 9));
        source.Dir("etc");
        source.File("etc/text.conf", Text(200_000, seed: 2));
        source.Finish();
        var (result, blob) = await Layers.WriteTreeAsync(source.Root, LayerWriteOptions.Default with { GzipLevel = 1 });
        string layer = _temp.PathOf("layer.tar.gz");
        await File.WriteAllBytesAsync(layer, blob);

        var listing = System.Text.Encoding.UTF8.GetString(await RunAsync("tar", "-tzf", layer));
        Assert.Equal(["big.bin", "etc/", "etc/text.conf"], listing.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var tar = await RunAsync("gzip", "-dc", layer);
        Assert.Equal(result.DiffId.Digest.Encoded, Convert.ToHexStringLower(SHA256.HashData(tar)));
        Assert.Equal(result.Digest.Encoded, Convert.ToHexStringLower(SHA256.HashData(blob)));
    }

    private static byte[] Gzip(byte[] data, int level, bool parallel, int writeSize = 1 << 16)
    {
        using var output = new MemoryStream();
        using (var gz = new ParallelGzipStream(output, level, parallel))
        {
            for (int at = 0; at < data.Length; at += writeSize)
                gz.Write(data, at, Math.Min(writeSize, data.Length - at));
            gz.Complete();
        }
        return output.ToArray();
    }

    private static byte[] Gunzip(byte[] gz)
    {
        using var input = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    private static byte[] RandomBytes(int size, int seed)
    {
        var b = new byte[size];
        new Random(seed).NextBytes(b);
        return b;
    }

    private static byte[] Text(int size, int seed)
    {
        var rng = new Random(seed);
        string[] words = ["layer", "digest", "snapshot", "overlay", "manifest", "config", "blob", "\n"];
        var b = new byte[size];
        int at = 0;
        while (at < size)
        {
            var w = words[rng.Next(words.Length)];
            for (int i = 0; i < w.Length && at < size; i++) b[at++] = (byte)w[i];
            if (at < size) b[at++] = (byte)' ';
        }
        return b;
    }

    /// <summary>Runs of random bytes and text of random lengths, so chunks mix both.</summary>
    private static byte[] Mixed(Random rng, int size)
    {
        var b = new byte[size];
        int at = 0;
        while (at < size)
        {
            int n = Math.Min(size - at, rng.Next(1, 3 * Chunk / 2));
            var part = rng.Next(2) == 0 ? RandomBytes(n, rng.Next()) : Text(n, rng.Next());
            part.CopyTo(b, at);
            at += n;
        }
        return b;
    }

    private static async Task<byte[]> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(start)!;
        using var output = new MemoryStream();
        var copy = p.StandardOutput.BaseStream.CopyToAsync(output);
        string errors = await p.StandardError.ReadToEndAsync();
        await copy;
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, $"{file} {string.Join(' ', args)} failed: {errors}");
        return output.ToArray();
    }
}
