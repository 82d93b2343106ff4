using System.Buffers.Binary;
using System.Text;

namespace Strata.Cli.Tests;

/// <summary>
/// The published Native AOT binary starts without rebuilding its type data: it is linked at a
/// fixed address (ELF type EXEC) with the data stored as is, so there is no <c>.hydrated</c>
/// section for the runtime to fill and almost no relocation for the loader to apply
/// (Strata.Cli.csproj says why). Structural facts, so no timing: each of them is what made every
/// command pay ~7 ms of CPU before it ran. Needs the AOT binary (<c>STRATA_BIN</c>, as the full
/// suite sets it); the JIT build beside the tests has no such layout.
/// </summary>
public sealed class AotBinaryTests
{
    private const ushort ExecutableType = 2; // ET_EXEC; ET_DYN (3) is a position-independent one
    private const uint RelaType = 4; // SHT_RELA

    [SkippableFact]
    public void Published_strata_is_linked_at_a_fixed_address_with_its_type_data_stored_as_is()
    {
        var path = StrataBinary.Path;
        // The build beside the tests is the JIT apphost; the suite (scripts/test.sh) points STRATA_BIN at the published one.
        Skip.IfNot(StrataBinary.IsNativeAot, $"{path} is a JIT build: no published AOT binary to inspect (scripts/test.sh publishes one)");
        var elf = File.ReadAllBytes(path);
        Assert.Equal([0x7F, (byte)'E', (byte)'L', (byte)'F'], elf[..4]);

        Assert.Equal(ExecutableType, BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(16)));
        var sections = Sections(elf);
        Assert.DoesNotContain(".hydrated", sections.Select(s => s.Name));
        // A position-independent binary of this data carries ~450,000 of them; the fixed one a few.
        long relocations = sections.Where(s => s.Type == RelaType).Sum(s => s.Size / 24);
        Assert.InRange(relocations, 0, 1_000);
    }

    private sealed record Section(string Name, uint Type, long Size);

    /// <summary>The section headers of an ELF64 little-endian file, with their names.</summary>
    private static List<Section> Sections(byte[] elf)
    {
        var span = elf.AsSpan();
        long offset = (long)BinaryPrimitives.ReadUInt64LittleEndian(span[0x28..]);
        int size = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3A..]);
        int count = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3C..]);
        int names = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3E..]);
        var headers = Enumerable.Range(0, count).Select(i => elf.AsSpan((int)(offset + (long)i * size), size).ToArray()).ToList();
        long namesAt = (long)BinaryPrimitives.ReadUInt64LittleEndian(headers[names].AsSpan(0x18));
        return [.. headers.Select(h =>
        {
            int nameAt = (int)(namesAt + BinaryPrimitives.ReadUInt32LittleEndian(h));
            int end = Array.IndexOf(elf, (byte)0, nameAt);
            return new Section(Encoding.ASCII.GetString(elf, nameAt, end - nameAt),
                BinaryPrimitives.ReadUInt32LittleEndian(h.AsSpan(4)),
                (long)BinaryPrimitives.ReadUInt64LittleEndian(h.AsSpan(0x20)));
        })];
    }
}
