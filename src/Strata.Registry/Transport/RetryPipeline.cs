using System.Net;
using Polly;
using Polly.Retry;

namespace Strata.Registry.Transport;

/// <summary>
/// The retry policy of replayable registry requests (Polly): 429 (waiting what
/// <c>Retry-After</c> says, capped), 408, 500, 502, 503, 504 and broken connections are tried
/// again with exponential backoff and jitter; anything else is the registry's answer. Uploads
/// with streamed bodies are not replayed here: a cut chunk resumes from the registry's offset.
/// </summary>
internal static class RetryPipeline
{
    public static ResiliencePipeline<HttpResponseMessage> Create(RegistryOptions options)
    {
        if (options.MaxRetries < 1) return ResiliencePipeline<HttpResponseMessage>.Empty;
        return new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: RegistryException { InnerException: HttpRequestException } } => true,
                    { Result: { } response } => IsTransient(response.StatusCode),
                    _ => false,
                }),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, options)),
                // The answer that is retried is not the caller's: free its connection.
                OnRetry = args =>
                {
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout
            or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>The registry's <c>Retry-After</c> (seconds or a date), capped; null: the backoff decides.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage? response, RegistryOptions options)
    {
        var header = response?.Headers.RetryAfter;
        if (header is null) return null;
        var wait = header.Delta ?? (header.Date is { } date ? date - options.Time.GetUtcNow() : null);
        if (wait is null) return null;
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > options.MaxRetryAfter ? options.MaxRetryAfter : wait;
    }
}
