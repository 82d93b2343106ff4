# Archives made at test time (owners and modes as tar records them): ADD must extract them;
# a file that only looks like one by name is copied as is.
mkdir -p src/pkg/bin && echo tool > src/pkg/bin/tool && chmod 755 src/pkg/bin/tool && echo readme > src/pkg/README
ln -s bin/tool src/pkg/link
chown -R 1000:1000 src/pkg/bin
# Members dated long before the build (tar keeps whole seconds), so ADD's kept mtimes are compared.
find src -exec touch -h -d @1600000000 {} +
tar -czf bundle.tar.gz -C src pkg
tar -cjf bundle.tar.bz2 -C src pkg
tar -cJf bundle.tar.xz -C src pkg
tar -cf bundle.tar -C src pkg
echo "not an archive" > fake.tar.gz
rm -rf src
