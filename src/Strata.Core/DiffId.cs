using System.Text.Json.Serialization;

namespace Strata.Core;

/// <summary>
/// The digest of a layer's uncompressed tar stream (the config's <c>rootfs.diff_ids</c>). A
/// distinct type so it can never be confused with the stored blob's <see cref="Digest"/>.
/// </summary>
[JsonConverter(typeof(DiffIdJsonConverter))]
public readonly record struct DiffId(Digest Digest) : IComparable<DiffId>
{
    public static DiffId Parse(string value) => new(Digest.Parse(value));

    public int CompareTo(DiffId other) => Digest.CompareTo(other.Digest);

    public static bool operator <(DiffId left, DiffId right) => left.CompareTo(right) < 0;

    public static bool operator >(DiffId left, DiffId right) => left.CompareTo(right) > 0;

    public static bool operator <=(DiffId left, DiffId right) => left.CompareTo(right) <= 0;

    public static bool operator >=(DiffId left, DiffId right) => left.CompareTo(right) >= 0;

    public override string ToString() => Digest.ToString();
}
