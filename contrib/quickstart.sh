#!/usr/bin/env bash
# contrib/quickstart.sh demo|test: on a Debian machine, as root, installs the
# packages the project needs, builds it (normal and ASan+UBSan), then runs
# the demo (containers on a sandbox LAN) or every test.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
	build-essential pkg-config meson ninja-build
	libnl-3-dev libnl-route-3-dev libyajl-dev libcap-dev libseccomp-dev
	bats bats-support bats-assert jq
	iproute2 iputils-ping procps psmisc busybox-static time
	runc crun podman containernetworking-plugins iperf3
)

install_packages() {
	local missing=() p
	for p in "${packages[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return
	echo "installing: ${missing[*]}"
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
}

build() {
	[ -d build ] || meson setup build
	ninja -C build
	[ -d build-asan ] || meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false
	ninja -C build-asan
}

case "${1:-}" in
demo)
	install_packages
	build
	exec contrib/demo.sh
	;;
test)
	install_packages
	build
	exec tests/run.sh
	;;
*)
	echo "usage: $0 demo|test" >&2
	exit 2
	;;
esac
