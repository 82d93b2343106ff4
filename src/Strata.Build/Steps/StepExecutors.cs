using Strata.Build.FileOps;
using Strata.Core;
using Strata.Dockerfile.Expansion;
using Strata.Dockerfile.Instructions;

namespace Strata.Build.Steps;

/// <summary>Which executor runs an instruction, and the instruction kinds whose steps touch the filesystem.</summary>
internal static class StepExecutors
{
    /// <summary>The executor of <paramref name="step"/>'s instruction.</summary>
    public static IStepExecutor For(ExpandedStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return step.Instruction switch
        {
            RunInstruction run => new RunStep(run, step.RunEnvironment),
            CopyInstruction copy => new CopyStep(CopyOptions.Of(copy)),
            AddInstruction add when add.Sources.Any(GitReference.IsGitSource) => new AddGitStep(add),
            AddInstruction add when add.Sources.Any(HttpSource.IsUrl) => new AddUrlStep(add),
            AddInstruction add when add.Checksum is not null =>
                throw new InvalidArgumentException($"--checksum can only be given for an http(s) URL source, not {string.Join(' ', add.Sources)}"),
            AddInstruction add => new CopyStep(CopyOptions.Of(add)),
            WorkdirInstruction workdir => new WorkdirStep(workdir),
            ArgInstruction arg => new ArgStep(arg),
            var other => new MetadataStep(other),
        };
    }

    /// <summary>Whether the instruction's step makes a layer (a cache hit then reuses it instead of running the step).</summary>
    public static bool MakesLayer(Instruction instruction) => instruction is RunInstruction or CopyInstruction or AddInstruction or WorkdirInstruction;

    /// <summary>
    /// Whether a step is linked. BuildKit's frontend merges a --link copy only without --chmod
    /// (with it, the copy is a plain one onto the parent, cache key included); ADD of URLs is
    /// copied onto the parent here.
    /// </summary>
    public static bool IsLinked(Instruction instruction) => instruction switch
    {
        CopyInstruction copy => copy.Link && copy.Chmod is null,
        AddInstruction add => add.Link && add.Chmod is null && !add.Sources.Any(HttpSource.IsUrl),
        _ => false,
    };
}
