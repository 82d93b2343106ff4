using System.Text;

namespace Strata.Execution.Tests.Fixtures;

/// <summary>A sink whose <see cref="Seen"/> completes once <c>marker</c> has been written to it: a test waits for the container's output, never for a fixed time.</summary>
internal sealed class MarkerStream(string marker) : Stream
{
    private readonly StringBuilder _text = new();
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Seen => _seen.Task;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count)
    {
        lock (_gate)
        {
            _text.Append(Encoding.UTF8.GetString(buffer, offset, count));
            if (_text.ToString().Contains(marker, StringComparison.Ordinal)) _seen.TrySetResult();
        }
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
