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
    [InlineData("{{if .Id}}", "missing {{end}}")]
    [InlineData("{{nosuch .Id}}", "function \"nosuch\" not defined")]
    [InlineData("{{.Id", "unclosed action")]
    public void Bad_templates_fail_with_a_clear_error(string template, string message)
    {
        var ex = Assert.Throws<InvalidArgumentException>(() => GoTemplate.Parse(template).Execute(Image));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{.Nope}}", "template: :1:2: executing \"\" at <.Nope>: map has no entry for key \"Nope\"")]
    [InlineData("x\n {{.Id.Nope}}", "template: :2:6: executing \"\" at <.Id.Nope>: can't evaluate field Nope in type interface {}")]
    public void A_field_the_raw_data_lacks_fails_at_execution_with_gos_message(string template, string message)
    {
        var ex = Assert.Throws<TemplateExecutionException>(() => GoTemplate.Parse(template).Execute(Image));
        Assert.Equal(message, ex.Message);
    }

    private static readonly GoShape Shape = GoShape.Struct("test.T",
        new("Name", GoShape.String),
        new("Tags", GoShape.Strings),
        new("Labels", GoShape.MapOf(GoShape.String)),
        new("Health", DockerShapes.HealthConfig, OmitEmpty: true),
        new("Count", GoShape.Int64),
        new("Flag", GoShape.Bool, OmitEmpty: true),
        new("When", GoShape.Time));

    [Theory]
    [InlineData("{{.Name}}|{{.Count}}|{{.Flag}}", "|0|false")]
    [InlineData("{{.Tags}}|{{.Labels}}|{{.Health}}|{{.Labels.k}}|{{index .Labels \"k\"}}", "[]|map[]|<nil>|<no value>|")]
    [InlineData("{{.When}}", "0001-01-01 00:00:00 +0000 UTC")]
    [InlineData("{{.}}", "{ [] map[] <nil> 0 false 0001-01-01 00:00:00 +0000 UTC}")]
    [InlineData("{{json .}}", "{\"Name\":\"\",\"Tags\":null,\"Labels\":null,\"Count\":0,\"When\":\"0001-01-01T00:00:00Z\"}")]
    public void Unset_struct_fields_are_their_go_zero_values(string template, string expected)
    {
        Assert.Equal(expected, GoTemplate.Parse(template).Execute(new TypedValue(new JsonObject(), Shape)));
    }

    [Fact]
    public void A_field_the_struct_lacks_and_a_field_of_a_nil_pointer_fail_as_in_go()
    {
        var data = new TypedValue(new JsonObject(), Shape);
        Assert.Equal("template: :1:2: executing \"\" at <.Nope>: can't evaluate field Nope in type test.T",
            Assert.Throws<TemplateExecutionException>(() => GoTemplate.Parse("{{.Nope}}").Execute(data)).Message);
        Assert.Equal("template: :1:9: executing \"\" at <.Health.Test>: nil pointer evaluating *container.HealthConfig.Test",
            Assert.Throws<TemplateExecutionException>(() => GoTemplate.Parse("{{.Health.Test}}").Execute(data)).Message);
    }

    [Fact]
    public void A_formatter_context_encodes_with_sorted_keys_and_html_escaped()
    {
        var row = new JsonObject { ["Size"] = "0B", ["ID"] = "<missing>", ["Comment"] = "a&b…\u2028" };
        var output = GoTemplate.Parse("{{json .}}|{{json .ID}}").Execute(new TypedValue(row, GoShape.Context("*image.historyContext")));
        Assert.Equal("{\"Comment\":\"a\\u0026b…\\u2028\",\"ID\":\"\\u003cmissing\\u003e\",\"Size\":\"0B\"}|\"<missing>\"", output);
    }
}
