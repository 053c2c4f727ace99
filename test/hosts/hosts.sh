#!/bin/sh
# test/hosts/hosts.sh: namespaced "hosts" on one machine, for running
# collbench's MPI transport across hosts without a second machine.
#
#   hosts.sh up N      make hosts cbhost1..cbhostN
#   hosts.sh exec H CMD...   run CMD on host H (1..N)
#   hosts.sh down      end the processes left in the hosts, remove everything "up" made
#
# $CBH_DIR (required) is a private directory holding the hosts' state; $CBH_TAG
# (default: the last part of $CBH_DIR's name, up to 6 characters) keeps the
# namespace names of concurrent runs apart.
#
# Each host is a network namespace (ip netns) with one veth to a bridge that
# lives in a further namespace of its own (the "switch"): every address and
# route exists only inside namespaces made here, so no packet can leave them.
# "exec" enters the host's network namespace plus fresh UTS and mount
# namespaces in which it sets the hostname and bind-mounts the host's own
# /etc/hosts and /proc/sys/kernel/random/boot_id (UCX and MPICH take equal
# boot ids for one machine and would use shared memory, not the veth). A
# fresh UTS/mount pair per exec is as good as a persistent one: the hostname
# and boot id are the same every time, and the processes an MPI launcher
# starts inherit them. "$CBH_DIR/agent" is the launcher agent (Open MPI's
# plm_rsh_agent, hydra's -launcher-exec): called like ssh, it runs the
# command in the named host instead.
set -eu

[ -n "${CBH_DIR:-}" ] || { echo "hosts.sh: set CBH_DIR" >&2; exit 2; }
SELF=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
TAG=${CBH_TAG:-$(basename "$CBH_DIR" | tr -cd 'a-zA-Z0-9' | tail -c 6)}
NET=10.231.77   # private; exists only inside the namespaces below

ns() { echo "cbh$TAG-$1"; }

up() {
	n=$1
	mkdir -p "$CBH_DIR"
	echo "$n" >"$CBH_DIR/count"
	sw=$(ns sw)
	ip netns add "$sw"
	ip -n "$sw" link add br0 type bridge
	ip -n "$sw" link set br0 up
	{
		echo "127.0.0.1 localhost"
		i=1
		while [ "$i" -le "$n" ]; do echo "$NET.$i cbhost$i"; i=$((i + 1)); done
	} >"$CBH_DIR/etc-hosts"
	i=1
	while [ "$i" -le "$n" ]; do
		h=$(ns "h$i")
		ip netns add "$h"
		# Made inside the host namespace, the veth's peer moved to the switch.
		ip -n "$h" link add eth0 type veth peer name p$i netns "$sw"
		ip -n "$sw" link set p$i master br0
		ip -n "$sw" link set p$i up
		ip -n "$h" addr add "$NET.$i/24" dev eth0
		ip -n "$h" link set eth0 up
		ip -n "$h" link set lo up
		cat /proc/sys/kernel/random/uuid >"$CBH_DIR/boot_id.$i"
		i=$((i + 1))
	done
	cat >"$CBH_DIR/agent" <<EOF
#!/bin/sh
# Launcher agent (like ssh): [options] HOST COMMAND...; runs COMMAND on HOST.
# Like ssh, this process only stands for the remote command: a signal the
# launcher sends it (hydra signals its "ssh" processes on Ctrl-C) ends it,
# not the command, which runs in a session of its own and hears of the end
# of the job from its launcher, over its own connection. (Exec'ing the
# command here let hydra kill its proxy before the ranks printed.)
while [ \$# -gt 0 ]; do case \$1 in -*) shift ;; *) break ;; esac; done
host=\$1; shift
CBH_DIR='$CBH_DIR' CBH_TAG='$TAG' setsid sh '$SELF' exec "\${host#cbhost}" sh -c "\$*" &
child=\$!
trap 'exit 255' INT TERM HUP
wait \$child
EOF
	chmod +x "$CBH_DIR/agent"
}

enter() {
	i=$1
	shift
	[ -f "$CBH_DIR/boot_id.$i" ] || { echo "hosts.sh: no host $i" >&2; exit 2; }
	exec ip netns exec "$(ns "h$i")" unshare --uts --mount --propagation private -- sh -c '
		hostname "cbhost$1"
		mount --bind "$2/boot_id.$1" /proc/sys/kernel/random/boot_id
		mount --bind "$2/etc-hosts" /etc/hosts
		shift 2
		exec "$@"' sh "$i" "$CBH_DIR" "$@"
}

# The processes still inside the hosts' namespaces (all started here: a
# remote daemon the agent started in its own session outlives a launcher
# killed by timeout).
pids() {
	i=1
	while [ "$i" -le "$1" ]; do
		ip netns pids "$(ns "h$i")" 2>/dev/null || :
		i=$((i + 1))
	done
}

down() {
	n=$(cat "$CBH_DIR/count" 2>/dev/null || echo 0)
	p=$(pids "$n")
	if [ -n "$p" ]; then
		kill -TERM $p 2>/dev/null || :
		sleep 1
		p=$(pids "$n")
		[ -z "$p" ] || kill -KILL $p 2>/dev/null || :
	fi
	i=1
	while [ "$i" -le "$n" ]; do
		ip netns del "$(ns "h$i")" 2>/dev/null || :
		i=$((i + 1))
	done
	ip netns del "$(ns sw)" 2>/dev/null || :
	rm -f "$CBH_DIR/count"
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
up) up "$@" ;;
exec) enter "$@" ;;
down) down ;;
*) echo "usage: hosts.sh up N | exec H CMD... | down" >&2; exit 2 ;;
esac
