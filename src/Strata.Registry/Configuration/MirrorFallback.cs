using Strata.Core;
using Strata.Registry.Transport;

namespace Strata.Registry.Configuration;

/// <summary>
/// The manifest a pull starts from, asked of each place registries.conf names for the
/// reference, in order (mirrors, then the registry's location), as containers/image does: the
/// first that answers serves the whole pull. A mirror that cannot be reached, errs (5xx, 401)
/// or lacks the manifest (404) is passed over; the origin's failure is the pull's, with what the
/// mirrors said appended.
/// </summary>
internal static class MirrorFallback
{
    public static async Task<(ImageReference Endpoint, ManifestResponse Response)> GetManifestAsync(RegistryClient client, ImageReference reference, string tagOrDigest, string what, CancellationToken cancellationToken)
    {
        var endpoints = client.Options.Registries.PullEndpoints(reference);
        List<string>? mirrorFailures = null;
        foreach (var endpoint in endpoints)
        {
            try
            {
                var response = await client.GetManifestAsync(endpoint.Reference, tagOrDigest, null, what, cancellationToken).ConfigureAwait(false);
                return (endpoint.Reference, response);
            }
            catch (StrataException e) when (endpoint.Mirror && !cancellationToken.IsCancellationRequested)
            {
                (mirrorFailures ??= []).Add($"{endpoint.Reference.Repository}: {Unprefixed(e.Message, what)}");
            }
            catch (RegistryException e) when (mirrorFailures is not null)
            {
                throw new RegistryException($"{e.Message} (mirrors failed first: {string.Join("; ", mirrorFailures)})", e.Status, e.Code);
            }
        }
        // PullEndpoints always ends with the origin, whose failure is thrown above.
        throw new InvalidOperationException($"{what}: no registry to pull from");
    }

    private static string Unprefixed(string message, string what) =>
        message.StartsWith(what + ": ", StringComparison.Ordinal) ? message[(what.Length + 2)..] : message;
}
