namespace Strata.Images.Views;

/// <summary>One container's size in <c>system df -v</c>.</summary>
public sealed record ContainerUsage(string Id, string Image, string Name, DateTimeOffset Created, string State, long Size);
