namespace Strata.Registry.Auth;

/// <summary>
/// What a user proves themselves with to one registry: a user name and secret, or an identity
/// (refresh) token. <see cref="ToString"/> names the user only, so a credential that reaches a
/// log or an error never shows its secret.
/// </summary>
public sealed record Credential(string? Username, string? Secret, string? IdentityToken = null)
{
    public override string ToString() => $"credential for {Username ?? "(identity token)"}";
}
