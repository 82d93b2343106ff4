using System.Diagnostics;
using Strata.Tests;

namespace Strata.Build.Tests.Cache.Cli;

/// <summary>
/// The real <c>strata</c> binary ($STRATA_BIN, else the Debug/Release build under src/Strata.Cli)
/// on a private store, with a busybox base image imported from a rootfs made of /bin/busybox and
/// symlinks, and a build context directory the test writes into.
/// </summary>
internal sealed class CacheCli : IDisposable
{
    private static readonly string[] Applets = ["sh", "echo", "cat", "date", "ls", "true", "mkdir", "touch", "stat"];
    private readonly string _dir = Directory.CreateTempSubdirectory("strata-cachecli-").FullName;

    public CacheCli()
    {
        Context = Path.Combine(_dir, "context");
        Directory.CreateDirectory(Context);
    }

    public string Context { get; }

    /// <summary>Which store under the scratch directory the commands use (several stores can share one context).</summary>
    public string StoreName { get; set; } = "store";

    public string Store => Path.Combine(_dir, StoreName);

    /// <summary>Variables every command gets (e.g. SOURCE_DATE_EPOCH), set after the inherited ones are cleaned.</summary>
    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

    /// <summary>A scratch directory beside the context (removed with the rest).</summary>
    public string Scratch => _dir;

    public void Dispose()
    {
        // A leftover temp directory must not hide the test's own result.
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (UnauthorizedAccessException)
        {
        }
        catch (IOException)
        {
        }
    }

    public static string Binary()
    {
        if (Environment.GetEnvironmentVariable("STRATA_BIN") is { Length: > 0 } bin) return bin;
        foreach (var config in new[] { "Debug", "Release" })
        {
            var path = Path.Combine(RepoPaths.Root, "src", "Strata.Cli", "bin", config, "net10.0", "strata");
            if (File.Exists(path)) return path;
        }
        throw new InvalidOperationException("the strata binary is not built: run `dotnet build src/Strata.Cli` (or set STRATA_BIN)");
    }

    /// <summary>
    /// Imports busybox as <paramref name="tag"/>; <paramref name="extraFile"/> makes a base with
    /// another digest; <paramref name="passwd"/> and <paramref name="group"/> are appended to the
    /// root-only /etc/passwd and /etc/group.
    /// </summary>
    public async Task ImportBusyboxAsync(string tag, string? extraFile = null, string passwd = "", string group = "")
    {
        var rootfs = Path.Combine(_dir, "rootfs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(rootfs, "bin"));
        Directory.CreateDirectory(Path.Combine(rootfs, "etc"));
        File.Copy("/bin/busybox", Path.Combine(rootfs, "bin", "busybox"));
        foreach (var applet in Applets) File.CreateSymbolicLink(Path.Combine(rootfs, "bin", applet), "busybox");
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
        var iid = Path.Combine(_dir, "iid");
        File.Delete(iid);
        var (exit, _, stderr) = await RunAsync(["build", "--progress=plain", "--iidfile", iid, .. arguments, Context]);
        Assert.True(exit == 0, "build failed:\n" + stderr);
        return new BuildOutput(exit, await File.ReadAllTextAsync(iid), stderr);
    }

    public async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string[] arguments)
    {
        var psi = new ProcessStartInfo(Binary()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("--root");
        psi.ArgumentList.Add(Store);
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        psi.Environment.Remove("SOURCE_DATE_EPOCH");
        psi.Environment.Remove("STRATA_ROOT");
        foreach (var (name, value) in Variables) psi.Environment[name] = value;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
