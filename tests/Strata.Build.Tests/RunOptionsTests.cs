using Strata.Core;
using Strata.Execution;

namespace Strata.Build.Tests;

public sealed class RunOptionsTests
{
    [Theory]
    [InlineData("db:10.0.0.5", "db", "10.0.0.5")]
    [InlineData("v6:fd00::1", "v6", "fd00::1")]
    [InlineData("v6:fd00:0:0::0001", "v6", "fd00::1")]
    [InlineData("gw:host-gateway", "gw", "host-gateway")]
    public void Add_host_splits_at_the_first_colon_and_writes_the_canonical_address(string flag, string host, string address) =>
        Assert.Equal(new HostEntry(host, address), RunOptions.ParseHost(flag));

    [Theory]
    [InlineData("nocolon", "want HOST:IP")]
    [InlineData("db:", "want HOST:IP")]
    [InlineData("db:not-an-ip", "invalid IP address \"not-an-ip\"")]
    public void Bad_add_host_values_are_refused_by_name(string flag, string message)
    {
        var ex = Assert.Throws<InvalidArgumentException>(() => RunOptions.ParseHost(flag));
        Assert.StartsWith($"--add-host \"{flag}\": ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("67108864", 67108864L)]
    [InlineData("512k", 524288L)]
    [InlineData("100m", 104857600L)]
    [InlineData("100MB", 104857600L)]
    [InlineData("1g", 1073741824L)]
    [InlineData("1.5k", 1536L)]
    public void Sizes_read_as_docker_reads_them(string text, long bytes) => Assert.Equal(bytes, RunOptions.ParseSize(text, "--shm-size"));

    [Theory]
    [InlineData("0")]
    [InlineData("-1m")]
    [InlineData("10x")]
    [InlineData("")]
    public void Bad_sizes_are_refused(string text) =>
        Assert.Contains("--shm-size", Assert.Throws<InvalidArgumentException>(() => RunOptions.ParseSize(text, "--shm-size")).Message, StringComparison.Ordinal);

    [Fact]
    public void Ulimit_hard_defaults_to_soft_and_a_later_flag_of_one_type_wins()
    {
        var options = RunOptions.FromFlags([], null, ["nofile=1024:2048", "nproc=50", "nofile=4096"]);

        Assert.Equal([new ProcessRlimit("RLIMIT_NPROC", 50, 50), new ProcessRlimit("RLIMIT_NOFILE", 4096, 4096)], options.Ulimits);
        Assert.Equal("--ulimit nproc=50:50 --ulimit nofile=4096:4096", options.CacheText());
    }

    [Theory]
    [InlineData("nofile", "want NAME=SOFT[:HARD]")]
    [InlineData("files=10", "unknown limit \"files\"")]
    [InlineData("nofile=2048:1024", "soft limit 2048 is above hard limit 1024")]
    [InlineData("nofile=a:b", "non-negative integers")]
    public void Bad_ulimits_are_refused_by_name(string flag, string message)
    {
        var ex = Assert.Throws<InvalidArgumentException>(() => RunOptions.ParseUlimit(flag));
        Assert.StartsWith($"--ulimit \"{flag}\": ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_add_nothing_to_the_cache_key() => Assert.Equal("", RunOptions.Default.CacheText());
}
