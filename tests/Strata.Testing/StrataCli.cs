using System.Diagnostics;
using System.Globalization;

namespace Strata.Testing;

/// <summary>
/// The real strata binary (<see cref="StrataBinary"/>) on one store (<c>--root</c>; none for
/// <see cref="WithoutStore"/>, for verbs that open no store), run as a user would: <c>STRATA_ROOT</c>
/// removed, <c>TZ=UTC</c>, <c>SOURCE_DATE_EPOCH</c> only when <see cref="SourceDateEpoch"/> says
/// so. Every run goes through <see cref="ProcessRunner"/>: a hung strata is killed with its
/// children and fails the test naming the command, and exit 125 fails any test.
/// </summary>
public sealed class StrataCli
{
    private readonly string? _storeRoot;

    public StrataCli(string storeRoot)
    {
        ArgumentException.ThrowIfNullOrEmpty(storeRoot);
        _storeRoot = storeRoot;
    }

    private StrataCli() => _storeRoot = null;

    /// <summary>strata without <c>--root</c>, for verbs that open no store (parse, lint, usage errors).</summary>
    public static StrataCli WithoutStore { get; } = new();

    public string StoreRoot => _storeRoot ?? throw new InvalidOperationException("this StrataCli runs without a store");

    /// <summary>SOURCE_DATE_EPOCH for every run (null: unset), so times and IDs are reproducible.</summary>
    public DateTimeOffset? SourceDateEpoch { get; init; }

    /// <summary>Variables every run gets over the defaults above (a null value removes one).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    public static string Binary => StrataBinary.Path;

    public Task<ProcessResult> RunAsync(params string[] arguments) => RunAsync(arguments, new RunOptions());

    /// <summary>Runs with <paramref name="options"/>; their environment is set over this CLI's.</summary>
    public Task<ProcessResult> RunAsync(IReadOnlyList<string> arguments, RunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return ProcessRunner.RunAsync(Binary, Arguments(arguments), Options(options));
    }

    /// <summary>Runs and requires exit 0; returns stdout.</summary>
    public async Task<string> OkAsync(params string[] arguments) => (await RunAsync(arguments)).EnsureSuccess().Stdout;

    /// <summary>Starts strata and returns at once, for tests that kill it half-way or talk to it.</summary>
    public Process Start(IReadOnlyList<string> arguments, RunOptions? options = null) =>
        ProcessRunner.Start(Binary, Arguments(arguments), Options(options ?? new RunOptions()));

    /// <summary>The program and arguments of a run, for a test that starts it elsewhere (in tmux, under setpriv).</summary>
    public IReadOnlyList<string> Command(params string[] arguments) => [Binary, .. Arguments(arguments)];

    private string[] Arguments(IReadOnlyList<string> arguments) =>
        _storeRoot is null ? [.. arguments] : ["--root", _storeRoot, .. arguments];

    private RunOptions Options(RunOptions options)
    {
        var defaults = new RunOptions
        {
            Environment = new Dictionary<string, string?>
            {
                ["STRATA_ROOT"] = null,
                ["TZ"] = "UTC",
                ["SOURCE_DATE_EPOCH"] = SourceDateEpoch?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            },
        };
        return options with { Environment = defaults.WithEnvironment(Environment).WithEnvironment(options.Environment).Environment };
    }
}
