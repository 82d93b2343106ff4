using System.Security.Cryptography;
using System.Text;

namespace Strata.Core.Tests;

/// <summary>
/// The managed SHA-256 of small inputs against the platform's (OpenSSL), at every length around
/// the block and padding boundaries and on both sides of the managed/platform line, one-shot and
/// incremental; and the FIPS 180-4 examples.
/// </summary>
public sealed class Sha256HasherTests
{
    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    public void The_standards_examples_hash_to_their_published_values(string text, string hex)
    {
        Span<byte> hash = stackalloc byte[32];
        Sha256Hasher.Hash(Encoding.ASCII.GetBytes(text), hash);

        Assert.Equal(hex, Convert.ToHexStringLower(hash));
    }

    [Fact]
    public void Every_length_up_to_a_few_blocks_and_around_the_line_matches_the_platform()
    {
        var random = new Random(17);
        var lengths = Enumerable.Range(0, 300).Concat(Enumerable.Range(Sha256Hasher.SmallInput - 70, 140)).Append(100_000);
        Span<byte> mine = stackalloc byte[32];
        foreach (var length in lengths)
        {
            var data = new byte[length];
            random.NextBytes(data);

            Sha256Hasher.Hash(data, mine);

            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), Convert.ToHexStringLower(mine));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(63)]
    [InlineData(1000)]
    [InlineData(4096)]
    public void Incremental_hashing_in_pieces_matches_the_platform_on_both_sides_of_the_line(int piece)
    {
        var random = new Random(piece);
        using var hasher = new Sha256Hasher();
        foreach (var length in new[] { 0, 5, 64, 200, Sha256Hasher.SmallInput, Sha256Hasher.SmallInput + 1, 70_000 })
        {
            var data = new byte[length];
            random.NextBytes(data);
            for (int at = 0; at < length; at += piece) hasher.AppendData(data.AsSpan(at, Math.Min(piece, length - at)));

            // The same hasher again after each reset: it starts over whichever side it was on.
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), Convert.ToHexStringLower(hasher.GetHashAndReset()));
        }
    }
}
