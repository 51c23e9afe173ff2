#!/usr/bin/env bash
# contrib/mkrootfs.sh DIR: a minimal busybox root filesystem in DIR, from
# Debian's busybox-static (/bin/busybox), for runc, podman and nsrun.
# Nothing is downloaded. DIR may exist; its contents are replaced.
#
#   DIR/bin/busybox and a symlink to it for each applet, at the path busybox
#   lists for it (bin/sh, sbin/ip, usr/bin/nc, ...); /etc/passwd, /etc/group,
#   /etc/hosts; empty /proc /sys /dev /tmp /run /root for the runtime's mounts.
set -euo pipefail

busybox=${BUSYBOX:-/bin/busybox}
dir=${1:?usage: mkrootfs.sh DIR}

if ! "$busybox" --list-full >/dev/null 2>&1; then
	echo "mkrootfs.sh: $busybox is missing or not a busybox (apt-get install busybox-static)" >&2
	exit 1
fi
if ldd "$busybox" >/dev/null 2>&1; then
	echo "mkrootfs.sh: $busybox is dynamically linked; the rootfs needs busybox-static" >&2
	exit 1
fi

rm -rf "$dir"
mkdir -p "$dir"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,run,root,var/tmp}
chmod 1777 "$dir/tmp" "$dir/var/tmp"
chmod 700 "$dir/root"
cp "$busybox" "$dir/bin/busybox"

# One symlink per applet, relative so it resolves inside the container.
while read -r applet; do
	case $applet in
	bin/busybox | linuxrc | "") continue ;;
	esac
	up=$(dirname "$applet" | sed 's|[^/][^/]*|..|g')
	[ -e "$dir/$applet" ] || ln -s "$up/bin/busybox" "$dir/$applet"
done < <("$busybox" --list-full)

cat >"$dir/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >"$dir/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
EOF
cat >"$dir/etc/hosts" <<'EOF'
127.0.0.1	localhost
::1	localhost ip6-localhost ip6-loopback
EOF
echo "$dir"
