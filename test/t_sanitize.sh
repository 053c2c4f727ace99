# t_sanitize.sh: a subset of the end-to-end runs under ThreadSanitizer and
# under AddressSanitizer + UndefinedBehaviorSanitizer (built by `make
# sanitizers`); each must exit 0 with no sanitizer report.
. test/lib.sh

# san_run NAME BIN args...: exit 0 and no sanitizer report on stderr
san_run() {
	name=$1 bin=$2
	shift 2
	if [ ! -x "$bin" ]; then
		skip "$name" "sanitizer binary not built"
		return
	fi
	TSAN_OPTIONS="halt_on_error=1 exitcode=66" ASAN_OPTIONS="detect_leaks=1:exitcode=66" \
		UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1" \
		"$bin" "$@" >"$TMPD/out" 2>"$TMPD/err"
	st=$?
	if [ "$st" = 0 ] && ! grep -Eq 'WARNING: ThreadSanitizer|ERROR: AddressSanitizer|runtime error:|ERROR: LeakSanitizer' "$TMPD/err"; then
		ok "$name"
	else
		notok "$name (exit $st)"
		grep -m1 -A8 -E 'WARNING|ERROR|runtime error' "$TMPD/err" | sed 's/^/#   /'
	fi
}

# san_hangs BIN WANT "NAME|args" ...: each run exits WANT with no TSan report; the runs side by
# side. A hang run sleeps in its waits until the watchdog (-T 1) ends it,
# 2.3 s of wall time for 0.2 s of CPU under TSan: one after another they
# took 11.5 s, together 2.5 s, without loading the 2 cores.
san_hangs() {
	bin=$1 want=$2
	shift 2
	if [ ! -x "$bin" ]; then
		for spec; do skip "${spec%%|*}" "sanitizer binary not built"; done
		return
	fi
	i=0
	for spec; do
		i=$((i + 1))
		TSAN_OPTIONS="halt_on_error=1 exitcode=66" "$bin" ${spec#*|} \
			>"$TMPD/hang$i.out" 2>"$TMPD/hang$i.err" &
		eval "hpid$i=\$!"
	done
	i=0
	for spec; do
		i=$((i + 1))
		eval "wait \$hpid$i"
		st=$?
		if [ "$st" = "$want" ] && ! grep -q 'WARNING: ThreadSanitizer' "$TMPD/hang$i.err"; then
			ok "${spec%%|*}"
		else
			notok "${spec%%|*} (exit $st, want $want)"
			grep -m1 -A8 'WARNING' "$TMPD/hang$i.err" | sed 's/^/#   /'
		fi
	done
}

# san_signal NAME BIN SIG WANT args...: SIG after 3 s of the run, then exit
# WANT and no sanitizer report (the handler against the rank threads).
san_signal() {
	name=$1 bin=$2 sig=$3 want=$4
	shift 4
	if [ ! -x "$bin" ]; then
		skip "$name" "sanitizer binary not built"
		return
	fi
	TSAN_OPTIONS="halt_on_error=1 exitcode=66" "$bin" "$@" >"$TMPD/out" 2>"$TMPD/err" &
	pid=$!
	( sleep 60; kill -KILL $pid ) >/dev/null 2>&1 &
	guard=$!
	sleep 3
	kill -"$sig" $pid
	wait $pid
	st=$?
	kill $guard 2>/dev/null
	if [ "$st" = "$want" ] && ! grep -q 'WARNING: ThreadSanitizer' "$TMPD/err"; then
		ok "$name"
	else
		notok "$name (exit $st, want $want)"
		grep -m1 -A8 'WARNING' "$TMPD/err" | sed 's/^/#   /'
	fi
}

# san_twice NAME BIN args...: SIGINT after 3 s, and again 0.3 s later
# while the first still winds the run down: the process ends by SIGINT
# itself (the manual: a second signal ends it at once, by that signal; the
# wait status says signalled, not exit 130), no -J file at the target
# (args end in -J FILE), and no sanitizer report from the second handler
# against the threads still running.
san_twice() {
	name=$1 bin=$2
	shift 2
	if [ ! -x "$bin" ]; then
		skip "$name" "sanitizer binary not built"
		return
	fi
	eval "out=\${$#}"
	rm -f "$out"
	if TSAN_OPTIONS="halt_on_error=1 exitcode=66" python3 test/sigtwice.py 3 0.3 "$TMPD/err" "$out" "$bin" "$@"
	then
		grep -q 'WARNING: ThreadSanitizer' "$TMPD/err" && notok "$name (TSan report)" || ok "$name"
	else
		notok "$name"
	fi
	grep -m1 -A8 'WARNING' "$TMPD/err" | sed 's/^/#   /'
}

# The paths beside the rank threads: the signal handler (SIGINT during
# -N 0, read by rank 0 at its checkpoints) and the watchdog's hang report
# (every hang fault), which reads the ranks' cells while they run.
T=${TSAN_COLLBENCH:-}
san_signal "TSAN SIGINT during -N 0" "$T" INT 130 allreduce -g 2 -b 1K -e 4K -A mesh -n 5 -N 0 -q
san_signal "TSAN SIGHUP during -N 0" "$T" HUP 129 allreduce -g 3 -b 1K -e 4K -A ring -n 5 -N 0 -q
# -N 0 of one long row (-n huge): the first SIGINT ends its timed loop,
# then 10 check iterations of 4 MiB take seconds under TSan.
san_twice "TSAN second SIGINT during -N 0: killed by SIGINT, no file" "$T" \
	allreduce -g 2 -b 4M -e 4M -A ring -n 1000000000 -w 1 -c 10 -N 0 -q -J "$TMPD/twice.json"
san_hangs "$T" 4 \
	"TSAN hang report: drop-notify P=3|allreduce -g 3 -b 64 -e 64 -n 2 -T 1 --inject drop-notify" \
	"TSAN hang report: zero-signal P=3|allreduce -g 3 -b 64 -e 64 -n 2 -c 3 -T 1 --inject zero-signal" \
	"TSAN hang report: drop-notify central barrier P=8|allreduce -g 8 -b 64 -e 64 -n 2 -T 1 -A mesh --inject drop-notify" \
	"TSAN hang report: drop-notify allreduce ll|allreduce -g 3 -b 64 -e 64 -n 2 -T 1 -A ll --inject drop-notify" \
	"TSAN hang report: drop-notify in a --split group|allreduce -g 4 --split %2 -b 64 -e 64 -n 2 -T 1 -A ring --inject drop-notify"

for san in TSAN ASAN; do
	eval bin=\${${san}_COLLBENCH:-}
	for p in 2 3 9; do
		san_run "$san allreduce P=$p, all algorithms, back to back" "$bin" \
			allreduce -g $p -b 4 -e 4100 -f 32 -n 3 -w 1 -c 8
	done
	san_run "$san all collectives P=4" "$bin" all -g 4 -b 8 -e 2K -f 16 -n 2 -w 1 -c 4
	san_run "$san all collectives P=5, every root" "$bin" all -g 5 -b 4 -e 1K -f 16 -r all -n 1 -w 1 -c 3
	# The barrier-free LL algorithms, back to back with random delays and
	# sleeping receivers.
	san_run "$san allreduce ll/mesh P=3, jitter, futex waits" "$bin" \
		allreduce -g 3 -b 4 -e 448 -f 4 -A ll,mesh -n 20 -w 1 -c 50 --jitter 10 --wait futex
	san_run "$san allreduce P=8 on the central barrier, jitter" "$bin" \
		allreduce -g 8 -b 4 -e 4100 -f 32 -A mesh,direct,twophase -n 3 -w 1 -c 8 --jitter 10 --barrier central
	san_run "$san broadcast eager/pull P=3, every root, jitter, futex waits" "$bin" \
		broadcast -g 3 -b 4 -e 448 -f 4 -A eager,pull -r all -n 20 -w 1 -c 50 --jitter 10 --wait futex
	# --split: groups as comm views over the run's windows, side by side,
	# with the run's own barriers between; --cold-cache's rotated buffers.
	san_run "$san all collectives --split %2 P=4, jitter" "$bin" \
		all -g 4 --split %2 -b 8 -e 2K -f 16 -n 2 -w 1 -c 4 --jitter 10
	san_run "$san allreduce --split /2 --cold-cache, sum and mulsum" "$bin" \
		allreduce -g 4 --split /2 --cold-cache --cache-size 32K -b 4 -e 4100 -f 32 -n 3 -w 1 -c 3 -o sum,mulsum
	# unequal groups (3, 1): each group its own size's counts, cells and
	# buffers in the same windows, sized for the largest
	san_run "$san all collectives --split /3 P=4 (groups 3, 1), jitter" "$bin" \
		all -g 4 --split /3 -b 8 -e 2K -f 16 -n 1 -w 1 -c 3 --jitter 10
done

done_testing
