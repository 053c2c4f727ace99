#!/bin/sh
# test/vm/vm.sh: boot collbench in QEMU guests with real multi-node NUMA
# kernels, so that binding, strict memory policy and move_pages run against
# a kernel that has more than one node (this machine has one).
#
#   vm.sh initramfs OUT.gz        busybox, $COLLBENCH, its libraries (ldd),
#                                 /init and test/vm/guest.sh
#   vm.sh boot GUEST INITRD LOG   boot one guest (TCG) under timeout -k;
#                                 the serial console goes to LOG
#   vm.sh split LOG DIR           LOG's runs as DIR/LABEL.{cmd,out,err,rc,
#                                 secs,maps,tasks} (see guest.sh)
#   vm.sh guests                  the guest names
#   vm.sh kernel                  the kernel it would boot, or exit 1
#
# Environment: COLLBENCH (binary), VM_KERNEL (a vmlinuz; default: the
# newest /boot/vmlinuz-*, else one unpacked from linux-image-amd64 under
# $VM_CACHE/boot), VM_TIMEOUT (seconds per guest, default 150), QEMU.
#
# The guests (NUMA node: CPUs, memory); test/t_vm.sh knows these shapes:
#   n2c2     node 0: CPUs 0-1, 256M; node 1: CPUs 2-3, 256M
#   n4c1     nodes 0-3: one CPU and 128M each
#   memonly  node 0: CPUs 0-1, 192M; node 1: CPUs 2-3, 192M;
#            node 2: no CPU, 128M (memory only)
#   memless  node 0: CPUs 0-1, 256M; node 1: CPUs 2-3, no memory;
#            node 2: no CPU, 160M; distances make node 2 the nearest to 1
#            (15) and node 0 the farthest (30), so "nearest node with
#            memory" differs from "node 0", where the pages of a failed
#            bind land.
set -u
here=$(dirname "$0")
: "${COLLBENCH:=./collbench}" "${VM_CACHE:=/var/cache/collbench-vm}" "${VM_TIMEOUT:=150}"
: "${QEMU:=qemu-system-x86_64}"

die() { echo "vm.sh: $*" >&2; exit 1; }

kernel() {
	if [ -n "${VM_KERNEL:-}" ]; then
		[ -r "$VM_KERNEL" ] && { echo "$VM_KERNEL"; return 0; }
		return 1
	fi
	for k in $(ls -1 /boot/vmlinuz-* "$VM_CACHE"/boot/vmlinuz-* 2>/dev/null | sort -rV); do
		[ -r "$k" ] && { echo "$k"; return 0; }
	done
	return 1
}

initramfs() {
	out=$1
	bb=$(command -v busybox) || die "busybox not found (busybox-static)"
	ldd "$bb" >/dev/null 2>&1 && die "$bb is dynamically linked: install busybox-static"
	[ -x "$COLLBENCH" ] || die "no collbench binary at $COLLBENCH"
	st=$(mktemp -d) || exit 1
	mkdir -p "$st/bin" "$st/proc" "$st/sys" "$st/tmp" "$st/dev"
	cp "$bb" "$st/bin/busybox"
	cp "$COLLBENCH" "$st/bin/collbench"
	# Shared libraries at the paths the dynamic loader will look for them.
	for lib in $(ldd "$COLLBENCH" | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p'); do
		mkdir -p "$st$(dirname "$lib")"
		cp -L "$lib" "$st$lib"
	done
	cp "$here/guest.sh" "$st/guest.sh"
	cat >"$st/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs dev /dev 2>/dev/null
mount -t tmpfs tmp /tmp
sh /guest.sh
echo "@@ POWEROFF"
poweroff -f
INIT
	chmod 755 "$st/init" "$st/bin/busybox" "$st/bin/collbench"
	(cd "$st" && find . | "$st/bin/busybox" cpio -o -H newc 2>/dev/null) | gzip -1 >"$out"
	rc=$?
	rm -rf "$st"
	return $rc
}

# qemu_args GUEST: -smp/-m/-object/-numa for the guest shape.
qemu_args() {
	case $1 in
	n2c2)
		echo "-smp 4,sockets=2,cores=2 -m 512M" \
		     "-object memory-backend-ram,id=m0,size=256M -object memory-backend-ram,id=m1,size=256M" \
		     "-numa node,nodeid=0,cpus=0-1,memdev=m0 -numa node,nodeid=1,cpus=2-3,memdev=m1" ;;
	n4c1)
		a="-smp 4,sockets=4,cores=1 -m 512M"
		for i in 0 1 2 3; do
			a="$a -object memory-backend-ram,id=m$i,size=128M -numa node,nodeid=$i,cpus=$i,memdev=m$i"
		done
		echo "$a" ;;
	memonly)
		echo "-smp 4,sockets=2,cores=2 -m 512M" \
		     "-object memory-backend-ram,id=m0,size=192M -object memory-backend-ram,id=m1,size=192M" \
		     "-object memory-backend-ram,id=m2,size=128M" \
		     "-numa node,nodeid=0,cpus=0-1,memdev=m0 -numa node,nodeid=1,cpus=2-3,memdev=m1" \
		     "-numa node,nodeid=2,memdev=m2" ;;
	memless)
		echo "-smp 4,sockets=2,cores=2 -m 416M" \
		     "-object memory-backend-ram,id=m0,size=256M -object memory-backend-ram,id=m2,size=160M" \
		     "-numa node,nodeid=0,cpus=0-1,memdev=m0 -numa node,nodeid=1,cpus=2-3" \
		     "-numa node,nodeid=2,memdev=m2" \
		     "-numa dist,src=0,dst=1,val=30 -numa dist,src=0,dst=2,val=30 -numa dist,src=1,dst=2,val=15" ;;
	*) die "unknown guest '$1' (guests: n2c2 n4c1 memonly memless)" ;;
	esac
}

boot() {
	guest=$1 initrd=$2 log=$3
	k=$(kernel) || die "no kernel (install linux-image-amd64 or set VM_KERNEL)"
	args=$(qemu_args "$guest") || exit 1
	# shellcheck disable=SC2086
	timeout -k 5 "$VM_TIMEOUT" "$QEMU" -accel tcg -machine pc -cpu max -nographic -no-reboot \
		-nodefaults -serial "file:$log" -monitor none -display none $args \
		-kernel "$k" -initrd "$initrd" \
		-append "console=ttyS0 quiet loglevel=1 panic=-1 cbguest=$guest" </dev/null
}

# split LOG DIR: the serial log's protocol (guest.sh) into files.
split() {
	log=$1 dir=$2
	mkdir -p "$dir"
	tr -d '\r' <"$log" | awk -v d="$dir" '
	/^@@ RUN / { lab = $3; f = d "/" lab; sub(/^@@ RUN [^ ]+ :: /, ""); print > (f ".cmd");
		printf "" > (f ".out"); printf "" > (f ".err"); next }
	/^@@ RC / { print $4 > (d "/" $3 ".rc"); print $5 > (d "/" $3 ".secs"); next }
	/^@@ MAPS / { mode = "maps"; lab = $3; printf "" > (d "/" lab ".maps"); next }
	/^@@ TASK / { print $4, $5 > (d "/" $3 ".tasks"); next }
	/^@@ ENDMAPS/ { mode = ""; next }
	/^@@ / { print > (d "/protocol"); next }
	mode == "maps" { print > (d "/" lab ".maps"); next }
	/^O / { print substr($0, 3) > (f ".out"); next }
	/^E / { print substr($0, 3) > (f ".err"); next }
	'
}

case ${1:-} in
initramfs) initramfs "$2" ;;
boot) boot "$2" "$3" "$4" ;;
split) split "$2" "$3" ;;
kernel) kernel ;;
guests) echo n2c2 n4c1 memonly memless ;;
*) die "usage: vm.sh initramfs OUT | boot GUEST INITRD LOG | split LOG DIR | kernel | guests" ;;
esac
