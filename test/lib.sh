# test/lib.sh: assertions for the end-to-end scripts test/t_*.sh.
# Each assertion prints "ok - NAME" or "not ok - NAME" (plus why). A script
# ends with done_testing, which prints the TAP plan "1..N" (N = the checks
# it made); test/run.sh fails a script whose plan is missing or does not
# match its checks, or whose exit status is not 0, so a script that dies
# half way cannot pass by losing its remaining checks. $COLLBENCH is the
# binary under test.
: "${COLLBENCH:=./collbench}"
TMPD=${TMPD:-$(mktemp -d)}
# One line per check, appended (checks made in subshells count too).
CHECKS_FILE=$TMPD/.checks.$$
: >"$CHECKS_FILE"

ok() { echo "ok - $*"; echo >>"$CHECKS_FILE"; }
notok() { echo "not ok - $*"; echo >>"$CHECKS_FILE"; }
# skip NAME REASON: a check that cannot run here, said so (run.sh counts it
# as a failure under CI, where everything the suite needs is installed).
skip() { echo "ok - $1 # SKIP $2"; echo >>"$CHECKS_FILE"; }

# done_testing: the last line of every script; the plan, then exit 0.
done_testing() {
	echo "1..$(wc -l <"$CHECKS_FILE" | tr -d ' ')"
	rm -f "$CHECKS_FILE"
	exit 0
}

# expect_status NAME STATUS cmd...: run cmd, stdout/stderr to $TMPD/out,err
expect_status() {
	name=$1 want=$2
	shift 2
	"$@" >"$TMPD/out" 2>"$TMPD/err"
	got=$?
	if [ "$got" = "$want" ]; then ok "$name"; else
		notok "$name (exit $got, want $want)"
		sed 's/^/#   stderr: /' "$TMPD/err" | head -5
		grep -v '^#' "$TMPD/out" | sed 's/^/#   stdout: /' | head -5
	fi
}

# expect_usage_error NAME cmd...: exit 6, exactly one line on stderr naming
# something, nothing on stdout.
expect_usage_error() {
	name=$1
	shift
	"$@" >"$TMPD/out" 2>"$TMPD/err"
	got=$?
	lines=$(wc -l <"$TMPD/err")
	if [ "$got" = 6 ] && [ "$lines" = 1 ] && [ ! -s "$TMPD/out" ]; then ok "$name"; else
		notok "$name (exit $got, $lines stderr lines, $(wc -c <"$TMPD/out") stdout bytes)"
		sed 's/^/#   stderr: /' "$TMPD/err" | head -5
	fi
}

# expect_grep NAME PATTERN FILE: FILE has a line matching the ERE PATTERN
expect_grep() {
	if grep -Eq "$2" "$3"; then ok "$1"; else
		notok "$1 (no line matches /$2/ in $(basename "$3"))"
		{ head -c 2000 "$3"; echo; } | sed 's/^/#   /'
	fi
}

# rows FILE: the data rows of a report (no comment lines)
rows() { grep -v '^#' "$1"; }

# expect_zero_wrong NAME FILE: every row half reports #wrong 0 and the
# footer says OK. Columns: 6 prefix, then (time algbw busbw #wrong) x 2.
expect_zero_wrong() {
	bad=$(rows "$2" | awk '{ if ($10 != "0" || ($14 != "0" && $14 != "N/A")) print }' | head -3)
	n=$(rows "$2" | wc -l)
	if [ -z "$bad" ] && [ "$n" -gt 0 ] && grep -q '^# Out of bounds values : 0 OK' "$2"; then
		ok "$1 ($n rows)"
	else
		notok "$1 ($n rows)"
		echo "$bad" | sed 's/^/#   /'
	fi
}
