using Strata.Core;
using Strata.Rootfs.Users;

namespace Strata.Rootfs.Tests.Users;

/// <summary>USER and <c>--chown</c> resolved through a rootfs's own passwd and group files, as docker does.</summary>
public sealed class UserDatabaseTests
{
    private const string Passwd = "root:x:0:0:root:/root:/bin/sh\n# a comment\nnode:x:1000:1001:node:/home/node:/bin/sh\nbad:x:abc:1:bad:/:/bin/sh\n";
    private const string Group = "root:x:0:\nnode:x:1001:\nstaff:x:50:node,other\nwheel:x:10:node\nusers:x:100:\n";

    private static UserDatabase Db => UserDatabase.Parse(Passwd, Group);

    [Fact]
    public void A_named_user_gets_its_ids_from_passwd_and_its_supplementary_groups_from_group()
    {
        var user = Db.ResolveRunUser("node");
        Assert.Equal(1000u, user.Uid);
        Assert.Equal(1001u, user.Gid);
        Assert.Equal([50u, 10u], user.AdditionalGids);
    }

    [Fact]
    public void A_numeric_user_with_an_entry_takes_its_primary_group_and_one_without_gets_gid_0()
    {
        Assert.Equal((1000u, 1001u), (Db.ResolveRunUser("1000").Uid, Db.ResolveRunUser("1000").Gid));
        var stranger = Db.ResolveRunUser("4242");
        Assert.Equal((4242u, 0u), (stranger.Uid, stranger.Gid));
        Assert.Empty(stranger.AdditionalGids);
    }

    [Fact]
    public void An_explicit_group_replaces_the_primary_one_and_drops_supplementary_groups()
    {
        var user = Db.ResolveRunUser("node:users");
        Assert.Equal((1000u, 100u), (user.Uid, user.Gid));
        Assert.Empty(user.AdditionalGids);
        Assert.Equal(7u, Db.ResolveRunUser("node:7").Gid);
    }

    [Fact]
    public void No_user_is_root()
    {
        var user = Db.ResolveRunUser(null);
        Assert.Equal((0u, 0u), (user.Uid, user.Gid));
    }

    [Fact]
    public void Unknown_names_are_errors_naming_them()
    {
        Assert.Equal("unable to find user ghost: no matching entries in passwd file", Assert.Throws<InvalidArgumentException>(() => Db.ResolveRunUser("ghost")).Message);
        Assert.Equal("unable to find group ghosts: no matching entries in group file", Assert.Throws<InvalidArgumentException>(() => Db.ResolveRunUser("node:ghosts")).Message);
        Assert.Equal("invalid uid \"abc\" for bad in the image's passwd/group files", Assert.Throws<InvalidArgumentException>(() => Db.ResolveRunUser("bad")).Message);
    }

    [Fact]
    public void Chown_of_a_number_alone_uses_it_as_gid_and_of_a_name_its_primary_group()
    {
        Assert.Equal((1000u, 1000u), Db.ResolveChown("1000"));
        Assert.Equal((1000u, 1001u), Db.ResolveChown("node"));
        Assert.Equal((1000u, 50u), Db.ResolveChown("node:staff"));
        Assert.Equal((5u, 6u), Db.ResolveChown("5:6"));
        Assert.Equal("unable to convert uid/gid chown string to host mapping: can't find uid for user ghost: no such user: ghost",
            Assert.Throws<InvalidArgumentException>(() => Db.ResolveChown("ghost")).Message);
    }

    [Fact]
    public async Task Reading_a_rootfs_uses_its_etc_files_and_missing_files_mean_no_entries()
    {
        using var rootDir = new TempDir("strata-users-");
        var root = rootDir.Path;
        var empty = await UserDatabase.ReadAsync(root, CancellationToken.None);
        Assert.Throws<InvalidArgumentException>(() => empty.ResolveRunUser("node"));
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        File.WriteAllText(Path.Combine(root, "etc", "passwd"), Passwd);
        File.WriteAllText(Path.Combine(root, "etc", "group"), Group);
        var db = await UserDatabase.ReadAsync(root, CancellationToken.None);
        Assert.Equal(1000u, db.ResolveRunUser("node").Uid);
    }

    [Fact]
    public async Task An_etc_that_links_out_of_the_rootfs_is_read_inside_it()
    {
        using var rootDir = new TempDir("strata-users-");
        var root = rootDir.Path;

        using var outsideDir = new TempDir("strata-users-host-");
        var outside = outsideDir.Path;
        File.WriteAllText(Path.Combine(outside, "passwd"), "host:x:4000:4000::/:/bin/sh\n");
        File.CreateSymbolicLink(Path.Combine(root, "etc"), outside);
        var db = await UserDatabase.ReadAsync(root, CancellationToken.None);
        Assert.Throws<InvalidArgumentException>(() => db.ResolveRunUser("host"));
    }
}
