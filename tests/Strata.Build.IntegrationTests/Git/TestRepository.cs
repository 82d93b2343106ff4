using System.Diagnostics;

namespace Strata.Build.IntegrationTests.Git;

/// <summary>A real git repository the tests commit to with the git binary (fixed identity, no user config).</summary>
internal sealed class TestRepository
{
    private TestRepository(string path) => Path = path;

    public string Path { get; }

    /// <summary>A new repository at <paramref name="path"/> on branch main.</summary>
    public static async Task<TestRepository> InitAsync(string path)
    {
        Directory.CreateDirectory(path);
        var repo = new TestRepository(path);
        await repo.GitAsync("init", "-q", "-b", "main", ".");
        return repo;
    }

    public async Task WriteAsync(string relative, string content, bool executable = false)
    {
        var file = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, content);
        File.SetUnixFileMode(file, executable ? (UnixFileMode)0x1ED : (UnixFileMode)0x1A4);
    }

    /// <summary>An existing repository (or checkout) at <paramref name="path"/>.</summary>
    public static Task<TestRepository> OpenAsync(string path) => Task.FromResult(new TestRepository(path));

    /// <summary>Commits everything; returns the new commit hash.</summary>
    public async Task<string> CommitAsync(string message)
    {
        await GitAsync("add", "-A");
        await GitAsync("commit", "-q", "-m", message);
        return await GitAsync("rev-parse", "HEAD");
    }

    public async Task<string> GitAsync(params string[] arguments)
    {
        var psi = new ProcessStartInfo("git") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path };
        psi.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        psi.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        psi.Environment["GIT_AUTHOR_NAME"] = psi.Environment["GIT_COMMITTER_NAME"] = "t";
        psi.Environment["GIT_AUTHOR_EMAIL"] = psi.Environment["GIT_COMMITTER_EMAIL"] = "t@example.com";
        // Submodules of the tests come from sibling folders: allow local paths (git >= 2.38 refuses them by default).
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("protocol.file.allow=always");
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start git");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {await stderr}");
        return (await stdout).Trim();
    }
}
