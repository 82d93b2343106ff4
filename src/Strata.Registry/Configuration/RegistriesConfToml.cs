using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Serialization;

namespace Strata.Registry.Configuration;

/// <summary>
/// Source-generated TOML metadata for the untyped model, so parsing needs no reflection (Native
/// AOT). Built per file: the options carry the file's name and the store of key positions.
/// </summary>
[TomlSerializable(typeof(TomlTable))]
internal sealed partial class RegistriesConfToml : TomlSerializerContext
{
    public RegistriesConfToml(TomlSerializerOptions options) : base(options) { }
}
