#!/usr/bin/env bash
# Builds a pinned CometBFT once into <project>/.cache/cometbft/<version>/cometbft
# and prints the binary path on stdout (everything else goes to stderr).
#
#   network/scripts/cometbft.sh            # build if needed, print path
#   COMETBFT_VERSION=v0.38.26 network/scripts/cometbft.sh
#
# Used by the devnet (network/devnet/cometbft.ts) and by CI.
set -euo pipefail

VERSION="${COMETBFT_VERSION:-v0.38.26}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN_DIR="${COMETBFT_CACHE_DIR:-$ROOT/.cache/cometbft}/$VERSION"
BIN="$BIN_DIR/cometbft"

# `cometbft version` prints the semver without the leading "v" (version/version.go TMCoreSemVer).
want="${VERSION#v}"

if [[ -x "$BIN" ]]; then
  have="$("$BIN" version 2>/dev/null | head -n1 | tr -d '[:space:]' || true)"
  if [[ "$have" == "$want" ]]; then
    echo "$BIN"
    exit 0
  fi
  echo "cometbft.sh: cached binary reports '$have', want '$want'; rebuilding" >&2
fi

if ! command -v go >/dev/null 2>&1; then
  cat >&2 <<MSG
cometbft.sh: Go is not installed (no 'go' on PATH).
  CometBFT $VERSION is built from source with 'go install'. Install Go >= 1.22
  (https://go.dev/doc/install), make sure 'go' is on PATH, then run this again.
MSG
  exit 127
fi

mkdir -p "$BIN_DIR"
echo "cometbft.sh: building CometBFT $VERSION with $(go version) into $BIN_DIR (takes a few minutes the first time)" >&2
# -trimpath keeps the build independent of local paths; CGO off gives a static binary
# and the default goleveldb backend (no cgo DB needed).
GOBIN="$BIN_DIR" CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -trimpath" \
  go install "github.com/cometbft/cometbft/cmd/cometbft@$VERSION" >&2

have="$("$BIN" version 2>/dev/null | head -n1 | tr -d '[:space:]' || true)"
if [[ "$have" != "$want" ]]; then
  echo "cometbft.sh: built binary reports version '$have', expected '$want'" >&2
  exit 1
fi
echo "$BIN"
