using System.Collections.Concurrent;
using Strata.Build.Engine;

namespace Strata.Build.Tests.Engine;

/// <summary>
/// A RUN runner that starts no container: it records the command and writes one file named
/// after it into the step's root, so the step makes a layer whose content depends on the command.
/// </summary>
internal sealed class FakeStepRunner : IStepRunner
{
    private readonly ConcurrentQueue<string> _commands = new();

    /// <summary>The shell commands run so far, in order.</summary>
    public IReadOnlyList<string> Commands => [.. _commands];

    public async Task<int> RunAsync(StepRun run, Action<string> onLine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(onLine);
        var command = run.Args[^1];
        _commands.Enqueue(command);
        await File.WriteAllTextAsync(Path.Combine(run.Rootfs, command.Replace(' ', '-') + ".out"), command + "\n", cancellationToken);
        onLine("ran " + command);
        return 0;
    }
}
