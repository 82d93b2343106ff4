using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text.RegularExpressions;

namespace Strata.Cli.Tests.Verbs;

/// <summary>
/// Hostile tar sources for <c>strata import -</c>, generated while they stream into its stdin:
/// a layer of millions of directory entries stays under 200 MB of peak RSS (measured by
/// <c>/usr/bin/time -v</c> around the strata process, not timed), and a gzip bomb stops at the
/// <c>--max-layer-size</c> cap with one line naming the layer.
/// </summary>
public sealed partial class ImportLimitsTests : IDisposable
{
    private readonly TempDir _tempDir = new("strata-import-limits-");

    public void Dispose() => _tempDir.Dispose();

    [Fact]
    public async Task Two_million_directory_entries_import_in_under_200_MB()
    {
        // Two thousand directory names, each given a thousand times: the entry count is what
        // used to drive memory (one remembered path per directory entry), and the disk stays small.
        const int names = 2000, rounds = 1000;
        var result = await RunAsync(["import", "-", "dirs:1"], stdin =>
        {
            using var gzip = new GZipStream(stdin, CompressionLevel.Fastest);
            using var tar = new TarWriter(gzip, TarEntryFormat.Ustar);
            for (int round = 0; round < rounds; round++)
                for (int n = 0; n < names; n++)
                    tar.WriteEntry(new UstarTarEntry(TarEntryType.Directory, $"d{n:D4}/") { Mode = (UnixFileMode)0x1ED, ModificationTime = DateTimeOffset.FromUnixTimeSeconds(1_000_000 + round) });
        });

        Assert.True(result.ExitCode == 0, result.Stderr);
        long peakKb = long.Parse(MaxRss().Match(result.Stderr).Groups[1].Value);
        Assert.True(peakKb < 200 * 1024, $"peak RSS {peakKb / 1024} MB for 2,000,000 directory entries");
        Console.WriteLine($"peak RSS {peakKb / 1024} MB for 2,000,000 directory entries");
    }

    [Fact]
    public async Task A_gzip_bomb_stops_at_the_cap_with_one_line_naming_the_layer()
    {
        var result = await RunAsync(["import", "--max-layer-size", "16m", "-", "bomb:1"], stdin =>
        {
            using var gzip = new GZipStream(stdin, CompressionLevel.Optimal);
            using var tar = new TarWriter(gzip, TarEntryFormat.Ustar);
            tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, "bomb") { DataStream = new ZeroStream(256L << 20) });
        });

        Assert.Equal(2, result.ExitCode);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('\t') && !l.StartsWith("Command being timed", StringComparison.Ordinal)).ToList();
        Assert.Equal("Error: layer -: entry \"bomb\": uncompressed layer exceeds the cap of 16777216 bytes (archive entry #1)", lines[0]);
    }

    /// <summary>strata under <c>/usr/bin/time -v</c> (its peak RSS on stderr), stdin written by <paramref name="writeStdin"/> as strata reads it.</summary>
    private async Task<(int ExitCode, string Stderr)> RunAsync(string[] args, Action<Stream> writeStdin)
    {
        var command = new StrataCli(Path.Combine(_tempDir.Path, "store")).Command(args);
        using var process = ProcessRunner.Start("/usr/bin/time", ["-v", .. command], new RunOptions(), redirectStdin: true);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var feed = Task.Run(() =>
        {
            try
            {
                using var stdin = process.StandardInput.BaseStream;
                writeStdin(stdin);
            }
            catch (IOException)
            {
                // strata stopped reading (it refused the input): the result says why
            }
        });
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"`{string.Join(' ', command)}` did not finish within 10 minutes");
        }
        await feed;
        await stdout;
        return (process.ExitCode, await stderr);
    }

    [GeneratedRegex(@"Maximum resident set size \(kbytes\): ([0-9]+)")]
    private static partial Regex MaxRss();

    /// <summary>A readable stream of <c>length</c> zero bytes, made on the fly (seekable: TarWriter takes the size from it).</summary>
    private sealed class ZeroStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => _position = value; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = (int)Math.Min(count, length - _position);
            Array.Clear(buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => _position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
