namespace Strata.Execution;

/// <summary>
/// One extra mount, in the runtime-spec's terms: <c>bind</c> (a host directory or file, e.g. a
/// cache or secret mount), <c>tmpfs</c>, and so on. Mounts are applied in order after the default
/// ones (/proc, /dev, /sys, ...), so a later mount may sit on top of an earlier one.
/// </summary>
/// <param name="Destination">Absolute, clean path inside the container.</param>
/// <param name="Type">Filesystem type: <c>bind</c>, <c>tmpfs</c>, ...</param>
/// <param name="Source">Host path for binds (absolute), or a label such as <c>tmpfs</c>.</param>
/// <param name="Options">Mount options as <c>mount(8)</c> spells them: <c>rbind</c>, <c>ro</c>, <c>size=64m</c>, ...</param>
public sealed record ContainerMount(string Destination, string Type, string Source, IReadOnlyList<string> Options);
