namespace Strata.Dockerfile.Instructions;

/// <summary>A name and value of ENV or LABEL.</summary>
public sealed record KeyValue(string Key, string Value);
