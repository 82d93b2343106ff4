using System.Text.Json.Serialization;

namespace Strata.Dockerfile.Instructions;

/// <summary>
/// One typed Dockerfile instruction. Subtypes are sealed records, one per keyword; values are as
/// written (quotes still in place where BuildKit keeps them until expansion), see
/// <see cref="Expansion.BuildArgsScope"/> for the expanded form.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "instruction")]
[JsonDerivedType(typeof(FromInstruction), "FROM")]
[JsonDerivedType(typeof(RunInstruction), "RUN")]
[JsonDerivedType(typeof(CmdInstruction), "CMD")]
[JsonDerivedType(typeof(EntrypointInstruction), "ENTRYPOINT")]
[JsonDerivedType(typeof(ShellInstruction), "SHELL")]
[JsonDerivedType(typeof(LabelInstruction), "LABEL")]
[JsonDerivedType(typeof(MaintainerInstruction), "MAINTAINER")]
[JsonDerivedType(typeof(ExposeInstruction), "EXPOSE")]
[JsonDerivedType(typeof(EnvInstruction), "ENV")]
[JsonDerivedType(typeof(AddInstruction), "ADD")]
[JsonDerivedType(typeof(CopyInstruction), "COPY")]
[JsonDerivedType(typeof(VolumeInstruction), "VOLUME")]
[JsonDerivedType(typeof(UserInstruction), "USER")]
[JsonDerivedType(typeof(WorkdirInstruction), "WORKDIR")]
[JsonDerivedType(typeof(ArgInstruction), "ARG")]
[JsonDerivedType(typeof(OnbuildInstruction), "ONBUILD")]
[JsonDerivedType(typeof(StopSignalInstruction), "STOPSIGNAL")]
[JsonDerivedType(typeof(HealthcheckInstruction), "HEALTHCHECK")]
public abstract record Instruction
{
    /// <summary>The upper-case keyword (RUN, COPY, ...).</summary>
    [JsonIgnore]
    public abstract string Keyword { get; }

    /// <summary>Where the instruction is in the Dockerfile.</summary>
    public SourceRange Range { get; init; }

    /// <summary>The logical line as written (continuations joined), for history entries and messages.</summary>
    public string Original { get; init; } = "";
}
