# SPDX-License-Identifier: GPL-2.0-only
# Shared setup of the kernel-tree tests: Debian's linux-source packages
# (bookworm's installed, sid's downloaded), unpacked once into a cache
# outside the repository.
#
#   CCGATE_CACHE        cache directory (default: $HOME/.cache/ccgate)
#   CCGATE_SID_MIRROR   Debian mirror for sid (default: the one this
#                       machine's apt sources name)

CCGATE_CACHE=${CCGATE_CACHE:-$HOME/.cache/ccgate}

die() {
	echo "kernel-test: error: $*" >&2
	exit 1
}

# Trees that Debian stable does not ship: fetched from unstable with
# apt-get download against a private package list in the cache.
KERNEL_SID_VERSIONS="7.2"

# sid_mirror: the Debian mirror this machine's own sources name (the first
# URIs: of debian.sources that is not the security archive), or
# $CCGATE_SID_MIRROR.
sid_mirror() {
	local f=/etc/apt/sources.list.d/debian.sources

	if [ -n "${CCGATE_SID_MIRROR:-}" ]; then
		echo "$CCGATE_SID_MIRROR"
	elif [ -f "$f" ]; then
		awk '$1 == "URIs:" && $2 !~ /security/ { print $2; exit }' "$f"
	elif [ -f /etc/apt/sources.list ]; then
		awk '$1 == "deb" && $0 !~ /security/ {
			for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' \
			/etc/apt/sources.list
	fi
}

# sid_apt COMMAND ARGS...: apt-get or apt-cache on a private sid package
# list under $CCGATE_CACHE/apt-sid; the machine's sources, lists, caches,
# preferences and dpkg status are neither read nor written.
sid_apt() {
	local cmd=$1 d=$CCGATE_CACHE/apt-sid
	shift
	"$cmd" -q -o Dir::Etc::SourceList="$d/sources.list" \
		-o Dir::Etc::SourceParts="$d/sources.list.d" \
		-o Dir::Etc::Preferences="$d/preferences" \
		-o Dir::Etc::PreferencesParts="$d/preferences.d" \
		-o Dir::State="$d/state" -o Dir::State::Lists="$d/lists" \
		-o Dir::State::status="$d/status" -o Dir::Cache="$d/cache" \
		-o Dir::Log="$d/log" -o APT::Sandbox::User="$(id -un)" \
		-o Acquire::Languages=none \
		-o APT::Architecture="$(dpkg --print-architecture)" "$@"
}

# sid_download VERSION DIR: linux-source-VERSION's .deb from sid into DIR.
sid_download() {
	local v=$1 out=$2 d=$CCGATE_CACHE/apt-sid mirror

	mirror=$(sid_mirror)
	[ -n "$mirror" ] || die "no Debian mirror named in /etc/apt (set CCGATE_SID_MIRROR)"
	mkdir -p "$d"/{sources.list.d,preferences.d,state,lists/partial,cache/archives/partial,log}
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror sid main" \
		>"$d/sources.list"
	: >"$d/status"
	sid_apt apt-get update >/dev/null || die "apt-get update of sid from '$mirror' failed"
	(cd "$out" && sid_apt apt-get download "linux-source-$v" >/dev/null) ||
		die "cannot download linux-source-$v from sid"
}

# kernel_tree VERSION: print the path of the unpacked tree, installing (or,
# for KERNEL_SID_VERSIONS, downloading) and unpacking it first if needed.
# Safe to call from concurrent tests.
kernel_tree() {
	local v=$1 tarball=/usr/src/linux-source-$1.tar.xz
	local dir=$CCGATE_CACHE/linux-source-$1 deb=$CCGATE_CACHE/deb-$1

	mkdir -p "$CCGATE_CACHE"
	(
		flock 9
		[ -f "$dir/.ccgate-unpacked" ] && exit 0
		if [[ " $KERNEL_SID_VERSIONS " == *" $v "* ]]; then
			rm -rf "$deb"
			mkdir -p "$deb"
			sid_download "$v" "$deb"
			dpkg-deb -x "$deb"/linux-source-"$v"_*.deb "$deb/x" ||
				die "cannot unpack $(echo "$deb"/*.deb)"
			tarball=$deb/x/usr/src/linux-source-$v.tar.xz
		elif [ ! -f "$tarball" ]; then
			[ "$(id -u)" = 0 ] || die "linux-source-$v is not installed and this is not root"
			apt-get install -y --no-install-recommends "linux-source-$v" >/dev/null ||
				{ apt-get update >/dev/null && apt-get install -y --no-install-recommends "linux-source-$v" >/dev/null; } ||
				die "cannot install linux-source-$v"
		fi
		rm -rf "$dir"
		tar -C "$CCGATE_CACHE" -xf "$tarball" || die "cannot unpack $tarball"
		# which upload of sid it was: the stamp names the package
		basename "$(ls "$deb"/*.deb 2>/dev/null || echo "$tarball")" >"$dir/.ccgate-unpacked"
		rm -rf "$deb"
	) 9>"$CCGATE_CACHE/.lock-$v" >&2 || exit 1
	echo "$dir"
}

# debian_config VERSION: print the path of Debian's own amd64 configuration
# of that kernel (linux-config-VERSION's config.amd64_none_amd64.xz),
# installing the package first if needed.
debian_config() {
	local f=/usr/src/linux-config-$1/config.amd64_none_amd64.xz

	if [ ! -f "$f" ]; then
		[ "$(id -u)" = 0 ] || die "linux-config-$1 is not installed and this is not root"
		apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=300 \
			"linux-config-$1" >/dev/null ||
			die "cannot install linux-config-$1"
	fi
	[ -f "$f" ] || die "linux-config-$1 has no $f"
	echo "$f"
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
