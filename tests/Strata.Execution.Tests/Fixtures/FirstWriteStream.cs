namespace Strata.Execution.Tests.Fixtures;

/// <summary>A sink whose <see cref="Written"/> completes at the first byte written: a test waits on the process's own signal, not on time.</summary>
internal sealed class FirstWriteStream : Stream
{
    private readonly TaskCompletionSource _written = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Written => _written.Task;

    public override void Write(byte[] buffer, int offset, int count)
    {
        if (count > 0) _written.TrySetResult();
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
