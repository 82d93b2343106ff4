using Strata.Core;

namespace Strata.Content.Tests;

/// <summary>The contract suite on <see cref="FileContentStore"/>, plus what only files, locks and processes show.</summary>
public sealed class FileContentStoreTests : ContentStoreConformanceTests, IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    protected override IContentStore CreateStore() => OpenStore();

    protected override int IngestCount() => IngestEntries().Length;

    private FileContentStore OpenStore() => FileContentStore.Open(_dir.Path);

    private string[] IngestEntries() => Directory.GetFileSystemEntries(_dir.PathOf("ingest"));

    private string BlobPath(Digest digest) => _dir.PathOf("blobs", "sha256", digest.Encoded);

    // SIGKILL is asynchronous for the grandchild that inherited the lock: the kernel releases
    // the flock a moment after the shell is reaped, so a sweep right then may still see it held.
    private async Task<FileContentStore> ReopenUntilSweptAsync(string ingest)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var store = OpenStore();
            if (!Directory.Exists(ingest) || DateTime.UtcNow > deadline) return store;
            await Task.Delay(20, Ct);
        }
    }

    [Fact]
    public async Task Committed_blob_lies_at_the_oci_layout_path()
    {
        var store = OpenStore();

        await WriteAsync(store, Hello, null, null);

        Assert.Equal(Hello, await File.ReadAllBytesAsync(BlobPath(HelloDigest), Ct));
    }

    [Fact]
    public async Task A_blob_written_in_odd_pieces_across_many_writeback_steps_commits_byte_for_byte()
    {
        // 21 MiB plus a little, in pieces that never line up with the 8 MiB writeback steps.
        var data = new byte[(21 << 20) + 4099];
        new Random(7).NextBytes(data);
        var store = OpenStore();
        await using var writer = await store.OpenWriterAsync(Ct);
        for (int at = 0, piece = 1; at < data.Length; at += piece, piece = (piece * 7 % 300_007) + 1)
        {
            int n = Math.Min(piece, data.Length - at);
            if (n % 2 == 0) writer.Write(data, at, n);
            else await writer.WriteAsync(data.AsMemory(at, n), Ct);
        }
        var info = await writer.CommitAsync(data.Length, Digest.FromSha256Bytes(System.Security.Cryptography.SHA256.HashData(data)), Ct);

        Assert.Equal(data.Length, info.Size);
        Assert.Equal(data, await File.ReadAllBytesAsync(BlobPath(info.Digest), Ct));
    }

    [Fact]
    public async Task Commit_time_comes_from_the_store_clock()
    {
        var committedAt = new DateTimeOffset(2030, 5, 6, 7, 8, 9, TimeSpan.Zero);
        var store = FileContentStore.Open(_dir.Path, new FixedTimeProvider(committedAt));

        var info = await WriteAsync(store, Hello, null, null);

        Assert.Equal(committedAt, info.CommittedAt);
        Assert.Equal(committedAt, (await store.InfoAsync(HelloDigest, Ct))!.CommittedAt);
    }

    [Fact]
    public async Task Committed_blob_is_read_only()
    {
        var store = OpenStore();

        await WriteAsync(store, Hello, null, null);

        var mode = File.GetUnixFileMode(BlobPath(HelloDigest));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, mode);
    }

    [Fact]
    public async Task Reader_of_a_corrupt_blob_gets_DigestMismatchException_naming_the_digest()
    {
        var store = OpenStore();
        await WriteAsync(store, Hello, null, null);
        var path = BlobPath(HelloDigest);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var bytes = await File.ReadAllBytesAsync(path, Ct);
        bytes[3] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes, Ct);

        await using var stream = await store.OpenReadAsync(HelloDigest, Ct);
        var error = await Assert.ThrowsAsync<DigestMismatchException>(() => stream.CopyToAsync(Stream.Null, Ct));

        Assert.Contains(HelloDigest.Value, error.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.DataCorrupt, error.Category);
        Assert.False(await store.VerifyAsync(HelloDigest, Ct));
        await Assert.ThrowsAsync<DigestMismatchException>(async () => await store.ReadAllBytesAsync(HelloDigest, 1024, Ct));
    }

    [Fact]
    public async Task Open_writes_the_oci_layout_header_and_keeps_an_existing_one()
    {
        OpenStore();
        var header = _dir.PathOf("oci-layout");
        Assert.Equal("{\"imageLayoutVersion\":\"1.0.0\"}", await File.ReadAllTextAsync(header, Ct));
        await File.WriteAllTextAsync(header, "{\"imageLayoutVersion\": \"1.0.0\"}", Ct);

        OpenStore();

        Assert.Equal("{\"imageLayoutVersion\": \"1.0.0\"}", await File.ReadAllTextAsync(header, Ct));
        Assert.False(File.Exists(_dir.PathOf("index.json")));
    }

    [Fact]
    public async Task Two_writers_in_two_store_instances_writing_the_same_content_both_succeed()
    {
        var a = OpenStore();
        var b = OpenStore();
        var data = new byte[1 << 20];
        new Random(7).NextBytes(data);
        var digest = Digest.Compute(data);
        await using var writerA = await a.OpenWriterAsync(Ct);
        await using var writerB = await b.OpenWriterAsync(Ct);

        // Interleave the writes so both ingests are open at once, then commit in parallel.
        for (int offset = 0; offset < data.Length; offset += 64 * 1024)
        {
            await writerA.WriteAsync(data.AsMemory(offset, 64 * 1024), Ct);
            await writerB.WriteAsync(data.AsMemory(offset, 64 * 1024), Ct);
        }
        var commits = await Task.WhenAll(
            Task.Run(async () => await writerA.CommitAsync(data.Length, digest, Ct), Ct),
            Task.Run(async () => await writerB.CommitAsync(data.Length, digest, Ct), Ct));

        Assert.All(commits, c => Assert.Equal(digest, c.Digest));
        Assert.True(await a.VerifyAsync(digest, Ct));
        Assert.Empty(IngestEntries());
    }

    [Fact]
    public async Task Ingest_locked_by_a_live_process_is_not_swept_and_is_swept_once_that_process_is_killed()
    {
        OpenStore();
        var ingest = _dir.PathOf("ingest", "0123456789abcdef0123456789abcdef");
        Directory.CreateDirectory(ingest);
        using var child = ChildProcess.Shell(
            "exec flock -x ingest/0123456789abcdef0123456789abcdef/lock sh -c 'printf half > ingest/0123456789abcdef0123456789abcdef/data; echo locked; exec sleep 60'",
            _dir.Path);
        await child.WaitForLineAsync("locked");

        var store = OpenStore();
        Assert.True(Directory.Exists(ingest));
        // A writer of this process coexists with the foreign ingest.
        await WriteAsync(store, Hello, null, null);
        Assert.True(Directory.Exists(ingest));

        child.KillHard();
        var reopened = await ReopenUntilSweptAsync(ingest);

        Assert.False(Directory.Exists(ingest));
        var listed = new List<ContentInfo>();
        await foreach (var info in reopened.ListAsync(Ct)) listed.Add(info);
        Assert.Equal([HelloDigest], listed.Select(i => i.Digest));
        Assert.Empty(IngestEntries());
    }

    [Fact]
    public async Task Writer_killed_half_way_leaves_no_visible_blob_and_its_ingest_is_swept_on_reopen()
    {
        OpenStore();
        var data = new byte[256 * 1024];
        new Random(3).NextBytes(data);
        var digest = Digest.Compute(data);
        var source = _dir.PathOf("source");
        await File.WriteAllBytesAsync(source, data, Ct);
        // The child lays out an ingest as FileContentWriter does (lock held, data growing), writes
        // half of the blob and is SIGKILLed before any commit.
        var reference = "fedcba9876543210fedcba9876543210";
        Directory.CreateDirectory(_dir.PathOf("ingest", reference));
        using var child = ChildProcess.Shell(
            $"exec flock -x ingest/{reference}/lock sh -c 'head -c {data.Length / 2} source > ingest/{reference}/data; echo half; exec sleep 60'",
            _dir.Path);
        await child.WaitForLineAsync("half");
        Assert.Equal(data.Length / 2, new FileInfo(_dir.PathOf("ingest", reference, "data")).Length);

        child.KillHard();
        var reopened = await ReopenUntilSweptAsync(_dir.PathOf("ingest", reference));

        Assert.Empty(IngestEntries());
        Assert.Null(await reopened.InfoAsync(digest, Ct));
        await foreach (var _ in reopened.ListAsync(Ct)) Assert.Fail("no blob may be listed");
    }

    [Fact]
    public async Task Our_writer_killed_in_another_process_leaves_no_blob_and_is_swept_on_reopen()
    {
        OpenStore();
        const int size = 512 * 1024;
        var digest = Digest.Compute(ChildProgram.Content(11, size));
        using var child = ChildProcess.Self("write-half", _dir.Path, "11", size.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await child.WaitForLineAsync("half");
        var ingest = Assert.Single(IngestEntries());
        Assert.Equal(size / 2, new FileInfo(Path.Combine(ingest, "data")).Length);

        // While the child lives, other openers leave its ingest alone.
        OpenStore();
        Assert.True(Directory.Exists(ingest));
        child.KillHard();
        var reopened = await ReopenUntilSweptAsync(ingest);

        Assert.Empty(IngestEntries());
        Assert.Null(await reopened.InfoAsync(digest, Ct));
        Assert.Empty(await ListAsync(reopened));
    }

    [Fact]
    public async Task Two_processes_committing_the_same_content_at_once_both_succeed()
    {
        var store = OpenStore();
        const int size = 256 * 1024;
        var data = ChildProgram.Content(5, size);
        var digest = Digest.Compute(data);
        var arguments = new[] { "write-commit", _dir.Path, "5", size.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        using var first = ChildProcess.Self(arguments);
        using var second = ChildProcess.Self(arguments);
        await using var ours = await store.OpenWriterAsync(Ct);
        await ours.WriteAsync(data, Ct);
        await Task.WhenAll(first.WaitForLineAsync("written"), second.WaitForLineAsync("written"));
        Assert.Equal(3, IngestEntries().Length);

        // Release both children and commit ourselves at the same moment.
        await Task.WhenAll(first.SendLineAsync("go"), second.SendLineAsync("go"));
        var info = await ours.CommitAsync(size, digest, Ct);
        await Task.WhenAll(first.WaitForLineAsync("committed " + digest), second.WaitForLineAsync("committed " + digest));

        Assert.Equal(0, await first.WaitForExitAsync());
        Assert.Equal(0, await second.WaitForExitAsync());
        Assert.Equal(digest, info.Digest);
        Assert.Empty(IngestEntries());
        Assert.Equal([digest], await ListAsync(store));
        Assert.True(await store.VerifyAsync(digest, Ct));
    }

    [Fact]
    public void Lockless_leftover_ingests_are_swept_only_once_they_are_old()
    {
        OpenStore();
        var staging = _dir.PathOf("ingest", ".staging-0123456789abcdef0123456789abcdef");
        var lockless = _dir.PathOf("ingest", "00000000000000000000000000000000");
        Directory.CreateDirectory(staging);
        Directory.CreateDirectory(lockless);
        File.WriteAllText(Path.Combine(lockless, "data"), "partial");

        FileContentStore.Open(_dir.Path);
        Assert.True(Directory.Exists(staging));
        Assert.True(Directory.Exists(lockless));

        FileContentStore.Open(_dir.Path, new FixedTimeProvider(DateTimeOffset.UtcNow.AddMinutes(11)));

        Assert.Empty(IngestEntries());
    }

    [Fact]
    public async Task Commit_succeeds_when_another_process_committed_the_same_content_first()
    {
        var store = OpenStore();
        var reference = "00112233445566778899aabbccddeeff";
        Directory.CreateDirectory(_dir.PathOf("ingest", reference));
        await File.WriteAllBytesAsync(_dir.PathOf("hello"), Hello, Ct);
        await using var writer = await store.OpenWriterAsync(Ct);
        await writer.WriteAsync(Hello, Ct);
        // The other process holds its ingest lock, writes, and on our signal renames into blobs/.
        using var child = ChildProcess.Shell(
            $"exec flock -x ingest/{reference}/lock sh -c 'cp hello ingest/{reference}/data && chmod 0444 ingest/{reference}/data && echo written && read go && mv -f ingest/{reference}/data blobs/sha256/{HelloDigest.Encoded} && rm -rf ingest/{reference} && echo committed'",
            _dir.Path);
        await child.WaitForLineAsync("written");
        Assert.True(Directory.Exists(_dir.PathOf("ingest", reference)));
        await child.SendLineAsync("go");
        await child.WaitForLineAsync("committed");
        Assert.Equal(0, await child.WaitForExitAsync());

        var info = await writer.CommitAsync(Hello.Length, HelloDigest, Ct);

        Assert.Equal(HelloDigest, info.Digest);
        Assert.Empty(IngestEntries());
        Assert.True(await store.VerifyAsync(HelloDigest, Ct));
    }
}
