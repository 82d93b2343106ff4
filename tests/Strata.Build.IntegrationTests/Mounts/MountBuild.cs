using Strata.Build.IntegrationTests.Fixtures;

namespace Strata.Build.IntegrationTests.Mounts;

/// <summary>A build context folder with a Dockerfile, built by the strata CLI and unpacked for checks.</summary>
internal sealed class MountBuild
{
    private readonly StrataCli _strata;
    private readonly string _work;

    public MountBuild(StrataCli strata, string work)
    {
        _strata = strata;
        _work = work;
        Directory.CreateDirectory(Context);
    }

    /// <summary>A fresh store NAME over the base image, and a build whose work folder is NAME-work.</summary>
    public static async Task<(StrataCli Strata, MountBuild Build)> NewAsync(BaseStore store, string name)
    {
        var strata = await store.NewStoreAsync(name);
        return (strata, new MountBuild(strata, Path.Combine(store.Root, name + "-work")));
    }

    public string Context => Path.Combine(_work, "context");

    public void Write(string relative, string content)
    {
        var path = Path.Combine(Context, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    /// <summary>Runs <c>strata build --progress plain -t TAG [extra] CONTEXT</c> with the given Dockerfile text.</summary>
    public Task<ProcessResult> BuildAsync(string dockerfile, string tag, IEnumerable<string>? extra = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        Write("Dockerfile", dockerfile);
        return _strata.RunAsync(["build", "--progress", "plain", "-t", tag, .. extra ?? [], Context], new RunOptions().WithEnvironment(environment));
    }

    /// <summary>The image's root filesystem, unpacked into a fresh folder.</summary>
    public async Task<string> UnpackAsync(string tag)
    {
        var target = Path.Combine(_work, "rootfs-" + tag.Replace(':', '-') + "-" + Guid.NewGuid().ToString("N")[..8]);
        await ImageTrees.UnpackStrataAsync(_strata, tag, target);
        return target;
    }
}
