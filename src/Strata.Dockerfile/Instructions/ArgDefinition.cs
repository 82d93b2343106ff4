namespace Strata.Dockerfile.Instructions;

/// <summary>One name of an ARG instruction, with its default when one was given (<c>ARG A=1</c>; null for <c>ARG A</c>).</summary>
public sealed record ArgDefinition(string Name, string? Default);
