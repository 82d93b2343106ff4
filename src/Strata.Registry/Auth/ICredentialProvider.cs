namespace Strata.Registry.Auth;

/// <summary>Finds the credential for a registry (docker's config.json and its helpers); null: go anonymous.</summary>
public interface ICredentialProvider
{
    /// <param name="registry">The registry as references name it (<c>docker.io</c>, <c>host:port</c>).</param>
    Task<Credential?> GetAsync(string registry, CancellationToken cancellationToken);
}
