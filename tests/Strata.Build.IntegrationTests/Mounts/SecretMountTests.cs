using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Strata.Build.IntegrationTests.Fixtures;

namespace Strata.Build.IntegrationTests.Mounts;

/// <summary>
/// RUN --mount=type=secret: the step reads the secret (from a file and from an environment
/// variable), and its bytes are nowhere afterwards: not in any file of the store (layer blobs
/// decompressed, config, metadata.db and its WAL, build logs), not in the build's output.
/// </summary>
public sealed class SecretMountTests : IClassFixture<BaseStore>
{
    private readonly BaseStore _base;

    public SecretMountTests(BaseStore store) => _base = store;

    [Fact]
    public async Task Secret_from_file_and_env_is_read_by_RUN_and_found_nowhere_in_the_store_or_output()
    {
        var (strata, build) = await MountBuild.NewAsync(_base, "secrets");
        // Random markers: hex text, so the same bytes can travel through a file and an env var.
        var fileMarker = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var envMarker = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var secretFile = Path.Combine(_base.Root, "secret-source.txt");
        await File.WriteAllTextAsync(secretFile, fileMarker);

        var result = (await build.BuildAsync(
            "FROM base:1\n" +
            "RUN --mount=type=secret,id=filetok --mount=type=secret,id=envtok,env=ENV_TOK,required=true " +
            "/bin/busybox sha256sum /run/secrets/filetok > /file.sum && printf %s \"$ENV_TOK\" | /bin/busybox sha256sum > /env.sum\n",
            "secret:1",
            ["--secret", $"id=filetok,src={secretFile}", "--secret", "id=envtok,env=MY_TOKEN"],
            new Dictionary<string, string?> { ["MY_TOKEN"] = envMarker })).EnsureSuccess();

        var rootfs = await build.UnpackAsync("secret:1");
        Assert.StartsWith(Sha256Hex(fileMarker) + "  /run/secrets/filetok", await File.ReadAllTextAsync(Path.Combine(rootfs, "file.sum")));
        Assert.StartsWith(Sha256Hex(envMarker) + "  -", await File.ReadAllTextAsync(Path.Combine(rootfs, "env.sum")));
        // The secret's mount point (and /run, which the base lacks) did not reach the layer.
        Assert.False(Directory.Exists(Path.Combine(rootfs, "run")), "/run/secrets was left in the image");

        var inspect = (await strata.RunAsync("inspect", "secret:1")).EnsureSuccess().Stdout;
        var history = (await strata.RunAsync("history", "--no-trunc", "secret:1")).EnsureSuccess().Stdout;
        var logResult = await strata.RunAsync("build", "logs");
        var logs = logResult.Stdout + logResult.Stderr;
        foreach (var marker in new[] { fileMarker, envMarker })
        {
            foreach (var (what, text) in new[] { ("stdout", result.Stdout), ("stderr", result.Stderr), ("inspect", inspect), ("history", history), ("build logs", logs) })
                Assert.False(text.Contains(marker, StringComparison.Ordinal), $"secret found in the build's {what}");
            var found = FilesContaining(strata.StoreRoot, Encoding.ASCII.GetBytes(marker)).ToList();
            Assert.True(found.Count == 0, "secret found in store files:\n  " + string.Join("\n  ", found));
        }
        // The step's key holds the ids only: the same build with another secret value is cached.
        await File.WriteAllTextAsync(secretFile, "another value");
        var again = (await build.BuildAsync(await File.ReadAllTextAsync(Path.Combine(build.Context, "Dockerfile")), "secret:2",
            ["--secret", $"id=filetok,src={secretFile}", "--secret", "id=envtok,env=MY_TOKEN"],
            new Dictionary<string, string?> { ["MY_TOKEN"] = "x" })).EnsureSuccess();
        Assert.Contains("#2 CACHED", again.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_required_secret_fails_with_one_line_naming_the_Dockerfile_line_and_the_id()
    {
        var (strata, build) = await MountBuild.NewAsync(_base, "secret-missing");

        var result = await build.BuildAsync("FROM base:1\nRUN --mount=type=secret,id=npmrc,required=true cat /run/secrets/npmrc\n", "missing:1");

        StrataExit.AssertFailed(result.ExitCode, result.ToString());
        var error = result.Stderr.Split('\n').Where(l => l.StartsWith("Error:", StringComparison.Ordinal)).ToList();
        Assert.Single(error);
        Assert.Contains("Dockerfile:2", error[0], StringComparison.Ordinal);
        Assert.Contains("secret npmrc is required", error[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreadable_secret_source_is_one_error_line_naming_it()
    {
        var (strata, build) = await MountBuild.NewAsync(_base, "secret-unreadable");
        var missing = Path.Combine(_base.Root, "no-such-secret-file");

        var result = await build.BuildAsync("FROM base:1\nRUN true\n", "unreadable:1", ["--secret", $"id=tok,src={missing}"]);

        StrataExit.AssertFailed(result.ExitCode, result.ToString());
        var error = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("id=tok", error, StringComparison.Ordinal);
        Assert.Contains(missing, error, StringComparison.Ordinal);
    }

    private static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(text)));

    /// <summary>Every regular file under <paramref name="root"/> whose bytes, or whose gzip-decompressed bytes, contain <paramref name="needle"/>.</summary>
    internal static IEnumerable<string> FilesContaining(string root, byte[] needle)
    {
        foreach (var path in Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false }))
        {
            var status = Strata.Core.Unix.Libc.Lstat(path);
            if (!status.IsRegular) continue;
            // A file on another device than its directory is a mount point: a running step's
            // network namespace pinned in its bundle (nsfs, unreadable), not content of the store.
            var parent = Strata.Core.Unix.Libc.Lstat(Path.GetDirectoryName(path)!);
            if ((status.DeviceMajor, status.DeviceMinor) != (parent.DeviceMajor, parent.DeviceMinor)) continue;
            var bytes = File.ReadAllBytes(path);
            if (bytes.AsSpan().IndexOf(needle) >= 0) yield return path;
            else if (bytes.Length > 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
            {
                using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
                using var plain = new MemoryStream();
                gzip.CopyTo(plain);
                if (plain.GetBuffer().AsSpan(0, (int)plain.Length).IndexOf(needle) >= 0) yield return path + " (decompressed)";
            }
        }
    }
}
