using Strata.Core;
using Strata.Registry.Configuration;
using Strata.Registry.Tests.Fixtures;

namespace Strata.Registry.Tests.Configuration;

/// <summary>
/// registries.conf.d drop-ins (containers-registries.conf.d(5)) laid over the main file from real
/// directories: byte order of names, directory after directory, a table replaced by prefix.
/// </summary>
public sealed class RegistriesConfDropInTests : IDisposable
{
    private readonly TempDir _scratch = new("strata-registry-tests-");

    public void Dispose() => _scratch.Dispose();

    private string Write(string relative, string text)
    {
        var path = _scratch.PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Later_drop_ins_replace_tables_of_the_same_prefix_and_add_the_others()
    {
        var main = Write("registries.conf", "[[registry]]\nlocation = \"a.example\"\ninsecure = true\n\n[[registry]]\nlocation = \"b.example\"\n");
        Write("system.d/20-b.conf", "[[registry]]\nlocation = \"b.example\"\nblocked = true\n");
        Write("system.d/10-b.conf", "[[registry]]\nprefix = \"b.example\"\nlocation = \"b-first.example\"\n");
        Write("system.d/notes.txt", "not = [toml");
        Directory.CreateDirectory(_scratch.PathOf("system.d", "sub.conf"));
        Write("user.d/50-c.conf", "[[registry]]\nlocation = \"c.example\"\n\n[[registry.mirror]]\nlocation = \"mirror.example/c\"\n");

        var conf = RegistriesConfFiles.Load(main, mainRequired: true, [_scratch.PathOf("system.d"), _scratch.PathOf("missing.d"), _scratch.PathOf("user.d")]);

        Assert.Equal(
            [
                new RegistryEntry("a.example", "a.example", true, false, false, conf.Registries[0].Mirrors),
                new RegistryEntry("b.example", "b.example", false, true, false, conf.Registries[1].Mirrors),
                new RegistryEntry("c.example", "c.example", false, false, false, conf.Registries[2].Mirrors),
            ],
            conf.Registries);
        Assert.Empty(conf.Registries[0].Mirrors);
        Assert.Empty(conf.Registries[1].Mirrors);
        Assert.Equal([new RegistryMirror("mirror.example/c", false, PullFromMirror.All)], conf.Registries[2].Mirrors);
        Assert.Equal(main, conf.Path);
        Assert.True(conf.IsInsecure("a.example"));
        var blocked = Assert.Throws<RegistryException>(() => conf.ThrowIfBlocked(ImageReference.Parse("b.example/app:1")));
        Assert.Equal($"b.example/app:1: registry b.example is blocked in {_scratch.PathOf("system.d", "20-b.conf")}", blocked.Message);
        Assert.Equal("mirror.example/c/app:1", conf.PullEndpoints(ImageReference.Parse("c.example/app:1"))[0].Reference.ToString());
    }

    [Fact]
    public void Drop_ins_apply_without_a_main_file_unless_the_main_file_was_named()
    {
        Write("conf.d/one.conf", "[[registry]]\nlocation = \"only.example\"\nblocked = true\n");

        var conf = RegistriesConfFiles.Load(_scratch.PathOf("absent.conf"), mainRequired: false, [_scratch.PathOf("conf.d")]);
        var named = Assert.Throws<RegistriesConfException>(() => RegistriesConfFiles.Load(_scratch.PathOf("absent.conf"), mainRequired: true, [_scratch.PathOf("conf.d")]));

        var only = Assert.Single(conf.Registries);
        Assert.Equal(new RegistryEntry("only.example", "only.example", false, true, false, only.Mirrors), only);
        Assert.Empty(only.Mirrors);
        Assert.Equal(_scratch.PathOf("conf.d", "one.conf"), conf.Path);
        Assert.StartsWith($"{_scratch.PathOf("absent.conf")}: cannot read the registries configuration: ", named.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_version_1_drop_in_and_a_drop_in_that_conflicts_are_refused_naming_the_drop_in()
    {
        var main = Write("registries.conf", "[[registry]]\nprefix = \"x.example/one\"\nlocation = \"shared.example\"\ninsecure = true\n");
        var v1 = Write("v1.d/old.conf", "[registries.insecure]\nregistries = [\"x.example\"]\n");
        var conflict = Write("conflict.d/two.conf", "[[registry]]\nprefix = \"x.example/two\"\nlocation = \"shared.example\"\ninsecure = false\n");

        var old = Assert.Throws<RegistriesConfException>(() => RegistriesConfFiles.Load(main, true, [_scratch.PathOf("v1.d")]));
        var clash = Assert.Throws<RegistriesConfException>(() => RegistriesConfFiles.Load(main, true, [_scratch.PathOf("conflict.d")]));

        Assert.Equal($"{v1}:1: a registries.conf.d drop-in must use the v2 format ([[registry]]), not [registries.*]", old.Message);
        Assert.Equal($"{conflict}: registry 'shared.example' is defined multiple times with conflicting 'insecure' setting", clash.Message);
    }
}
