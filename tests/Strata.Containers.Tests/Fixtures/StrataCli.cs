using Strata.Tests;

namespace Strata.Containers.Tests.Fixtures;

/// <summary>
/// The strata binary against one store: <c>STRATA_BIN</c> when set (CI points it at the AOT
/// build), else the Debug build of src/Strata.Cli, which must have been built first.
/// </summary>
internal sealed class StrataCli
{
    public StrataCli(string storeRoot) => StoreRoot = storeRoot;

    public string StoreRoot { get; }

    public static string Binary
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("STRATA_BIN");
            if (!string.IsNullOrEmpty(fromEnv)) return fromEnv;
            var debug = Path.Combine(RepoPaths.Root, "src", "Strata.Cli", "bin", "Debug", "net10.0", "strata");
            if (!File.Exists(debug))
                throw new FileNotFoundException($"strata binary not found at {debug}: build src/Strata.Cli or set STRATA_BIN");
            return debug;
        }
    }

    public Task<ProcessResult> RunAsync(params string[] args) => RunAsync(args, null);

    public Task<ProcessResult> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment, string? stdoutFile = null, string? stdinFile = null) =>
        CliRunner.RunAsync(Binary, ["--root", StoreRoot, .. args], environment: environment, stdoutFile: stdoutFile, stdinFile: stdinFile, timeout: TimeSpan.FromMinutes(3));
}
