#!/bin/sh
# bench/run.sh: collbench against Open MPI and MPICH on this machine.
#
#   sh bench/run.sh            (from anywhere; as root it installs missing
#                               Debian packages: openmpi, mpich, python3)
#
# In one invocation: builds collbench (the tree's Makefile, into
# bench/build) plain and with each MPI (bench/build/ompi/collbench with
# mpicc.openmpi, bench/build/mpich/collbench with mpicc.mpich: `make
# mpi-builds`), bench/copybw.c and bench/linelat.c; measures copy bandwidth
# and the cache-line exchange floor under a two-rank call; then for every P
# in $PS and every round runs, alternating, per collective: collbench's
# algorithms with rank threads (-A all, which includes "auto") and the MPI
# libraries' own collectives as collbench's "mpi" rows under each launcher
# (mpirun -np P collbench C -A mpi: the same timing loop, check iterations
# and goldens as collbench's rows), over two size ranges (8 B .. 1 MiB with
# $SMALL_N iterations, 2 MiB .. max with $LARGE_N), and prints one table per
# collective and P (best of $ROUNDS rounds for every implementation alike)
# plus a summary against the targets of issue 8. The same text goes to
# bench/RESULTS.md. Raw outputs stay in bench/out/.
#
# Environment knobs (defaults): PS="2 4 8 16" ROUNDS=2 SMALL_N=200
# SMALL_W=20 LARGE_N=5 LARGE_W=2 (SMALL_N x 10 where every rank has a CPU);
# max size 64 MiB for P <= 4, 32 MiB for P = 8 and 16 MiB for P = 16
# (memory and run time; MAX_P8, MAX_P16 override). COLLS (the five) and
# RANGES ("small large") narrow a run; RESULTS names its report (default
# bench/RESULTS.md). PEER_TIMEOUT=300: seconds one collective's -A mpi run
# under one MPI may take; oversubscribed MPICH busy-polls and is time-slice
# bound, so at P = 16 it may not finish: collbench stops on the SIGINT with
# the rows it finished, the points it did not reach print as "-".
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=${BENCH_BUILD:-$ROOT/bench/build}
OUT=${BENCH_OUT:-$ROOT/bench/out}
PS=${PS:-"2 4 8 16"}
ROUNDS=${ROUNDS:-2}
SMALL_N=${SMALL_N:-200}; SMALL_W=${SMALL_W:-20}
LARGE_N=${LARGE_N:-5}; LARGE_W=${LARGE_W:-2}
MAX_P8=${MAX_P8:-32M}; MAX_P16=${MAX_P16:-16M}
PEER_TIMEOUT=${PEER_TIMEOUT:-300}
COLLS=${COLLS:-"allreduce allgather reduce_scatter broadcast alltoall"}
RANGES=${RANGES:-"small large"}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

need=""
command -v mpicc.openmpi >/dev/null || need="$need openmpi-bin libopenmpi-dev"
command -v mpicc.mpich >/dev/null || need="$need mpich libmpich-dev"
command -v python3 >/dev/null || need="$need python3"
if [ -n "$need" ]; then
	if [ "$(id -u)" = 0 ]; then
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $need
	else
		echo "bench/run.sh: missing packages:$need (install them, or run as root)" >&2
		exit 2
	fi
fi

mkdir -p "$B" "$OUT"
rm -f "$OUT"/*.txt
make -s -C "$ROOT" -j2 BUILD="$B/cb" BIN="$B/collbench" >/dev/null
make -s -C "$ROOT" -j2 BUILDROOT="$B" mpi-builds >/dev/null
CB=$B/collbench
cc -O2 -pthread -o "$B/copybw" "$ROOT/bench/copybw.c"
cc -O2 -pthread -o "$B/linelat" "$ROOT/bench/linelat.c"

START=$(date +%s)
{
	echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "command: sh bench/run.sh  (PS=\"$PS\" COLLS=\"$COLLS\" RANGES=\"$RANGES\" ROUNDS=$ROUNDS SMALL_N=$SMALL_N SMALL_W=$SMALL_W LARGE_N=$LARGE_N LARGE_W=$LARGE_W MAX_P8=$MAX_P8 MAX_P16=$MAX_P16 PEER_TIMEOUT=$PEER_TIMEOUT)"
	echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) online CPUs, $(lscpu | sed -n 's/^Hypervisor vendor: *//p' | sed 's/^\(.\)/hypervisor \1/')"
	echo "caches: $(lscpu | grep -E '^L[123]' | sed 's/  */ /g' | tr '\n' ';')"
	echo "memory: $(free -g | awk '/Mem:/{print $2" GiB"}'), NUMA nodes: $(lscpu | sed -n 's/^NUMA node(s): *//p')"
	echo "kernel: $(uname -r); compiler: $(cc --version | head -1)"
	echo "Open MPI: $(mpirun.openmpi --version 2>/dev/null | head -1); MPICH: $(mpichversion 2>/dev/null | sed -n 's/MPICH Version: *//p' | head -1)"
	echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "copy_bw_GBs: $("$B/copybw" 64 "$(nproc)" 10)"
	echo "copy_bw_1rank_GBs: $("$B/copybw" 64 1 10)"
	echo "line_exchange_us: $("$B/linelat")"
} > "$OUT/machine.txt"
cat "$OUT/machine.txt"

maxfor() {
	case $1 in
	8) echo "$MAX_P8" ;;
	16) echo "$MAX_P16" ;;
	*) echo 64M ;;
	esac
}

# mpi_rows LIB LAUNCHER COLL: the library's own COLL as collbench's "mpi"
# rows, under its launcher, at the loop's P, sizes and iterations (the
# output is collbench's table, as cb_*.txt; tables.py reads both alike).
mpi_rows() {
	f="$OUT/${1}_${P}_${R}_${range}_${3}.txt"
	timeout -s INT "$PEER_TIMEOUT" $2 -np "$P" "$B/$1/collbench" "$3" -b $b -e "$e" -f 2 \
		-n "$n" -w "$w" -c 1 -A mpi -T 600 > "$f" 2>&1 ||
		echo "$1 $3 P=$P failed or timed out: see $f" >&2
}

for P in $PS; do
	MAX=$(maxfor "$P")
	for R in $(seq 1 "$ROUNDS"); do
		for range in $RANGES; do
			if [ $range = small ]; then b=8; e=1M; n=$SMALL_N; w=$SMALL_W
			else b=2M; e=$MAX; n=$LARGE_N; w=$LARGE_W; fi
			# fewer iterations when oversubscribed: MPI libraries that poll
			# are time-slice bound there
			[ $range = small ] && [ "$P" -gt "$(nproc)" ] && n=$((n / 4 + 1))
			# and more where a call takes well under a microsecond (the
			# VM's noise is of that order)
			[ $range = small ] && [ "$P" -le "$(nproc)" ] && n=$((n * 10))
			echo "P=$P round $R $range: collbench, Open MPI, MPICH" >&2
			for c in $COLLS; do
				"$CB" "$c" -g "$P" -b $b -e "$e" -f 2 -n "$n" -w "$w" -c 1 -A all -T 600 \
					> "$OUT/cb_${P}_${R}_${range}_${c}.txt" 2>&1 ||
					echo "collbench $c P=$P failed: see $OUT/cb_${P}_${R}_${range}_${c}.txt" >&2
			done
			for c in $COLLS; do
				mpi_rows ompi "mpirun.openmpi --oversubscribe" "$c"
				mpi_rows mpich mpirun.mpich "$c"
			done
		done
	done
done
{
	echo "line_exchange_us_at_end: $("$B/linelat")"
	echo "elapsed_s: $(($(date +%s) - START))"
} >> "$OUT/machine.txt"
python3 "$ROOT/bench/tables.py" "$OUT" | tee "${RESULTS:-$ROOT/bench/RESULTS.md}"
