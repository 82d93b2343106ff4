using Strata.Core;
using Strata.Dockerfile;
using Strata.Dockerfile.Expansion;
using Strata.Dockerfile.Instructions;
using Strata.Oci;

namespace Strata.Build.Config;

/// <summary>
/// <c>--change</c> for import and commit: each value is one Dockerfile instruction, parsed by
/// Strata's own front end and applied to the config as a build would apply it. It lives with
/// the build's config editing (<see cref="ImageConfigEditor"/>) because applying an
/// instruction is build semantics; Strata.Images, which owns import, may not reference the
/// Dockerfile front end, so import and commit take the resulting config as an option.
/// </summary>
public static class ConfigChanges
{
    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal)
    {
        "CMD", "ENTRYPOINT", "ENV", "EXPOSE", "LABEL", "ONBUILD", "USER", "VOLUME", "WORKDIR", "STOPSIGNAL", "HEALTHCHECK", "SHELL",
    };

    public static ContainerConfig? Apply(IReadOnlyList<string> changes, ContainerConfig? start = null)
    {
        if (changes.Count == 0) return start;
        var config = start ?? new ContainerConfig();
        bool cmdSet = false;
        foreach (var change in changes)
        {
            // Expanded as a build would expand it, with the config's ENV so far in scope.
            var env = (config.Env ?? []).Select(e => e.Split('=', 2)).Select(p => new KeyValue(p[0], p.Length > 1 ? p[1] : "")).ToList();
            var expanded = DockerfileFrontend.ParseAndExpand("FROM scratch\n" + change, new BuildOptions { BaseImageEnv = _ => env }, "--change");
            var instructions = expanded.Stages[0].Steps.Select(s => s.Instruction).ToList();
            if (instructions.Count != 1)
                throw new InvalidArgumentException($"--change \"{change}\": want exactly one Dockerfile instruction");
            var instruction = instructions[0];
            if (!Allowed.Contains(instruction.Keyword))
                throw new InvalidArgumentException($"--change \"{change}\": {instruction.Keyword} is not a valid change command");
            config = ImageConfigEditor.Apply(config, instruction, cmdSet);
            cmdSet |= instruction.Keyword == "CMD";
        }
        // docker import applies changes with the classic builder, which leaves ArgsEscaped unset on Linux.
        return config with { ArgsEscaped = null };
    }
}
