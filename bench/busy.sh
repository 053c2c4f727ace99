#!/bin/sh
# bench/busy.sh: how waiting copes with oversubscription, on an idle machine
# and beside CPU hogs (one busy loop per PU, as a shared CI runner has).
#
#   sh bench/busy.sh            (after `make`; builds collbench with Open MPI
#                                into bench/build/ompi if it is not there)
#
# For every P in $PS, without and with hogs, alternating in one run: 64 B
# (SIZE) allreduce and allgather with collbench --wait auto, futex and yield
# (auto algorithm) and Open MPI's own collective (collbench -A mpi under
# mpirun, the same timing loop). Prints
# microseconds per call, best of $ROUNDS, and, for the auto runs, the -J
# file's slow yields and paused waits (see --wait in collbench(1)). Knobs: PS="4 8" ROUNDS=3 N=2000 SIZE=64.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=${BENCH_BUILD:-$ROOT/bench/build}
PS=${PS:-"4 8"}
ROUNDS=${ROUNDS:-3}
N=${N:-2000}
SIZE=${SIZE:-64}
CB=$ROOT/collbench
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

[ -x "$CB" ] || make -s -C "$ROOT" -j2 >/dev/null
mkdir -p "$B"
if command -v mpicc.openmpi >/dev/null; then
	[ -x "$B/ompi/collbench" ] || make -s -C "$ROOT" -j2 MPI=1 MPICC=mpicc.openmpi \
		BUILD="$B/ompi" BIN="$B/ompi/collbench" "$B/ompi/collbench" >/dev/null
	PEER=$B/ompi/collbench
else
	PEER=
	echo "bench/busy.sh: no mpicc.openmpi: Open MPI column left out (make deps installs it)" >&2
fi

HOGS=""
start_hogs() {
	for c in $(seq 0 $(($(nproc) - 1))); do
		taskset -c "$c" sh -c 'while :; do :; done' &
		HOGS="$HOGS $!"
	done
}
stop_hogs() {
	[ -n "$HOGS" ] && kill $HOGS 2>/dev/null && wait $HOGS 2>/dev/null || true
	HOGS=""
}
trap stop_hogs EXIT INT TERM

# cb COLL P WAIT: us per call (out-of-place), then the JSON's slow yields
# and paused waits, or "-"
cb() {
	j=${TMPDIR:-/tmp}/busy.$$.json
	out=$("$CB" "$1" -g "$2" -b "$SIZE" -e "$SIZE" -A auto -n "$N" -w 100 -q \
		--roofline off --wait "$3" -J "$j" --force 2>&1) || { echo "- -"; return; }
	t=$(echo "$out" | awk '/^ +[0-9]/ { print $7; exit }')
	busy=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]; print("%d/%d" % (s["slow_yields"], s["paused_yield_waits"]))' "$j")
	rm -f "$j"
	echo "$t $busy"
}
# peer COLL P: Open MPI's us per call (its row "mpi", out-of-place)
peer() {
	[ -n "$PEER" ] || { echo "-"; return; }
	timeout -s INT 120 mpirun.openmpi --oversubscribe -np "$2" "$PEER" "$1" -A mpi -b "$SIZE" \
		-e "$SIZE" -n "$N" -w 100 -q --roofline off 2>/dev/null |
		awk '/^ +[0-9]/ && $6 == "mpi" { print $7; exit }' || echo "-"
}
best() { tr ' ' '\n' | grep -v '^-*$' | sort -g | head -1; }

echo "# bench/busy.sh: $(nproc) PUs, $SIZE B, best of $ROUNDS rounds of $N calls; us per call"
echo "# Busy = the auto runs' slow yields / waits that slept because the yield stage paused"
printf "%-10s %3s %-5s %9s %9s %9s %9s  %s\n" coll P hogs auto futex yield "Open MPI" "Busy (auto)"
for P in $PS; do
	for hogs in no yes; do
		[ $hogs = yes ] && start_hogs
		for coll in allreduce allgather; do
			a="" f="" y="" o="" bz=""
			for r in $(seq "$ROUNDS"); do
				set -- $(cb $coll "$P" auto); a="$a $1"; bz="$bz $2"
				set -- $(cb $coll "$P" futex); f="$f $1"
				set -- $(cb $coll "$P" yield); y="$y $1"
				o="$o $(peer $coll "$P")"
			done
			printf "%-10s %3s %-5s %9s %9s %9s %9s  %s\n" $coll "$P" $hogs \
				"$(echo $a | best)" "$(echo $f | best)" "$(echo $y | best)" \
				"$(echo $o | best)" "$(echo $bz)"
		done
		stop_hogs
	done
done
