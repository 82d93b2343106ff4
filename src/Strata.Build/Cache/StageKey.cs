namespace Strata.Build.Cache;

/// <summary>The key a stage state ended with, and whether any of its steps (or its base stage's) ran.</summary>
internal sealed record StageKey(CacheKey Key, bool Rebuilt);
