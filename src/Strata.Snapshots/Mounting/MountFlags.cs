using Strata.Core;
using Strata.Core.Unix;

namespace Strata.Snapshots.Mounting;

/// <summary>A <see cref="MountSpec"/>'s options split as mount(8) splits them: flags and data.</summary>
internal readonly record struct MountFlags(ulong Flags, bool Bind, bool ReadOnly, List<string> Data)
{
    public static MountFlags Parse(MountSpec mount)
    {
        ulong flags = 0;
        bool bind = mount.Type == "bind";
        bool readOnly = false;
        var data = new List<string>();
        foreach (string option in mount.Options)
        {
            switch (option)
            {
                case "ro": readOnly = true; break;
                case "rw": readOnly = false; break;
                case "bind": bind = true; break;
                case "rbind": bind = true; flags |= Libc.MsRec; break;
                case "nosuid": flags |= Libc.MsNosuid; break;
                case "nodev": flags |= Libc.MsNodev; break;
                case "noexec": flags |= Libc.MsNoexec; break;
                default: data.Add(option); break;
            }
        }
        if (bind) flags |= Libc.MsBind;
        if (readOnly) flags |= Libc.MsRdonly;
        return new MountFlags(flags, bind, readOnly, data);
    }
}
