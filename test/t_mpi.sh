# t_mpi.sh: the MPI transport end to end, under Open MPI ($OMPI_COLLBENCH,
# mpirun.openmpi --oversubscribe) and MPICH ($MPICH_COLLBENCH,
# mpirun.mpich): every collective x algorithm over 2, 3 and 4 processes with
# shared windows and (a smaller matrix) RMA windows, 0 wrong; the same rows
# and #wrong as the thread transport, also under --inject corrupt; a dying
# process ends the job (non-zero, bounded time, a message), a hang too; -g is
# rejected; only rank 0 prints; the issue's command passes. A flavour that
# is not built (or whose mpirun is missing) prints "ok - ... # SKIP" lines.
# Every mpirun runs under timeout.
. test/lib.sh

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
OMPI_RUN="mpirun.openmpi --oversubscribe"
MPICH_RUN="mpirun.mpich"
# The matrices: every row checked twice; two timed iterations back to back
# and no warm-up (the timed loop is not judged here; the issue's command
# below runs the default 20 and 5): -n 3 -w 1 took 1.5-5 times as long.
SMALL="-b 8 -e 64K -n 2 -w 0 -c 2"
CSV_KEYS='{ print $1","$2","$3","$4","$5","$6","$7","$8",wrong "$15"/"$31 }'

# Without MPI: --transport mpi is unsupported (5); --inject die needs MPI (5).
expect_status "--transport mpi without MPI: exit 5" 5 $COLLBENCH allreduce --transport mpi
[ "$(wc -l <"$TMPD/err")" = 1 ] && ok "--transport mpi without MPI: one line" ||
	notok "--transport mpi without MPI: one line ($(wc -l <"$TMPD/err"))"
expect_status "--inject die with threads: exit 5" 5 $COLLBENCH allreduce -g 2 --inject die
expect_usage_error "--transport bogus" $COLLBENCH allreduce --transport bogus
expect_usage_error "--mpi-window bogus" $COLLBENCH allreduce --mpi-window bogus

# timed NAME LIMIT WANT cmd...: exit WANT ("nonzero": any but 0) within LIMIT s
timed() {
	name=$1 limit=$2 want=$3
	shift 3
	t0=$(date +%s)
	"$@" >"$TMPD/out" 2>"$TMPD/err"
	got=$?
	dt=$(($(date +%s) - t0))
	if { [ "$want" = nonzero ] && [ "$got" != 0 ] && [ "$got" != 124 ]; } || [ "$got" = "$want" ]; then
		ok "$name: exit $got"
	else
		notok "$name: exit $got, want $want"
		sed 's/^/#   stderr: /' "$TMPD/err" | head -5
	fi
	[ "$dt" -le "$limit" ] && ok "$name: ended in $dt s (limit $limit)" ||
		notok "$name: ended in $dt s (limit $limit)"
}

# (barrier central needs mapped windows: not applicable over MPI RMA
# windows, so its thread rows have no counterpart there.)
csv_keys() { tail -n +2 "$1" | grep -v '^[0-9]*,barrier,central,' | awk -F, "$CSV_KEYS"; }

# flavour NAME BINARY "LAUNCHER" RMA_NPS
flavour() {
	fl=$1 bin=$2 run=$3 rma_nps=$4
	if [ ! -x "$bin" ] || ! command -v ${run%% *} >/dev/null; then
		for part in "matrix" "-J placement" "rma matrix" "same results as threads" "corrupt" "dying rank" \
			"hang" "slow proxy reaper" "finalize stuck in PMI" "exchange hang" "usage errors" "existing -J file" "-g" "-t 1 -g 1" "-t 1 -g 1 header" "SIGINT" "issue command"; do
			skip "$fl: $part" "$fl not built or ${run%% *} missing"
		done
		return
	fi
	# Every collective x algorithm, shared windows (one node: auto).
	# (Each matrix run also writes its CSV: the comparison with threads
	# below reads it instead of running the same matrix again.)
	for np in 2 3 4; do
		expect_status "$fl np=$np all -A all (shared windows)" 0 \
			timeout 180 $run -np $np $bin all -A all $SMALL -q --csv "$TMPD/$fl-shared-$np.csv"
		expect_zero_wrong "$fl np=$np shared: 0 wrong" "$TMPD/out"
		expect_grep "$fl np=$np: shared windows" "^# Transport: MPI .* $np processes on 1 host, shared" "$TMPD/out"
	done
	# Only rank 0 prints: a section per collective (as with threads), one
	# run verdict.
	ncoll=$($bin list --names | awk '{print $1}' | sort -u | wc -l)
	[ "$(grep -c '^# Collective test starting' "$TMPD/out")" = "$ncoll" ] &&
		[ "$(grep -c '^# Out of bounds values' "$TMPD/out")" = "$ncoll" ] &&
		[ "$(grep -c '^# collbench all: ' "$TMPD/out")" = 1 ] && ok "$fl: only rank 0 prints" ||
		notok "$fl: only rank 0 prints"
	expect_grep "$fl: the placement block lists every rank with host and PU" \
		"^#  Rank  3 Group  0 Pid +[0-9]+ on +[^ ]+ device  0 \\[cpu\\] PU +[0-9]+ allowed PUs" "$TMPD/out"
	# -J under MPI: every rank's host, pid and PU (gathered to rank 0).
	rm -f "$TMPD/m.json"
	timeout 60 $run -np 3 $bin allreduce -b 8 -e 64 -q -J "$TMPD/m.json" >/dev/null 2>&1
	if python3 -c 'import json, sys
rs = json.load(open(sys.argv[1]))["placements"][0]["ranks"]
sys.exit(0 if len(rs) == 3 and all(r["host"] and r["pid"] > 0 and r["ran_on"] >= 0 for r in rs) else 1)' "$TMPD/m.json" 2>/dev/null
	then ok "$fl -J: every rank's host, pid and PU"; else notok "$fl -J: every rank's host, pid and PU"; fi
	# RMA windows (the across-machines path), forced on one node.
	for np in $rma_nps; do
		expect_status "$fl np=$np all -A all (rma windows)" 0 \
			timeout 180 $run -np $np $bin all -A all $SMALL -q --mpi-window rma --csv "$TMPD/$fl-rma-$np.csv"
		expect_zero_wrong "$fl np=$np rma: 0 wrong" "$TMPD/out"
		expect_grep "$fl np=$np: rma windows" "^# Transport: MPI .* rma \(MPI_Win_allocate\)" "$TMPD/out"
	done
	# The same rows and #wrong as the thread transport, for the same options
	# (the MPI side: the matrix runs' CSV files above).
	for wn in "shared 3" "rma ${rma_nps##* }"; do
		set -- $wn
		mpi_csv=$TMPD/$fl-$1-$2.csv
		rm -f "$TMPD/thr.csv"
		$COLLBENCH all -A all -g $2 $SMALL -q --csv "$TMPD/thr.csv" >/dev/null 2>&1
		if [ -s "$mpi_csv" ] && [ "$(csv_keys "$TMPD/thr.csv")" = "$(csv_keys "$mpi_csv")" ]; then
			ok "$fl np=$2 $1: same rows and #wrong as threads -g $2 ($(csv_keys "$mpi_csv" | wc -l) rows)"
		else
			notok "$fl np=$2 $1: same rows and #wrong as threads -g $2"
			diff "$TMPD/thr.csv" "$mpi_csv" 2>&1 | head -4 | sed 's/^/#   /'
		fi
	done
	# The checker fails on broken output, with the same counts as threads.
	C="allreduce -b 64 -e 4K -f 8 -n 2 -q --inject corrupt"
	rm -f "$TMPD/mpi.csv" "$TMPD/thr.csv"
	$COLLBENCH $C -g 4 --csv "$TMPD/thr.csv" >/dev/null 2>&1
	expect_status "$fl np=4 --inject corrupt: exit 7" 7 timeout 60 $run -np 4 $bin $C --csv "$TMPD/mpi.csv"
	nbad=$(csv_keys "$TMPD/mpi.csv" | grep -c 'wrong 1/1$')
	if [ "$nbad" -gt 0 ] && [ "$(csv_keys "$TMPD/thr.csv")" = "$(csv_keys "$TMPD/mpi.csv")" ]; then
		ok "$fl --inject corrupt: the same wrong counts as threads ($nbad rows with 1/1)"
	else
		notok "$fl --inject corrupt: the same wrong counts as threads ($nbad rows with 1/1)"
	fi
	# A process dying mid-run ends the job: non-zero, promptly, with a message.
	timed "$fl np=4 --inject die" 30 nonzero timeout 60 $run -np 4 $bin allreduce -b 8 -e 64K -n 20 -q --inject die
	expect_grep "$fl --inject die: the dying rank says so" "rank 3: --inject die: exiting with status 9" "$TMPD/err"
	# A hang (a lost notify) ends in the watchdog's report, and the job ends.
	timed "$fl np=3 drop-notify -T 2" 30 nonzero timeout 60 $run -np 3 $bin allreduce -b 64 -e 64 -n 2 -q -T 2 --inject drop-notify
	expect_grep "$fl drop-notify: hang report names the cell" "timeout: MPI rank [0-9] .* made no progress|waits on cell" "$TMPD/err"
	# MPICH's hydra proxy records 1 for a rank whose PMI socket closes
	# before PMI finalize, and that replaces the rank's real status when
	# the proxy sees the close before it reaps the rank (CI: 1 for 4,
	# once). A slow reaper in the proxy (test/hosts/slow_reap.c) makes that
	# order happen every time; a leaving rank says PMI finalize first
	# (src/mpi/mpi_leave.c), so the hang's 4 is what mpiexec returns
	# (before: 1 in every run).
	if [ "$fl" = MPICH ]; then
		if ${CC:-cc} -shared -fPIC -o "$TMPD/slow_reap.so" test/hosts/slow_reap.c -ldl 2>"$TMPD/cc.err"; then
			timed "$fl np=2 drop-notify -T 2, slow proxy reaper" 40 4 env LD_PRELOAD="$TMPD/slow_reap.so" \
				timeout -k 5 60 $run -np 2 $bin allreduce -b 64 -e 64 -n 2 -q -T 2 --inject drop-notify
		else
			notok "$fl: build test/hosts/slow_reap.c"
			sed 's/^/#   /' "$TMPD/cc.err" | head -3
		fi
		# MPI_Finalize stuck reading the PMI socket (MPICH's PMI barrier
		# after Ctrl-C across hosts; test/hosts/finalize_pmi.c): the bound
		# (-T 2) leaves with the run's 0, the guard alone reading the
		# proxy's answer to its PMI finalize (before: the library read it
		# and aborted, exit 15, in 2 of 3 runs; three runs here).
		if ${CC:-cc} -shared -fPIC -o "$TMPD/finalize_pmi.so" test/hosts/finalize_pmi.c -ldl 2>"$TMPD/cc.err"; then
			for i in 1 2 3; do
				timed "$fl np=2 finalize stuck in PMI, -T 2: exit 0 (run $i)" 30 0 env LD_PRELOAD="$TMPD/finalize_pmi.so" \
					timeout -k 5 60 $run -np 2 $bin allreduce -b 8 -e 8 -n 2 -q -T 2
			done
		else
			notok "$fl: build test/hosts/finalize_pmi.c"
			sed 's/^/#   /' "$TMPD/cc.err" | head -3
		fi
	fi
	# A hang in the exchange after a row: rank 0 never returns from its
	# first MPI_Ibcast (test/hosts/hang_bcast.c), so every rank waits in the
	# exchange; each report says so (before: the row's stale "timed").
	if ${CC:-cc} -shared -fPIC -o "$TMPD/hang_bcast.so" test/hosts/hang_bcast.c -ldl 2>"$TMPD/cc.err"; then
		timed "$fl np=2 hang in the exchange -T 3" 40 4 env LD_PRELOAD="$TMPD/hang_bcast.so" \
			timeout -k 5 60 $run -np 2 $bin allreduce -b 8 -e 8 -n 2 -q -T 3
		[ "$(grep -Ec '^collbench:   rank [01]: allreduce/[a-z]+ size 8 phase exchange ' "$TMPD/err")" = 2 ] &&
			ok "$fl hang in the exchange: both ranks report phase exchange" ||
			{ notok "$fl hang in the exchange: both ranks report phase exchange"; grep '  rank' "$TMPD/err" | sed 's/^/#   /'; }
	else
		notok "$fl: build test/hosts/hang_bcast.c"
		sed 's/^/#   /' "$TMPD/cc.err" | head -3
	fi
	# -g: the rank count is mpirun's -np.
	expect_status "$fl -g under MPI: exit 6" 6 timeout 60 $run -np 2 $bin allreduce -g 2
	[ "$(grep -c '^collbench:' "$TMPD/err")" = 1 ] && [ ! -s "$TMPD/out" ] &&
		ok "$fl -g under MPI: one line, nothing on stdout" ||
		notok "$fl -g under MPI: one line, nothing on stdout ($(grep -c '^collbench:' "$TMPD/err") lines)"
	# A usage error in the command line (parsed before MPI_Init) or in the
	# plans (after it) is every rank's: said once (rank 0), exit 6.
	for a in "-b foo" "-A bogus"; do
		expect_status "$fl $a under MPI: exit 6" 6 timeout -k 5 60 $run -np 2 $bin allreduce $a
		n=$(grep -c '^collbench:' "$TMPD/err")
		[ "$n" = 1 ] && ok "$fl $a under MPI: said once" ||
			{ notok "$fl $a under MPI: said once ($n lines)"; grep '^collbench:' "$TMPD/err" | sed 's/^/#   /'; }
	done
	# Only rank 0 checks the output files: an existing -J file ends every
	# rank at once, exit 6, said once (before: the other ranks waited in
	# setup for the 60 s watchdog under MPICH).
	echo old >"$TMPD/exists.json"
	timed "$fl np=4 existing -J file" 20 6 timeout -k 5 90 $run -np 4 $bin allreduce -b 8 -e 8 -J "$TMPD/exists.json"
	n=$(grep -c '^collbench:' "$TMPD/err")
	[ "$n" = 1 ] && [ "$(cat "$TMPD/exists.json")" = old ] && ok "$fl existing -J file: said once, file kept" ||
		notok "$fl existing -J file: said once, file kept ($n lines)"
	# nccl-tests' usual MPI line: one rank per process says -t 1 -g 1.
	expect_status "$fl nccl-tests' -t 1 -g 1 under MPI" 0 timeout 60 $run -np 2 $bin allreduce -t 1 -g 1 -b 8 -e 1K -q --nccl-compat
	expect_grep "$fl -t 1 -g 1: nThread 1 nGpus 1" "^# nThread 1 nGpus 1 minBytes 8 maxBytes 1024 " "$TMPD/out"
	# SIGINT to the launcher inside a long timed loop: the launcher passes
	# a signal on (Open MPI as SIGTERM), rank 0 stops every rank at the next
	# checkpoint, and the interrupted row and footer are printed.
	timeout 60 $run -np 2 $bin allreduce -b 256K -e 256K -A ring -n 1000000000 -w 3 -q \
		>"$TMPD/out" 2>"$TMPD/err" &
	lpid=$!
	sleep 4
	# To the launcher itself (timeout would also signal its process group,
	# and a second SIGINT makes MPICH's launcher abort at once).
	t0=$(date +%s)
	pkill -INT -P $lpid
	wait $lpid
	st=$?
	dt=$(($(date +%s) - t0))
	# Open MPI's mpirun returns 1. MPICH's mpiexec returns the processes'
	# 130 or, racing with its own Ctrl-C handling, 0 (2 of 11 runs here with
	# every rank exiting 130): there the footer's status is the verdict.
	if [ "$fl" = MPICH ]; then lgood='[ "$st" = 0 ] || [ "$st" = 130 ]'; else lgood='[ "$st" != 0 ]'; fi
	eval "$lgood" && [ "$st" != 124 ] && [ "$dt" -le 10 ] && ok "$fl SIGINT mid-loop: launcher exit $st after $dt s" ||
		notok "$fl SIGINT mid-loop: launcher ended within 10 s as documented (got $st after $dt s)"
	# MPICH's launcher reports the Ctrl-C on stdout: keep collbench's lines.
	grep -E '^(#| +[0-9])' "$TMPD/out" >"$TMPD/sig.out"
	expect_grep "$fl SIGINT mid-loop: the ranks' agreed status is 130 or 143" \
		"^# Interrupted +: SIG(INT|TERM) after [0-9]+ rows \(exit status (130|143)\)" "$TMPD/sig.out"
	expect_zero_wrong "$fl SIGINT mid-loop: the interrupted row, 0 wrong" "$TMPD/sig.out"
	expect_grep "$fl SIGINT mid-loop: footer says interrupted" \
		"^# Interrupted +: SIG(INT|TERM) after 1 rows" "$TMPD/sig.out"
	t0=$(date +%s)
	# The issue's command as typed under Open MPI. Oversubscribed (4 ranks,
	# 2 PUs), MPICH's blocking collectives in the exchange after each row
	# polled without yielding: 48 s with 2 timed iterations, 100 s with the
	# default 20, until the exchange completed nonblocking calls itself
	# (src/mpi/transport_mpi.c): 8-14 s as typed on a quiet machine, but 35 s
	# beside t_dtypes's 8 rank threads. There the same rows, the same checks,
	# 2 timed iterations (about 8 s).
	if [ "$fl" = MPICH ]; then iters="-n 2 -w 1"; else iters=; fi
	expect_status "$fl: -np 4 all -b 8 -e 1M $iters" 0 timeout 300 $run -np 4 $bin all -b 8 -e 1M $iters -q
	expect_zero_wrong "$fl: -np 4 all -b 8 -e 1M: 0 wrong ($(($(date +%s) - t0)) s)" "$TMPD/out"
}

flavour "Open MPI" "${OMPI_COLLBENCH:-}" "$OMPI_RUN" "2 3 4"
# MPICH's RMA (ch4:ucx) is time-slice bound when processes outnumber PUs
# (its blocking flushes poll without yielding): the RMA matrix runs at np 2.
flavour "MPICH" "${MPICH_COLLBENCH:-}" "$MPICH_RUN" "2"

done_testing
