namespace Strata.Execution;

/// <summary>
/// The numeric identity the process runs as. Names (<c>USER app</c>) are resolved by the caller
/// against the image's <c>/etc/passwd</c> and <c>/etc/group</c> before the executor sees them.
/// </summary>
/// <param name="Uid">User id inside the container.</param>
/// <param name="Gid">Primary group id inside the container.</param>
/// <param name="AdditionalGids">Supplementary groups; may be empty.</param>
public sealed record ProcessUser(uint Uid, uint Gid, IReadOnlyList<uint> AdditionalGids)
{
    /// <summary>uid 0, gid 0, no supplementary groups: the image default.</summary>
    public static ProcessUser Root { get; } = new(0, 0, []);
}
