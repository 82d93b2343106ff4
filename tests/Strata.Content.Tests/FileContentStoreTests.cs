using System.Text;
using Strata.Core;

namespace Strata.Content.Tests;

public sealed class FileContentStoreTests : IDisposable
{
    private static readonly byte[] Hello = Encoding.UTF8.GetBytes("hello, layers\n");
    private static readonly Digest HelloDigest = Digest.Compute(Hello);

    private readonly TempDirectory _dir = new();
    private readonly CancellationToken _ct = CancellationToken.None;

    public void Dispose() => _dir.Dispose();

    private FileContentStore OpenStore() => FileContentStore.Open(_dir.Path);

    private string[] IngestEntries() => Directory.GetFileSystemEntries(_dir.Combine("ingest"));

    private string BlobPath(Digest digest) => _dir.Combine("blobs", "sha256", digest.Encoded);

    private async Task<ContentInfo> WriteAsync(IContentStore store, byte[] data, long? size, Digest? digest)
    {
        await using var writer = await store.OpenWriterAsync(_ct);
        await writer.WriteAsync(data, _ct);
        return await writer.CommitAsync(size, digest, _ct);
    }

    // SIGKILL is asynchronous for the grandchild that inherited the lock: the kernel releases
    // the flock a moment after the shell is reaped, so a sweep right then may still see it held.
    private async Task<FileContentStore> ReopenUntilSweptAsync(string ingest)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var store = OpenStore();
            if (!Directory.Exists(ingest) || DateTime.UtcNow > deadline) return store;
            await Task.Delay(20, _ct);
        }
    }

    [Fact]
    public async Task Committed_blob_reads_back_with_its_size_and_digest()
    {
        var store = OpenStore();

        var info = await WriteAsync(store, Hello, Hello.Length, HelloDigest);

        Assert.Equal(HelloDigest, info.Digest);
        Assert.Equal(Hello.Length, info.Size);
        await using var stream = await store.OpenReadAsync(HelloDigest, _ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, _ct);
        Assert.Equal(Hello, copy.ToArray());
        Assert.Equal(info, await store.InfoAsync(HelloDigest, _ct));
        Assert.Empty(IngestEntries());
    }

    [Fact]
    public async Task Commit_without_expectations_names_the_content_by_its_sha256()
    {
        var store = OpenStore();

        var info = await WriteAsync(store, Hello, null, null);

        Assert.Equal(HelloDigest, info.Digest);
        Assert.True(File.Exists(BlobPath(HelloDigest)));
    }

    [Fact]
    public async Task Commit_with_wrong_digest_leaves_no_blob_and_no_ingest()
    {
        var store = OpenStore();
        var wrong = Digest.Compute("something else"u8);

        var error = await Assert.ThrowsAsync<DigestMismatchException>(() => WriteAsync(store, Hello, Hello.Length, wrong));

        Assert.Contains(wrong.Value, error.Message, StringComparison.Ordinal);
        Assert.Contains(HelloDigest.Value, error.Message, StringComparison.Ordinal);
        Assert.Equal(wrong, error.Expected);
        Assert.Equal(HelloDigest, error.Actual);
        Assert.False(File.Exists(BlobPath(HelloDigest)));
        Assert.False(File.Exists(BlobPath(wrong)));
        Assert.Empty(IngestEntries());
    }

    [Fact]
    public async Task Commit_with_wrong_size_leaves_no_blob_and_no_ingest()
    {
        var store = OpenStore();

        var error = await Assert.ThrowsAsync<DigestMismatchException>(() => WriteAsync(store, Hello, Hello.Length + 1, HelloDigest));

        Assert.Contains(HelloDigest.Value, error.Message, StringComparison.Ordinal);
        Assert.Contains("size", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(BlobPath(HelloDigest)));
        Assert.Empty(IngestEntries());
        Assert.Null(await store.InfoAsync(HelloDigest, _ct));
    }

    [Fact]
    public async Task Committing_a_blob_that_already_exists_succeeds_and_drops_the_ingest()
    {
        var store = OpenStore();
        var first = await WriteAsync(store, Hello, Hello.Length, HelloDigest);

        var second = await WriteAsync(store, Hello, Hello.Length, HelloDigest);

        Assert.Equal(first.Digest, second.Digest);
        Assert.Equal(first.Size, second.Size);
        Assert.Empty(IngestEntries());
        Assert.True(await store.VerifyAsync(HelloDigest, _ct));
    }

    [Fact]
    public async Task Disposing_a_writer_without_commit_removes_its_ingest()
    {
        var store = OpenStore();
        var writer = await store.OpenWriterAsync(_ct);
        await writer.WriteAsync(Hello, _ct);
        Assert.Single(IngestEntries());

        await writer.DisposeAsync();

        Assert.Empty(IngestEntries());
        Assert.Null(await store.InfoAsync(HelloDigest, _ct));
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
        var bytes = await File.ReadAllBytesAsync(path, _ct);
        bytes[3] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes, _ct);

        await using var stream = await store.OpenReadAsync(HelloDigest, _ct);
        var error = await Assert.ThrowsAsync<DigestMismatchException>(() => stream.CopyToAsync(Stream.Null, _ct));

        Assert.Contains(HelloDigest.Value, error.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.DataCorrupt, error.Category);
        Assert.False(await store.VerifyAsync(HelloDigest, _ct));
        await Assert.ThrowsAsync<DigestMismatchException>(async () => await store.ReadAllBytesAsync(HelloDigest, 1024, _ct));
    }

    [Fact]
    public async Task Reading_a_missing_blob_throws_NotFoundException_naming_it()
    {
        var store = OpenStore();

        var error = await Assert.ThrowsAsync<NotFoundException>(async () => await store.OpenReadAsync(HelloDigest, _ct));

        Assert.Contains(HelloDigest.Value, error.Message, StringComparison.Ordinal);
        Assert.Null(await store.InfoAsync(HelloDigest, _ct));
        Assert.False(await store.DeleteAsync(HelloDigest, _ct));
    }

    [Fact]
    public async Task Non_sha256_digests_are_absent_with_a_clear_message()
    {
        var store = OpenStore();
        var sha512 = Digest.Parse("sha512:" + new string('a', 128));

        var error = await Assert.ThrowsAsync<NotFoundException>(async () => await store.OpenReadAsync(sha512, _ct));

        Assert.Contains("only sha256", error.Message, StringComparison.Ordinal);
        Assert.Null(await store.InfoAsync(sha512, _ct));
        var commit = await Assert.ThrowsAsync<InvalidArgumentException>(() => WriteAsync(store, Hello, null, sha512));
        Assert.Contains(sha512.Value, commit.Message, StringComparison.Ordinal);
        Assert.Empty(IngestEntries());
    }

    [Fact]
    public async Task Open_writes_the_oci_layout_header_and_keeps_an_existing_one()
    {
        OpenStore();
        var header = _dir.Combine("oci-layout");
        Assert.Equal("{\"imageLayoutVersion\":\"1.0.0\"}", await File.ReadAllTextAsync(header, _ct));
        await File.WriteAllTextAsync(header, "{\"imageLayoutVersion\": \"1.0.0\"}", _ct);

        OpenStore();

        Assert.Equal("{\"imageLayoutVersion\": \"1.0.0\"}", await File.ReadAllTextAsync(header, _ct));
        Assert.False(File.Exists(_dir.Combine("index.json")));
    }

    [Fact]
    public async Task List_shows_committed_blobs_and_not_ingests_in_progress()
    {
        var store = OpenStore();
        await WriteAsync(store, Hello, null, null);
        var other = await WriteAsync(store, "other"u8.ToArray(), null, null);
        await using var pending = await store.OpenWriterAsync(_ct);
        await pending.WriteAsync("pending"u8.ToArray(), _ct);

        var listed = new List<ContentInfo>();
        await foreach (var info in store.ListAsync(_ct)) listed.Add(info);

        Assert.Equal(new[] { HelloDigest, other.Digest }.Order(), listed.Select(i => i.Digest).Order());
    }

    [Fact]
    public async Task Delete_removes_the_blob()
    {
        var store = OpenStore();
        await WriteAsync(store, Hello, null, null);

        Assert.True(await store.DeleteAsync(HelloDigest, _ct));

        Assert.Null(await store.InfoAsync(HelloDigest, _ct));
        Assert.False(await store.DeleteAsync(HelloDigest, _ct));
    }

    [Fact]
    public async Task Two_writers_in_two_store_instances_writing_the_same_content_both_succeed()
    {
        var a = OpenStore();
        var b = OpenStore();
        var data = new byte[1 << 20];
        new Random(7).NextBytes(data);
        var digest = Digest.Compute(data);
        await using var writerA = await a.OpenWriterAsync(_ct);
        await using var writerB = await b.OpenWriterAsync(_ct);

        // Interleave the writes so both ingests are open at once, then commit in parallel.
        for (int offset = 0; offset < data.Length; offset += 64 * 1024)
        {
            await writerA.WriteAsync(data.AsMemory(offset, 64 * 1024), _ct);
            await writerB.WriteAsync(data.AsMemory(offset, 64 * 1024), _ct);
        }
        var commits = await Task.WhenAll(
            Task.Run(async () => await writerA.CommitAsync(data.Length, digest, _ct), _ct),
            Task.Run(async () => await writerB.CommitAsync(data.Length, digest, _ct), _ct));

        Assert.All(commits, c => Assert.Equal(digest, c.Digest));
        Assert.True(await a.VerifyAsync(digest, _ct));
        Assert.Empty(IngestEntries());
    }

    [Fact]
    public async Task Many_concurrent_writers_of_the_same_content_all_succeed()
    {
        var store = OpenStore();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => store.WriteBlobAsync("application/octet-stream", Hello, _ct).AsTask(), _ct)));

        Assert.All(results, d => Assert.Equal(HelloDigest, d.Digest));
        Assert.Empty(IngestEntries());
        Assert.True(await store.VerifyAsync(HelloDigest, _ct));
    }

    [Fact]
    public async Task Ingest_locked_by_a_live_process_is_not_swept_and_is_swept_once_that_process_is_killed()
    {
        OpenStore();
        var ingest = _dir.Combine("ingest", "0123456789abcdef0123456789abcdef");
        Directory.CreateDirectory(ingest);
        using var child = new ShellProcess(
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
        await foreach (var info in reopened.ListAsync(_ct)) listed.Add(info);
        Assert.Equal([HelloDigest], listed.Select(i => i.Digest));
    }

    [Fact]
    public async Task Writer_killed_half_way_leaves_no_visible_blob_and_its_ingest_is_swept_on_reopen()
    {
        OpenStore();
        var data = new byte[256 * 1024];
        new Random(3).NextBytes(data);
        var digest = Digest.Compute(data);
        var source = _dir.Combine("source");
        await File.WriteAllBytesAsync(source, data, _ct);
        // The child lays out an ingest as FileContentWriter does (lock held, data growing), writes
        // half of the blob and is SIGKILLed before any commit.
        var reference = "fedcba9876543210fedcba9876543210";
        Directory.CreateDirectory(_dir.Combine("ingest", reference));
        using var child = new ShellProcess(
            $"exec flock -x ingest/{reference}/lock sh -c 'head -c {data.Length / 2} source > ingest/{reference}/data; echo half; exec sleep 60'",
            _dir.Path);
        await child.WaitForLineAsync("half");
        Assert.Equal(data.Length / 2, new FileInfo(_dir.Combine("ingest", reference, "data")).Length);

        child.KillHard();
        var reopened = await ReopenUntilSweptAsync(_dir.Combine("ingest", reference));

        Assert.Empty(IngestEntries());
        Assert.Null(await reopened.InfoAsync(digest, _ct));
        await foreach (var _ in reopened.ListAsync(_ct)) Assert.Fail("no blob may be listed");
    }

    [Fact]
    public async Task Commit_succeeds_when_another_process_committed_the_same_content_first()
    {
        var store = OpenStore();
        var reference = "00112233445566778899aabbccddeeff";
        Directory.CreateDirectory(_dir.Combine("ingest", reference));
        await File.WriteAllBytesAsync(_dir.Combine("hello"), Hello, _ct);
        await using var writer = await store.OpenWriterAsync(_ct);
        await writer.WriteAsync(Hello, _ct);
        // The other process holds its ingest lock, writes, and on our signal renames into blobs/.
        using var child = new ShellProcess(
            $"exec flock -x ingest/{reference}/lock sh -c 'cp hello ingest/{reference}/data && chmod 0444 ingest/{reference}/data && echo written && read go && mv -f ingest/{reference}/data blobs/sha256/{HelloDigest.Encoded} && rm -rf ingest/{reference} && echo committed'",
            _dir.Path);
        await child.WaitForLineAsync("written");
        Assert.True(Directory.Exists(_dir.Combine("ingest", reference)));
        await child.SendLineAsync("go");
        await child.WaitForLineAsync("committed");
        Assert.Equal(0, await child.WaitForExitAsync());

        var info = await writer.CommitAsync(Hello.Length, HelloDigest, _ct);

        Assert.Equal(HelloDigest, info.Digest);
        Assert.Empty(IngestEntries());
        Assert.True(await store.VerifyAsync(HelloDigest, _ct));
    }
}
