namespace Strata.Core;

/// <summary>
/// How far one item of a long operation has come, in bytes: a layer loaded or saved, a root
/// filesystem imported, a container exported or committed. Libraries report it through an
/// <see cref="IProgress{T}"/> the caller passes (null: nobody watches), synchronously on the thread
/// that moved the bytes, so a receiver must be thread-safe and cheap; the CLI draws it as bars on
/// a terminal. <see cref="Done"/> only grows for an item; <see cref="Done"/> equal to
/// <see cref="Total"/> means the item is complete.
/// </summary>
/// <param name="Item">What moved (a short layer digest, a container ID, a source's name): one bar per item.</param>
/// <param name="Done">Bytes done so far.</param>
/// <param name="Total">Bytes in all; null while unknown (a pipe).</param>
public readonly record struct ByteProgress(string Item, long Done, long? Total);
