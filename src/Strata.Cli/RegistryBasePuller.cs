using Strata.Build.Engine;
using Strata.Core;
using Strata.Images;
using Strata.Registry.Pull;
using Strata.Registry.Transport;

namespace Strata.Cli;

/// <summary>
/// A build's base image puller: <c>strata pull</c>'s <see cref="ImagePuller"/> with the client
/// <see cref="RegistryOpener"/> makes (credentials, certs.d, insecure registries). The client is
/// made at the first pull, so a build whose bases are all in the store touches no registry setting.
/// </summary>
internal sealed class RegistryBasePuller(ImageStore store) : IBaseImagePuller, IDisposable
{
    private readonly Lazy<RegistryClient> _client = new(RegistryOpener.Open);

    public async Task<Digest> PullAsync(ImageReference reference, Platform platform, CancellationToken cancellationToken)
    {
        var result = await ImagePuller.PullAsync(store, _client.Value, reference, new PullOptions { Platform = platform }, null, cancellationToken).ConfigureAwait(false);
        return result.Image.Id;
    }

    public void Dispose()
    {
        if (_client.IsValueCreated) _client.Value.Dispose();
    }
}
