namespace Strata.Build.Cache;

/// <summary>A --link step that reused its layer on a new parent: its number in the stage and why its chained key missed.</summary>
internal sealed record RebasedStep(int Step, string Why);
