# t_hosts.sh: the MPI transport across hosts, on namespaced hosts of this
# machine (test/hosts/hosts.sh: a network, UTS and mount namespace per host,
# veths to a bridge in a namespace of its own, private addresses that exist
# only inside them, an own hostname and boot id each). The launcher runs in
# host 1; a launcher agent replaces ssh. For Open MPI and MPICH, 2 hosts x 1
# rank: every collective and algorithm with -c 3, 0 wrong; the placement
# block and JSON name both hosts and the rma window; the run's transport,
# library, host count and window in the header, JSON and CSV; --inject
# corrupt exits 7; -T 3 --inject drop-notify gives a hang report with whole
# lines and exits 4; a rank process killed (SIGKILL) mid-run ends the job,
# non-zero, in bounded time; SIGINT to the launcher ends the job. Open MPI as
# Debian configures it (no one-sided component over TCP) gives collbench's
# own message, once, and exit 2. Open MPI, 3 hosts x 1 rank: every
# collective and algorithm, 0 wrong, three hosts in the placement block.
# (The shapes are few on purpose: each launch across the namespaces costs
# seconds; t_mpi covers the matrix over 2-4 processes on one host.)
# Performance over veth means nothing: no figure here is judged.
# Needs root (namespaces), iproute2 and util-linux; without them every case
# is a visible SKIP. Every launch runs under timeout -k.
. test/lib.sh

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
HOSTS="sh $PWD/test/hosts/hosts.sh"
export CBH_DIR=$TMPD/hosts CBH_TAG=$$
NET=10.231.77.0/24
SMALL="-b 8 -e 256 -f 8 -n 2 -w 1 -c 3"
CASES="open-default matrix placement json csv shared-window corrupt drop-notify killed-rank sigint"

cleanup() { $HOSTS down; }
trap cleanup EXIT
trap 'cleanup; exit 1' INT TERM

why=
[ "$(id -u)" = 0 ] || why="not root: cannot create namespaces"
[ -z "$why" ] && ! command -v ip >/dev/null && why="ip not installed (iproute2)"
[ -z "$why" ] && ! command -v unshare >/dev/null && why="unshare not installed (util-linux)"
if [ -z "$why" ] && ! $HOSTS up 3 2>"$TMPD/up.err"; then
	why="cannot create namespaced hosts: $(head -1 "$TMPD/up.err")"
fi
if [ -z "$why" ] && [ "$($HOSTS exec 2 hostname 2>/dev/null)" != cbhost2 ]; then
	why="cannot enter namespaced host 2"
fi

# ompi/mpich SECONDS BIN ARGS...: the launcher in host 1, $NP hosts x 1
# rank (cbhost1..cbhost$NP).
NP=2
hostlist() { seq -s, -f 'cbhost%g' "$NP"; }
ompi() {
	t=$1
	shift
	timeout -k 5 "$t" $HOSTS exec 1 mpirun.openmpi --bind-to none -np $NP \
		--host "$(hostlist)" --mca plm_rsh_agent "$CBH_DIR/agent" \
		--mca oob_tcp_if_include $NET --mca btl tcp,self --mca btl_tcp_if_include $NET \
		$OSC "$@"
}
mpich() {
	t=$1
	shift
	timeout -k 5 "$t" $HOSTS exec 1 mpiexec.mpich -np $NP -hosts "$(hostlist)" \
		-launcher ssh -launcher-exec "$CBH_DIR/agent" -genv UCX_NET_DEVICES eth0 "$@"
}

# long_run LAUNCHER BIN: a row of many iterations of ~0.1 ms in the
# background ($tpid), once rank 0 has printed the placement block.
long_run() {
	$1 60 "$2" allreduce -b 8 -e 8 -A ring -n 1000000000 -w 3 -q >"$TMPD/out" 2>"$TMPD/err" &
	tpid=$!
	for _ in $(seq 100); do
		grep -q '^#  Rank  1 ' "$TMPD/out" && break
		sleep 0.2
	done
}

# ended NAME STATUS SECONDS: the job ended by itself (not by the 60 s
# timeout: 124, or 137 from its -k), non-zero, within 30 s.
ended() {
	if [ "$2" -gt 0 ] 2>/dev/null && [ "$2" != 124 ] && awk "BEGIN { exit !($3 < 30) }"; then
		ok "$1 (exit $2 after $3 s)"
	else
		notok "$1 (exit $2 after $3 s)"
		tail -3 "$TMPD/err" | sed 's/^/#   /'
	fi
}

since() { awk "BEGIN { printf \"%.1f\", $(date +%s.%N) - $1 }"; }

# timed NAME WANT cmd...: expect_status, and say how long it took
timed() {
	t0=$(date +%s.%N)
	expect_status "$@"
	echo "# $1: $(awk "BEGIN { printf \"%.1f\", $(date +%s.%N) - $t0 }") s"
}

flavour() {
	fl=$1 bin=$2 run=$3
	if [ -n "$why" ] || [ ! -x "$bin" ] || ! command -v "$4" >/dev/null; then
		for c in $CASES; do
			[ "$run" = ompi ] || [ "$c" != open-default ] || continue
			[ "$run" = mpich ] || [ "$c" != shared-window ] || continue
			skip "$fl 2x1: $c" "${why:-$fl not built or $4 missing}"
		done
		return
	fi
	OSC="--mca osc pt2pt"
	if [ "$run" = ompi ]; then
		# Debian's openmpi-mca-params.conf (osc = ^ucx,pt2pt) leaves no
		# one-sided component over TCP: collbench says so, exit 2.
		OSC=
		timed "$fl 2x1: Debian's osc setting: exit 2" 2 ompi 60 "$bin" allreduce -b 8 -e 8 -n 1
		expect_grep "$fl 2x1: Debian's osc setting: collbench names the remedy" \
			"^collbench: MPI_Win_allocate .* failed .*--mca osc pt2pt" "$TMPD/err"
		n=$(grep -c '^collbench: MPI_Win_allocate' "$TMPD/err")
		[ "$n" = 1 ] && ok "$fl 2x1: Debian's osc setting: said once" ||
			notok "$fl 2x1: Debian's osc setting: said once (not per rank: $n)"
		OSC="--mca osc pt2pt"
	fi
	timed "$fl 2x1: all -A all -c 3" 0 $run 120 "$bin" all -A all $SMALL \
		-J "$TMPD/$run.json" --csv "$TMPD/$run.csv"
	expect_zero_wrong "$fl 2x1: 0 wrong" "$TMPD/out"
	# MPICH over UCX may spin in MPI_Finalize after the footer (finding 5):
	# the bound ends it with the run's status (before: killed by timeout).
	grep '^collbench: .*MPI_Finalize did not return' "$TMPD/err" | sed 's/^/# note: /'
	cp "$TMPD/out" "$TMPD/$run.out"
	if grep -Eq '^# Transport: MPI .* 2 processes on 2 hosts, rma \(MPI_Win_allocate\)' "$TMPD/$run.out" &&
		grep -Eq '^#  Rank  0 .* on +cbhost1 ' "$TMPD/$run.out" &&
		grep -Eq '^#  Rank  1 .* on +cbhost2 ' "$TMPD/$run.out"; then
		ok "$fl 2x1: placement block: 2 hosts, rma windows, rank 0 on cbhost1, rank 1 on cbhost2"
	else
		notok "$fl 2x1: placement block: 2 hosts, rma windows, ranks on cbhost1/cbhost2"
		grep '^# *\(Transport\|Rank\)' "$TMPD/$run.out" | sed 's/^/#   /'
	fi
	if python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
rs = d["placements"][0]["ranks"]
t = d["transport"]
ok = [r["host"] for r in rs] == ["cbhost1", "cbhost2"] and t["kind"] == "mpi" and \
     t["hosts"] == 2 and t["window"] == "rma" and t["library"].startswith(sys.argv[2])
sys.exit(0 if ok else 1)' "$TMPD/$run.json" "${fl%% *}" 2>"$TMPD/py.err"; then
		ok "$fl 2x1: JSON: ranks on cbhost1 and cbhost2; transport mpi, library, 2 hosts, rma"
	else
		notok "$fl 2x1: JSON: hosts and transport"
		head -3 "$TMPD/py.err" | sed 's/^/#   /'
	fi
	if python3 -c 'import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
ok = rows and all(r["transport"] == "mpi" and r["hosts"] == "2" and r["mpi_window"] == "rma"
                  and r["mpi_library"].startswith(sys.argv[2]) for r in rows)
sys.exit(0 if ok else 1)' "$TMPD/$run.csv" "${fl%% *}" 2>"$TMPD/py.err"; then
		ok "$fl 2x1: CSV: transport, library, hosts, window in every record"
	else
		notok "$fl 2x1: CSV: transport, library, hosts, window"
		head -3 "$TMPD/py.err" | sed 's/^/#   /'
	fi
	expect_grep "$fl 2x1: header: transport, library, hosts, window" \
		"^# transport: mpi library: ${fl%% *}.* hosts: 2 window: rma" "$TMPD/$run.out"

	# Shared windows cannot span hosts: exit 5, said once (not per rank).
	# collbench decides this alone (cb_mpi_init), the same under either
	# library: checked under MPICH, whose launches cost less.
	if [ "$run" = mpich ]; then
		timed "$fl 2x1: --mpi-window shared: exit 5" 5 $run 60 "$bin" allreduce -b 8 -e 8 -n 1 --mpi-window shared
		n=$(grep -c '^collbench: .*shared windows need one' "$TMPD/err")
		[ "$n" = 1 ] && ok "$fl 2x1: --mpi-window shared: one message" ||
			notok "$fl 2x1: --mpi-window shared: one message ($n)"
	fi
	timed "$fl 2x1: --inject corrupt: exit 7" 7 $run 60 "$bin" allreduce -b 64 -e 4K -f 8 -n 2 -q --inject corrupt
	timed "$fl 2x1: -T 3 --inject drop-notify: exit 4" 4 $run 60 "$bin" allreduce -b 64 -e 64 -n 2 -q -T 3 --inject drop-notify
	expect_grep "$fl 2x1: drop-notify: a hang report" "^collbench: timeout: MPI rank [01] .* made no progress" "$TMPD/err"
	# Both ranks report at once: each line whole (no line holds two
	# reports' pieces).
	bad=$(grep 'collbench' "$TMPD/err" | grep -Ev '^collbench: (timeout: MPI rank [01] \(pid [0-9]+\) made no progress for 3 s|  rank [01]: [a-z]+/[a-z:-]+ size [0-9]+ phase [a-z]+ iteration [0-9]+.*)$' | head -3)
	[ -z "$bad" ] && ok "$fl 2x1: drop-notify: every hang-report line whole" ||
		{ notok "$fl 2x1: drop-notify: every hang-report line whole"; echo "$bad" | sed 's/^/#   /'; }

	# A rank process killed mid-row (rank 1, on host 2: the namespaces
	# share this machine's pids): the launcher ends the job.
	long_run $run "$bin"
	pid=$(sed -n 's/^#  Rank  1 Group  0 Pid *\([0-9]*\) .*/\1/p' "$TMPD/out")
	sleep 1
	t0=$(date +%s.%N)
	[ -n "$pid" ] && kill -KILL "$pid"
	wait $tpid
	st=$?
	[ -n "$pid" ] || st=none
	ended "$fl 2x1: rank 1 killed (SIGKILL) mid-row: the job ends, non-zero" "$st" "$(since "$t0")"

	# SIGINT to the launcher mid-row.
	long_run $run "$bin"
	sleep 1
	t0=$(date +%s.%N)
	lpid=$(pgrep -P $tpid | head -1)
	[ -n "$lpid" ] && kill -INT "$lpid"
	wait $tpid
	st=$?
	dt=$(since "$t0")
	echo "# $fl 2x1: SIGINT: launcher exit $st after $dt s"
	# Ended by the signal, not by the 60 s timeout (124, or 137 from its
	# -k after 5 s more): hydra's launcher itself has ended with 137 a
	# few seconds after the signal, and MPICH's mpiexec returns 0 at times
	# (see t_mpi).
	if [ -n "$lpid" ] && [ "$st" != 124 ] && awk "BEGIN { exit !($dt < 30) }"; then
		ok "$fl 2x1: SIGINT to the launcher ends the job (exit $st after $dt s)"
	else
		notok "$fl 2x1: SIGINT to the launcher ends the job (exit $st after $dt s)"
		tail -3 "$TMPD/err" | sed 's/^/#   /'
	fi
	# The interrupted row and footer are not checked across hosts: Open
	# MPI's launcher sends SIGTERM and SIGKILL 1 s later, and hydra's
	# launcher, signalled while the agent's remote proxy starts, has ended
	# with 255 and no footer (once in five runs here); on one host t_mpi
	# checks the footer. Issue 19, finding 6, stays open for this.
}

flavour "Open MPI" "${OMPI_COLLBENCH:-}" ompi mpirun.openmpi

# Open MPI, 3 hosts x 1 rank: the matrix at one size, 0 wrong, three
# hosts in the placement block.
if [ -n "$why" ] || [ ! -x "${OMPI_COLLBENCH:-}" ] || ! command -v mpirun.openmpi >/dev/null; then
	skip "Open MPI 3x1: all -A all -c 3" "${why:-Open MPI not built or mpirun.openmpi missing}"
else
	NP=3 OSC="--mca osc pt2pt"
	timed "Open MPI 3x1: all -A all -c 3" 0 ompi 300 "$OMPI_COLLBENCH" all -A all -b 64 -e 64 -n 1 -w 1 -c 3
	expect_zero_wrong "Open MPI 3x1: 0 wrong" "$TMPD/out"
	expect_grep "Open MPI 3x1: 3 processes on 3 hosts, rank 2 on cbhost3" \
		'^#  Rank  2 .* on +cbhost3 ' "$TMPD/out"
	expect_grep "Open MPI 3x1: the header says 3 hosts" '^# Transport: MPI .* 3 processes on 3 hosts, rma' "$TMPD/out"
	NP=2
fi
flavour "MPICH" "${MPICH_COLLBENCH:-}" mpich mpiexec.mpich

done_testing
