using System.Globalization;
using System.Text;

namespace Strata.Analysis.Image.Html;

/// <summary>
/// Text from the image (paths, instructions, labels: anything a Dockerfile author or an archive
/// chooses) made safe for HTML element content and double- or single-quoted attributes: the five
/// characters that can end a text run or an attribute become entities, and control characters
/// (which HTML forbids) are shown as <c>\xNN</c>. Nothing from the image ever goes into a script,
/// a style, an id or an unquoted attribute.
/// </summary>
internal static class HtmlText
{
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        StringBuilder? sb = null;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            string? replacement = c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                '\t' or '\n' => null,
                < ' ' or '\u007f' => "\\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture),
                _ => null,
            };
            if (replacement is null)
            {
                sb?.Append(c);
                continue;
            }
            sb ??= new StringBuilder(text, 0, i, text.Length + 16);
            sb.Append(replacement);
        }
        return sb?.ToString() ?? text;
    }
}
