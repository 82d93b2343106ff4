using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Strata.Archive.Tests.Fixtures;

/// <summary>Builds layer tars, hostile ones included, with System.Formats.Tar: an independent
/// writer, so the tests also check that Strata reads what others write.</summary>
internal sealed class TarBuilder
{
    private readonly List<TarEntry> _entries = [];

    public TarBuilder Dir(string name, UnixFileMode mode = (UnixFileMode)0x1ED) =>
        Add(new PaxTarEntry(TarEntryType.Directory, name) { Mode = mode });

    public TarBuilder File(string name, string content = "x", UnixFileMode mode = (UnixFileMode)0x1A4, int uid = 0, int gid = 0) =>
        File(name, Encoding.UTF8.GetBytes(content), mode, uid, gid);

    public TarBuilder File(string name, byte[] content, UnixFileMode mode = (UnixFileMode)0x1A4, int uid = 0, int gid = 0) =>
        Add(new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = mode, Uid = uid, Gid = gid, DataStream = new MemoryStream(content) });

    public TarBuilder GnuFile(string name, string content = "x") =>
        Add(new GnuTarEntry(TarEntryType.RegularFile, name) { Mode = (UnixFileMode)0x1A4, DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });

    public TarBuilder Symlink(string name, string target) =>
        Add(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target, Mode = (UnixFileMode)0x1FF });

    public TarBuilder Hardlink(string name, string target) =>
        Add(new PaxTarEntry(TarEntryType.HardLink, name) { LinkName = target, Mode = (UnixFileMode)0x1A4 });

    public TarBuilder CharDevice(string name, int major, int minor) =>
        Add(new PaxTarEntry(TarEntryType.CharacterDevice, name) { DeviceMajor = major, DeviceMinor = minor, Mode = (UnixFileMode)0x1B6 });

    /// <summary><c>DIR/.wh.NAME</c> for <paramref name="path"/> = DIR/NAME.</summary>
    public TarBuilder Whiteout(string path)
    {
        int slash = path.LastIndexOf('/');
        string name = slash < 0 ? ".wh." + path : path[..(slash + 1)] + ".wh." + path[(slash + 1)..];
        return File(name, "");
    }

    /// <summary>A whiteout entry with a raw base name (for hostile names such as <c>.wh..</c>).</summary>
    public TarBuilder RawWhiteout(string name) => File(name, "");

    public TarBuilder Opaque(string dir) => File(dir.Length == 0 ? ".wh..wh..opq" : dir.TrimEnd('/') + "/.wh..wh..opq", "");

    public TarBuilder Add(TarEntry entry)
    {
        _entries.Add(entry);
        return this;
    }

    public byte[] Build()
    {
        using var output = new MemoryStream();
        using (var writer = new TarWriter(output, leaveOpen: true))
        {
            foreach (var entry in _entries) writer.WriteEntry(entry);
        }
        return output.ToArray();
    }

    public byte[] BuildGzip()
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Build());
        }
        return output.ToArray();
    }
}
