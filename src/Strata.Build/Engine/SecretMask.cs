using System.Buffers;
using System.Text;

namespace Strata.Build.Engine;

/// <summary>
/// The byte strings a build hides from its output: every <c>--secret</c> value (file and env),
/// without its trailing line break, and each non-empty line of a value of several lines (a key
/// printed with other line endings or indentation still shows no line of it). RUN output passes
/// through <see cref="Wrap"/> before it is split into lines, so progress, the stored log and error
/// messages only ever see <see cref="Replacement"/>. An empty mask wraps nothing.
/// </summary>
public sealed class SecretMask
{
    public const string Replacement = "****";

    public static SecretMask None { get; } = new([]);

    private SecretMask(IReadOnlyList<byte[]> patterns)
    {
        Patterns = patterns;
        FirstBytes = SearchValues.Create([.. patterns.Select(p => p[0]).Distinct()]);
    }

    /// <summary>The bytes a secret can start with: output between them is copied without comparing.</summary>
    public SearchValues<byte> FirstBytes { get; }

    /// <summary>Longest first, so a whole value wins over one of its lines at the same position.</summary>
    public IReadOnlyList<byte[]> Patterns { get; }

    public int Longest => Patterns.Count == 0 ? 0 : Patterns[0].Length;

    public static SecretMask For(IEnumerable<byte[]> secretValues)
    {
        ArgumentNullException.ThrowIfNull(secretValues);
        var patterns = new List<byte[]>();
        foreach (var value in secretValues)
        {
            Add(patterns, TrimLineEnd(value));
            if (Array.IndexOf(value, (byte)'\n') < 0) continue;
            int start = 0;
            while (start <= value.Length)
            {
                int end = Array.IndexOf(value, (byte)'\n', start);
                if (end < 0) end = value.Length;
                Add(patterns, TrimLineEnd(value.AsSpan(start, end - start).ToArray()));
                start = end + 1;
            }
        }
        patterns.Sort((a, b) => b.Length.CompareTo(a.Length));
        return new SecretMask(patterns);
    }

    /// <summary>A stream that writes to <paramref name="inner"/> with every secret replaced (disposing it disposes <paramref name="inner"/>).</summary>
    public Stream Wrap(Stream inner) => Patterns.Count == 0 ? inner : new SecretMaskingStream(inner, this);

    private static void Add(List<byte[]> patterns, byte[] pattern)
    {
        if (pattern.Length > 0 && !patterns.Any(p => p.AsSpan().SequenceEqual(pattern))) patterns.Add(pattern);
    }

    private static byte[] TrimLineEnd(byte[] value)
    {
        int end = value.Length;
        while (end > 0 && value[end - 1] is (byte)'\n' or (byte)'\r') end--;
        return end == value.Length ? value : value[..end];
    }
}
