namespace Strata.Execution;

/// <summary>
/// The process a container runs: what the runtime-spec calls <c>process</c>.
/// </summary>
/// <param name="Args">argv; <c>Args[0]</c> is looked up on the <c>PATH</c> of <paramref name="Env"/>. Not empty.</param>
/// <param name="Env"><c>KEY=value</c> entries, passed as given (the caller adds a default PATH).</param>
/// <param name="Cwd">Absolute, clean working directory inside the container; created by the runtime if missing.</param>
/// <param name="User">The resolved numeric user.</param>
/// <param name="Terminal">Give the process a pseudo-terminal (<c>-t</c>): the runtime allocates it and copies between it and its own stdio, which are then this process's own (see <see cref="RuncExecutor"/>), not the streams passed to RunAsync.</param>
public sealed record ProcessSpec(IReadOnlyList<string> Args, IReadOnlyList<string> Env, string Cwd, ProcessUser User, bool Terminal = false);
