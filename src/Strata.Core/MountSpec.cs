namespace Strata.Core;

/// <summary>
/// A description of one mount, as mount(8) would take it: <paramref name="Type"/> ("overlay",
/// "bind"), <paramref name="Source"/> (a directory for bind, "overlay" for overlay) and
/// <paramref name="Options"/> (flags such as "ro" and "rbind", and file-system data such as
/// "lowerdir=..."). Snapshotters return these and never mount; whoever needs the tree (a test,
/// the layer-apply flow, the container executor) mounts them, in order, on one target.
/// </summary>
public sealed record MountSpec(string Type, string Source, IReadOnlyList<string> Options)
{
    /// <summary>Value of the first option named <paramref name="name"/> ("name=value"), or null.</summary>
    public string? Option(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string prefix = name + "=";
        foreach (string option in Options)
        {
            if (option.StartsWith(prefix, StringComparison.Ordinal)) return option[prefix.Length..];
        }
        return null;
    }

    /// <summary>Readable as "type source opt1,opt2" (for messages and logs).</summary>
    public override string ToString() => $"{Type} {Source} {string.Join(',', Options)}";
}
