namespace Strata.Archive.Tests.Fixtures;

/// <summary>Where root-only tests fail loudly when run unprivileged, before they make their directory.</summary>
internal static class RootOnly
{
    /// <summary>The harness's <see cref="TempDir"/>, once the process is known to be root.</summary>
    public static TempDir NewTempDir()
    {
        if (!Environment.IsPrivilegedProcess)
            throw new InvalidOperationException("Strata.Archive tests need root (owners, device nodes, security.capability); CI runs them as root.");
        return new TempDir("strata-archive-tests-");
    }
}
