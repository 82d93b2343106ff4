using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Strata.Core;
using Strata.Registry.Auth;

namespace Strata.Registry.Credentials;

/// <summary>
/// A docker credential helper: the executable <c>docker-credential-NAME</c> on PATH, spoken to
/// as docker does (<c>get</c> / <c>store</c> / <c>erase</c>, the server or a JSON document on
/// stdin, JSON on stdout). A user name of <c>&lt;token&gt;</c> means the secret is an identity
/// token. What the helper prints is never quoted in errors (it may hold the secret).
/// </summary>
public sealed class CredentialHelper
{
    private const string TokenUser = "<token>";

    public CredentialHelper(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    /// <summary>The helper's suffix (<c>pass</c> for <c>docker-credential-pass</c>).</summary>
    public string Name { get; }

    public string Program => "docker-credential-" + Name;

    /// <summary>The stored credential for <paramref name="server"/>, or null when the helper has none.</summary>
    public async Task<Credential?> GetAsync(string server, CancellationToken cancellationToken)
    {
        var (code, stdout) = await RunAsync("get", server, cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            // docker-credential-helpers say "credentials not found in native keychain" on stdout.
            if (stdout.Contains("credentials not found", StringComparison.OrdinalIgnoreCase)) return null;
            throw new RegistryException($"{Program} get for {server} failed (exit {code})");
        }
        try
        {
            using var document = JsonDocument.Parse(stdout);
            var root = document.RootElement;
            var user = root.TryGetProperty("Username", out var u) ? u.GetString() : null;
            var secret = root.TryGetProperty("Secret", out var s) ? s.GetString() : null;
            if (string.IsNullOrEmpty(secret)) return null;
            return user == TokenUser ? new Credential(null, null, secret) : new Credential(user, secret);
        }
        catch (JsonException)
        {
            throw new RegistryException($"{Program} get for {server} printed something that is not its JSON answer");
        }
    }

    public async Task StoreAsync(string server, Credential credential, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("ServerURL", server);
            json.WriteString("Username", credential.IdentityToken is null ? credential.Username : TokenUser);
            json.WriteString("Secret", credential.IdentityToken ?? credential.Secret);
            json.WriteEndObject();
        }
        var (code, _) = await RunAsync("store", Encoding.UTF8.GetString(buffer.ToArray()), cancellationToken).ConfigureAwait(false);
        if (code != 0) throw new RegistryException($"{Program} store for {server} failed (exit {code})");
    }

    public async Task EraseAsync(string server, CancellationToken cancellationToken)
    {
        var (code, _) = await RunAsync("erase", server, cancellationToken).ConfigureAwait(false);
        if (code != 0) throw new RegistryException($"{Program} erase for {server} failed (exit {code})");
    }

    private async Task<(int Code, string Stdout)> RunAsync(string action, string input, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(Program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(action);
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new RegistryException($"cannot start {Program}");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new NotFoundException($"credential helper {Program} is not on PATH (named by the docker config)");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken).ConfigureAwait(false);
            process.StandardInput.Close();
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            await stderr.ConfigureAwait(false);
            return (process.ExitCode, await stdout.ConfigureAwait(false));
        }
    }
}
