using Strata.Build.IntegrationTests.Fixtures;

namespace Strata.Containers.Tests.Fixtures;

/// <summary>
/// A private dockerd (the build tests' <see cref="DockerdFixture"/>: it skips with a reason when
/// dockerd cannot start) holding the same images as its strata store: <c>base:1</c> (busybox,
/// /etc/motd, /srv/data/old1 and old2) and <c>big:1</c> (base plus a 512 MiB /srv/big.bin),
/// moved to docker by <c>strata save | docker load</c>.
/// </summary>
public sealed class DockerDiffPeer : IAsyncLifetime
{
    public const long BigFileSize = 512L << 20;
    public const string BigImage = "big:1";

    public DockerdFixture Dockerd { get; } = new();

    internal StrataCli Strata => Dockerd.Strata;

    public async Task InitializeAsync()
    {
        await Dockerd.InitializeAsync();
        var big = Path.Combine(Dockerd.Root, "big-rootfs");
        DifferentialBase.Create(big);
        WritePatternFile(Path.Combine(big, "srv", "big.bin"), BigFileSize);
        (await Strata.RunAsync("import", big, BigImage)).EnsureSuccess();
        Directory.Delete(big, recursive: true);
        if (Dockerd.SkipReason is not null) return;
        var tar = Path.Combine(Dockerd.Root, "big.tar");
        (await Strata.RunAsync(["save", BigImage], new RunOptions { StdoutFile = tar })).EnsureSuccess();
        (await Dockerd.DockerAsync(["load", "-i", tar])).EnsureSuccess();
        File.Delete(tar);
    }

    /// <summary>Real (not sparse) bytes that compress well, so import and load stay quick.</summary>
    private static void WritePatternFile(string path, long bytes)
    {
        var line = "strata copy-on-write walkthrough: one byte appended copies the whole file up\n"u8.ToArray();
        var block = new byte[1 << 20];
        for (int i = 0; i < block.Length; i++) block[i] = line[i % line.Length];
        using var file = File.Create(path);
        for (long written = 0; written < bytes; written += block.Length) file.Write(block, 0, (int)Math.Min(block.Length, bytes - written));
    }

    public Task DisposeAsync() => Dockerd.DisposeAsync();
}
