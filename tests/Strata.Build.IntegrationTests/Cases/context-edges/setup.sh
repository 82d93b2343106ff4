# Context shapes git cannot hold: hardlinks, empty dirs, special modes, xattrs, odd names.
mkdir -p tree/empty tree/deep/er/est
echo content > tree/hard-a && ln tree/hard-a tree/hard-b
echo s > tree/setuid && chmod 4755 tree/setuid
echo g > tree/setgid-dir-file && mkdir tree/sgid && chmod 2775 tree/sgid
echo ro > tree/readonly && chmod 444 tree/readonly
echo x > tree/deep/er/est/leaf
ln -s ../hard-a tree/deep/link
chmod 1777 tree/empty
printf 'space\n' > "with space.txt"
printf 'uni\n' > "ünïcödé.txt"
# The xattr and capability entries are half of what this case is for: no tool, no case.
command -v setfattr >/dev/null || { echo "context-edges: setfattr is missing (Debian package attr)" >&2; exit 1; }
command -v setcap >/dev/null || { echo "context-edges: setcap is missing (Debian package libcap2-bin)" >&2; exit 1; }
echo x > tree/xattr && setfattr -n user.note -v hello tree/xattr
echo cap > tree/capfile && setcap cap_net_raw+ep tree/capfile
mkdir private && echo p > private/p && chmod 700 private
