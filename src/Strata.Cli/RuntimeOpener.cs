using Strata.Execution;

namespace Strata.Cli;

/// <summary>
/// The composition root of the OCI runtime: the only CLI file that names the runc types. Builds
/// and containers receive the runtime as <see cref="IContainerExecutor"/> or
/// <see cref="IContainerRuntime"/>, with its state and bundles under &lt;store&gt;/runtime.
/// </summary>
internal static class RuntimeOpener
{
    /// <summary>The runtime <paramref name="runtime"/> (a name on the search path or an absolute path), started now for its version.</summary>
    public static IContainerRuntime Open(string storeRoot, string runtime = "runc") => RuncExecutor.Create(Options(storeRoot, runtime));

    /// <summary>
    /// The runtime located now (a missing one is named before any work starts) but started for
    /// its version only when first asked for, so a fully cached build starts no process.
    /// </summary>
    public static Func<IContainerExecutor> Deferred(string storeRoot, string runtime)
    {
        var options = Options(storeRoot, runtime);
        RuncExecutor.Locate(options);
        return () => RuncExecutor.Create(options);
    }

    private static RuncOptions Options(string storeRoot, string runtime)
    {
        var runtimeDir = Path.Combine(storeRoot, "runtime");
        return new RuncOptions { StateDirectory = Path.Combine(runtimeDir, "state"), BundleDirectory = Path.Combine(runtimeDir, "bundles"), Runtime = runtime };
    }
}
