using System.Text.RegularExpressions;

namespace Strata.Analysis.Image;

/// <summary>
/// The secret rules, by content and by file name. Patterns follow the documented token formats
/// (GitHub <c>ghp_</c>/<c>github_pat_</c>, GitLab <c>glpat-</c>, npm <c>npm_</c>, PyPI
/// <c>pypi-AgEIcHlwaS5vcmc</c>, Docker <c>dckr_pat_</c>, Slack <c>xox?-</c>, Stripe
/// <c>sk_live_</c>, AWS <c>AKIA</c>/<c>ASIA</c>) and are anchored tightly enough that ordinary
/// binaries and text do not trip them.
/// </summary>
internal static partial class SecretRules
{
    public static IReadOnlyList<SecretRule> Content { get; } =
    [
        new("secret-private-key", "private key", PrivateKey()),
        new("secret-aws-access-key-id", "AWS access key ID", AwsKeyId()),
        new("secret-aws-secret-access-key", "AWS secret access key", AwsSecret()),
        new("secret-gcp-service-account", "GCP service account key", GcpServiceAccount()),
        new("secret-azure-storage-key", "Azure storage account key", AzureStorage()),
        new("secret-azure-client-secret", "Azure client secret", AzureClientSecret()),
        new("secret-github-token", "GitHub token", GitHub()),
        new("secret-gitlab-token", "GitLab token", GitLab()),
        new("secret-npm-token", "npm token", Npm()),
        new("secret-pypi-token", "PyPI token", PyPi()),
        new("secret-docker-hub-token", "Docker Hub token", DockerHub()),
        new("secret-slack-token", "Slack token", Slack()),
        new("secret-slack-webhook", "Slack webhook URL", SlackWebhook()),
        new("secret-stripe-key", "Stripe secret key", Stripe()),
        new("secret-jwt", "JSON web token", Jwt()),
    ];

    public static IReadOnlyList<SecretRule> Files { get; } =
    [
        new("secret-file-private-key", "SSH private key file", null, n => n is "id_rsa" or "id_dsa" or "id_ecdsa" or "id_ed25519"),
        new("secret-file-dotenv", ".env file", null, n => n == ".env" || (n.StartsWith(".env.", StringComparison.Ordinal) && !n.EndsWith(".example", StringComparison.Ordinal) && !n.EndsWith(".sample", StringComparison.Ordinal) && !n.EndsWith(".template", StringComparison.Ordinal))),
        new("secret-file-npmrc", ".npmrc with credentials", null, n => n == ".npmrc") { ContentRequired = NpmrcAuth() },
        new("secret-file-pypirc", ".pypirc with a password", null, n => n == ".pypirc") { ContentRequired = PypircPassword() },
        new("secret-file-docker-config", "docker config.json with auths", null, n => n == "config.json") { ContentRequired = DockerAuth() },
        new("secret-file-git-credentials", ".git-credentials", null, n => n == ".git-credentials") { ContentRequired = GitCredentials() },
        new("secret-file-aws-credentials", "AWS credentials file", null, n => n == "credentials") { ContentRequired = AwsSecretLoose() },
    ];

    /// <summary>An ENV or LABEL key that names a secret, with a non-empty value.</summary>
    public static SecretRule EnvName { get; } = new("secret-env-variable", "secret in ENV/LABEL/ARG", SecretAssignment());

    [GeneratedRegex(@"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----(?<secret>[A-Za-z0-9+/=\r\n:\- ,]{16,})")]
    private static partial Regex PrivateKey();

    [GeneratedRegex(@"\b(?<secret>(?:AKIA|ASIA)[0-9A-Z]{16})\b")]
    private static partial Regex AwsKeyId();

    [GeneratedRegex(@"(?i:aws_?secret_?access_?key)[""']?\s*[:=]\s*[""']?(?<secret>[A-Za-z0-9/+=]{40})\b")]
    private static partial Regex AwsSecret();

    [GeneratedRegex(@"(?i:aws_?secret_?access_?key)\s*[:=]\s*(?<secret>\S{8,})")]
    private static partial Regex AwsSecretLoose();

    [GeneratedRegex(@"""type""\s*:\s*""service_account""[\s\S]{0,4096}?""private_key""\s*:\s*""(?<secret>[^""]{16,})""")]
    private static partial Regex GcpServiceAccount();

    [GeneratedRegex(@"AccountKey=(?<secret>[A-Za-z0-9+/]{86}==)")]
    private static partial Regex AzureStorage();

    [GeneratedRegex(@"(?i:azure_?client_?secret)[""']?\s*[:=]\s*[""']?(?<secret>[A-Za-z0-9_~.\-]{34,40})")]
    private static partial Regex AzureClientSecret();

    [GeneratedRegex(@"\b(?<secret>(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82}))\b")]
    private static partial Regex GitHub();

    [GeneratedRegex(@"\b(?<secret>glpat-[A-Za-z0-9_\-]{20})\b")]
    private static partial Regex GitLab();

    [GeneratedRegex(@"\b(?<secret>npm_[A-Za-z0-9]{36})\b")]
    private static partial Regex Npm();

    [GeneratedRegex(@"\b(?<secret>pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\-]{50,})")]
    private static partial Regex PyPi();

    [GeneratedRegex(@"\b(?<secret>dckr_pat_[A-Za-z0-9_\-]{27,})")]
    private static partial Regex DockerHub();

    [GeneratedRegex(@"\b(?<secret>xox[baprs]-[0-9A-Za-z]{10,48}(?:-[0-9A-Za-z]{4,48}){0,4})")]
    private static partial Regex Slack();

    [GeneratedRegex(@"https://hooks\.slack\.com/services/(?<secret>T[A-Z0-9]{8,}/B[A-Z0-9]{8,}/[A-Za-z0-9]{24})")]
    private static partial Regex SlackWebhook();

    [GeneratedRegex(@"\b(?<secret>(?:sk|rk)_live_[0-9A-Za-z]{24,99})\b")]
    private static partial Regex Stripe();

    [GeneratedRegex(@"\b(?<secret>eyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,})")]
    private static partial Regex Jwt();

    [GeneratedRegex(@"(?m)(?:_authToken|_auth|_password)\s*=\s*(?<secret>\S{4,})")]
    private static partial Regex NpmrcAuth();

    [GeneratedRegex(@"(?m)^\s*password\s*[:=]\s*(?<secret>\S{4,})")]
    private static partial Regex PypircPassword();

    [GeneratedRegex(@"""auths""\s*:[\s\S]{0,4096}?""auth""\s*:\s*""(?<secret>[A-Za-z0-9+/=]{8,})""")]
    private static partial Regex DockerAuth();

    [GeneratedRegex(@"https?://[^:\s/@]+:(?<secret>[^@\s]{4,})@")]
    private static partial Regex GitCredentials();

    [GeneratedRegex(@"(?i)^[A-Z0-9_.\-]*(?:PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?)[A-Z0-9_.\-]*=(?<secret>.{4,})$")]
    private static partial Regex SecretAssignment();
}
