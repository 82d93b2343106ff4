namespace Strata.Dockerfile.Instructions;

/// <summary>
/// The image config's Healthcheck, as docker stores it: <see cref="Test"/> is <c>["NONE"]</c>,
/// <c>["CMD", argv...]</c> or <c>["CMD-SHELL", command]</c>; zero durations and retries mean
/// "inherit the default".
/// </summary>
public sealed record HealthcheckConfig(
    IReadOnlyList<string> Test,
    TimeSpan Interval,
    TimeSpan Timeout,
    TimeSpan StartPeriod,
    TimeSpan StartInterval,
    int Retries);
