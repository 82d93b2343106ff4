namespace Strata.Execution;

/// <summary>
/// Keeps the runtime's own fatal line out of the container's stderr. A foreground runtime shares
/// its stderr with the container's, and on a failed start it prints the error it also writes to
/// its log ("runc run failed: ..."); the caller reports that error once, from the log, so the
/// copy on stderr would print it twice and put it into the container's log. Only a line that
/// starts with <c>"{runtime} "</c> is held back, until the next line or the end: at the end it
/// is dropped when the runtime failed with that very error, else passed on. Other output passes
/// through at once.
/// </summary>
internal sealed class RuntimeErrorLine
{
    private readonly byte[] _prefix;
    private readonly List<byte> _held = [];
    private bool _passing;

    public RuntimeErrorLine(string runtimeName) => _prefix = System.Text.Encoding.UTF8.GetBytes(runtimeName + " ");

    /// <summary>What of <paramref name="data"/> (and of what was held) may be written now.</summary>
    public byte[] Pass(ReadOnlySpan<byte> data)
    {
        var output = new List<byte>(data.Length);
        foreach (var b in data)
        {
            if (_passing)
            {
                output.Add(b);
                if (b == (byte)'\n') _passing = false;
                continue;
            }
            // A held line that ended is not the last output: it was not the runtime's fatal line.
            if (_held.Count > 0 && _held[^1] == (byte)'\n')
            {
                output.AddRange(_held);
                _held.Clear();
            }
            _held.Add(b);
            if (b == (byte)'\n' && _held.Count > _prefix.Length) continue;
            int n = Math.Min(_held.Count, _prefix.Length);
            if (!_prefix.AsSpan(0, n).SequenceEqual(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_held)[..n]))
            {
                output.AddRange(_held);
                _passing = b != (byte)'\n';
                _held.Clear();
            }
        }
        return [.. output];
    }

    /// <summary>What is still held, unless it is <paramref name="runtimeError"/> (the runtime failed with it).</summary>
    public byte[] Finish(string? runtimeError)
    {
        var line = System.Text.Encoding.UTF8.GetString([.. _held]).TrimEnd('\n');
        byte[] rest = runtimeError is { Length: > 0 } && line.Length > 0 && runtimeError.Contains(line, StringComparison.Ordinal) ? [] : [.. _held];
        _held.Clear();
        return rest;
    }
}
