using static Strata.Analysis.Tests.Image.CraftedImage;

namespace Strata.Analysis.Tests.Image.Html;

/// <summary>
/// A crafted image whose paths and instructions try to break out of the HTML report: markup,
/// quotes for attributes, a script element split over a directory and a file name (a tar name
/// cannot hold a slash inside one component), and a history line that closes a script.
/// </summary>
internal static class HostileImage
{
    public const string ImgName = "<img src=x onerror=\"window.pwned=1\">";
    public const string QuoteName = "'\"><svg onload=window.pwned=2>";
    public const string ScriptDir = "<script>window.pwned=3<";
    public const string ScriptFile = "script>";
    public const string Instruction = "RUN /bin/sh -c echo \"</script><script>window.pwned=4</script>\" > '/a&b'";

    public static CraftedImage Create() => new CraftedImage()
        .Layer("ADD rootfs.tar /", w => { File(w, "bin/sh", 2000); File(w, "etc/old", 700); })
        .Layer(Instruction, w =>
        {
            Text(w, "x/" + ImgName, "one");
            Text(w, "x/" + QuoteName, "two");
            Text(w, $"x/{ScriptDir}/{ScriptFile}", "three");
            File(w, "bin/sh", 2100, (byte)'z');
            Whiteout(w, "etc/old");
        });
}
