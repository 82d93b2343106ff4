using Strata.Build.IntegrationTests.Fixtures;

namespace Strata.Build.IntegrationTests.Mounts;

/// <summary>
/// A secret mount built by BuildKit (docker 20.10, <c>docker build --secret</c>) and by strata:
/// the same file reached the step (same checksum, mode and owner) and the root filesystems
/// agree, apart from the mount-point stubs BuildKit 0.8 leaves behind.
/// </summary>
[Collection(DockerdGroup.Name)]
public sealed class SecretMountDifferentialTests
{
    private readonly DockerdFixture _docker;

    public SecretMountDifferentialTests(DockerdFixture docker) => _docker = docker;

    [SkippableFact]
    public async Task Secret_mount_gives_the_same_rootfs_as_BuildKit()
    {
        Skip.If(_docker.SkipReason is not null, _docker.SkipReason);
        var work = Path.Combine(_docker.Root, "secret-differential");
        var context = Path.Combine(work, "context");
        Directory.CreateDirectory(context);
        var secret = Path.Combine(work, "token.txt");
        await File.WriteAllTextAsync(secret, "differential-secret-value\n");
        var dockerfile = Path.Combine(context, "Dockerfile");
        await File.WriteAllTextAsync(dockerfile,
            "FROM base:1\n" +
            "RUN --mount=type=secret,id=tok /bin/busybox sha256sum /run/secrets/tok > /sum && stat -c '%a %u:%g %s' /run/secrets/tok > /stat\n" +
            "RUN --mount=type=secret,id=tok,target=/etc/app/token,mode=0440,uid=1000,gid=2000 stat -c '%a %u:%g' /etc/app/token > /stat2\n" +
            "RUN --mount=type=secret,id=absent test ! -e /run/secrets/absent && echo skipped > /absent\n");
        string[] flags = ["--secret", $"id=tok,src={secret}"];

        (await _docker.DockerAsync(["build", "--network=none", "-q", "-t", "secret-diff:1", .. flags, context])).EnsureSuccess();
        (await _docker.Strata.RunAsync(["build", "--network", "none", "-q", "-t", "secret-diff:1", .. flags, context])).EnsureSuccess();

        var dockerRoot = Path.Combine(work, "buildkit-rootfs");
        var strataRoot = Path.Combine(work, "strata-rootfs");
        await ImageTrees.UnpackDockerAsync(_docker, "secret-diff:1", dockerRoot, Path.Combine(work, "docker-save"));
        await ImageTrees.UnpackStrataAsync(_docker.Strata, "secret-diff:1", strataRoot);
        Assert.Equal("400 0:0 26\n", await File.ReadAllTextAsync(Path.Combine(strataRoot, "stat")));
        Assert.Equal("440 1000:2000\n", await File.ReadAllTextAsync(Path.Combine(strataRoot, "stat2")));

        // BuildKit 0.8 leaves the empty mount point directories runc created (current BuildKit
        // removes them, recursively since v0.13, as strata does): /run, /run/secrets and /etc/app
        // Exactly these three, nothing else.
        var differences = (await TreeDiff.CompareAsync(dockerRoot, strataRoot))
            .ToList();
        string[] mountPoints = ["only in buildkit: /etc/app (Directory 755 0:0)", "only in buildkit: /run (Directory 755 0:0)", "only in buildkit: /run/secrets (Directory 755 0:0)"];
        foreach (var line in mountPoints) Assert.True(differences.Remove(line), $"BuildKit 0.8's mount point no longer differs (update the test): {line}");
        Assert.True(differences.Count == 0, "strata differs from BuildKit:\n  " + string.Join("\n  ", differences));
    }
}
