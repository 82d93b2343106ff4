namespace Strata.Registry.Configuration;

/// <summary>
/// Reads the registries.conf settings from their files as containers/image does
/// (containers-registries.conf.d(5)): the main file, then every <c>*.conf</c> of each drop-in
/// directory in turn, each directory's files in byte order of their names, later files
/// overriding earlier ones table by table (<see cref="RegistriesConf.With"/>). Sub-directories and
/// files of other names are skipped; a missing directory counts as empty. The caller (the CLI)
/// decides the paths from the environment.
/// </summary>
public static class RegistriesConfFiles
{
    /// <param name="main">The main file, or null for none.</param>
    /// <param name="mainRequired">A missing main file is an error (it was named explicitly); otherwise it counts as empty.</param>
    /// <param name="dropInDirectories">The registries.conf.d directories, in the order they apply.</param>
    /// <exception cref="RegistriesConfException">A file cannot be read or is not valid; the message names it.</exception>
    public static RegistriesConf Load(string? main, bool mainRequired, IReadOnlyList<string> dropInDirectories)
    {
        ArgumentNullException.ThrowIfNull(dropInDirectories);
        var conf = RegistriesConf.Empty;
        if (main is not null && (mainRequired || File.Exists(main)))
            conf = RegistriesConfParser.Parse(Read(main), main);
        foreach (var directory in dropInDirectories)
        {
            foreach (var file in DropIns(directory))
                conf = conf.With(RegistriesConfParser.ParseDropIn(Read(file), file));
        }
        return conf;
    }

    private static List<string> DropIns(string directory)
    {
        if (!Directory.Exists(directory)) return [];
        try
        {
            var files = Directory.EnumerateFileSystemEntries(directory)
                .Where(path => path.EndsWith(".conf", StringComparison.Ordinal) && File.Exists(path))
                .ToList();
            files.Sort(StringComparer.Ordinal);
            return files;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RegistriesConfException($"{directory}: cannot list the registries configuration drop-ins: {e.Message}", e);
        }
    }

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RegistriesConfException($"{path}: cannot read the registries configuration: {e.Message}", e);
        }
    }
}
