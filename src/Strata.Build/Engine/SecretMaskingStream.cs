namespace Strata.Build.Engine;

/// <summary>
/// A write-only filter that replaces every secret of a <see cref="SecretMask"/> with
/// <see cref="SecretMask.Replacement"/>, also when a value arrives split over several writes
/// (a pipe hands output over in arbitrary chunks): the tail that could still grow into a secret
/// is held back until the next write decides it, or until dispose, which flushes it as it is.
/// What it holds is at most one byte shorter than the longest secret, so memory stays bounded.
/// Writes come from one producer per stream (the stdout or stderr copy loop); a lock keeps
/// concurrent writers safe anyway.
/// </summary>
internal sealed class SecretMaskingStream : Stream
{
    private static readonly byte[] Replacement = System.Text.Encoding.ASCII.GetBytes(SecretMask.Replacement);
    private readonly Stream _inner;
    private readonly SecretMask _mask;
    private readonly Lock _lock = new();
    private byte[] _pending = [];

    public SecretMaskingStream(Stream inner, SecretMask mask)
    {
        _inner = inner;
        _mask = mask;
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_lock)
        {
            byte[] data = [.. _pending, .. buffer];
            _pending = Drain(data, final: false);
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Writes <paramref name="data"/> masked, except a tail that is a proper prefix of a secret
    /// (unless <paramref name="final"/>), which it returns to be completed by the next write.
    /// </summary>
    private byte[] Drain(byte[] data, bool final)
    {
        var output = new MemoryStream(data.Length);
        int i = 0, flushed = 0;
        while (i < data.Length)
        {
            // Only a byte that starts some secret can start a match: skip to the next one.
            int next = data.AsSpan(i).IndexOfAny(_mask.FirstBytes);
            if (next < 0)
            {
                i = data.Length;
                break;
            }
            i += next;
            var rest = data.AsSpan(i);
            // A longer secret may still match here (a whole value of several lines against one
            // of its lines): decide when more arrives.
            if (!final && rest.Length < _mask.Longest && MayStartSecret(rest))
                break;
            var match = Match(rest);
            if (match is not null)
            {
                output.Write(data, flushed, i - flushed);
                output.Write(Replacement);
                i += match.Length;
                flushed = i;
                continue;
            }
            i++;
        }
        output.Write(data, flushed, i - flushed);
        if (output.Length > 0) _inner.Write(output.GetBuffer(), 0, (int)output.Length);
        return i == data.Length ? [] : data[i..];
    }

    /// <summary>The longest secret <paramref name="rest"/> starts with, if any.</summary>
    private byte[]? Match(ReadOnlySpan<byte> rest)
    {
        foreach (var p in _mask.Patterns)
            if (rest.StartsWith(p)) return p;
        return null;
    }

    /// <summary>True when <paramref name="rest"/> is the beginning of a longer secret.</summary>
    private bool MayStartSecret(ReadOnlySpan<byte> rest)
    {
        foreach (var p in _mask.Patterns)
            if (p.Length > rest.Length && p.AsSpan().StartsWith(rest)) return true;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_lock)
            {
                if (_pending.Length > 0) Drain(_pending, final: true);
                _pending = [];
            }
            _inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override void Flush() { }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
