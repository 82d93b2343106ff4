namespace Strata.Execution;

/// <summary>
/// The process a container runs: what the runtime-spec calls <c>process</c>.
/// </summary>
/// <param name="Args">argv; <c>Args[0]</c> is looked up on the <c>PATH</c> of <paramref name="Env"/>. Not empty.</param>
/// <param name="Env"><c>KEY=value</c> entries, passed as given (the caller adds a default PATH).</param>
/// <param name="Cwd">Absolute, clean working directory inside the container; created by the runtime if missing.</param>
/// <param name="User">The resolved numeric user.</param>
/// <param name="Terminal">Give the process a pseudo-terminal (<c>-t</c>). With a stdin (<c>-it</c>) the runtime attaches it to this process's own stdio (a terminal); without one the pty's output (stdout and stderr merged, as on any terminal) goes to the stdout stream passed to RunAsync and the process gets no input.</param>
public sealed record ProcessSpec(IReadOnlyList<string> Args, IReadOnlyList<string> Env, string Cwd, ProcessUser User, bool Terminal = false);
