using System.Diagnostics;
using Strata.Archive;

namespace Strata.Build.FileOps;

/// <summary>
/// An ADD source opened as the tar it may hold: plain, gzip, zstd, bzip2 or xz, recognised by
/// magic. .NET has no bzip2 or xz codec, so those two go through the host's <c>bzip2</c> and
/// <c>xz</c> programs reading the file (moby's archive package runs <c>xz -d -c -q</c> the same
/// way). A file is an archive only when what it decompresses to starts with a tar header, as in
/// BuildKit; anything else (a gzip of a plain file, a .tar.gz name on text) is copied as is.
/// </summary>
internal sealed class ArchiveSource : IAsyncDisposable
{
    private readonly Process? _process;

    private ArchiveSource(Stream stream, Process? process)
    {
        Stream = stream;
        _process = process;
    }

    /// <summary>The decompressed bytes.</summary>
    public Stream Stream { get; }

    public static async Task<ArchiveSource> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var head = new byte[6];
        int n;
        await using (var probe = File.OpenRead(path))
            n = await probe.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        var magic = head.AsSpan(0, n);
        string? program = magic.StartsWith("BZh"u8) ? "bzip2" : magic.StartsWith((ReadOnlySpan<byte>)[0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) ? "xz" : null;
        if (program is null) return new ArchiveSource(LayerCompressionDetector.OpenDecompressed(File.OpenRead(path)), null);
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-d");
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("-q");
        psi.ArgumentList.Add(path);
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new IOException($"cannot start {program} to decompress {Path.GetFileName(path)}");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new IOException($"{Path.GetFileName(path)} is {program}-compressed and needs the {program} program, which cannot be started: {ex.Message}", ex);
        }
        _ = process.StandardError.ReadToEndAsync(cancellationToken);
        return new ArchiveSource(process.StandardOutput.BaseStream, process);
    }

    /// <summary>True when the decompressed bytes start with a tar header (ustar magic at 257).</summary>
    public static async Task<bool> IsArchiveAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await using var source = await OpenAsync(path, cancellationToken).ConfigureAwait(false);
            var head = new byte[512];
            int n = await source.Stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            return n >= 262 && head.AsSpan(257, 5).SequenceEqual("ustar"u8);
        }
        catch (InvalidDataException)
        {
            return false; // a compressed-looking header on something else
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>After reading everything: fails when the external decompressor did not finish cleanly.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_process is null) return;
        // The tar reader stops at the end-of-archive blocks; padding after them must be read
        // or the program blocks on a full pipe.
        await Stream.CopyToAsync(System.IO.Stream.Null, cancellationToken).ConfigureAwait(false);
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (_process.ExitCode != 0) throw new IOException($"{_process.StartInfo.FileName} exited with {_process.ExitCode} decompressing {_process.StartInfo.ArgumentList[^1]}");
    }

    public async ValueTask DisposeAsync()
    {
        await Stream.DisposeAsync().ConfigureAwait(false);
        if (_process is not null)
        {
            if (!_process.HasExited) _process.Kill();
            await _process.WaitForExitAsync().ConfigureAwait(false);
            _process.Dispose();
        }
    }
}
