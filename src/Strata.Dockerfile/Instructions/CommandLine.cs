namespace Strata.Dockerfile.Instructions;

/// <summary>
/// The command of RUN, CMD or ENTRYPOINT. Exec (JSON) form: <see cref="Args"/> are the argv and
/// <see cref="PrependShell"/> is false. Shell form: one argument, run through the stage's SHELL.
/// </summary>
public sealed record CommandLine(IReadOnlyList<string> Args, bool PrependShell);
