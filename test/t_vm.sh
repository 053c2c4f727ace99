# t_vm.sh: collbench on real multi-node NUMA kernels, in QEMU (TCG) guests
# booted by test/vm/vm.sh: 2 nodes x 2 CPUs, 4 nodes x 1 CPU, 2 CPU nodes
# plus a memory-only node, and a CPU node without memory. Each guest runs
# topo, strict placement runs for every --bind and --mem policy and a short
# `all` (test/vm/guest.sh); this script judges them from the serial log,
# and independently of collbench's own verification:
#   - page locations from /proc/PID/numa_maps of the running process: every
#     VMA with a policy must be bind:N or interleave:NODES (never prefer),
#     every page of it on those nodes, the policies the ones the guest's
#     shape calls for, and their page total what collbench says it checked;
#   - thread affinity from /proc/PID/task/*/status: one thread pinned to a
#     single PU per rank, on the NUMA nodes the policy calls for (the
#     guests' PU -> node maps are written below, not read from collbench).
# Performance under TCG means nothing: no figure here is judged.
# Needs qemu-system-x86, busybox-static and a Debian kernel
# (linux-image-amd64); without them every guest is a visible SKIP.
. test/lib.sh

VM=test/vm/vm.sh
GUESTS=${VM_GUESTS:-"n2c2 n4c1 memonly memless"}

# --- prerequisites ------------------------------------------------------------
why=
command -v "${QEMU:-qemu-system-x86_64}" >/dev/null 2>&1 || why="qemu-system-x86_64 not installed (qemu-system-x86)"
[ -z "$why" ] && ! command -v busybox >/dev/null 2>&1 && why="busybox not installed (busybox-static)"
[ -z "$why" ] && ldd "$(command -v busybox)" >/dev/null 2>&1 && why="busybox is dynamically linked (install busybox-static)"
[ -z "$why" ] && ! sh $VM kernel >/dev/null && why="no kernel: install linux-image-amd64 or set VM_KERNEL"
if [ -n "$why" ]; then
	for g in $GUESTS; do skip "guest $g" "$why"; done
	done_testing
fi

if sh $VM initramfs "$TMPD/initrd.gz" 2>"$TMPD/err"; then ok "initramfs from $COLLBENCH"; else
	notok "initramfs from $COLLBENCH"
	sed 's/^/#   /' "$TMPD/err"
	done_testing
fi

# pu_node GUEST PU: the guest's NUMA node of a PU (the shapes of vm.sh).
pu_node() {
	case $1 in
	n4c1) echo "$2" ;;
	*) echo $(($2 / 2)) ;;
	esac
}

# rc LABEL WANT: the run's exit status.
rc() {
	got=$(cat "$D/$1.rc" 2>/dev/null)
	if [ "$got" = "$2" ]; then ok "$G $1: exit $2 ($(cat "$D/$1.secs") s)"; else
		notok "$G $1: exit ${got:-none}, want $2"
		cat "$D/$1.err" "$D/$1.out" 2>/dev/null | grep -v '^# [A-Z][a-z]* test\|^#  *[(a-z]' |
			head -12 | sed 's/^/#   /'
	fi
}

# out LABEL ERE DESC: a stdout line matches; err LABEL ERE DESC: stderr.
out() {
	if grep -Eq "$2" "$D/$1.out" 2>/dev/null; then ok "$G $1: $3"; else
		notok "$G $1: $3 (no line matches /$2/)"
		grep '^# \(Placement\|Ranks\|WARNING\|  Rank\)\|^#  Rank' "$D/$1.out" 2>/dev/null | head -8 | sed 's/^/#   /'
	fi
}
err() {
	n=$(wc -l <"$D/$1.err" 2>/dev/null)
	if [ "${n:-0}" = 1 ] && grep -Eq "$2" "$D/$1.err"; then ok "$G $1: $3"; else
		notok "$G $1: $3 ($n stderr lines, want one matching /$2/)"
		head -3 "$D/$1.err" 2>/dev/null | sed 's/^/#   /'
	fi
}

# ranks LABEL N STATUS: N rank lines end in STATUS.
ranks() {
	n=$(grep -Ec "^#  Rank .* $3\$" "$D/$1.out" 2>/dev/null)
	[ "$n" = "$2" ] && ok "$G $1: $2 rank lines $3" || {
		notok "$G $1: $2 rank lines $3 (got $n)"
		grep '^#  Rank' "$D/$1.out" | head -6 | sed 's/^/#   /'
	}
}

# maps LABEL POLICIES: numa_maps of the running collbench. POLICIES: the
# distinct memory policies its windows must have (e.g. "bind:0 bind:1").
# Every page of a VMA with a policy on the policy's nodes; every node of an
# interleave holding pages; the pages in such VMAs summing to what
# collbench says it checked.
maps() {
	f=$D/$1.maps
	if [ ! -s "$f" ]; then
		notok "$G $1: numa_maps of the running process (none captured)"
		return
	fi
	res=$(awk '
	function nodes(spec, set,   n, parts, i, ab) {
		n = split(spec, parts, ",")
		for (i = 1; i <= n; i++) {
			if (split(parts[i], ab, "-") == 2) for (k = ab[1]; k <= ab[2]; k++) set[k] = 1
			else set[parts[i]] = 1
		}
	}
	$2 == "default" { next }
	{
		pol = $2
		if (pol == "prefer" || pol ~ /^prefer/) { bad = bad " " pol "(preferred,not-bound)"; next }
		split(pol, pp, ":"); delete want; nodes(pp[2], want)
		pols[pol] = 1
		for (i = 3; i <= NF; i++) if ($i ~ /^N[0-9]+=/) {
			split(substr($i, 2), nv, "="); total += nv[2]; on[pol, nv[1]] += nv[2]; pn[nv[1]] += nv[2]
			if (!(nv[1] in want)) bad = bad " " pol ":" nv[2] "-pages-on-N" nv[1]
		}
		if (pp[1] == "interleave") for (k in want) if (!(on[pol, k] > 0)) bad = bad " " pol ":no-page-on-N" k
	}
	END {
		n = 0; for (p in pols) list[++n] = p
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (list[j] < list[i]) { t = list[i]; list[i] = list[j]; list[j] = t }
		s = ""; for (i = 1; i <= n; i++) s = s (i > 1 ? " " : "") list[i]
		by = ""; for (k = 0; k < 64; k++) if (pn[k] > 0) by = by (by == "" ? "" : ",") k ":" pn[k]
		print s "|" total + 0 "|" by "|" bad
	}' "$f")
	pols=${res%%|*}
	rest=${res#*|}
	total=${rest%%|*}
	rest=${rest#*|}
	by=${rest%%|*}
	bad=${rest#*|}
	claimed=$(sed -n 's/.*move_pages: \([0-9]*\) pages*;.*/\1/p' "$D/$1.out")
	cby=$(sed -n 's/.*move_pages: .*; by node \([0-9:,]*\)).*/\1/p' "$D/$1.out")
	if [ "$pols" = "$2" ] && [ -z "$bad" ]; then
		ok "$G $1: numa_maps: windows $2, every page on its policy's nodes ($total pages)"
	else
		notok "$G $1: numa_maps: windows '$pols', want '$2'; wrong:${bad:- none}"
	fi
	if [ -n "$claimed" ] && [ "$claimed" = "$total" ] && [ "$cby" = "$by" ]; then
		ok "$G $1: collbench counted every page numa_maps shows, per node ($by)"
	else
		notok "$G $1: collbench counted ${claimed:-?} pages (by node ${cby:-?}), numa_maps shows $total ($by)"
	fi
}

# tasks LABEL NODES: the threads pinned to one PU (the ranks), their PUs'
# nodes sorted, must be NODES; and the PUs those of the placement block.
tasks() {
	f=$D/$1.tasks
	if [ ! -s "$f" ]; then
		notok "$G $1: thread affinity of the running process (none captured)"
		return
	fi
	pus=$(awk '$2 ~ /^[0-9]+$/ { print $2 }' "$f" | sort -n | tr '\n' ' ' | sed 's/ $//')
	got=$(for p in $pus; do pu_node "$G" "$p"; done | sort -n | tr '\n' ' ' | sed 's/ $//')
	listed=$(sed -n 's/^#  Rank .* PU *\([0-9]*\) core.*/\1/p' "$D/$1.out" | sort -n | tr '\n' ' ' | sed 's/ $//')
	if [ "$got" = "$2" ] && [ "$pus" = "$listed" ]; then
		ok "$G $1: threads pinned to PUs $pus (nodes $got), as the placement block says"
	else
		notok "$G $1: pinned threads on PUs '$pus' (nodes '$got'), want nodes '$2' and PUs '$listed'"
		sed 's/^/#   /' "$f"
	fi
}

# --- the guests -------------------------------------------------------------
vmtotal=0
for G in $GUESTS; do
	D=$TMPD/$G
	t0=$(date +%s)
	sh $VM boot "$G" "$TMPD/initrd.gz" "$TMPD/$G.log" >"$TMPD/$G.qemu" 2>&1
	st=$?
	t=$(($(date +%s) - t0))
	vmtotal=$((vmtotal + t))
	sh $VM split "$TMPD/$G.log" "$D"
	if [ "$st" = 0 ] && grep -q "^@@ END $G" "$D/protocol" 2>/dev/null; then
		ok "guest $G booted, ran its cases and powered off ($t s)"
	else
		notok "guest $G: qemu exit $st after $t s, no end marker"
		tail -5 "$TMPD/$G.qemu" "$TMPD/$G.log" 2>/dev/null | tr -d '\r' | sed 's/^/#   /'
		continue
	fi
	case $G in
	n2c2)
		rc topo 0; ranks topo 4 "dist 10 verified"
		out topo '^# Ranks per NUMA node: node 0: 2 by PU, 2 by window; node 1: 2 by PU, 2 by window$' "ranks per node in the header"
		rc topo-il 0
		# The probe shows interleave's real spread, not one page's node.
		ranks topo-il 4 "window NUMA 0-1 dist  - verified"
		rc spread 0; maps spread "bind:0 bind:1"; tasks spread "0 1"
		rc compact 0; maps compact "bind:0"; tasks compact "0 0"
		rc numa 0; ranks numa 4 "verified"
		rc il 0; maps il "interleave:0-1"
		rc node1 0; maps node1 "bind:1"; tasks node1 "0 1"
		out node1 '^#  Rank  0 .* NUMA  0 window NUMA 1   dist 20 verified$' "rank 0's window on node 1, distance 20"
		rc pressure 2
		err pressure '^collbench: not enough free memory on NUMA node 1 for --mem node:1' "pressure: one line naming node 1's free memory"
		rc all 0; out all '^# Out of bounds values : 0 OK' "all: results right"
		if grep -Eq '^@@ CGROUP2 .*memory' "$D/protocol" && grep -Eq '^@@ CGROUP2 .*pids' "$D/protocol"; then
			rc cgmem 2
			err cgmem '^collbench: not enough memory for 2 ranks at -e 32(\.0 MiB|M): need .*, available .* \(cgroup memory.max\)' \
				"memory.max 64M: one line, the cgroup's limit named"
			rc cgpids 2
			err cgpids '^collbench: cannot start (rank|a probe) thread' "pids.max 3: one line"
			rc cgfits 0
		else
			skip "$G cgroup v2 memory.max and pids.max" "the guest kernel has no cgroup2 memory and pids controllers"
		fi
		;;
	n4c1)
		rc topo 0; ranks topo 4 "dist 10 verified"
		out topo '^# Ranks per NUMA node: node 0: 1 by PU, 1 by window; node 1: 1 by PU, 1 by window; node 2: 1 by PU, 1 by window; node 3: 1 by PU, 1 by window$' "ranks per node in the header"
		rc spread 0; maps spread "bind:0 bind:1 bind:2 bind:3"; tasks spread "0 1 2 3"
		rc compact 0; ranks compact 2 "verified"
		rc numa 0; ranks numa 4 "verified"
		rc il 0; maps il "interleave:0-3"
		rc node3 0; ranks node3 2 "window NUMA 3   dist [0-9]+ verified"
		rc all 0; out all '^# Out of bounds values : 0 OK' "all: results right"
		;;
	memonly)
		rc topo 0; ranks topo 4 "dist 10 verified"
		out topo 'node 2: 0 by PU, 0 by window' "no rank and no window on the memory-only node"
		rc topo-il 0; ranks topo-il 2 "window NUMA 0-2 dist  - verified"
		rc local 0; maps local "bind:0 bind:1"; tasks local "0 0 1 1"
		rc node2 0; maps node2 "bind:2"
		rc il 0; maps il "interleave:0-2"
		rc spread 0; ranks spread 4 "dist 10 verified"
		rc compact 0; ranks compact 2 "dist 10 verified"
		rc all 0; out all '^# Out of bounds values : 0 OK' "all: results right"
		;;
	memless)
		rc topo 0; ranks topo 4 "verified"
		out topo '^# Placement: bind spread, mem local \(nearest node with memory: 1->2\)' "header names the node that stands in for node 1"
		out topo '^#  Rank  2 PU   2 core   2 NUMA  1 window NUMA 2   dist 15 verified$' "rank on the memoryless node: window on the nearest node with memory"
		rc local 0; maps local "bind:0 bind:2"; tasks local "0 0 1 1"
		rc numa 0; ranks numa 4 "verified"
		rc node1 6
		err node1 "^collbench: invalid value 'node:1' for --mem: NUMA node 1 has no memory" "--mem node:1: one line, node 1 has no memory"
		[ -s "$D/node1.out" ] && notok "$G node1: nothing on stdout" || ok "$G node1: nothing on stdout"
		rc il 0; maps il "interleave:0,2"
		rc compact 0; ranks compact 2 "NUMA  1 window NUMA 2   dist 15 verified"
		rc all 0; out all '^# Out of bounds values : 0 OK' "all: results right"
		;;
	esac
done
echo "# VM guests: $vmtotal s in all"
done_testing
