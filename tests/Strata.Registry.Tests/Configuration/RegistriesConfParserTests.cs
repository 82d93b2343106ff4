using Strata.Registry.Configuration;

namespace Strata.Registry.Tests.Configuration;

/// <summary>registries.conf text -> settings, and every refusal as one line naming the file and line.</summary>
public sealed class RegistriesConfParserTests
{
    private const string Path = "/home/u/.config/containers/registries.conf";

    private static string Refusal(string text) => Assert.Throws<RegistriesConfException>(() => RegistriesConfParser.Parse(text, Path)).Message;

    [Fact]
    public void The_man_page_example_reads_into_tables_and_mirrors()
    {
        var conf = RegistriesConfParser.Parse("""
            unqualified-search-registries = ["example.com"]

            [[registry]]
            prefix = "example.com/foo"
            insecure = false
            blocked = false
            location = "internal-registry-for-example.com/bar/"

            [[registry.mirror]]
            location = "example-mirror-0.local/mirror-for-foo"

            [[registry.mirror]]
            location = "example-mirror-1.local/mirrors/foo"
            insecure = true

            [aliases]
            "alpine" = "docker.io/library/alpine"
            """, Path);

        var entry = Assert.Single(conf.Registries);
        Assert.Equal(new RegistryEntry("example.com/foo", "internal-registry-for-example.com/bar", false, false, false, entry.Mirrors), entry);
        Assert.Equal(
            [new RegistryMirror("example-mirror-0.local/mirror-for-foo", false, PullFromMirror.All), new RegistryMirror("example-mirror-1.local/mirrors/foo", true, PullFromMirror.All)],
            entry.Mirrors);
        Assert.Equal(Path, conf.Path);
    }

    [Fact]
    public void A_file_of_comments_and_unused_settings_has_no_tables()
    {
        var conf = RegistriesConfParser.Parse("# nothing here\nshort-name-mode = \"enforcing\"\n[aliases]\n\"busybox\" = \"docker.io/library/busybox\"\n", Path);
        Assert.Empty(conf.Registries);
    }

    [Fact]
    public void Version_1_insecure_and_block_lists_become_one_table_per_host()
    {
        var conf = RegistriesConfParser.Parse("""
            [registries.search]
            registries = ["docker.io"]

            [registries.insecure]
            registries = ["registry3.com", "both.com"]

            [registries.block]
            registries = ["registry.untrusted.com", "both.com"]
            """, Path);

        Assert.Equal(
            [
                new RegistryEntry("registry3.com", "registry3.com", true, false, false, []),
                new RegistryEntry("both.com", "both.com", true, true, false, []),
                new RegistryEntry("registry.untrusted.com", "registry.untrusted.com", false, true, false, []),
            ],
            conf.Registries.Select(r => r with { Mirrors = [] }));
    }

    [Theory]
    [InlineData("[[registry]]\nlocation = \"example.com\"\ninsecure = yes\n", 3)]
    [InlineData("[[registry]\nlocation = \"example.com\"\n", 1)]
    [InlineData("\n\n[[registry]]\nlocation = \"example.com\n", 4)]
    public void A_toml_syntax_error_names_the_file_and_its_line(string text, int line)
    {
        var message = Refusal(text);
        Assert.True(message.StartsWith($"{Path}:{line}: ", StringComparison.Ordinal), message);
        Assert.DoesNotContain('\n', message);
    }

    [Theory]
    [InlineData("[[registry]]\nlocation = \"example.com\"\ninsecure = \"yes\"\n", "3: 'insecure' must be true or false")]
    [InlineData("[[registry]]\nprefix = \"example.com\"\nlocation = 5\n", "3: 'location' must be a string")]
    [InlineData("[[registry]]\nlocation = \"https://example.com\"\n", "2: invalid location \"https://example.com\": URI schemes are not supported")]
    [InlineData("[[registry]]\nprefix = \"example.com\"\n", "2: invalid location: cannot be empty")]
    [InlineData("[[registry]]\nprefix = \"*.example.com\"\nlocation = \"mirror.local\"\n", "3: [[registry]] with the wildcarded prefix \"*.example.com\" cannot set a location")]
    [InlineData("[[registry]]\nprefix = \"example.*.com\"\nlocation = \"x.com\"\n", "2: invalid prefix \"example.*.com\": a wildcard is allowed only as \"*.domain\"")]
    [InlineData("[[registry]]\nlocation = \"example.com\"\n\n[[registry.mirror]]\ninsecure = true\n", "5: invalid location: cannot be empty")]
    [InlineData("[[registry]]\nlocation = \"example.com\"\n\n[[registry.mirror]]\nlocation = \"m.local\"\npull-from-mirror = \"sometimes\"\n", "6: unsupported pull-from-mirror \"sometimes\" (want all, digest-only or tag-only)")]
    [InlineData("[[registry]]\nlocation = \"example.com\"\nmirror-by-digest-only = true\n\n[[registry.mirror]]\nlocation = \"m.local\"\npull-from-mirror = \"all\"\n", "7: [[registry]] example.com sets mirror-by-digest-only, so its mirrors cannot set pull-from-mirror")]
    [InlineData("registry = \"example.com\"\n", "1: 'registry' must be an array of tables ([[registry]])")]
    [InlineData("[registries.block]\nregistries = [\"a.com\"]\n\n[[registry]]\nlocation = \"b.com\"\n", "1: mixing sysregistry v1 ([registries.*]) and v2 ([[registry]]) is not supported")]
    public void A_setting_containers_image_refuses_names_the_file_and_its_line(string text, string expected)
    {
        Assert.Equal($"{Path}:{expected}", Refusal(text));
    }

    [Fact]
    public void Two_tables_for_one_location_must_agree_on_insecure_and_blocked()
    {
        Assert.Equal(
            $"{Path}: registry 'example.com' is defined multiple times with conflicting 'insecure' setting",
            Refusal("[[registry]]\nlocation = \"example.com\"\ninsecure = true\n\n[[registry]]\nprefix = \"example.com/foo\"\nlocation = \"example.com\"\n"));
    }
}
