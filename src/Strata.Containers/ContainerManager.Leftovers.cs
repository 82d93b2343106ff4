using System.Text.Json;
using Strata.Images;

namespace Strata.Containers;

/// <summary>
/// Containers a killed strata process left running: recorded as running, but their monitor (the
/// foreground <c>run</c> itself, or a detached container's <c>container-shim</c>) is gone. Every
/// command reaps them when it opens the store, as <c>ps</c> always did for the ones it listed:
/// what is left is killed and unmounted and the container recorded as exited (255, docker's
/// code for a container it lost), and one made with <c>--rm</c> is removed, as docker removes it.
/// A container whose monitor is alive is never touched.
/// </summary>
public sealed partial class ContainerManager
{
    /// <summary>The lost containers, read from their records alone: no runtime is started, so every command can afford it.</summary>
    public static async Task<IReadOnlyList<ContainerState>> FindLostAsync(ImageStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var lost = new List<ContainerState>();
        foreach (var record in await store.Metadata.ListContainersAsync(cancellationToken).ConfigureAwait(false))
        {
            if (record.State != ContainerStatus.Running.ToText()) continue;
            var file = Path.Combine(store.Layout.Root, "containers", record.Id, "container.json");
            ContainerState? state;
            try
            {
                await using var stream = File.OpenRead(file);
                state = await JsonSerializer.DeserializeAsync(stream, ContainerJsonContext.Default.ContainerState, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                continue;   // removed meanwhile
            }
            if (state is { Status: ContainerStatus.Running, Monitor: not { IsAlive: true } }) lost.Add(state);
        }
        return lost;
    }

    /// <summary>
    /// Reaps <paramref name="lost"/> (from <see cref="FindLostAsync"/>): kills the container and
    /// any runtime process still serving it, unmounts it, records it as exited, and removes it when
    /// it was made with <c>--rm</c>. Returns a line for each. A container that a live monitor has
    /// taken over meanwhile is left alone.
    /// </summary>
    public async Task<IReadOnlyList<string>> ReapLostAsync(IReadOnlyList<ContainerState> lost, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lost);
        var done = new List<string>();
        foreach (var container in lost)
        {
            var now = await ReconcileAsync(container, null, cancellationToken).ConfigureAwait(false);
            if (now.Status == ContainerStatus.Running) continue;
            // The foreground runtime of a killed `run` outlives it until its container ends: gone now too.
            await _runtime.ReapAsync(container.Id).ConfigureAwait(false);
            string who = container.Monitor is { } monitor ? $"strata process {monitor.Pid}" : "its strata process";
            if (container.Options?.Remove == true)
            {
                await RemoveAsync(now, force: true, cancellationToken).ConfigureAwait(false);
                done.Add($"removed container {container.Name} (--rm), left running by {who}, which is gone");
            }
            else
            {
                done.Add($"stopped container {container.Name}, left running by {who}, which is gone");
            }
        }
        return done;
    }
}
