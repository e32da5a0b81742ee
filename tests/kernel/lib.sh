# SPDX-License-Identifier: GPL-2.0-only
# Shared setup of the kernel-tree tests: Debian's linux-source packages,
# unpacked once into a cache outside the repository.
#
#   CCGATE_CACHE   cache directory (default: $HOME/.cache/ccgate)

CCGATE_CACHE=${CCGATE_CACHE:-$HOME/.cache/ccgate}

die() {
	echo "kernel-test: error: $*" >&2
	exit 1
}

# kernel_tree VERSION: print the path of the unpacked tree, installing and
# unpacking it first if needed.  Safe to call from concurrent tests.
kernel_tree() {
	local v=$1 tarball=/usr/src/linux-source-$1.tar.xz
	local dir=$CCGATE_CACHE/linux-source-$1

	mkdir -p "$CCGATE_CACHE"
	(
		flock 9
		if [ ! -f "$tarball" ]; then
			[ "$(id -u)" = 0 ] || die "linux-source-$v is not installed and this is not root"
			apt-get install -y --no-install-recommends "linux-source-$v" >/dev/null ||
				{ apt-get update >/dev/null && apt-get install -y --no-install-recommends "linux-source-$v" >/dev/null; } ||
				die "cannot install linux-source-$v"
		fi
		if [ ! -f "$dir/.ccgate-unpacked" ]; then
			rm -rf "$dir"
			tar -C "$CCGATE_CACHE" -xf "$tarball" || die "cannot unpack $tarball"
			touch "$dir/.ccgate-unpacked"
		fi
	) 9>"$CCGATE_CACHE/.lock-$v" >&2 || exit 1
	echo "$dir"
}
