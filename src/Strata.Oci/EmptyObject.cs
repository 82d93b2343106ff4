namespace Strata.Oci;

/// <summary>
/// The <c>{}</c> value of set-like maps (<c>ExposedPorts</c>, <c>Volumes</c>). One shared
/// instance; all instances are equal.
/// </summary>
public sealed record EmptyObject
{
    public static EmptyObject Instance { get; } = new();
}
