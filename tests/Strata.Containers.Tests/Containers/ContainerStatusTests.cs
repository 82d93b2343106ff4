using System.Text.Json;
using Strata.Core;

namespace Strata.Containers.Tests.Containers;

/// <summary><see cref="ContainerStatus"/> printed and parsed as the words container.json, the containers table and <c>ps</c> have always used.</summary>
public sealed class ContainerStatusTests
{
    public static TheoryData<ContainerStatus, string> Words => new()
    {
        { ContainerStatus.Created, "created" },
        { ContainerStatus.Starting, "starting" },
        { ContainerStatus.Running, "running" },
        { ContainerStatus.Exited, "exited" },
    };

    [Theory]
    [MemberData(nameof(Words))]
    public void Each_status_prints_its_word_and_parses_back(ContainerStatus status, string word)
    {
        Assert.Equal(word, status.ToText());
        Assert.Equal(status, ContainerStatusText.Parse(word));
        Assert.True(ContainerStatusText.TryParse(word, out var parsed));
        Assert.Equal(status, parsed);
    }

    [Theory]
    [InlineData("Running")]
    [InlineData("paused")]
    [InlineData("")]
    [InlineData(null)]
    public void Other_text_is_not_a_status(string? text)
    {
        Assert.False(ContainerStatusText.TryParse(text, out _));
        var error = Assert.Throws<InvalidArgumentException>(() => ContainerStatusText.Parse(text));
        Assert.Equal($"unknown container status \"{text}\": expected created, starting, running or exited", error.Message);
    }

    [Fact]
    public void Container_json_keeps_the_status_as_its_word()
    {
        var state = new ContainerState
        {
            Id = "abc", Name = "calm_curie", ImageId = Digest.Parse("sha256:" + new string('1', 64)), Image = "base:1",
            SnapshotKey = "container-abc", Command = ["sh"], CreatedAt = DateTimeOffset.UnixEpoch, Status = ContainerStatus.Running,
        };
        var json = JsonSerializer.Serialize(state, ContainerJsonContext.Default.ContainerState);
        Assert.Contains("\"Status\": \"running\"", json, StringComparison.Ordinal);
        var back = JsonSerializer.Deserialize(json.Replace("\"running\"", "\"exited\"", StringComparison.Ordinal), ContainerJsonContext.Default.ContainerState)!;
        Assert.Equal(ContainerStatus.Exited, back.Status);
    }

    [Fact]
    public void Container_json_with_an_unknown_status_is_refused_naming_it()
    {
        const string json = "{\"Id\":\"a\",\"Name\":\"n\",\"ImageId\":\"sha256:1111111111111111111111111111111111111111111111111111111111111111\",\"Image\":\"i\",\"SnapshotKey\":\"k\",\"Command\":[],\"CreatedAt\":\"1970-01-01T00:00:00+00:00\",\"Status\":\"paused\"}";
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, ContainerJsonContext.Default.ContainerState));
        Assert.StartsWith("unknown container status \"paused\"", error.Message, StringComparison.Ordinal);
    }
}
