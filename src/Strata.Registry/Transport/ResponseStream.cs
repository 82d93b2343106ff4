namespace Strata.Registry.Transport;

/// <summary>A response body that disposes its response (and so frees the connection) when it is disposed.</summary>
internal sealed class ResponseStream : Stream
{
    private readonly HttpResponseMessage _response;
    private readonly Stream _body;

    public ResponseStream(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _body = body;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _response.Content.Headers.ContentLength ?? throw new NotSupportedException("The response gave no length.");

    public override long Position
    {
        get => throw new NotSupportedException("A response body cannot seek.");
        set => throw new NotSupportedException("A response body cannot seek.");
    }

    public override int Read(byte[] buffer, int offset, int count) => _body.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => _body.Read(buffer);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _body.ReadAsync(buffer, offset, count, cancellationToken);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _body.ReadAsync(buffer, cancellationToken);

    public override void Flush() { }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A response body cannot seek.");

    public override void SetLength(long value) => throw new NotSupportedException("A response body is read-only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("A response body is read-only.");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _body.Dispose();
            _response.Dispose();
        }
        base.Dispose(disposing);
    }
}
