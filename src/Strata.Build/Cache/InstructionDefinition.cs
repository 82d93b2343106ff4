using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Strata.Dockerfile.Instructions;

namespace Strata.Build.Cache;

/// <summary>
/// The definition line of a step's cache key (<see cref="StepInputs.Definition"/>): the expanded
/// instruction as JSON, without where it sits in the file (<c>Range</c>, <c>Original</c>).
/// <para>
/// Its bytes are part of every cache key ever stored, so they must stay exactly what the
/// source-generated serializer of <c>CacheJsonContext.Instruction</c> made before (its
/// discriminator first, each record's properties in declaration order, a base record's after its
/// derived ones, nulls left out, enums by their JSON names, the default encoder's escaping);
/// <c>InstructionDefinitionTests</c> compares the two for every instruction kind. Written by hand
/// because building the serializer's metadata for the polymorphic instruction types (attributes
/// read by reflection for each type on first use) was the largest single CPU item of a no-op
/// rebuild, and a no-op computes every step's key.
/// </para>
/// </summary>
internal static class InstructionDefinition
{
    public static string Of(Instruction instruction)
    {
        ArgumentNullException.ThrowIfNull(instruction);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, instruction, withLocation: false);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <param name="withLocation">Range and Original too: an ONBUILD's trigger keeps them (only the top level drops them).</param>
    private static void Write(Utf8JsonWriter w, Instruction instruction, bool withLocation)
    {
        w.WriteStartObject();
        switch (instruction)
        {
            case FromInstruction from:
                w.WriteString("instruction", "FROM");
                String(w, "BaseName", from.BaseName);
                String(w, "StageName", from.StageName);
                String(w, "Platform", from.Platform);
                break;
            case RunInstruction run:
                w.WriteString("instruction", "RUN");
                Command(w, "Command", run.Command);
                List(w, "Heredocs", run.Heredocs, Heredoc);
                List(w, "Mounts", run.Mounts, Mount);
                Enum(w, "Network", run.Network switch
                {
                    RunNetwork.Default => "default",
                    RunNetwork.None => "none",
                    RunNetwork.Host => "host",
                    _ => null,
                }, (int)run.Network);
                Enum(w, "Security", run.Security switch
                {
                    RunSecurity.Sandbox => "sandbox",
                    RunSecurity.Insecure => "insecure",
                    _ => null,
                }, (int)run.Security);
                break;
            case CmdInstruction cmd:
                w.WriteString("instruction", "CMD");
                Command(w, "Command", cmd.Command);
                break;
            case EntrypointInstruction entrypoint:
                w.WriteString("instruction", "ENTRYPOINT");
                Command(w, "Command", entrypoint.Command);
                break;
            case ShellInstruction shell:
                w.WriteString("instruction", "SHELL");
                Strings(w, "Shell", shell.Shell);
                break;
            case LabelInstruction label:
                w.WriteString("instruction", "LABEL");
                List(w, "Labels", label.Labels, Pair);
                w.WriteBoolean("IsLegacyForm", label.IsLegacyForm);
                break;
            case MaintainerInstruction maintainer:
                w.WriteString("instruction", "MAINTAINER");
                String(w, "Maintainer", maintainer.Maintainer);
                break;
            case ExposeInstruction expose:
                w.WriteString("instruction", "EXPOSE");
                Strings(w, "Ports", expose.Ports);
                break;
            case EnvInstruction env:
                w.WriteString("instruction", "ENV");
                List(w, "Variables", env.Variables, Pair);
                w.WriteBoolean("IsLegacyForm", env.IsLegacyForm);
                break;
            case AddInstruction add:
                w.WriteString("instruction", "ADD");
                Strings(w, "Sources", add.Sources);
                List(w, "Contents", add.Contents, Heredoc);
                String(w, "Destination", add.Destination);
                String(w, "Chown", add.Chown);
                String(w, "Chmod", add.Chmod);
                w.WriteBoolean("Link", add.Link);
                w.WriteBoolean("KeepGitDir", add.KeepGitDir);
                String(w, "Checksum", add.Checksum);
                Strings(w, "Excludes", add.Excludes);
                break;
            case CopyInstruction copy:
                w.WriteString("instruction", "COPY");
                Strings(w, "Sources", copy.Sources);
                List(w, "Contents", copy.Contents, Heredoc);
                String(w, "Destination", copy.Destination);
                String(w, "From", copy.From);
                String(w, "Chown", copy.Chown);
                String(w, "Chmod", copy.Chmod);
                w.WriteBoolean("Link", copy.Link);
                w.WriteBoolean("Parents", copy.Parents);
                Strings(w, "Excludes", copy.Excludes);
                break;
            case VolumeInstruction volume:
                w.WriteString("instruction", "VOLUME");
                Strings(w, "Volumes", volume.Volumes);
                break;
            case UserInstruction user:
                w.WriteString("instruction", "USER");
                String(w, "User", user.User);
                break;
            case WorkdirInstruction workdir:
                w.WriteString("instruction", "WORKDIR");
                String(w, "Path", workdir.Path);
                break;
            case ArgInstruction arg:
                w.WriteString("instruction", "ARG");
                List(w, "Args", arg.Args, (w, a) =>
                {
                    w.WriteStartObject();
                    String(w, "Name", a.Name);
                    String(w, "Default", a.Default);
                    w.WriteEndObject();
                });
                break;
            case OnbuildInstruction onbuild:
                w.WriteString("instruction", "ONBUILD");
                String(w, "Expression", onbuild.Expression);
                if (onbuild.Trigger is { } trigger)
                {
                    w.WritePropertyName("Trigger");
                    Write(w, trigger, withLocation: true);
                }
                break;
            case StopSignalInstruction stop:
                w.WriteString("instruction", "STOPSIGNAL");
                String(w, "Signal", stop.Signal);
                break;
            case HealthcheckInstruction health:
                w.WriteString("instruction", "HEALTHCHECK");
                if (health.Health is { } config)
                {
                    w.WritePropertyName("Health");
                    w.WriteStartObject();
                    Strings(w, "Test", config.Test);
                    Duration(w, "Interval", config.Interval);
                    Duration(w, "Timeout", config.Timeout);
                    Duration(w, "StartPeriod", config.StartPeriod);
                    Duration(w, "StartInterval", config.StartInterval);
                    w.WriteNumber("Retries", config.Retries);
                    w.WriteEndObject();
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(instruction), instruction.GetType().Name, "an instruction kind without a cache definition");
        }
        if (withLocation)
        {
            w.WritePropertyName("Range");
            w.WriteStartObject();
            w.WriteNumber("StartLine", instruction.Range.StartLine);
            w.WriteNumber("StartColumn", instruction.Range.StartColumn);
            w.WriteNumber("EndLine", instruction.Range.EndLine);
            w.WriteEndObject();
            String(w, "Original", instruction.Original);
        }
        w.WriteEndObject();
    }

    /// <summary>An enum by its JSON name; a value without one as its number (JsonStringEnumConverter's rule).</summary>
    private static void Enum(Utf8JsonWriter w, string name, string? text, int value)
    {
        if (text is null) w.WriteNumber(name, value);
        else w.WriteString(name, text);
    }

    /// <summary>A string property; null is left out (the serializer's WhenWritingNull).</summary>
    private static void String(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null) w.WriteString(name, value);
    }

    private static void Strings(Utf8JsonWriter w, string name, IReadOnlyList<string>? values) =>
        List(w, name, values, (w, v) =>
        {
            if (v is null) w.WriteNullValue();
            else w.WriteStringValue(v);
        });

    private static void List<T>(Utf8JsonWriter w, string name, IReadOnlyList<T>? values, Action<Utf8JsonWriter, T> item)
    {
        if (values is null) return;
        w.WritePropertyName(name);
        w.WriteStartArray();
        foreach (var value in values)
        {
            if (value is null) w.WriteNullValue();
            else item(w, value);
        }
        w.WriteEndArray();
    }

    private static void Command(Utf8JsonWriter w, string name, CommandLine? command)
    {
        if (command is null) return;
        w.WritePropertyName(name);
        w.WriteStartObject();
        Strings(w, "Args", command.Args);
        w.WriteBoolean("PrependShell", command.PrependShell);
        w.WriteEndObject();
    }

    private static void Pair(Utf8JsonWriter w, KeyValue pair)
    {
        w.WriteStartObject();
        String(w, "Key", pair.Key);
        String(w, "Value", pair.Value);
        w.WriteEndObject();
    }

    private static void Heredoc(Utf8JsonWriter w, HeredocSource heredoc)
    {
        w.WriteStartObject();
        String(w, "Name", heredoc.Name);
        String(w, "Content", heredoc.Content);
        w.WriteBoolean("Expand", heredoc.Expand);
        w.WriteBoolean("Chomp", heredoc.Chomp);
        w.WriteNumber("FileDescriptor", heredoc.FileDescriptor);
        w.WriteEndObject();
    }

    private static void Mount(Utf8JsonWriter w, RunMount mount)
    {
        w.WriteStartObject();
        Enum(w, "Type", mount.Type switch
        {
            MountType.Bind => "bind",
            MountType.Cache => "cache",
            MountType.Tmpfs => "tmpfs",
            MountType.Secret => "secret",
            MountType.Ssh => "ssh",
            _ => null,
        }, (int)mount.Type);
        String(w, "Target", mount.Target);
        String(w, "Source", mount.Source);
        String(w, "From", mount.From);
        w.WriteBoolean("ReadOnly", mount.ReadOnly);
        String(w, "Id", mount.Id);
        Enum(w, "Sharing", mount.Sharing switch
        {
            CacheSharing.Shared => "shared",
            CacheSharing.Private => "private",
            CacheSharing.Locked => "locked",
            _ => null,
        }, (int)mount.Sharing);
        w.WriteBoolean("Required", mount.Required);
        Number(w, "Mode", mount.Mode);
        Number(w, "Uid", mount.Uid);
        Number(w, "Gid", mount.Gid);
        String(w, "Env", mount.Env);
        if (mount.Size is { } size) w.WriteNumber("Size", size);
        String(w, "Spec", mount.Spec);
        w.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter w, string name, int? value)
    {
        if (value is { } v) w.WriteNumber(name, v);
    }

    /// <summary>A TimeSpan as the serializer writes it: the invariant "c" format.</summary>
    private static void Duration(Utf8JsonWriter w, string name, TimeSpan value) =>
        w.WriteString(name, value.ToString("c", CultureInfo.InvariantCulture));
}
