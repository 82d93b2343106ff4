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
    private readonly byte[] _buffer = new byte[limit];
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
        bool text = data[..Math.Min(data.Length, 8192)].IndexOf((byte)0) < 0;
        string? content = text && _length > 0 ? Encoding.Latin1.GetString(data) : null;
        foreach (var rule in SecretRules.Files)
        {
            if (!rule.FileName!(fileName)) continue;
            if (rule.ContentRequired is { } required)
            {
                if (content is null || required.Match(content) is not { Success: true } m) continue;
                hits.Add(new SecretHit(rule, SecretMask.Mask(m.Groups["secret"].Value)));
            }
            else
            {
                hits.Add(new SecretHit(rule, SecretMask.Stars));
            }
        }
        if (content is not null) hits.AddRange(Match(content));
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
