namespace Strata.Containers;

/// <summary>
/// docker's <c>TERM=xterm</c> for a process on a pseudo-terminal: moby puts it in the daemon's
/// base environment, under the image's and the user's Env, so a TERM given there wins.
/// </summary>
internal static class TerminalEnvironment
{
    private const string Term = "TERM=xterm";

    /// <summary>The environment of a container's process (<c>run</c>/<c>create</c>).</summary>
    public static IReadOnlyList<string> ForRun(IReadOnlyList<string>? imageEnv, ContainerRunOptions options)
    {
        var env = ContainerManager.Environment(imageEnv, options.Env);
        return options.Tty && !HasTerm(env) ? [.. env, Term] : env;
    }

    /// <summary>
    /// What <c>exec -t</c> adds to the container's environment (runc exec starts from the
    /// container's process env): TERM, unless the container or the exec already sets one.
    /// </summary>
    public static IReadOnlyList<string> ForExec(IReadOnlyList<string>? imageEnv, ContainerRunOptions? containerOptions, IReadOnlyList<string> execEnv)
    {
        var containerEnv = ContainerManager.Environment(imageEnv, containerOptions?.Env ?? []);
        bool containerTerm = HasTerm(containerEnv) || containerOptions?.Tty == true;
        return containerTerm || HasTerm(execEnv) ? execEnv : [Term, .. execEnv];
    }

    private static bool HasTerm(IReadOnlyList<string> env) => env.Any(e => e.StartsWith("TERM=", StringComparison.Ordinal));
}
