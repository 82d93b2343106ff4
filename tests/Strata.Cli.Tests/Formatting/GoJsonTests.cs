using System.Text.Json.Nodes;
using Strata.Cli.Formatting;

namespace Strata.Cli.Tests.Formatting;

/// <summary>Go's encoding/json output, byte for byte (Go 1.19, what docker 20.10 is built with).</summary>
public sealed class GoJsonTests
{
    [Theory]
    [InlineData("<a>&b", true, "\"\\u003ca\\u003e\\u0026b\"")]
    [InlineData("<a>&b", false, "\"<a>&b\"")]
    [InlineData("q\"uote\\", false, "\"q\\\"uote\\\\\"")]
    [InlineData("…é", true, "\"…é\"")]
    [InlineData("\u2028\u2029", false, "\"\\u2028\\u2029\"")]
    [InlineData("\n\r\t\b\f\u0001\u001f", false, "\"\\n\\r\\t\\u0008\\u000c\\u0001\\u001f\"")]
    [InlineData("😀", false, "\"😀\"")]
    public void Strings_escape_as_go_does(string value, bool escapeHtml, string expected)
    {
        Assert.Equal(expected, GoJson.Encode(value, escapeHtml));
    }

    [Fact]
    public void A_lone_surrogate_is_replaced_as_go_replaces_invalid_utf8()
    {
        Assert.Equal("\"\\ufffdx\"", GoJson.Encode(new string(['\ud800', 'x']), escapeHtml: false));
    }

    [Fact]
    public void Indent_keeps_empty_containers_on_one_line_as_json_indent_does()
    {
        var compact = GoJson.Encode(JsonNode.Parse("""[{"a":[],"b":{},"c":[1,"x,y:"],"d":{"e":null}}]"""), escapeHtml: false);
        Assert.Equal("[\n  {\n    \"a\": [],\n    \"b\": {},\n    \"c\": [\n      1,\n      \"x,y:\"\n    ],\n    \"d\": {\n      \"e\": null\n    }\n  }\n]", GoJson.Indent(compact, "  "));
    }
}
