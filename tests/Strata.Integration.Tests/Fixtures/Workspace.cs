using System.Text.Json.Nodes;
using Xunit.Sdk;

namespace Strata.Integration.Tests.Fixtures;

/// <summary>One test's world: a scratch directory, a fresh store in it, the strata CLI on that
/// store, and (on demand) the busybox rootfs.</summary>
public sealed class Workspace : IDisposable
{
    /// <summary>A SOURCE_DATE_EPOCH docker and strata both print as "3 years ago" whenever the tests run.</summary>
    public static readonly DateTimeOffset ThreeYearsAgo = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddDays(-(3 * 365 + 60)).ToUnixTimeSeconds());

    private string? _rootfs;

    public Workspace(DateTimeOffset? sourceDateEpoch = null)
    {
        Scratch = new TempDir("strata-integration-");
        Strata = new StrataCli(Scratch.PathOf("store")) { SourceDateEpoch = sourceDateEpoch };
    }

    public TempDir Scratch { get; }

    public StrataCli Strata { get; }

    /// <summary>The busybox rootfs, made on first use.</summary>
    public string Rootfs => _rootfs ??= BaseRootfs.Create(Scratch.NewDir("rootfs"));

    /// <summary>A second CLI on another store of this workspace.</summary>
    public StrataCli OtherStore(string name) => new(Scratch.PathOf(name)) { SourceDateEpoch = Strata.SourceDateEpoch };

    /// <summary><c>strata import ROOTFS TAG ARGS</c>; returns the image ID it prints.</summary>
    public async Task<string> ImportBusyboxAsync(string tag, params string[] arguments)
    {
        var output = await Strata.OkAsync(["import", Rootfs, tag, .. arguments]);
        Assert.Matches("^sha256:[0-9a-f]{64}\n$", output);
        return output.TrimEnd('\n');
    }

    /// <summary>The one object of <c>strata inspect IMAGE</c>.</summary>
    public async Task<JsonObject> InspectAsync(string image)
    {
        var array = JsonNode.Parse(await Strata.OkAsync("inspect", image))?.AsArray() ?? throw new XunitException("inspect printed null");
        Assert.Single(array);
        return array[0]!.AsObject();
    }

    /// <summary><c>strata system check</c> exits 0 and reports no fault; returns its summary line.</summary>
    public async Task<string> AssertCheckPassesAsync()
    {
        var check = await Strata.RunAsync("system", "check");
        Assert.True(check.ExitCode == 0, "system check failed:\n" + check);
        Assert.DoesNotContain("FAULT", check.Stdout, StringComparison.Ordinal);
        return check.Stdout;
    }

    public void Dispose() => Scratch.Dispose();
}
