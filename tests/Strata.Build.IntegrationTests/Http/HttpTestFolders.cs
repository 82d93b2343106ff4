namespace Strata.Build.IntegrationTests.Http;

internal static class HttpTestFolders
{
    /// <summary>A test's folder NAME under <paramref name="root"/>, with an empty <c>context/</c> inside.</summary>
    public static (string Work, string Context) Create(string root, string name)
    {
        var work = Path.Combine(root, name);
        var context = Path.Combine(work, "context");
        Directory.CreateDirectory(context);
        return (work, context);
    }
}
