using System.Diagnostics;
using Strata.Tests;
using Xunit.Sdk;

namespace Strata.Integration.Tests.Fixtures;

/// <summary>
/// Runs the real <c>strata</c> binary against one store (<c>--root</c>), as a user would. The
/// binary is <c>$STRATA_BIN</c> (CI's Native AOT build) or the one built beside these tests.
/// Exit code 125 is strata's "unexpected internal error": any test that sees it fails, whatever
/// it expected, because it is a bug.
/// </summary>
public sealed class StrataCli
{
    private static readonly Lazy<string> BinaryLazy = new(FindBinary);

    public StrataCli(string storeRoot)
    {
        StoreRoot = storeRoot;
    }

    public static string Binary => BinaryLazy.Value;

    public string StoreRoot { get; }

    /// <summary>SOURCE_DATE_EPOCH for every run (null: unset), so times and IDs are reproducible.</summary>
    public DateTimeOffset? SourceDateEpoch { get; init; }

    public Task<ProcessResult> RunAsync(params string[] arguments) => RunCoreAsync(arguments, stdinFile: null);

    public Task<ProcessResult> RunWithStdinAsync(string stdinFile, params string[] arguments) => RunCoreAsync(arguments, stdinFile);

    /// <summary>Runs and requires exit 0; returns stdout.</summary>
    public async Task<string> OkAsync(params string[] arguments) => (await RunAsync(arguments)).EnsureSuccess().Stdout;

    /// <summary>Starts strata and returns at once, for tests that kill it half-way.</summary>
    public Process Start(params string[] arguments) =>
        ProcessRunner.Start(Binary, ["--root", StoreRoot, .. arguments], Options(null));

    private async Task<ProcessResult> RunCoreAsync(string[] arguments, string? stdinFile)
    {
        var result = await ProcessRunner.RunAsync(Binary, ["--root", StoreRoot, .. arguments], Options(stdinFile));
        if (result.ExitCode == 125)
            throw new XunitException("strata reported an unexpected internal error (exit 125), which is a bug:\n" + result);
        return result;
    }

    private RunOptions Options(string? stdinFile) => new()
    {
        StdinFile = stdinFile,
        Timeout = TimeSpan.FromMinutes(2),
        Environment = new Dictionary<string, string?>
        {
            ["STRATA_ROOT"] = null,
            ["TZ"] = "UTC",
            ["SOURCE_DATE_EPOCH"] = SourceDateEpoch?.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
        },
    };

    private static string FindBinary()
    {
        var fromEnv = Environment.GetEnvironmentVariable("STRATA_BIN");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            if (!File.Exists(fromEnv)) throw new XunitException($"STRATA_BIN={fromEnv} does not exist");
            return fromEnv;
        }
        // Prefer the configuration these tests were built in (the project reference built it too).
        string own = AppContext.BaseDirectory.Contains("/bin/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var candidates = new[] { own, own == "Release" ? "Debug" : "Release" }
            .Select(c => Path.Combine(RepoPaths.Root, "src", "Strata.Cli", "bin", c, "net10.0", "strata"))
            .Where(File.Exists)
            .ToList();
        if (candidates.Count == 0)
            throw new XunitException("the strata binary is not built: run `dotnet build src/Strata.Cli` (or set STRATA_BIN to a published binary)");
        return candidates[0];
    }
}
