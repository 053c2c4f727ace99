# t_runner.sh: the test runner fails closed. test/run.sh is run on small
# test files made here: a unit binary that crashes at exit after its last
# check, a script killed after its first check, a script that exits early
# (no plan), a script whose plan disagrees with its checks, a skipped check
# (a failure under CI only), an unknown name; each must turn the run red
# with the file named, and good files must pass.
. test/lib.sh

R=$TMPD/runner
mkdir -p "$R/bin" "$R/scripts"
top=$(pwd)
cat >"$R/crash.c" <<'C'
#include <signal.h>
#include <stdlib.h>
#include "unit.h"
static void crash(void) { raise(SIGSEGV); }
int main(void)
{
	atexit(crash);
	CHECK(1, "a check before the crash");
	UNIT_EXIT();
}
C
cat >"$R/good.c" <<'C'
#include "unit.h"
int main(void)
{
	CHECK(1, "one");
	CHECK(2 > 1, "two");
	UNIT_EXIT();
}
C
if ! cc -I"$top/test" -o "$R/bin/unit_crash" "$R/crash.c" || ! cc -I"$top/test" -o "$R/bin/unit_good" "$R/good.c"; then
	notok "runner: cannot compile the sample unit tests"
	done_testing
fi
printf '. test/lib.sh\nok "first"\nkill -9 $$\nok "second"\ndone_testing\n' >"$R/scripts/t_killed.sh"
printf '. test/lib.sh\nok "first"\nexit 0\nok "second"\ndone_testing\n' >"$R/scripts/t_early.sh"
printf '. test/lib.sh\nok "first"\necho 1..3\n' >"$R/scripts/t_badplan.sh"
printf '. test/lib.sh\nok "first"\nnotok "second"\ndone_testing\n' >"$R/scripts/t_failing.sh"
printf '. test/lib.sh\nok "first"\nskip "second" "no frobnicator here"\ndone_testing\n' >"$R/scripts/t_skips.sh"
printf '. test/lib.sh\nok "first"\n( ok "in a subshell" )\ndone_testing\n' >"$R/scripts/t_good.sh"

# runner NAME CI names...: the nested run's output in $R/NAME.out, status in $st
runner() {
	out=$R/$1.out ci=$2
	shift 2
	CI=$ci TEST_BIN_DIR=$R/bin TEST_SCRIPT_DIR=$R/scripts bash test/run.sh "$@" >"$out" 2>&1
	st=$?
}
# red NAME PATTERN names...: the nested run (CI=$RED_CI, default false)
# fails and names the file
red() {
	name=$1 pat=$2
	shift 2
	runner "$name" "${RED_CI:-false}" "$@"
	if [ "$st" != 0 ] && grep -Eq "$pat" "$R/$name.out" && tail -1 "$R/$name.out" | grep -Eq '^[0-9]+ passed, [1-9][0-9]* failed'; then
		ok "runner: $name turns the run red (exit $st)"
	else
		notok "runner: $name turns the run red (exit $st)"
		tail -5 "$R/$name.out" | sed 's/^/#   /'
	fi
}
red "unit test crashing at exit" '^not ok - unit_crash: killed by SIGSEGV' unit_crash
red "script killed after its first check" '^not ok - t_killed: killed by SIGKILL' t_killed
red "script exiting early" '^not ok - t_early: no plan' t_early
red "plan mismatch" '^not ok - t_badplan: planned 3 checks, made 1' t_badplan
red "a failing check" '^not ok - second' t_failing
red "one bad file among good ones" '^not ok - unit_crash' unit_good t_good unit_crash

runner good false unit_good t_good
[ "$st" = 0 ] && [ "$(tail -1 "$R/good.out")" = "4 passed, 0 failed, 0 skipped" ] &&
	ok "runner: good files pass (4 checks, one made in a subshell)" ||
	notok "runner: good files pass ($st: $(tail -1 "$R/good.out"))"
runner skips false t_skips
[ "$st" = 0 ] && [ "$(tail -1 "$R/skips.out")" = "1 passed, 0 failed, 1 skipped" ] &&
	grep -q '# SKIP no frobnicator here' "$R/skips.out" && ok "runner: a skip is shown and counted" ||
	notok "runner: a skip is shown and counted ($st: $(tail -1 "$R/skips.out"))"
RED_CI=true red "a skip under CI" '^not ok - t_skips: skipped under CI: second # SKIP no frobnicator here' t_skips
runner unknown false t_nonesuch
[ "$st" = 2 ] && grep -q "no test named 't_nonesuch'" "$R/unknown.out" && ok "runner: an unknown test name is an error" ||
	notok "runner: an unknown test name is an error ($st)"

done_testing
