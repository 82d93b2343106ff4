using Strata.Build.Progress;
using Strata.Core;
using Strata.Dockerfile;
using Strata.Dockerfile.Expansion;
using Strata.Images;

namespace Strata.Build.Engine;

/// <summary>
/// <c>--platform a,b,...</c>: every platform is checked for RUN first (one line for the first
/// one this host cannot execute, before anything runs), then built at once as its own build of
/// the Dockerfile (TARGET* args of that platform, bases resolved for it, its own cache keys),
/// sharing progress ids, RUN slots, base images and a turn per cache key so a stage that is the
/// same for several platforms runs once. Each platform's image is committed without a name; the
/// build's tags name the index of them (<see cref="PlatformIndex"/>). A failure of one platform
/// stops the others.
/// </summary>
public sealed partial class BuildEngine
{
    private async Task<BuildResult> BuildPlatformsAsync(BuildRequest request, IBuildProgress progress, CancellationToken cancellationToken)
    {
        if (request.Cache.ExportTo is not null)
            throw new InvalidArgumentException("--cache-to type=local|registry takes one platform: a build of several --platform values exports no cache yet (use type=inline)");
        var platforms = request.Platforms.Distinct().ToList();
        var builds = platforms.Select(p => request with { Platform = p, PlatformAsked = true, Platforms = [], Tags = [] }).ToList();
        var definition = DockerfileFrontend.Parse(request.DockerfileText, request.DockerfileName);
        foreach (var build in builds)
        {
            var options = new BuildOptions
            {
                BuildArgs = build.BuildArgs,
                Target = build.Target,
                TargetPlatform = build.Platform,
                IsNamedContext = name => build.NamedContextFor(name) is not null,
            };
            EmulationPreflight.Check(BuildArgsScope.Expand(definition, options, build.DockerfileName), build);
        }

        progress = new DistinctWarningsProgress(progress);
        var ids = new StepIds();
        var shared = new SharedPlatformState(new BaseImages(_store, _puller, request, progress, ids), ids);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Exception? first = null;
        async Task<BuildResult> StopOthersOnFailureAsync(Task<BuildResult> build)
        {
            try
            {
                return await build.ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // The platform that failed first is the build's error, not one stopped because of it.
                Interlocked.CompareExchange(ref first, ex, null);
                await stop.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }
        var running = builds.Select(b => StopOthersOnFailureAsync(BuildCoreAsync(b, progress, shared, stop.Token))).ToList();
        BuildResult[] results;
        try
        {
            results = await Task.WhenAll(running).ConfigureAwait(false);
        }
        catch (Exception) when (first is not null && !cancellationToken.IsCancellationRequested)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
            throw;
        }
        var images = results.Select(r => r.Image).ToList();
        var index = await PlatformIndex.CommitAsync(_store, images, request.Tags, cancellationToken).ConfigureAwait(false);
        return new BuildResult(images[0], results.Sum(r => r.StepsRun), results.Sum(r => r.LayersCreated)) { Index = index, Images = images };
    }
}
