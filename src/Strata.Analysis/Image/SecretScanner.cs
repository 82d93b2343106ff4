using System.Buffers;
using System.Text;
using Strata.Archive;

namespace Strata.Analysis.Image;

/// <summary>
/// Looks for secrets in one file at a time as the layer streams by: the file's first
/// <c>limit</c> bytes are kept in one reused buffer (so memory is bounded by the limit, not by
/// the layer) and matched once the file ends. Binary files (a NUL early on) are skipped.
/// </summary>
internal sealed class SecretScanner(int limit) : ILayerContentObserver
{
    /// <summary>
    /// Every match of every content rule contains one of these (compared ignoring case, a superset
    /// of what the rules accept), so a text without any needs no regex: one vectorised pass instead
    /// of fifteen, and no string. Keep in step with <see cref="SecretRules.Content"/>.
    /// </summary>
    private static readonly SearchValues<string> Anchors = SearchValues.Create(
        ["PRIVATE KEY", "AKIA", "ASIA", "secret", "service_account", "AccountKey=", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_",
         "glpat-", "npm_", "pypi-", "dckr_pat_", "xox", "hooks.slack.com", "_live_", "eyJ"],
        StringComparison.OrdinalIgnoreCase);

    private readonly byte[] _buffer = new byte[limit];
    private readonly char[] _chars = new char[limit];
    private int _length;

    /// <summary>Starts a file; returns the observer to pass to the reader, or null when the file is not scanned.</summary>
    public ILayerContentObserver? Begin(long size)
    {
        _length = 0;
        return size > 0 ? this : null;
    }

    public void Observe(ReadOnlySpan<byte> chunk)
    {
        int n = Math.Min(chunk.Length, _buffer.Length - _length);
        chunk[..n].CopyTo(_buffer.AsSpan(_length));
        _length += n;
    }

    /// <summary>The rules the file just read matches (by name, by content), each once.</summary>
    public List<SecretHit> Finish(string fileName)
    {
        var hits = new List<SecretHit>();
        var data = _buffer.AsSpan(0, _length);
        bool text = _length > 0 && data[..Math.Min(data.Length, 8192)].IndexOf((byte)0) < 0;
        // Latin-1 maps each byte to one char, so the text is decoded into a reused buffer and a
        // string is only made for the regexes when a file-name rule or an anchor asks for it.
        int n = text ? Encoding.Latin1.GetChars(data, _chars) : 0;
        string? content = null;
        string Content() => content ??= new string(_chars, 0, n);
        foreach (var rule in SecretRules.Files)
        {
            if (!rule.FileName!(fileName)) continue;
            if (rule.ContentRequired is { } required)
            {
                if (!text || required.Match(Content()) is not { Success: true } m) continue;
                hits.Add(new SecretHit(rule, SecretMask.Mask(m.Groups["secret"].Value)));
            }
            else
            {
                hits.Add(new SecretHit(rule, SecretMask.Stars));
            }
        }
        if (text && _chars.AsSpan(0, n).ContainsAny(Anchors)) hits.AddRange(Match(Content()));
        _length = 0;
        return hits;
    }

    /// <summary>The text with every secret value a rule finds in it masked (instructions are printed).</summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var rule in SecretRules.Content.Append(SecretRules.EnvName))
        {
            if (rule == SecretRules.EnvName)
            {
                text = string.Join(' ', text.Split(' ').Select(word => !word.Contains("********", StringComparison.Ordinal) && rule.Pattern!.Match(word) is { Success: true } m && m.Groups["secret"].Success
                    ? word[..m.Groups["secret"].Index] + SecretMask.Mask(m.Groups["secret"].Value) : word));
                continue;
            }
            text = rule.Pattern!.Replace(text, m => m.Groups["secret"].Success
                ? m.Value[..(m.Groups["secret"].Index - m.Index)] + SecretMask.Mask(m.Groups["secret"].Value) + m.Value[(m.Groups["secret"].Index - m.Index + m.Groups["secret"].Length)..]
                : SecretMask.Mask(m.Value));
        }
        return text;
    }

    /// <summary>The content rules matching a text (a file, a history line, an ENV value).</summary>
    public static IEnumerable<SecretHit> Match(string text)
    {
        foreach (var rule in SecretRules.Content)
        {
            if (rule.Pattern!.Match(text) is { Success: true } m)
                yield return new SecretHit(rule, SecretMask.Mask(m.Groups["secret"].Success ? m.Groups["secret"].Value : m.Value));
        }
    }
}
