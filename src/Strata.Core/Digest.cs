using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.Json.Serialization;

namespace Strata.Core;

/// <summary>
/// A content digest, <c>algorithm:encoded</c> as the OCI image spec defines it. Construction
/// validates the grammar; for the registered algorithms (sha256, sha512) the encoded part must
/// be lower-case hex of the right length. Never pass digests around as bare strings.
/// </summary>
[JsonConverter(typeof(DigestJsonConverter))]
public readonly record struct Digest : IComparable<Digest>
{
    public const string Sha256 = "sha256";
    public const string Sha512 = "sha512";

    private readonly string? _value;

    private Digest(string value, int colon)
    {
        _value = value;
        Colon = colon;
    }

    private int Colon { get; }

    /// <summary>The algorithm part, e.g. <c>sha256</c>.</summary>
    public string Algorithm => Value[..Colon];

    /// <summary>The encoded part (hex for the registered algorithms).</summary>
    public string Encoded => Value[(Colon + 1)..];

    /// <summary>The whole digest string.</summary>
    public string Value => _value ?? throw new InvalidOperationException("Default Digest has no value.");

    /// <summary>True for algorithms whose encoding rules Strata knows (sha256, sha512).</summary>
    public bool IsRegistered => Algorithm is Sha256 or Sha512;

    /// <summary>First 12 hex characters, as docker shows short image IDs.</summary>
    public string ShortHex => Encoded.Length > 12 ? Encoded[..12] : Encoded;

    public static Digest Parse(string value)
    {
        if (!TryParse(value, out var digest, out var error))
            throw new InvalidArgumentException($"invalid digest \"{value}\": {error}");
        return digest;
    }

    public static bool TryParse([NotNullWhen(true)] string? value, out Digest digest) => TryParse(value, out digest, out _);

    private static bool TryParse(string? value, out Digest digest, out string error)
    {
        digest = default;
        error = "";
        if (string.IsNullOrEmpty(value)) { error = "empty"; return false; }
        int colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == value.Length - 1) { error = "want algorithm:encoded"; return false; }
        var algorithm = value.AsSpan(0, colon);
        var encoded = value.AsSpan(colon + 1);
        if (!IsValidAlgorithm(algorithm)) { error = "bad algorithm"; return false; }
        foreach (char c in encoded)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '=' or '_' or '-')) { error = "bad encoded part"; return false; }
        }
        int wantHex = algorithm switch { Sha256 => 64, Sha512 => 128, _ => -1 };
        if (wantHex > 0)
        {
            if (encoded.Length != wantHex) { error = $"{algorithm.ToString()} needs {wantHex} hex characters"; return false; }
            foreach (char c in encoded)
            {
                if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c)) { error = "encoded part must be lower-case hex"; return false; }
            }
        }
        digest = new Digest(value, colon);
        return true;
    }

    // algorithm-component (algorithm-separator algorithm-component)*, component = [a-z0-9]+
    private static bool IsValidAlgorithm(ReadOnlySpan<char> algorithm)
    {
        bool lastWasSeparator = true;
        foreach (char c in algorithm)
        {
            if (c is '+' or '.' or '_' or '-')
            {
                if (lastWasSeparator) return false;
                lastWasSeparator = true;
            }
            else if (char.IsAsciiDigit(c) || char.IsAsciiLetterLower(c))
            {
                lastWasSeparator = false;
            }
            else
            {
                return false;
            }
        }
        return !lastWasSeparator;
    }

    /// <summary>Builds a sha256 digest from raw hash bytes.</summary>
    public static Digest FromSha256Bytes(ReadOnlySpan<byte> hash)
    {
        if (hash.Length != 32) throw new ArgumentException("sha256 hash must be 32 bytes", nameof(hash));
        var value = string.Concat("sha256:", Convert.ToHexStringLower(hash));
        return new Digest(value, 6);
    }

    /// <summary>sha256 of a byte buffer.</summary>
    public static Digest Compute(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(data, hash);
        return FromSha256Bytes(hash);
    }

    public int CompareTo(Digest other) => string.CompareOrdinal(_value, other._value);

    public static bool operator <(Digest left, Digest right) => left.CompareTo(right) < 0;

    public static bool operator >(Digest left, Digest right) => left.CompareTo(right) > 0;

    public static bool operator <=(Digest left, Digest right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Digest left, Digest right) => left.CompareTo(right) >= 0;

    public override string ToString() => _value ?? "";
}
