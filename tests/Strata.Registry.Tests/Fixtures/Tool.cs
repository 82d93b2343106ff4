namespace Strata.Registry.Tests.Fixtures;

/// <summary>The real programs the tests drive (strata, skopeo, docker), run by the harness's <see cref="ProcessRunner"/> with TZ=UTC and no STRATA_ROOT.</summary>
public static class Tool
{
    public const string Skopeo = "/usr/bin/skopeo";
    public const string Busybox = "/bin/busybox";

    public static Task<ProcessResult> RunAsync(string file, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, string? stdin = null)
    {
        var options = new RunOptions
        {
            StdinText = stdin,
            Environment = new Dictionary<string, string?> { ["TZ"] = "UTC", ["STRATA_ROOT"] = null },
        };
        return ProcessRunner.RunAsync(file, arguments, options.WithEnvironment(environment));
    }

    public static async Task<string> OkAsync(string file, params string[] arguments) => (await RunAsync(file, arguments)).EnsureSuccess().Stdout;
}
