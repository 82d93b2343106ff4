using Strata.Build.Cache;
using Strata.Core;

namespace Strata.Build.Tests.Cache;

/// <summary>The <c>dev.strata.cache.v0</c> label's JSON: small, deterministic, and readable whether or not it carries link keys.</summary>
public sealed class InlineCacheTests
{
    private static readonly string Chained = "sha256:" + new string('a', 64);
    private static readonly string Linked = "sha256:" + new string('b', 64);

    [Fact]
    public void Only_a_linked_step_gets_a_link_field_so_other_labels_stay_byte_for_byte_as_before()
    {
        var json = InlineCache.Serialize([
            new InlineCacheEntry(Chained, 1, 1) { Link = Linked },
            new InlineCacheEntry(Chained, 2, -1),
        ]);

        Assert.Equal($$"""[{"key":"{{Chained}}","history":1,"layer":1,"link":"{{Linked}}"},{"key":"{{Chained}}","history":2,"layer":-1}]""", json);
    }

    [Fact]
    public void A_label_written_before_link_keys_existed_still_reads_with_no_link()
    {
        var entries = InlineCache.Parse($$"""[{"key":"{{Chained}}","history":0,"layer":0},{"key":"{{Chained}}","history":1,"layer":-1}]""", "old:1");

        Assert.Equal([new InlineCacheEntry(Chained, 0, 0), new InlineCacheEntry(Chained, 1, -1)], entries);
        Assert.All(entries, e => Assert.Null(e.Link));
    }

    [Fact]
    public void A_label_with_a_link_key_reads_back_the_same()
    {
        InlineCacheEntry[] written = [new InlineCacheEntry(Chained, 3, 2) { Link = Linked }];

        var read = InlineCache.Parse(InlineCache.Serialize(written), "new:1");

        Assert.Equal(written, read);
    }

    [Fact]
    public void A_label_that_is_not_json_is_a_one_line_error_naming_the_image_and_label()
    {
        var ex = Assert.Throws<InvalidArgumentException>(() => InlineCache.Parse("[{\"key\":", "app:1"));

        Assert.StartsWith("--cache-from app:1: label dev.strata.cache.v0 is not valid: ", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }
}
