using System.Text;
using Strata.Core;

namespace Strata.Oci;

/// <summary>
/// Identifies an applied stack of layers (what a snapshot holds), as the image spec defines:
/// <c>ChainID(L0) = DiffID(L0)</c>, <c>ChainID(Ln) = sha256(ChainID(Ln-1) + " " + DiffID(Ln))</c>.
/// Two images that share their bottom layers share those chain IDs, hence their snapshots.
/// </summary>
public readonly record struct ChainId(Digest Digest) : IComparable<ChainId>
{
    /// <summary>The chain ID of the whole stack <paramref name="diffIds"/> (bottom first).</summary>
    public static ChainId Compute(IReadOnlyList<DiffId> diffIds)
    {
        ArgumentNullException.ThrowIfNull(diffIds);
        if (diffIds.Count == 0) throw new InvalidArgumentException("a chain ID needs at least one diff ID");
        var chain = new ChainId(diffIds[0].Digest);
        for (int i = 1; i < diffIds.Count; i++) chain = chain.Append(diffIds[i]);
        return chain;
    }

    /// <summary>The chain ID of every prefix of <paramref name="diffIds"/>: element i covers layers 0..i.</summary>
    public static IReadOnlyList<ChainId> ComputeAll(IReadOnlyList<DiffId> diffIds)
    {
        ArgumentNullException.ThrowIfNull(diffIds);
        var result = new ChainId[diffIds.Count];
        for (int i = 0; i < diffIds.Count; i++)
            result[i] = i == 0 ? new ChainId(diffIds[0].Digest) : result[i - 1].Append(diffIds[i]);
        return result;
    }

    /// <summary>The chain ID of this stack with <paramref name="diffId"/> applied on top.</summary>
    public ChainId Append(DiffId diffId)
    {
        var text = Encoding.UTF8.GetBytes(Digest.Value + " " + diffId.Digest.Value);
        return new ChainId(Digest.Compute(text));
    }

    public int CompareTo(ChainId other) => Digest.CompareTo(other.Digest);

    public static bool operator <(ChainId left, ChainId right) => left.CompareTo(right) < 0;

    public static bool operator >(ChainId left, ChainId right) => left.CompareTo(right) > 0;

    public static bool operator <=(ChainId left, ChainId right) => left.CompareTo(right) <= 0;

    public static bool operator >=(ChainId left, ChainId right) => left.CompareTo(right) >= 0;

    public override string ToString() => Digest.ToString();
}
