using Strata.Core;
using Strata.Registry.Configuration;

namespace Strata.Registry.Tests.Configuration;

/// <summary>Which [[registry]] table a name picks and where its pull goes, as containers/image decides.</summary>
public sealed class RegistriesConfMatchingTests
{
    private const string Path = "/etc/containers/registries.conf";

    private static RegistriesConf Parse(string text) => RegistriesConfParser.Parse(text, Path);

    private static string[] Pulls(RegistriesConf conf, string reference) =>
        [.. conf.PullEndpoints(ImageReference.Parse(reference)).Select(e => (e.Mirror ? "mirror " : "origin ") + e.Reference + (e.Insecure ? " insecure" : ""))];

    private const string Layered = """
        [[registry]]
        location = "example.com"

        [[registry.mirror]]
        location = "mirror.local/all-of-example"

        [[registry]]
        prefix = "example.com/foo"
        location = "internal.example.net/bar"

        [[registry.mirror]]
        location = "mirror-0.local/mirror-for-foo"

        [[registry.mirror]]
        location = "mirror-1.local:5000/mirrors/foo"
        insecure = true

        [[registry]]
        prefix = "example.com/foo/pinned"
        location = "example.com/foo/pinned"
        blocked = true
        """;

    [Theory]
    [InlineData("example.com/foo/image:latest", "example.com/foo")]
    [InlineData("example.com/foo:latest", "example.com/foo")]
    [InlineData("example.com/foo@sha256:0000000000000000000000000000000000000000000000000000000000000000", "example.com/foo")]
    [InlineData("example.com/foobar/image:latest", "example.com")]
    [InlineData("example.com/other/image:latest", "example.com")]
    [InlineData("example.com/foo/pinned:v1", "example.com/foo/pinned")]
    [InlineData("example.com/foo/pinned/deeper:v1", "example.com/foo/pinned")]
    [InlineData("example.com:5000/foo/image:latest", null)]
    [InlineData("example.community/foo:latest", null)]
    [InlineData("docker.io/library/alpine:latest", null)]
    public void The_longest_prefix_that_ends_at_a_separator_wins(string name, string? prefix)
    {
        Assert.Equal(prefix, Parse(Layered).Find(name)?.Prefix);
    }

    [Fact]
    public void A_pull_tries_the_mirrors_in_order_then_the_location_with_the_prefix_rewritten()
    {
        Assert.Equal(
            [
                "mirror mirror-0.local/mirror-for-foo/image:latest",
                "mirror mirror-1.local:5000/mirrors/foo/image:latest insecure",
                "origin internal.example.net/bar/image:latest",
            ],
            Pulls(Parse(Layered), "example.com/foo/image:latest"));
    }

    [Fact]
    public void A_name_no_table_matches_is_pulled_from_itself_only()
    {
        Assert.Equal(["origin quay.io/app/tool:1"], Pulls(Parse(Layered), "quay.io/app/tool:1"));
        Assert.Equal(["origin quay.io/app/tool:1"], Pulls(RegistriesConf.Empty, "quay.io/app/tool:1"));
    }

    [Fact]
    public void Docker_hub_names_match_with_their_library_namespace()
    {
        var conf = Parse("""
            [[registry]]
            prefix = "docker.io/library"
            location = "docker.io/library"

            [[registry.mirror]]
            location = "127.0.0.1:5000/hub"
            """);

        Assert.Equal(["mirror 127.0.0.1:5000/hub/alpine:3.20", "origin docker.io/library/alpine:3.20"], Pulls(conf, "alpine:3.20"));
        Assert.Equal(["origin docker.io/someone/alpine:latest"], Pulls(conf, "someone/alpine"));
    }

    [Fact]
    public void A_wildcard_prefix_matches_subdomains_only_and_keeps_the_name_as_its_location()
    {
        var conf = Parse("""
            [[registry]]
            prefix = "*.corp.example"

            [[registry.mirror]]
            location = "cache.local/corp"

            [[registry]]
            prefix = "team.corp.example/special"
            location = "team.corp.example/special"
            """);

        Assert.Equal(["mirror cache.local/corp/app:1", "origin build.corp.example/app:1"], Pulls(conf, "build.corp.example/app:1"));
        Assert.Equal(["mirror cache.local/corp/x/app:1", "origin a.b.corp.example:5000/x/app:1"], Pulls(conf, "a.b.corp.example:5000/x/app:1"));
        Assert.Equal(["origin team.corp.example/special/app:1"], Pulls(conf, "team.corp.example/special/app:1"));
        Assert.Null(conf.Find("corp.example/app:1"));
        Assert.Null(conf.Find("notcorp.example/app:1"));
    }

    [Fact]
    public void Mirror_kinds_follow_the_reference_tag_or_digest()
    {
        const string digest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
        var conf = Parse("""
            [[registry]]
            location = "example.com"

            [[registry.mirror]]
            location = "digests.local"
            pull-from-mirror = "digest-only"

            [[registry.mirror]]
            location = "tags.local"
            pull-from-mirror = "tag-only"

            [[registry.mirror]]
            location = "both.local"

            [[registry]]
            location = "strict.example.com"
            mirror-by-digest-only = true

            [[registry.mirror]]
            location = "strict-mirror.local"
            """);

        Assert.Equal(["mirror tags.local/app:1", "mirror both.local/app:1", "origin example.com/app:1"], Pulls(conf, "example.com/app:1"));
        Assert.Equal([$"mirror digests.local/app@{digest}", $"mirror both.local/app@{digest}", $"origin example.com/app@{digest}"], Pulls(conf, $"example.com/app@{digest}"));
        Assert.Equal(["origin strict.example.com/app:1"], Pulls(conf, "strict.example.com/app:1"));
        Assert.Equal([$"mirror strict-mirror.local/app@{digest}", $"origin strict.example.com/app@{digest}"], Pulls(conf, $"strict.example.com/app@{digest}"));
    }

    [Fact]
    public void A_blocked_name_is_refused_in_one_line_naming_it_and_the_file()
    {
        var conf = Parse(Layered);

        var pull = Assert.Throws<RegistryException>(() => conf.PullEndpoints(ImageReference.Parse("example.com/foo/pinned:v1")));
        var push = Assert.Throws<RegistryException>(() => conf.ThrowIfBlocked(ImageReference.Parse("example.com/foo/pinned/sub:v2")));

        Assert.Equal($"example.com/foo/pinned:v1: registry example.com/foo/pinned is blocked in {Path}", pull.Message);
        Assert.Equal($"example.com/foo/pinned/sub:v2: registry example.com/foo/pinned is blocked in {Path}", push.Message);
        conf.ThrowIfBlocked(ImageReference.Parse("example.com/foo/other:v1"));
    }

    [Theory]
    [InlineData("mirror-1.local:5000", true)]
    [InlineData("mirror-0.local", false)]
    [InlineData("example.com", false)]
    [InlineData("insecure.example.com", true)]
    [InlineData("relocated.local:8443", true)]
    [InlineData("insecure.example.com:5000", false)]
    public void Insecure_applies_to_the_hosts_of_insecure_tables_locations_and_mirrors(string host, bool insecure)
    {
        var conf = Parse(Layered + """


            [[registry]]
            location = "insecure.example.com"
            insecure = true

            [[registry]]
            prefix = "moved.example.com"
            location = "relocated.local:8443/moved"
            insecure = true
            """);

        Assert.Equal(insecure, conf.IsInsecure(host));
    }
}
