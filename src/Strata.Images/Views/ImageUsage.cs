namespace Strata.Images.Views;

/// <summary>One image's sizes: <see cref="SharedSize"/> is held by layers other images use too.</summary>
public sealed record ImageUsage(string Id, string Repository, string Tag, DateTimeOffset? Created, long Size, long SharedSize, long UniqueSize, int Containers);
