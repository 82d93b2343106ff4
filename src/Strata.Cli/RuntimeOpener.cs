using Strata.Core;
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
        // A rootless user's runc state lives under its runtime directory ($XDG_RUNTIME_DIR), one per store.
        string state = RootlessEntry.IsRootless
            ? Path.Combine(RootlessEntry.RuntimeDirectory(), "runc-" + Digest.Compute(System.Text.Encoding.UTF8.GetBytes(storeRoot)).Encoded[..16])
            : Path.Combine(runtimeDir, "state");
        return new RuncOptions { StateDirectory = state, BundleDirectory = Path.Combine(runtimeDir, "bundles"), Runtime = runtime, Rootless = RootlessEntry.IsRootless };
    }
}
