using System.Text;
using Strata.Build.Engine;

namespace Strata.Build.Tests.Engine;

public sealed class SecretMaskTests
{
    [Fact]
    public void A_secret_written_one_byte_at_a_time_is_masked_in_the_lines()
    {
        var lines = Mask(["s3cr3t-value\n"], "before s3cr3t-value after\nnext\n", chunk: 1);

        Assert.Equal(["before **** after", "next"], lines);
    }

    [Fact]
    public void A_secret_split_at_every_position_between_two_writes_is_masked()
    {
        const string output = "x=s3cr3t-value;\n";
        for (int cut = 0; cut <= output.Length; cut++)
            Assert.Equal(["x=****;"], Mask(["s3cr3t-value"], output, chunk: 0, cutAt: cut));
    }

    [Fact]
    public void A_value_of_several_lines_is_masked_whole_and_line_by_line()
    {
        string key = "-----BEGIN KEY-----\nAAAABBBBCCCC\n-----END KEY-----\n";

        Assert.Equal(["key: ****", "done"], Mask([key], "key: " + key + "done\n", chunk: 3));
        // Printed with other line endings, each of its lines is still hidden.
        Assert.Equal(["****", "  ****", "****"], Mask([key], key.Replace("\n", "\r\n").Replace("AAAA", "  AAAA"), chunk: 5));
    }

    [Fact]
    public void Overlapping_starts_and_an_unfinished_prefix_come_out_unchanged_around_the_match()
    {
        Assert.Equal(["a****b", "aa"], Mask(["aab"], "aaabb\naa", chunk: 1));
    }

    [Fact]
    public void Output_without_secrets_passes_through_and_an_empty_mask_wraps_nothing()
    {
        var inner = new MemoryStream();
        Assert.Same(inner, SecretMask.For([]).Wrap(inner));
        Assert.Same(inner, SecretMask.For([[], "\n"u8.ToArray()]).Wrap(inner));
        Assert.Equal(["plain output", "more"], Mask(["other"], "plain output\nmore\n", chunk: 4));
    }

    private static List<string> Mask(string[] secrets, string output, int chunk, int cutAt = -1)
    {
        var lines = new List<string>();
        var mask = SecretMask.For(secrets.Select(s => Encoding.UTF8.GetBytes(s)));
        var bytes = Encoding.UTF8.GetBytes(output);
        using (var stream = mask.Wrap(new LineStream(lines.Add)))
        {
            if (cutAt >= 0)
            {
                stream.Write(bytes, 0, cutAt);
                stream.Write(bytes, cutAt, bytes.Length - cutAt);
            }
            else
            {
                for (int i = 0; i < bytes.Length; i += chunk) stream.Write(bytes, i, Math.Min(chunk, bytes.Length - i));
            }
        }
        return lines;
    }
}
