using Strata.Core;

namespace Strata.Content.Tests;

/// <summary>
/// Entry point when the test assembly runs as a child process (the test SDK's generated
/// program is turned off in the project file). Each mode drives a real
/// <see cref="FileContentStore"/> in a process of its own, so tests can kill it or race it.
/// </summary>
public static class ChildProgram
{
    /// <summary>Deterministic content shared by parent and child: <paramref name="size"/> bytes from <paramref name="seed"/>.</summary>
    public static byte[] Content(int seed, int size)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        return data;
    }

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0) return 0;
        switch (args[0])
        {
            // write-half <root> <seed> <size>: write half, say "half", then hang until killed.
            case "write-half":
            {
                var store = FileContentStore.Open(args[1]);
                var data = Content(int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture));
                var writer = await store.OpenWriterAsync(CancellationToken.None);
                await writer.WriteAsync(data.AsMemory(0, data.Length / 2));
                await writer.FlushAsync();
                Console.WriteLine("half");
                await Task.Delay(Timeout.Infinite);
                return 1;
            }
            // write-commit <root> <seed> <size>: write all, say "written", wait for a line on stdin, commit, say "committed".
            case "write-commit":
            {
                var store = FileContentStore.Open(args[1]);
                var data = Content(int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture));
                await using var writer = await store.OpenWriterAsync(CancellationToken.None);
                await writer.WriteAsync(data);
                Console.WriteLine("written");
                await Console.In.ReadLineAsync();
                var info = await writer.CommitAsync(data.Length, Digest.Compute(data), CancellationToken.None);
                Console.WriteLine("committed " + info.Digest);
                return 0;
            }
            default:
                await Console.Error.WriteLineAsync("unknown mode " + args[0]);
                return 2;
        }
    }
}
