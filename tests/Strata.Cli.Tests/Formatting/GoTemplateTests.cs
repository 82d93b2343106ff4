using System.Text.Json.Nodes;
using Strata.Cli.Formatting;
using Strata.Core;

namespace Strata.Cli.Tests.Formatting;

public sealed class GoTemplateTests
{
    private static readonly JsonNode Image = JsonNode.Parse("""
        {"Id":"sha256:abc","RepoTags":["a:1","b:2"],"RootFS":{"Type":"layers","Layers":["sha256:1","sha256:2"]},
         "Config":{"Env":["PATH=/bin"],"Labels":{"z":"1","a":"2"},"Cmd":null},"Size":1234,"Empty":""}
        """)!;

    [Theory]
    [InlineData("{{.Id}}", "sha256:abc")]
    [InlineData("{{json .RootFS.Layers}}", "[\"sha256:1\",\"sha256:2\"]")]
    [InlineData("{{.RootFS.Layers}}", "[sha256:1 sha256:2]")]
    [InlineData("{{.Config.Labels}}", "map[a:2 z:1]")]
    [InlineData("{{join .RepoTags \",\"}}", "a:1,b:2")]
    [InlineData("{{range .RootFS.Layers}}{{println .}}{{end}}", "sha256:1\nsha256:2\n")]
    [InlineData("{{if .Empty}}yes{{else}}no{{end}}", "no")]
    [InlineData("{{.Size}}", "1234")]
    [InlineData("{{.Config.Cmd}}", "<no value>")]
    [InlineData("{{len .RepoTags}} {{index .RepoTags 1}}", "2 b:2")]
    [InlineData("{{.Id | upper}}", "SHA256:ABC")]
    [InlineData("{{with .RootFS}}{{.Type}}{{end}}", "layers")]
    [InlineData("{{json .}}x", "{\"Id\":\"sha256:abc\"")]
    public void Renders_docker_style_templates(string template, string expected)
    {
        var output = GoTemplate.Parse(template).Execute(Image);
        if (template.StartsWith("{{json .}}", StringComparison.Ordinal)) Assert.StartsWith(expected, output, StringComparison.Ordinal);
        else Assert.Equal(expected, output);
    }

    [Theory]
    [InlineData("{{.Nope}}", "can't evaluate field Nope")]
    [InlineData("{{if .Id}}", "missing {{end}}")]
    [InlineData("{{nosuch .Id}}", "function \"nosuch\" not defined")]
    [InlineData("{{.Id", "unclosed action")]
    public void Bad_templates_fail_with_a_clear_error(string template, string message)
    {
        var ex = Assert.Throws<InvalidArgumentException>(() => GoTemplate.Parse(template).Execute(Image));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }
}
