using System.Security.Cryptography;
using Strata.Core.Unix;

namespace Strata.Core.Tests.Unix;

/// <summary>
/// <see cref="SequentialFileWriter"/> on the test machine's disk (ext4, which takes O_DIRECT):
/// every byte lands where it belongs, whichever path (buffered, direct, tail) wrote it.
/// </summary>
public sealed class SequentialFileWriterTests : IDisposable
{
    private const int Chunk = SequentialFileWriter.ChunkSize;
    private readonly TempDir _tempDir = new("strata-seqwrite-");

    public void Dispose() => _tempDir.Dispose();

    private string PathOf(string name) => Path.Combine(_tempDir.Path, name);

    private static byte[] Content(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        return data;
    }

    /// <summary>Pieces of awkward sizes (a 512-byte tar header, an odd prime), as a layer writer gives them.</summary>
    private static IEnumerable<ReadOnlyMemory<byte>> Pieces(byte[] data)
    {
        int[] sizes = [512, 1, 65_521, 4096, 3_000_017];
        for (int at = 0, i = 0; at < data.Length; i++)
        {
            int n = Math.Min(sizes[i % sizes.Length], data.Length - at);
            yield return data.AsMemory(at, n);
            at += n;
        }
    }

    [Theory]
    [InlineData(2 * Chunk + Chunk / 2 + 4095)]
    [InlineData(Chunk)]
    [InlineData(Chunk + 1)]
    public void A_file_bigger_than_the_buffer_goes_direct_and_reads_back_byte_for_byte(int length)
    {
        var data = Content(length);
        using (var writer = SequentialFileWriter.Create(PathOf("f")))
        {
            foreach (var piece in Pieces(data)) writer.Write(piece.Span);
            writer.Complete();
            Assert.True(writer.WroteDirect);
            Assert.Equal(length, writer.Length);
        }
        Assert.Equal(data, File.ReadAllBytes(PathOf("f")));
    }

    [Fact]
    public async Task Written_asynchronously_the_file_is_the_same()
    {
        var data = Content(3 * Chunk + 777);
        using (var writer = SequentialFileWriter.Create(PathOf("f")))
        {
            foreach (var piece in Pieces(data)) await writer.WriteAsync(piece, CancellationToken.None);
            writer.Complete();
            Assert.True(writer.WroteDirect);
        }
        Assert.Equal(data, File.ReadAllBytes(PathOf("f")));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(3 * Chunk + 12_345)]
    public void The_hash_sees_every_byte_in_order_midway_and_at_the_end(int length)
    {
        var data = Content(length);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var writer = SequentialFileWriter.Create(PathOf("f"), hash);
        int half = length / 2;
        foreach (var piece in Pieces(data[..half])) writer.Write(piece.Span);
        writer.HashWritten();
        Assert.Equal(SHA256.HashData(data.AsSpan(0, half)), hash.GetCurrentHash());

        foreach (var piece in Pieces(data[half..])) writer.Write(piece.Span);
        writer.Complete();
        Assert.Equal(SHA256.HashData(data), hash.GetHashAndReset());
        Assert.Equal(data, File.ReadAllBytes(PathOf("f")));
    }

    [Fact]
    public void A_file_that_fits_the_buffer_goes_through_the_page_cache()
    {
        var data = Content(Chunk - 1);
        using (var writer = SequentialFileWriter.Create(PathOf("f")))
        {
            writer.Write(data);
            writer.Complete();
            Assert.False(writer.WroteDirect);
        }
        Assert.Equal(data, File.ReadAllBytes(PathOf("f")));
    }

    [Fact]
    public void Flush_puts_the_buffered_bytes_in_the_file_and_the_rest_follows_unchanged()
    {
        var data = Content(Chunk + Chunk / 3);
        using var writer = SequentialFileWriter.Create(PathOf("f"));
        writer.Write(data.AsSpan(0, 1000));
        writer.Flush();
        Assert.Equal(data[..1000], File.ReadAllBytes(PathOf("f")));

        writer.Write(data.AsSpan(1000));
        writer.Complete();
        Assert.Equal(data, File.ReadAllBytes(PathOf("f")));
    }

    [Fact]
    public void An_existing_file_is_refused_and_left_as_it_was()
    {
        File.WriteAllText(PathOf("f"), "kept");

        Assert.Throws<IOException>(() => SequentialFileWriter.Create(PathOf("f")));
        Assert.Equal("kept", File.ReadAllText(PathOf("f")));
    }
}
