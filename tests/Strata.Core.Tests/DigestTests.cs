using Strata.Core;

namespace Strata.Core.Tests;

public sealed class DigestTests
{
    [Fact]
    public void Compute_of_empty_input_is_the_well_known_sha256()
    {
        Assert.Equal("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Digest.Compute([]).Value);
    }

    [Theory]
    [InlineData("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    [InlineData("sha256:abc")]
    [InlineData("sha256:")]
    [InlineData(":abc")]
    [InlineData("nocolon")]
    [InlineData("SHA256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("sha256+:e3b0")]
    public void Parse_rejects_malformed_digests_with_a_message_naming_them(string text)
    {
        var ex = Assert.Throws<InvalidArgumentException>(() => Digest.Parse(text));
        Assert.Contains(text, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unregistered_algorithms_follow_only_the_grammar()
    {
        var d = Digest.Parse("multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8");
        Assert.False(d.IsRegistered);
        Assert.Equal("multihash+base58", d.Algorithm);
    }

    [Fact]
    public void Short_hex_is_twelve_characters_as_docker_prints_ids()
    {
        Assert.Equal("e3b0c44298fc", Digest.Compute([]).ShortHex);
    }
}
