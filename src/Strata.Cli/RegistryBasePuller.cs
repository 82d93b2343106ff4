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
    private readonly Lock _gate = new();
    private RegistryClient? _client;

    public async Task<Digest> PullAsync(ImageReference reference, Platform platform, CancellationToken cancellationToken)
    {
        RegistryClient client;
        lock (_gate) client = _client ??= RegistryOpener.Open();
        var result = await ImagePuller.PullAsync(store, client, reference, new PullOptions { Platform = platform }, null, cancellationToken).ConfigureAwait(false);
        return result.Image.Id;
    }

    public void Dispose() => _client?.Dispose();
}
