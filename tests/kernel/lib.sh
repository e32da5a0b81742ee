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

# Every option the kernel-build tests need, in one configuration so that one
# O= build serves them all (issue 3: AMD_MEM_ENCRYPT, KVM, KVM_AMD; the kbuild
# slot: the SEV host and guest side).
KERNEL_CONFIG_ENABLE="VIRTUALIZATION KVM KVM_AMD KVM_INTEL AMD_MEM_ENCRYPT
VIRT_DRIVERS SEV_GUEST KVM_AMD_SEV CRYPTO_DEV_CCP CRYPTO_DEV_CCP_DD CRYPTO_DEV_SP_PSP
AMD_IOMMU"

# kernel_configure SRC OBJ: defconfig plus KERNEL_CONFIG_ENABLE in the O=
# directory OBJ, then `make prepare`; checks that every option took.
kernel_configure() {
	local src=$1 obj=$2 o opts=()

	for o in $KERNEL_CONFIG_ENABLE; do
		opts+=(-e "$o")
	done
	mkdir -p "$obj"
	make -s -C "$src" O="$obj" defconfig >/dev/null
	"$src/scripts/config" --file "$obj/.config" "${opts[@]}"
	make -s -C "$src" O="$obj" olddefconfig >/dev/null
	for o in $KERNEL_CONFIG_ENABLE; do
		grep -Eq "^CONFIG_$o=(y|m)$" "$obj/.config" ||
			die "CONFIG_$o did not stay enabled in $obj/.config"
	done
	make -s -C "$src" O="$obj" -j"$(nproc)" prepare >/dev/null
}

# kernel_build VERSION: print the path of a configured and prepared O= build
# of the cached tree, reusing it while the option list is unchanged.  Callers
# that run make in it hold its lock: flock "$obj/.lock".
kernel_build() {
	local v=$1 src obj stamp want
	src=$(kernel_tree "$v") || exit 1
	obj=$CCGATE_CACHE/build-$v
	stamp=$obj/.ccgate-configured
	want=$(echo "$KERNEL_CONFIG_ENABLE" | tr -s ' \n' ' ')
	mkdir -p "$obj"
	(
		flock 9
		if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
			rm -f "$stamp"
			kernel_configure "$src" "$obj"
			echo "$want" >"$stamp"
		fi
	) 9>"$obj/.lock" >&2 || exit 1
	echo "$obj"
}
