#!/bin/sh
# Fetches nats-server 2.10.27 (Debian trixie's build, amd64) and unpacks it to /opt/nats-2.10, beside
# the system's nats-server (Debian bookworm ships 2.9.10), without installing anything:
#
#   sh bench/fetch-nats-2.10.sh            (DEST=/some/dir sh bench/fetch-nats-2.10.sh to unpack elsewhere)
#   NATS_SERVER_BIN=/opt/nats-2.10/usr/sbin/nats-server npm run bench:http
#
# The .deb is pinned by name and SHA-256. When deb.debian.org no longer has that build (trixie's
# binNMUs replace it), the script reads trixie's Packages index for the current build of 2.10.27 and
# checks the download against the SHA-256 the index gives. Needs curl (or wget), xz, sha256sum and
# dpkg-deb. Runs from any directory; removes its temporary files.
set -eu

MIRROR=${MIRROR:-http://deb.debian.org/debian}
DEST=${DEST:-/opt/nats-2.10}
VERSION=2.10.27
PINNED_FILE=pool/main/n/nats-server/nats-server_2.10.27-1+b2_amd64.deb
PINNED_SHA256=6d913ac987b78734c08537c2adeb1526cf735f216173a9170d94b185fcfe6f8a

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM

get() { # url file
  if command -v curl >/dev/null 2>&1; then curl -fsS --max-time 300 -o "$2" "$1"; else wget -q -T 300 -O "$2" "$1"; fi
}

FILE=$PINNED_FILE
SHA256=$PINNED_SHA256
if ! get "$MIRROR/$FILE" "$TMP/nats.deb"; then
  echo "fetch-nats-2.10: $FILE is gone from $MIRROR; looking up trixie's Packages index" >&2
  get "$MIRROR/dists/trixie/main/binary-amd64/Packages.xz" "$TMP/Packages.xz"
  xz -dc "$TMP/Packages.xz" | awk -v want="$VERSION" '
    /^Package: / { p = ($2 == "nats-server") }
    p && /^Version: / { v = $2 }
    p && /^Filename: / { f = $2 }
    p && /^SHA256: / { s = $2 }
    /^$/ { if (p && index(v, want "-") == 1) { print f, s; exit } p = 0 }
  ' >"$TMP/entry"
  if [ ! -s "$TMP/entry" ]; then
    echo "fetch-nats-2.10: trixie has no nats-server $VERSION any more" >&2
    exit 1
  fi
  read -r FILE SHA256 <"$TMP/entry"
  get "$MIRROR/$FILE" "$TMP/nats.deb"
fi
echo "$SHA256  $TMP/nats.deb" | sha256sum -c --quiet - || { echo "fetch-nats-2.10: SHA-256 mismatch for $FILE" >&2; exit 1; }

mkdir -p "$DEST"
dpkg-deb -x "$TMP/nats.deb" "$DEST"
BIN=$DEST/usr/sbin/nats-server
[ -x "$BIN" ] || BIN=$DEST/usr/bin/nats-server
"$BIN" --version
echo "unpacked $(basename "$FILE") to $DEST"
echo "use it with: NATS_SERVER_BIN=$BIN"
