# A tar.gz made at test time (owners and modes as tar records them), ADD must extract it.
mkdir -p src/pkg/bin && echo tool > src/pkg/bin/tool && chmod 755 src/pkg/bin/tool && echo readme > src/pkg/README
ln -s bin/tool src/pkg/link
chown -R 1000:1000 src/pkg/bin
tar -czf bundle.tar.gz -C src pkg
rm -rf src
