using System.Runtime.ExceptionServices;
using Strata.Core.Unix;

namespace Strata.Build.FileOps;

/// <summary>
/// The plain files of one copied tree (regular, not hard-linked), created in parallel once the
/// walk has made every directory: a COPY of thousands of small files is bound by per-file
/// syscalls, which two threads overlap. Directory metadata is applied after all of them, deepest
/// first, since creating a file changes its directory's mtime.
/// </summary>
internal sealed class DeferredCopies
{
    // Below this many files a thread hand-off costs more than it saves.
    private const int ParallelThreshold = 64;
    private readonly List<FileJob> _files = [];
    private readonly List<Action> _directories = [];
    private readonly IProgress<long>? _copied;

    /// <param name="copied">Told each file's size once it is copied (<see cref="CopyRequest.Copied"/>).</param>
    public DeferredCopies(IProgress<long>? copied = null) => _copied = copied;

    private readonly record struct FileJob(string Source, string Dest, long Size, int Uid, int Gid, uint Mode, long MtimeSeconds, long MtimeNanoseconds);

    public void AddFile(string source, string dest, in FileStatus status, int uid, int gid, uint mode) =>
        _files.Add(new FileJob(source, dest, status.Size, uid, gid, mode, status.MtimeSeconds, status.MtimeNanoseconds));

    /// <summary>Queues a directory's metadata; callers add a directory after its contents.</summary>
    public void AddDirectory(Action finish) => _directories.Add(finish);

    public void Run(CancellationToken cancellationToken)
    {
        if (_files.Count < ParallelThreshold)
        {
            foreach (var job in _files)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Copy(job);
            }
        }
        else
        {
            try
            {
                Parallel.ForEach(_files, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken }, Copy);
            }
            catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
            {
                // The first failure as the sequential copy would have thrown it (it names the path).
                ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
            }
        }
        foreach (var finish in _directories) finish();
        _files.Clear();
        _directories.Clear();
    }

    private void Copy(FileJob job)
    {
        var xattrs = FileCopier.CopiedXattrs(job.Source);
        Libc.CopyRegularFile(job.Source, job.Dest, job.Size, job.Uid, job.Gid, job.Mode, job.MtimeSeconds, job.MtimeNanoseconds,
            xattrs.Count == 0 ? null : () => FileCopier.SetXattrs(job.Dest, xattrs));
        _copied?.Report(job.Size);
    }
}
