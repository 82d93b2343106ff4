using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Core;
using Strata.Registry.Auth;

namespace Strata.Registry.Credentials;

/// <summary>
/// docker's <c>config.json</c> (<c>$DOCKER_CONFIG/config.json</c> or <c>~/.docker/config.json</c>,
/// the CLI picks the path) as a credential provider and store: <c>credHelpers[server]</c> first,
/// then <c>credsStore</c>, then <c>auths[server]</c> (<c>auth</c> = base64 of user:password, or
/// <c>identitytoken</c>). Docker Hub's key is <c>https://index.docker.io/v1/</c>; other keys are
/// matched with or without a scheme and path, as docker does. Writes keep every field we do
/// not know.
/// </summary>
public sealed class DockerConfig : ICredentialProvider
{
    public const string DockerHubKey = "https://index.docker.io/v1/";

    public DockerConfig(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Path = path;
    }

    public string Path { get; }

    /// <summary>The key docker uses for <paramref name="registry"/> (a reference's domain, or a server as typed).</summary>
    public static string KeyOf(string registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var host = StripScheme(registry);
        return host is ImageReference.DefaultDomain or "index.docker.io" or "registry-1.docker.io" ? DockerHubKey : host;
    }

    public async Task<Credential?> GetAsync(string registry, CancellationToken cancellationToken)
    {
        var config = await ReadAsync(cancellationToken).ConfigureAwait(false);
        var key = KeyOf(registry);
        if (HelperFor(config, key) is { } helper) return await helper.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (config["auths"] is not JsonObject auths) return null;
        foreach (var (name, value) in auths)
        {
            if (KeyOf(name) != key || value is not JsonObject entry) continue;
            if (entry["identitytoken"]?.GetValue<string>() is { Length: > 0 } token) return new Credential(null, null, token);
            if (entry["auth"]?.GetValue<string>() is { Length: > 0 } auth)
            {
                string pair;
                try
                {
                    pair = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
                }
                catch (FormatException)
                {
                    throw new InvalidArgumentException($"{Path}: the auth of {name} is not base64");
                }
                int colon = pair.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0) throw new InvalidArgumentException($"{Path}: the auth of {name} is not USER:PASSWORD");
                return new Credential(pair[..colon], pair[(colon + 1)..]);
            }
        }
        return null;
    }

    /// <summary>Stores through the registry's helper, else base64 in the file. Returns where: the helper's program, or null for the file.</summary>
    public async Task<string?> StoreAsync(string registry, Credential credential, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var config = await ReadAsync(cancellationToken).ConfigureAwait(false);
        var key = KeyOf(registry);
        var auths = config["auths"] as JsonObject ?? new JsonObject();
        config["auths"] = auths;
        if (HelperFor(config, key) is { } helper)
        {
            await helper.StoreAsync(key, credential, cancellationToken).ConfigureAwait(false);
            // docker leaves an empty entry so `docker info` lists the registry as logged in.
            auths[key] = new JsonObject();
            await WriteAsync(config, cancellationToken).ConfigureAwait(false);
            return helper.Program;
        }
        auths[key] = new JsonObject { ["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Secret}")) };
        await WriteAsync(config, cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>Forgets the registry's credential; false when none was stored.</summary>
    public async Task<bool> EraseAsync(string registry, CancellationToken cancellationToken)
    {
        var config = await ReadAsync(cancellationToken).ConfigureAwait(false);
        var key = KeyOf(registry);
        bool found = false;
        if (config["auths"] is JsonObject auths)
        {
            foreach (var name in auths.Select(p => p.Key).Where(n => KeyOf(n) == key).ToList()) found |= auths.Remove(name);
        }
        if (HelperFor(config, key) is { } helper)
        {
            await helper.EraseAsync(key, cancellationToken).ConfigureAwait(false);
            found = true;
        }
        if (found) await WriteAsync(config, cancellationToken).ConfigureAwait(false);
        return found;
    }

    private static CredentialHelper? HelperFor(JsonObject config, string key)
    {
        if (config["credHelpers"] is JsonObject helpers)
        {
            foreach (var (name, value) in helpers)
            {
                if (KeyOf(name) == key && value?.GetValue<string>() is { Length: > 0 } helper) return new CredentialHelper(helper);
            }
        }
        return config["credsStore"]?.GetValue<string>() is { Length: > 0 } store ? new CredentialHelper(store) : null;
    }

    private async Task<JsonObject> ReadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path)) return new JsonObject();
        var bytes = await File.ReadAllBytesAsync(Path, cancellationToken).ConfigureAwait(false);
        if (bytes.Length == 0) return new JsonObject();
        try
        {
            return JsonNode.Parse(bytes) as JsonObject ?? throw new InvalidArgumentException($"{Path}: not a JSON object");
        }
        catch (JsonException e)
        {
            throw new InvalidArgumentException($"{Path}: not valid JSON ({e.Message.Split('\n')[0]})");
        }
    }

    /// <summary>Replaces the file atomically, readable by its owner only (it may hold secrets).</summary>
    private async Task WriteAsync(JsonObject config, CancellationToken cancellationToken)
    {
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        Directory.CreateDirectory(dir);
        var scratch = System.IO.Path.Combine(dir, $".config.json.{Guid.NewGuid():N}");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
        try
        {
            var file = new FileStream(scratch, options);
            await using (file.ConfigureAwait(false))
            {
                await file.WriteAsync(Encoding.UTF8.GetBytes(config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n"), cancellationToken).ConfigureAwait(false);
                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            File.Move(scratch, Path, overwrite: true);
        }
        finally
        {
            if (File.Exists(scratch)) File.Delete(scratch);
        }
    }

    private static string StripScheme(string server)
    {
        var s = server;
        if (s.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) s = s[8..];
        else if (s.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) s = s[7..];
        int slash = s.IndexOf('/', StringComparison.Ordinal);
        return slash >= 0 ? s[..slash] : s;
    }
}
