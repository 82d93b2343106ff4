using System.Text;
using System.Text.Json.Nodes;

namespace Strata.Cli.Formatting;

/// <summary>
/// docker's <c>--format</c> handling for listings: <c>table TEMPLATE</c> (header row from the
/// column names, tab-aligned), <c>json</c> (one JSON object per line), or a raw template run
/// once per row. <c>\t</c> and <c>\n</c> typed literally are turned into tab and newline, as
/// docker does.
/// </summary>
internal static class FormattedOutput
{
    /// <param name="context">The Go type docker formats each row with (a <see cref="GoShape.Context"/> or a struct).</param>
    public static string Render(string format, IReadOnlyDictionary<string, string> headers, IEnumerable<JsonObject> rows, GoShape context)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(rows);
        bool table = format.StartsWith("table", StringComparison.Ordinal);
        string body = format == "json" ? "{{json .}}" : table ? format["table".Length..] : format;
        body = body.Trim(' ').Replace("\\t", "\t", StringComparison.Ordinal).Replace("\\n", "\n", StringComparison.Ordinal);
        var template = GoTemplate.Parse(body);
        var sb = new StringBuilder();
        if (table)
        {
            var headerRow = new JsonObject();
            foreach (var (key, value) in headers) headerRow[key] = value;
            sb.Append(Execute(template, new TypedValue(headerRow, GoShape.Context("header")))).Append('\n');
        }
        foreach (var row in rows) sb.Append(Execute(template, new TypedValue(row, context))).Append('\n');
        var text = sb.ToString();
        return table ? TabWriter.Align(text) : text;
    }

    private static string Execute(GoTemplate template, TypedValue row)
    {
        try
        {
            return template.Execute(row);
        }
        catch (TemplateExecutionException ex)
        {
            // docker's formatter wraps the execution error this way and prints no row.
            throw new TemplateExecutionException("template parsing error: " + ex.Message, ex);
        }
    }
}
