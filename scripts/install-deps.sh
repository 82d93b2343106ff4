#!/usr/bin/env bash
# Installs what Strata and its tests need on a fresh Debian 12 machine (run as root).
# Idempotent: only missing packages are installed; apt-get update runs once per machine.
set -euo pipefail

packages=(
  runc busybox-static            # RUN executor; the offline base image of the demo and tests
  clang zlib1g-dev               # Native AOT publish of the strata binary
  docker.io skopeo umoci buildah # reference builder and interop checkers for tests
  docker-registry                # a real registry on 127.0.0.1 for tests
  apache2-utils                  # htpasswd -B: the bcrypt htpasswd file of the basic-auth registry test
  zstd pigz sqlite3 file         # tools the tests compare against
  openssh-client                 # ssh-agent, ssh-add, ssh-keygen for the RUN --mount=type=ssh test
  podman                         # bench/containers: start latency of a third runtime
  git                            # ADD <git repository> clones with the real git
  python3                        # loopback HTTP servers of the ADD <url> / git tests, bench contexts
  e2fsprogs util-linux           # lsattr (snapshot placement test), flock (download lock test)
  attr libcap2-bin               # setfattr, getfattr, setcap: xattrs in differential contexts and trees
  python3-jsonschema             # validates strata lint's SARIF against the vendored SARIF 2.1.0 schema
  chromium                       # headless browser: strata analyze --html opens with no console errors, renders, screenshot
  tmux                           # a real terminal for tests of live views: analyze -i, pull/push progress bars (send-keys, capture-pane)
  uidmap                         # newuidmap/newgidmap: rootless strata maps /etc/subuid ranges (util-linux unshare enters the namespace)
  slirp4netns                    # the default network of RUN and run: user-mode NAT into the container's namespace (root and rootless)
  qemu-user-static               # emulated RUN of build --platform for a foreign architecture (the tests register its aarch64 binfmt_misc handler)
  strace                         # counts how many times a rootless command executes strata (RootlessStartupTests)
  fuse-overlayfs                 # rootless snapshots where the kernel refuses overlayfs in a user namespace (STRATA_SNAPSHOTTER=fuse-overlayfs forces it)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "install-deps: missing packages ${missing[*]}; run as root" >&2
    exit 1
  fi
  echo "install-deps: installing ${missing[*]}"
  stamp=/var/lib/apt/periodic/strata-update-stamp
  if [ ! -e "$stamp" ]; then
    apt-get update -q
    mkdir -p "$(dirname "$stamp")" && touch "$stamp"
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  # The Debian docker.io package starts its own daemon; tests start a private one instead.
  systemctl disable --now docker.service docker.socket >/dev/null 2>&1 || true
fi

# Only the Debian docker client talks to the engine the tests start (/usr/local/bin/docker is another client).
[ -x /usr/bin/docker ] || { echo "install-deps: /usr/bin/docker missing after install" >&2; exit 1; }
command -v dotnet >/dev/null || { echo "install-deps: the .NET 10 SDK (dotnet) is not on PATH" >&2; exit 1; }

# The arm64 base of the multi-platform build tests: Debian's busybox-static for arm64, fetched
# once to a fixed place (the tests fetch it themselves when it is missing, and fail if they cannot).
arm64_busybox=/var/lib/strata-tests/busybox-static_arm64.deb
if [ ! -s "$arm64_busybox" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "install-deps: $arm64_busybox missing; run as root" >&2
    exit 1
  fi
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    dpkg --add-architecture arm64
    apt-get update -q
  fi
  mkdir -p "$(dirname "$arm64_busybox")"
  fetch=$(mktemp -d)
  chmod 755 "$fetch"  # apt's _apt user downloads into it
  (cd "$fetch" && apt-get download -q busybox-static:arm64) || { apt-get update -q && (cd "$fetch" && apt-get download -q busybox-static:arm64); }
  mv "$fetch"/busybox-static_*_arm64.deb "$arm64_busybox"
  rm -rf "$fetch"
fi
