namespace Strata.Build.Tests.Cache.Cli;

/// <summary>
/// The real <c>strata</c> binary (the harness's <see cref="StrataCli"/>)
/// on a private store, with a busybox base image imported from a rootfs made of /bin/busybox and
/// symlinks, and a build context directory the test writes into.
/// </summary>
internal sealed class CacheCli : IDisposable
{
    private static readonly BusyboxRootfs Base = new() { Applets = ["sh", "echo", "cat", "date", "ls", "true", "mkdir", "touch", "stat"], Directories = ["etc"] };
    private readonly TempDir _tempDir = new("strata-cachecli-");

    public CacheCli()
    {
        Context = Path.Combine(_tempDir.Path, "context");
        Directory.CreateDirectory(Context);
    }

    public string Context { get; }

    /// <summary>Which store under the scratch directory the commands use (several stores can share one context).</summary>
    public string StoreName { get; set; } = "store";

    public string Store => Path.Combine(_tempDir.Path, StoreName);

    /// <summary>Variables every command gets (e.g. SOURCE_DATE_EPOCH), set after the inherited ones are cleaned.</summary>
    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

    /// <summary>A scratch directory beside the context (removed with the rest).</summary>
    public string Scratch => _tempDir.Path;

    public void Dispose() => _tempDir.Dispose();

    /// <summary>
    /// Imports busybox as <paramref name="tag"/>; <paramref name="extraFile"/> makes a base with
    /// another digest; <paramref name="passwd"/> and <paramref name="group"/> are appended to the
    /// root-only /etc/passwd and /etc/group.
    /// </summary>
    public async Task ImportBusyboxAsync(string tag, string? extraFile = null, string passwd = "", string group = "")
    {
        var rootfs = Path.Combine(_tempDir.Path, "rootfs-" + Guid.NewGuid().ToString("N"));
        Base.Create(rootfs);
        await File.WriteAllTextAsync(Path.Combine(rootfs, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\n" + passwd);
        if (group.Length > 0) await File.WriteAllTextAsync(Path.Combine(rootfs, "etc", "group"), "root:x:0:\n" + group);
        if (extraFile is not null) await File.WriteAllTextAsync(Path.Combine(rootfs, "etc", extraFile), extraFile);
        var (exit, _, stderr) = await RunAsync(["import", rootfs, tag]);
        Assert.True(exit == 0, "import failed: " + stderr);
    }

    /// <summary>Runs any other verb and requires exit 0.</summary>
    public async Task RunOkAsync(params string[] arguments)
    {
        var (exit, _, stderr) = await RunAsync(arguments);
        Assert.True(exit == 0, $"strata {string.Join(' ', arguments)} failed: {stderr}");
    }

    public void Write(string path, string content)
    {
        var full = Path.Combine(Context, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }

    public async Task<BuildOutput> BuildAsync(params string[] arguments)
    {
        var iid = Path.Combine(_tempDir.Path, "iid");
        File.Delete(iid);
        var (exit, _, stderr) = await RunAsync(["build", "--progress=plain", "--iidfile", iid, .. arguments, Context]);
        Assert.True(exit == 0, "build failed:\n" + stderr);
        return new BuildOutput(exit, await File.ReadAllTextAsync(iid), stderr);
    }

    /// <summary>Strata on <see cref="Store"/>, SOURCE_DATE_EPOCH unset unless <see cref="Variables"/> sets it.</summary>
    public Task<ProcessResult> RunAsync(string[] arguments) =>
        new StrataCli(Store).RunAsync(arguments, new Strata.Testing.RunOptions().WithEnvironment(Variables.ToDictionary(v => v.Key, string? (v) => v.Value, StringComparer.Ordinal)));
}
