# test/vm/guest.sh: runs inside a QEMU guest (from /init, busybox sh). It
# runs the guest's cases and writes everything to the serial console in a
# line protocol that vm.sh split turns back into files:
#   @@ RUN LABEL :: CMD       a run starts
#   O LINE / E LINE           its stdout / stderr
#   @@ RC LABEL STATUS SECS   it ended
#   @@ MAPS LABEL PID ... @@ ENDMAPS LABEL
#                             /proc/PID/numa_maps of the running process
#   @@ TASK LABEL TID CPUS    Cpus_allowed_list of each of its threads
# The guest only reports; test/t_vm.sh on the host judges, independently of
# collbench's own verification.
guest=$(sed -n 's/.*cbguest=\([a-z0-9]*\).*/\1/p' /proc/cmdline)
B=/bin/collbench
# Small: every run costs seconds under TCG.
R="allreduce -A ring -b 64K -e 64K -n 2 -w 0 -c 1 --roofline off -q -T 120"
W="allreduce -A ring -b 64K -e 64K --duration 1 -w 0 -c 1 --roofline off -q -T 120"

now() { cut -d' ' -f1 /proc/uptime; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

emit() {
	sed 's/^/O /' /tmp/o
	sed 's/^/E /' /tmp/e
}

# run LABEL CMD...
run() {
	lab=$1
	shift
	echo "@@ RUN $lab :: $*"
	t0=$(now)
	"$@" >/tmp/o 2>/tmp/e
	rc=$?
	t1=$(now)
	emit
	echo "@@ RC $lab $rc $(secs "$t0" "$t1")"
}

# watch LABEL CMD...: as run, and once the placement block is printed
# (every rank has allocated, touched and checked its buffers) the process's
# numa_maps and its threads' CPU affinity. The process is stopped while they
# are read (SIGSTOP changes neither), so a short run cannot end under the
# reader; they are printed after it ends.
watch() {
	lab=$1
	shift
	echo "@@ RUN $lab :: $*"
	t0=$(now)
	# Emptied first: the background job's own redirection can come after
	# the first look below, which would then find the previous run's
	# placement block and read the maps of a process not yet allocated
	# (seen once in CI: memonly node2, windows '' after memonly local).
	: >/tmp/o
	"$@" >/tmp/o 2>/tmp/e &
	pid=$!
	: >/tmp/maps
	: >/tmp/tasks
	i=0
	while [ $i -lt 3000 ] && kill -0 $pid 2>/dev/null && ! grep -q '^# Placement' /tmp/o; do
		sleep 0.02
		i=$((i + 1))
	done
	if kill -STOP $pid 2>/dev/null; then
		cat /proc/$pid/numa_maps >/tmp/maps
		for t in /proc/$pid/task/*; do
			echo "@@ TASK $lab ${t##*/} $(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' $t/status)"
		done >/tmp/tasks
		kill -CONT $pid
	fi
	wait $pid
	rc=$?
	t1=$(now)
	if [ -s /tmp/maps ]; then
		echo "@@ MAPS $lab $pid"
		cat /tmp/maps
		echo "@@ ENDMAPS $lab"
		cat /tmp/tasks
	fi
	emit
	echo "@@ RC $lab $rc $(secs "$t0" "$t1")"
}

# cgrun LABEL FILE VALUE CMD...: as run, inside a new cgroup v2 group whose
# FILE (memory.max, pids.max) is VALUE; the shell joins the group and execs
# the command, so the group holds collbench alone.
cgrun() {
	lab=$1 cg=/sys/fs/cgroup/cb-$1
	mkdir -p $cg && echo "$3" >$cg/$2 || echo "@@ ERROR cgroup $cg/$2"
	shift 3
	run $lab sh -c "echo \$\$ >$cg/cgroup.procs && exec $*"
}

echo "@@ GUEST $guest"
echo "@@ NODES $(cat /sys/devices/system/node/online) memory $(cat /sys/devices/system/node/has_memory 2>/dev/null) cpu $(cat /sys/devices/system/node/has_cpu 2>/dev/null)"
for n in /sys/devices/system/node/node*; do
	echo "@@ NODE ${n##*node} cpus $(cat $n/cpulist) distance $(cat $n/distance) memfree_kb $(sed -n 's/.*MemFree: *\([0-9]*\) kB/\1/p' $n/meminfo)"
done
S=--strict-placement
case $guest in
n2c2)
	run topo $B topo -g 4
	run topo-il $B topo -g 4 --mem interleave
	watch spread $B $W -g 2 --bind spread $S
	watch compact $B $W -g 2 --bind compact $S
	run numa $B $R -g 4 --bind numa $S
	watch il $B $W -g 2 --mem interleave $S
	watch node1 $B $W -g 2 --mem node:1 $S
	# One rank binds 320M to node 1 (window 256M, golden 64M), more than
	# the node has but less than the guest has free: a binding that is
	# only a preference spills to node 0. No --strict-placement: a spill
	# must stop the run all the same.
	run pressure $B $R -g 1 -b 64M -e 64M --mem node:1
	run all $B all -g 2 -b 4K -e 4K -n 1 -w 0 -c 1 --roofline off -q -T 120 $S
	# Limits of a cgroup v2 group, where the kernel has the controllers:
	# memory.max below what 2 ranks at 32M need (refused up front, not an
	# OOM kill: 137), and pids.max below the rank threads (the main
	# thread and two more: -g 4 cannot start its ranks).
	# Mounted here, after every placement case, and only in this guest:
	# with cgroup2 mounted, hwloc takes the allowed nodes from
	# cpuset.mems.effective, which leaves out a memoryless node (the
	# memless guest's node 1 vanished and its PUs moved to node 2).
	mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null
	ctl=$(cat /sys/fs/cgroup/cgroup.controllers 2>/dev/null)
	echo "@@ CGROUP2 $ctl"
	case " $ctl " in *" memory "*" pids "*|*" pids "*" memory "*)
		echo "+memory +pids" >/sys/fs/cgroup/cgroup.subtree_control
		cgrun cgmem memory.max 64M $B $R -g 2 -b 32M -e 32M
		cgrun cgpids pids.max 3 $B $R -g 4 -b 4K -e 4K
		# and a run that fits both, so the limits and not the group
		# itself are what the two above meet
		cgrun cgfits memory.max 256M $B $R -g 2 -b 64K -e 64K
		;;
	esac
	;;
n4c1)
	run topo $B topo -g 4
	watch spread $B $W -g 4 --bind spread $S
	run compact $B $R -g 2 --bind compact $S
	run numa $B $R -g 4 --bind numa $S
	watch il $B $W -g 4 --mem interleave $S
	run node3 $B $R -g 2 --mem node:3 $S
	run all $B all -g 2 --bind numa -b 4K -e 4K -n 1 -w 0 -c 1 --roofline off -q -T 120 $S
	;;
memonly)
	run topo $B topo -g 4
	run topo-il $B topo -g 2 --mem interleave
	watch local $B $W -g 4 --bind numa $S
	watch node2 $B $W -g 2 --mem node:2 $S
	watch il $B $W -g 2 --mem interleave $S
	run spread $B $R -g 4 --bind spread $S
	run compact $B $R -g 2 --bind compact $S
	run all $B all -g 2 --bind numa -b 4K -e 4K -n 1 -w 0 -c 1 --roofline off -q -T 120 $S
	;;
memless)
	run topo $B topo -g 4
	watch local $B $W -g 4 --bind spread $S
	run numa $B $R -g 4 --bind numa $S
	run node1 $B $R -g 2 --mem node:1 $S
	watch il $B $W -g 4 --mem interleave $S
	run compact $B $R -g 4 --bind compact $S
	run all $B all -g 2 --bind numa -b 4K -e 4K -n 1 -w 0 -c 1 --roofline off -q -T 120 $S
	;;
*)
	echo "@@ ERROR unknown guest '$guest'"
	;;
esac
echo "@@ END $guest"
