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
done

done_testing
