# common.sh — shared by scripts/demo, scripts/test, scripts/bench, scripts/fuzz.
# Sourced, not run. Keeps the package list and the build in one place.

COFUND_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# Debian packages the build and the suite need.
COFUND_PACKAGES=(build-essential cmake pkg-config libsodium-dev liblmdb-dev libuv1-dev
                 libjansson-dev libcmocka-dev libmicrohttpd-dev gettext)

# ensure_packages PKG... — install what is missing (as root), or say exactly
# what to run.
ensure_packages() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
            missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -eq 0 ]; then
        echo "installing: ${missing[*]}" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
    else
        echo "missing packages: ${missing[*]}" >&2
        echo "run: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
        return 1
    fi
}

# build DIR [cmake options...] — configure and build into DIR.
build() {
    local dir=$1
    shift
    cmake -S "$COFUND_ROOT" -B "$dir" "$@" >/dev/null
    cmake --build "$dir" -j"$(nproc)"
}
