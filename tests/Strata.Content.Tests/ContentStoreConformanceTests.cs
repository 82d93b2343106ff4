using System.Text;
using Strata.Core;

namespace Strata.Content.Tests;

/// <summary>
/// The <see cref="IContentStore"/> contract, as tests every implementation runs: derive, say how
/// to open a fresh store and how to see leftover ingests. Implementation-specific behaviour
/// (files, locks, processes) is tested in the derived class.
/// </summary>
public abstract class ContentStoreConformanceTests
{
    protected static readonly byte[] Hello = Encoding.UTF8.GetBytes("hello, layers\n");
    protected static readonly Digest HelloDigest = Digest.Compute(Hello);

    protected CancellationToken Ct { get; } = CancellationToken.None;

    /// <summary>A store over the test's own empty state; repeated calls see the same content.</summary>
    protected abstract IContentStore CreateStore();

    /// <summary>How many ingests (finished or not) the store still holds.</summary>
    protected abstract int IngestCount();

    protected async Task<ContentInfo> WriteAsync(IContentStore store, byte[] data, long? size, Digest? digest)
    {
        await using var writer = await store.OpenWriterAsync(Ct);
        await writer.WriteAsync(data, Ct);
        return await writer.CommitAsync(size, digest, Ct);
    }

    protected async Task<List<Digest>> ListAsync(IContentStore store)
    {
        var listed = new List<Digest>();
        await foreach (var info in store.ListAsync(Ct)) listed.Add(info.Digest);
        listed.Sort();
        return listed;
    }

    [Fact]
    public async Task Committed_blob_reads_back_with_its_size_and_digest()
    {
        var store = CreateStore();

        var info = await WriteAsync(store, Hello, Hello.Length, HelloDigest);

        Assert.Equal(HelloDigest, info.Digest);
        Assert.Equal(Hello.Length, info.Size);
        await using var stream = await store.OpenReadAsync(HelloDigest, Ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        Assert.Equal(Hello, copy.ToArray());
        Assert.Equal(info, await store.InfoAsync(HelloDigest, Ct));
        Assert.Equal(0, IngestCount());
    }

    [Fact]
    public async Task Commit_without_expectations_names_the_content_by_its_sha256()
    {
        var store = CreateStore();

        var info = await WriteAsync(store, Hello, null, null);

        Assert.Equal(HelloDigest, info.Digest);
        Assert.Equal([HelloDigest], await ListAsync(store));
    }

    [Fact]
    public async Task Commit_with_wrong_digest_leaves_no_blob_and_no_ingest()
    {
        var store = CreateStore();
        var wrong = Digest.Compute("something else"u8);

        var error = await Assert.ThrowsAsync<DigestMismatchException>(() => WriteAsync(store, Hello, Hello.Length, wrong));

        Assert.Contains(wrong.Value, error.Message, StringComparison.Ordinal);
        Assert.Contains(HelloDigest.Value, error.Message, StringComparison.Ordinal);
        Assert.Equal(wrong, error.Expected);
        Assert.Equal(HelloDigest, error.Actual);
        Assert.Empty(await ListAsync(store));
        Assert.Equal(0, IngestCount());
    }

    [Fact]
    public async Task Commit_with_wrong_size_leaves_no_blob_and_no_ingest()
    {
        var store = CreateStore();

        var error = await Assert.ThrowsAsync<DigestMismatchException>(() => WriteAsync(store, Hello, Hello.Length + 1, HelloDigest));

        Assert.Contains(HelloDigest.Value, error.Message, StringComparison.Ordinal);
        Assert.Contains("size", error.Message, StringComparison.Ordinal);
        Assert.Null(await store.InfoAsync(HelloDigest, Ct));
        Assert.Empty(await ListAsync(store));
        Assert.Equal(0, IngestCount());
    }

    [Fact]
    public async Task Committing_a_blob_that_already_exists_succeeds_and_drops_the_ingest()
    {
        var store = CreateStore();
        var first = await WriteAsync(store, Hello, Hello.Length, HelloDigest);

        var second = await WriteAsync(store, Hello, Hello.Length, HelloDigest);

        Assert.Equal(first.Digest, second.Digest);
        Assert.Equal(first.Size, second.Size);
        Assert.Equal(0, IngestCount());
        Assert.True(await store.VerifyAsync(HelloDigest, Ct));
    }

    [Fact]
    public async Task Disposing_a_writer_without_commit_removes_its_ingest()
    {
        var store = CreateStore();
        var writer = await store.OpenWriterAsync(Ct);
        await writer.WriteAsync(Hello, Ct);
        Assert.Equal(1, IngestCount());

        await writer.DisposeAsync();

        Assert.Equal(0, IngestCount());
        Assert.Null(await store.InfoAsync(HelloDigest, Ct));
    }

    [Fact]
    public async Task Reading_a_missing_blob_throws_NotFoundException_naming_it()
    {
        var store = CreateStore();

        var error = await Assert.ThrowsAsync<NotFoundException>(async () => await store.OpenReadAsync(HelloDigest, Ct));

        Assert.Contains(HelloDigest.Value, error.Message, StringComparison.Ordinal);
        Assert.Null(await store.InfoAsync(HelloDigest, Ct));
        Assert.False(await store.DeleteAsync(HelloDigest, Ct));
    }

    [Fact]
    public async Task Non_sha256_digests_are_absent_with_a_clear_message()
    {
        var store = CreateStore();
        var sha512 = Digest.Parse("sha512:" + new string('a', 128));

        var error = await Assert.ThrowsAsync<NotFoundException>(async () => await store.OpenReadAsync(sha512, Ct));

        Assert.Contains("only sha256", error.Message, StringComparison.Ordinal);
        Assert.Null(await store.InfoAsync(sha512, Ct));
        var commit = await Assert.ThrowsAsync<InvalidArgumentException>(() => WriteAsync(store, Hello, null, sha512));
        Assert.Contains(sha512.Value, commit.Message, StringComparison.Ordinal);
        Assert.Equal(0, IngestCount());
    }

    [Fact]
    public async Task List_shows_committed_blobs_and_not_ingests_in_progress()
    {
        var store = CreateStore();
        await WriteAsync(store, Hello, null, null);
        var other = await WriteAsync(store, "other"u8.ToArray(), null, null);
        await using var pending = await store.OpenWriterAsync(Ct);
        await pending.WriteAsync("pending"u8.ToArray(), Ct);

        var listed = await ListAsync(store);

        Assert.Equal(new[] { HelloDigest, other.Digest }.Order(), listed);
    }

    [Fact]
    public async Task Delete_removes_the_blob()
    {
        var store = CreateStore();
        await WriteAsync(store, Hello, null, null);

        Assert.True(await store.DeleteAsync(HelloDigest, Ct));

        Assert.Null(await store.InfoAsync(HelloDigest, Ct));
        Assert.False(await store.DeleteAsync(HelloDigest, Ct));
    }

    [Fact]
    public async Task Reader_that_opened_a_blob_keeps_reading_it_after_delete()
    {
        var store = CreateStore();
        await WriteAsync(store, Hello, null, null);
        await using var stream = await store.OpenReadAsync(HelloDigest, Ct);

        await store.DeleteAsync(HelloDigest, Ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);

        Assert.Equal(Hello, copy.ToArray());
    }

    [Fact]
    public async Task Many_concurrent_writers_of_the_same_content_all_succeed()
    {
        var store = CreateStore();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            await using var writer = await store.OpenWriterAsync(Ct);
            await writer.WriteAsync(Hello, Ct);
            return await writer.CommitAsync(Hello.Length, HelloDigest, Ct);
        }, Ct)));

        Assert.All(results, r => Assert.Equal(HelloDigest, r.Digest));
        Assert.Equal(0, IngestCount());
        Assert.True(await store.VerifyAsync(HelloDigest, Ct));
    }

    [Fact]
    public async Task A_default_digest_is_simply_absent()
    {
        var store = CreateStore();

        Assert.Null(await store.InfoAsync(default, Ct));
        Assert.False(await store.DeleteAsync(default, Ct));
        await Assert.ThrowsAsync<NotFoundException>(async () => await store.OpenReadAsync(default, Ct));
    }

    [Fact]
    public async Task Writer_is_write_only_and_finished_after_commit()
    {
        var store = CreateStore();
        await using var writer = await store.OpenWriterAsync(Ct);
        await writer.WriteAsync(Hello, Ct);
        Assert.False(writer.CanRead);
        Assert.False(writer.CanSeek);
        Assert.Equal(Hello.Length, writer.Length);

        await writer.CommitAsync(null, null, Ct);

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await writer.WriteAsync(Hello, Ct));
    }
}
