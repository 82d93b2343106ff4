namespace Strata.Cli.Verbs;

/// <summary>Writes to the terminal and to the container's log file: <c>logs</c> shows a foreground run's output too, as docker's does.</summary>
internal sealed class TeeStream(Stream primary, Stream copy) : Stream
{
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count)
    {
        primary.Write(buffer, offset, count);
        copy.Write(buffer, offset, count);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await primary.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        await copy.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
        primary.Flush();
        copy.Flush();
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await primary.FlushAsync(cancellationToken).ConfigureAwait(false);
        await copy.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
