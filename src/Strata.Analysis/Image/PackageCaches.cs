namespace Strata.Analysis.Image;

/// <summary>
/// Where package managers leave caches that an image never needs at run time, by path. Only
/// files count (the empty directories a base image ships are fine).
/// </summary>
internal static class PackageCaches
{
    private sealed record CacheKind(string Name, string Fix, string[] Prefixes, string[] HomeSuffixes);

    private static readonly CacheKind[] Kinds =
    [
        new("apt", "run `apt-get update && apt-get install ... && rm -rf /var/lib/apt/lists/*` in one RUN, or mount /var/cache/apt and /var/lib/apt with RUN --mount=type=cache",
            ["/var/lib/apt/lists/", "/var/cache/apt/"], []),
        new("apk", "use `apk add --no-cache`, or RUN --mount=type=cache,target=/var/cache/apk", ["/var/cache/apk/", "/etc/apk/cache/"], []),
        new("dnf/yum", "run `dnf clean all` in the same RUN, or mount /var/cache/dnf with RUN --mount=type=cache", ["/var/cache/dnf/", "/var/cache/yum/"], []),
        new("pip", "use `pip install --no-cache-dir`, or RUN --mount=type=cache,target=/root/.cache/pip", [], [".cache/pip/"]),
        new("npm", "run `npm ci && npm cache clean --force` in one RUN, or RUN --mount=type=cache,target=/root/.npm", [], [".npm/"]),
        new("yarn", "run `yarn install && yarn cache clean` in one RUN, or mount the yarn cache with RUN --mount=type=cache",
            ["/usr/local/share/.cache/yarn/"], [".cache/yarn/", ".yarn/berry/cache/"]),
        new("go", "build with RUN --mount=type=cache,target=/root/.cache/go-build (and /go/pkg/mod), or in a build stage",
            ["/go/pkg/mod/cache/"], [".cache/go-build/", "go/pkg/mod/cache/"]),
        new("nuget", "restore with RUN --mount=type=cache,target=/root/.nuget/packages, or publish in a build stage",
            [], [".nuget/packages/", ".local/share/NuGet/"]),
    ];

    /// <summary>The cache a path belongs to, with its fix, or null.</summary>
    public static (string Name, string Fix)? Classify(string path)
    {
        foreach (var kind in Kinds)
        {
            foreach (var prefix in kind.Prefixes)
                if (path.StartsWith(prefix, StringComparison.Ordinal)) return (kind.Name, kind.Fix);
            if (kind.HomeSuffixes.Length == 0) continue;
            var rest = path.StartsWith("/root/", StringComparison.Ordinal) ? path[6..]
                : path.StartsWith("/home/", StringComparison.Ordinal) && path.IndexOf('/', 6) is var slash and > 6 ? path[(slash + 1)..]
                : null;
            if (rest is null) continue;
            foreach (var suffix in kind.HomeSuffixes)
                if (rest.StartsWith(suffix, StringComparison.Ordinal)) return (kind.Name, kind.Fix);
        }
        return null;
    }
}
