using System.Text;

namespace Strata.Archive.Writing;

/// <summary>Orders names by their UTF-8 bytes, the order tar consumers and other builders use;
/// UTF-16 ordinal order differs for characters outside the BMP.</summary>
internal sealed class NameOrder : IComparer<string>
{
    public static NameOrder Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        byte[] a = Encoding.UTF8.GetBytes(x);
        byte[] b = Encoding.UTF8.GetBytes(y);
        return a.AsSpan().SequenceCompareTo(b);
    }
}
