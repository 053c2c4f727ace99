#!/bin/sh
# deps.sh [main|test]: installs the Debian packages collbench needs, only
# those missing, on a machine that may have nothing but apt (a fresh Debian
# 12 has no make and no package lists: this script runs `apt-get update`
# itself when it has something to install). As root, or through sudo.
#
#   main  what building collbench and running it need (the default):
#         make, gcc and libc6-dev (the C compiler), pkg-config (finds hwloc),
#         libhwloc-dev (topology, binding, NUMA allocation) and libnuma-dev
#         (move_pages, to verify where pages are). Installed without
#         Recommends: hwloc's would bring X11 libraries the build never uses.
#   test  main, plus what `make check` uses: python3 (JSON/CSV checks),
#         procps (pkill, ps), spin (the signal-protocol models), Open MPI
#         and MPICH (the MPI transport's builds and tests), linux-perf
#         (perf stat around the timed loops), qemu-system-x86,
#         busybox-static and linux-image-amd64 (test/t_vm.sh boots QEMU
#         guests with real multi-node NUMA kernels: the kernel image and a
#         busybox initramfs around collbench), chromium (test/t_plot.sh
#         renders collbench's SVG and HTML figures in a real browser),
#         iproute2 (test/t_hosts.sh makes namespaced hosts with ip netns
#         and veth pairs).
#
# The Makefile's `make deps` (main) and `make deps-test` (test) call it.
set -eu
MAIN="make gcc libc6-dev pkg-config libhwloc-dev libnuma-dev"
TEST="$MAIN python3 procps spin openmpi-bin libopenmpi-dev mpich libmpich-dev linux-perf
	qemu-system-x86 busybox-static linux-image-amd64 chromium iproute2"

which=${1:-main}
case $which in
main) want=$MAIN recommends=--no-install-recommends ;;
# Open MPI's and MPICH's launchers need their Recommends (ssh client,
# hydra's helpers) to start ranks; the test set keeps them.
test) want=$TEST recommends= ;;
*) echo "deps.sh: unknown set '$which' (main or test)" >&2; exit 2 ;;
esac

missing=
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
	echo "deps.sh: the $which dependencies are installed"
	exit 0
fi
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
echo "deps.sh: installing:$missing"
$SUDO apt-get update -q
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q $recommends $missing
