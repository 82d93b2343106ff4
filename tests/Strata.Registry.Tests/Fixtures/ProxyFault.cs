using System.Net;

namespace Strata.Registry.Tests.Fixtures;

/// <summary>What <see cref="FaultProxy"/> does, once, to the next request it matches (path part, and method when given).</summary>
public abstract record ProxyFault(string PathPart, string? Method)
{
    /// <param name="contentRange">The request's Content-Range, if any.</param>
    /// <param name="contentLength">The request body's length, if announced.</param>
    public virtual bool Matches(string method, string path, string? contentRange, long? contentLength) =>
        path.Contains(PathPart, StringComparison.Ordinal) && (Method is null || Method == method);

    /// <summary>Answered by the proxy with <paramref name="Status"/> (and <c>Retry-After</c>), never forwarded.</summary>
    public sealed record Answer(string PathPart, HttpStatusCode Status, string? RetryAfter) : ProxyFault(PathPart, null);

    /// <summary>
    /// Forwarded; the connection ends (an orderly close, so the client has every byte sent and
    /// then a body shorter than its Content-Length) after <paramref name="Bytes"/> bytes of the
    /// response body.
    /// </summary>
    public sealed record CutResponse(string PathPart, long Bytes) : ProxyFault(PathPart, null);

    /// <summary>
    /// The connection is reset once <paramref name="Bytes"/> bytes of the request body arrived;
    /// only a request with a longer body matches, and with <paramref name="ContentRangeFrom"/> only
    /// a chunk starting there. <paramref name="ForwardPartial"/> false: the registry sees none of
    /// the request, as behind a front that buffers request bodies (nginx's default); true: it gets
    /// those bytes, then the reset, as over a direct connection.
    /// </summary>
    public sealed record CutRequest(string PathPart, string Method, long Bytes, bool ForwardPartial, long? ContentRangeFrom = null) : ProxyFault(PathPart, Method)
    {
        public override bool Matches(string method, string path, string? contentRange, long? contentLength) =>
            base.Matches(method, path, contentRange, contentLength) && contentLength > Bytes
            && (ContentRangeFrom is null || contentRange?.StartsWith($"{ContentRangeFrom}-", StringComparison.Ordinal) == true);
    }

    /// <summary>Forwarded without its <c>Range</c> header, so the registry answers 200 with the whole blob.</summary>
    public sealed record DropRange(string PathPart) : ProxyFault(PathPart, null);

    /// <summary>
    /// Held before it is forwarded until <see cref="GatherGroup.Count"/> requests of its group
    /// are held at once (then all go on, logged <c>STATUS gathered</c>), or until the group's
    /// generous timeout passes (logged <c>STATUS alone</c>): proves requests are in flight together
    /// without timing anything. Add one per request expected.
    /// </summary>
    public sealed record Gather(string PathPart, string Method, GatherGroup Group) : ProxyFault(PathPart, Method);
}
