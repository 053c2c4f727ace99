# t_mpi_native.sh: algorithm "mpi", the MPI library's own collectives, with
# both MPI builds ($OMPI_COLLBENCH, $MPICH_COLLBENCH; `make mpi-builds`):
# every collective's mpi rows next to collbench's auto with 0 wrong, the
# header names the library, every MPI datatype and op checked, the types
# and ops MPI lacks not applicable (never emulated), and mpi is neither in
# -A all nor applicable with rank threads. The v-collectives' rows run with
# uneven counts (--skew, zero-size blocks at P=3), barrier and reduce_local
# at P = 2 and 3; MPI_Reduce in place at a root other than 0 is not
# applicable under MPICH 4.0/4.1 (pmodels/mpich#6540: it crashes there).
. test/lib.sh

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
: "${OMPI_COLLBENCH:=build/ompi/collbench}" "${MPICH_COLLBENCH:=build/mpich/collbench}"

# Without MPI there is no mpi algorithm: a usage error, not an empty run.
expect_usage_error "no MPI in this build: -A mpi is an unknown algorithm" \
	$COLLBENCH allreduce -g 2 -A mpi -b 64 -e 64

# new_rows LABEL FILE COLL:ROWS...: FILE has ROWS mpi rows of each COLL
# (the collectives added after the first nine; their #wrong is judged with
# the whole run's).
new_rows() {
	local label=$1 f=$2 c want got
	shift 2
	for c; do
		want=${c#*:} c=${c%%:*}
		got=$(awk -v c="$c" '/^# Collective: / { cur = $3 } !/^#/ && cur == c && $6 == "mpi" { n++ }
			END { print n + 0 }' "$f")
		[ "$got" = "$want" ] && ok "$label: $c mpi rows ($got)" ||
			notok "$label: $c mpi rows ($got of $want)"
	done
}

for fl in ompi mpich; do
	if [ $fl = ompi ]; then
		bin=$OMPI_COLLBENCH launcher=mpirun.openmpi run="mpirun.openmpi --oversubscribe"
		lib="Open MPI v[0-9]" iters="-n 2 -w 1"
	else
		bin=$MPICH_COLLBENCH launcher=mpirun.mpich run="mpirun.mpich"
		# MPICH's waits spin without yielding: with 4 processes on fewer
		# cores a call costs time slices, so fewer iterations per row.
		lib="MPICH [0-9]" iters="-n 1 -w 0"
	fi
	if [ ! -x "$bin" ] || ! command -v $launcher >/dev/null; then
		skip "$fl: mpi rows" "no $fl build ($bin) or no $launcher (make mpi-builds)"
		continue
	fi
	# The issue's command: every collective, mpi beside auto, 8 B .. 1 MiB.
	t0=$(date +%s)
	expect_status "$fl: -np 4 all -A mpi,auto -b 8 -e 1M: exit 0" 0 \
		timeout -k 5 90 $run -np 4 $bin all -A mpi,auto -b 8 -e 1M $iters -q
	expect_zero_wrong "$fl: -np 4 all -A mpi,auto: 0 wrong ($(($(date +%s) - t0)) s)" "$TMPD/out"
	# Every collective has its mpi rows (barrier: one, it has no size).
	n=$(rows "$TMPD/out" | awk '$6 == "mpi"' | wc -l)
	[ "$n" = 271 ] && ok "$fl: mpi rows for 15 collectives x 18 sizes + barrier ($n)" ||
		notok "$fl: mpi rows for 15 collectives x 18 sizes + barrier ($n)"
	expect_grep "$fl: the header names the MPI library and version" \
		"^# Transport: MPI \($lib" "$TMPD/out"

	# Every datatype and op MPI has, every root, both halves; the
	# v-collectives' blocks uneven, 0, 5 and 12 elements (--skew 1.5).
	# MPICH 4.0.2's MPI_Reduce_scatter compares unsigned integers as signed
	# in min and max (pmodels/mpich#6083): those rows are the library's
	# verdict, said, not judged; any other wrong row fails.
	timeout -k 5 60 $run -np 3 $bin all -A mpi -d int32,uint32,int64,uint64,float,double \
		-o sum,prod,min,max -r all -b 64 -e 64 -n 1 -w 0 -c 2 --skew 1.5 -q >"$TMPD/out" 2>"$TMPD/err"
	st=$?
	awk -v fl=$fl '/^# Collective: / { c = $3 } !/^#/ && ($10 != "0" || ($14 != "0" && $14 != "N/A")) {
		if (fl == "mpich" && c == "reduce_scatterv" && $3 ~ /^uint/ && ($4 == "min" || $4 == "max"))
			print "# note: " fl " " c " " $3 " " $4 ": " $10 " wrong (the library)" >"/dev/stderr"
		else
			print }' "$TMPD/out" >"$TMPD/bad" 2>"$TMPD/notes"
	cat "$TMPD/notes"
	n=$(rows "$TMPD/out" | wc -l)
	if [ ! -s "$TMPD/bad" ] && [ "$n" -gt 0 ] && { [ $st = 0 ] || { [ $st = 7 ] && [ -s "$TMPD/notes" ]; }; }; then
		ok "$fl: -np 3 -A mpi, every MPI dtype, op, root, --skew 1.5: 0 wrong ($n rows, exit $st)"
	else
		notok "$fl: -np 3 -A mpi, every MPI dtype, op, root, --skew 1.5: 0 wrong ($n rows, exit $st)"
		head -3 "$TMPD/bad" "$TMPD/err" | sed 's/^/#   /'
	fi
	new_rows "$fl: np=3, --skew 1.5" "$TMPD/out" barrier:6 alltoallv:6 allgatherv:6 gatherv:18 \
		scatterv:18 reduce_scatterv:24 reduce_local:24
	# P=2, blocks of 0.5 and 1.5 times the mean (--skew 0.5), at 64 B and
	# at 64 KiB (past MPI's eager and short-message switches).
	expect_status "$fl: -np 2 -A mpi --skew 0.5: exit 0" 0 \
		timeout -k 5 60 $run -np 2 $bin all -A mpi -r 1 -b 64 -e 64K -f 1024 -n 1 -w 0 -c 2 \
		--skew 0.5 -q
	expect_zero_wrong "$fl: -np 2 -A mpi --skew 0.5: 0 wrong" "$TMPD/out"
	new_rows "$fl: np=2, --skew 0.5" "$TMPD/out" barrier:1 alltoallv:2 allgatherv:2 gatherv:2 \
		scatterv:2 reduce_scatterv:2 reduce_local:2
	# That run's MPI_Reduce in place at root 1, 64 KiB (above MPICH's
	# short-message size, where its 4.0/4.1 crash).
	if [ $fl = mpich ]; then
		expect_grep "$fl: in place at root 1 is not applicable, naming the issue" \
			"^# mpi: not applicable in place at root 1 \(MPICH 4\.[01]\.[0-9]*'s MPI_Reduce crashes there: pmodels/mpich#6540\)" \
			"$TMPD/out"
	else
		awk '/^# Collective: / { c = $3 } !/^#/ && c == "reduce" && $1 == 65536 && $5 == 1 &&
			$6 == "mpi" && $14 == "0" { n++ } END { exit n != 1 }' "$TMPD/out" &&
			ok "$fl: in place at root 1 runs, 0 wrong" ||
			notok "$fl: in place at root 1 runs, 0 wrong"
	fi
	# collbench list names every collective's mpi row.
	n=$($bin list --names | grep -c ' mpi$')
	[ "$n" = 16 ] && ok "$fl: list names mpi for all 16 collectives" ||
		notok "$fl: list names mpi for all 16 collectives ($n)"
	# 8-bit types are MPI's too; their verdict is the library's (this
	# Debian's Open MPI 4.1.4 saturates int8/uint8 sums in its op/avx
	# component, MPICH 4.0.2 compares uint8 as signed in min/max): said,
	# not judged here, so that a fixed library does not fail the suite.
	timeout -k 5 60 $run -np 3 $bin allreduce -A mpi -d int8,uint8 -o all -b 64 -e 64 -n 1 -w 0 \
		-q >"$TMPD/out8" 2>/dev/null
	rows "$TMPD/out8" | awk -v fl=$fl '$10 != "0" { print "# note: " fl " " $3 " " $4 ": " $10 " wrong (the library)" }'
	# What MPI lacks is not applicable, and says why.
	expect_status "$fl: half, bfloat16, avg: nothing runs, exit 5" 5 \
		timeout -k 5 60 $run -np 2 $bin allreduce -A mpi -d half,bfloat16 -o sum -b 64 -e 64 -n 1 -w 0 -q
	expect_grep "$fl: half is not applicable (not an MPI datatype)" \
		"allreduce mpi: not applicable for half \(not an MPI datatype\)" "$TMPD/err"
	expect_status "$fl: -o avg,sum: the sum row runs" 0 \
		timeout -k 5 60 $run -np 2 $bin allreduce -A mpi -o avg,sum -b 64 -e 64 -n 1 -w 0 -q
	expect_grep "$fl: avg is not applicable (not an MPI reduction)" \
		"^# mpi: not applicable for op avg \(not an MPI reduction\)" "$TMPD/out"
	# -A all is collbench's algorithms: t_mpi compares its rows with threads.
	timeout -k 5 60 $run -np 2 $bin allreduce -A all -b 64 -e 64 -n 1 -w 0 -q >"$TMPD/out" 2>&1
	[ "$(rows "$TMPD/out" | awk '$6 == "mpi"' | wc -l)" = 0 ] && rows "$TMPD/out" | grep -q mesh &&
		ok "$fl: -A all has no mpi row" || notok "$fl: -A all has no mpi row"
	# Rank threads are not MPI processes.
	expect_status "$fl: --transport threads -A mpi: not applicable, exit 5" 5 \
		timeout -k 5 60 $bin allreduce --transport threads -g 2 -A mpi -b 64 -e 64 -n 1 -w 0 -q
	expect_grep "$fl: with threads mpi says why" "allreduce mpi: not applicable with the thread transport" \
		"$TMPD/err"
	expect_status "$fl: --transport threads barrier -A mpi: not applicable, exit 5" 5 \
		timeout -k 5 60 $bin barrier --transport threads -g 2 -A mpi -n 1 -w 0 -q
done

done_testing
