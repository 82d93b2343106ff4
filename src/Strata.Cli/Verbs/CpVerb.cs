using System.CommandLine;
using Strata.Core;

namespace Strata.Cli.Verbs;

/// <summary>
/// <c>strata cp CONTAINER:SRC DST</c> and <c>strata cp SRC CONTAINER:DST</c>: copies between a
/// container's root filesystem and the host; links in the container resolve inside it.
/// </summary>
internal static class CpVerb
{
    public static Command Create(string name)
    {
        var source = new Argument<string>("SRC");
        var destination = new Argument<string>("DST");
        var command = new Command(name, "Copy files/folders between a container and the local filesystem") { source, destination };
        command.SetAction(async (parse, ct) =>
        {
            var src = parse.GetValue(source)!;
            var dst = parse.GetValue(destination)!;
            var (srcContainer, srcPath) = Split(src);
            var (dstContainer, dstPath) = Split(dst);
            if ((srcContainer is null) == (dstContainer is null))
                throw new InvalidArgumentException("copying between containers or within the host is not supported: one side must be CONTAINER:PATH");
            var manager = await ContainerOpener.OpenAsync(parse, ct).ConfigureAwait(false);
            if (srcContainer is not null)
            {
                var c = await manager.GetAsync(srcContainer, ct).ConfigureAwait(false);
                await manager.CopyFromAsync(c, srcPath, dstPath, ct).ConfigureAwait(false);
            }
            else
            {
                var c = await manager.GetAsync(dstContainer!, ct).ConfigureAwait(false);
                await manager.CopyToAsync(c, srcPath, dstPath, ct).ConfigureAwait(false);
            }
            return 0;
        });
        return command;
    }

    /// <summary>docker's rule: <c>NAME:PATH</c> names a container unless the part before ':' has a '/' (a local path).</summary>
    private static (string? Container, string Path) Split(string arg)
    {
        int colon = arg.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || arg[..colon].Contains('/', StringComparison.Ordinal)) return (null, arg);
        var path = arg[(colon + 1)..];
        return (arg[..colon], path.StartsWith('/') ? path : "/" + path);
    }
}
