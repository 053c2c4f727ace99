# t_plugin.sh: plug-ins built outside the source tree against a `make
# install DESTDIR=...` copy of collbench/plugin.h and collbench-plugin.pc
# only: the correct example (recursive-doubling allreduce) has 0 wrong under
# -c 200 --jitter 20 at P = 2..8, the broken one (a ring that reuses one
# slot without an ack) is caught every time, and a plug-in that cannot be
# used (bad name, unknown collective, no run function, a taken name, another
# ABI version, not a plug-in) is one line and exit 6.
. test/lib.sh

B=$COLLBENCH
SRC=$PWD
DEST=$TMPD/dest
BUILDD=$TMPD/plugins   # outside the tree: only the installed files are visible

if ! command -v pkg-config >/dev/null; then
	skip "plug-ins build against the installed header" "pkg-config not installed"
	done_testing
fi
make -s install BIN="$B" DESTDIR="$DEST" PREFIX=/usr/local >/dev/null 2>&1
mkdir -p "$BUILDD"
cp "$SRC"/examples/plugins/*.c "$BUILDD"/
# A staged install: the .pc file names /usr/local; the sysroot maps it to $DEST.
export PKG_CONFIG_PATH=$DEST/usr/local/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$DEST
# plugin NAME FILE.c: build $BUILDD/NAME.so the way README tells a user to.
plugin() {
	(cd "$BUILDD" && cc -shared -fPIC -Wall -Wextra -Werror $(pkg-config --cflags collbench-plugin) \
		"$2" -o "$1.so") 2>"$TMPD/cc.err"
}
if [ -f "$DEST/usr/local/include/collbench/plugin.h" ] &&
	[ -f "$DEST/usr/local/lib/pkgconfig/collbench-plugin.pc" ] &&
	[ "$(pkg-config --cflags collbench-plugin | tr -d " ")" = "-I$DEST/usr/local/include" ]; then
	ok "make install DESTDIR: plugin.h and collbench-plugin.pc"
else
	notok "make install DESTDIR: plugin.h and collbench-plugin.pc"
fi
for p in rdouble ring_oneslot; do
	plugin $p $p.c && ok "examples/plugins/$p.c builds outside the tree with pkg-config only" ||
		{ notok "examples/plugins/$p.c builds outside the tree with pkg-config only"; sed 's/^/#   /' "$TMPD/cc.err"; }
done
RD=$BUILDD/rdouble.so BR=$BUILDD/ring_oneslot.so

# Listed, marked, by name in scripts' lists.
$B list --plugin "$RD" >"$TMPD/list" 2>&1
expect_grep "list marks the plug-in algorithm" "^ +rdouble +recursive doubling.*\[plug-in $RD\]$" "$TMPD/list"
$B list --names --plugin "$RD" --plugin "$BR" >"$TMPD/names" 2>&1
expect_grep "list --names: allreduce rdouble" "^allreduce rdouble$" "$TMPD/names"
expect_grep "list --names: two plug-ins" "^allgather ring-oneslot$" "$TMPD/names"

# The correct example: every rank count 2..8, odd ones included, back-to-back
# checked iterations with race shaking, both halves, 0 wrong.
expect_status "rdouble -g 2:8:+1 -c 200 --jitter 20: exit 0" 0 \
	$B allreduce --plugin "$RD" -A rdouble -g 2:8:+1 -b 8 -e 8K -f 32 -n 2 -w 1 -c 200 --jitter 20 -q
cp "$TMPD/out" "$TMPD/rd"
expect_zero_wrong "rdouble P=2..8: 0 wrong in every row half" "$TMPD/rd"
n=$(rows "$TMPD/rd" | awk '$6 == "rdouble"' | wc -l)
[ "$n" = 21 ] && ok "rdouble P=2..8: 3 sizes x 7 rank counts ran ($n rows)" ||
	notok "rdouble P=2..8: 3 sizes x 7 rank counts ran ($n rows)"
# Every dtype and op, at an odd P.
expect_status "rdouble -d all -o all P=3: exit 0" 0 \
	$B allreduce --plugin "$RD" -A rdouble -g 3 -d all -o all -b 64 -e 64 -n 1 -w 0 -c 3 -q
# -A all includes it, beside the built-ins, and JSON carries its rows.
expect_status "-A all with a plug-in: exit 0" 0 \
	$B allreduce --plugin "$RD" -g 3 -b 64 -e 64 -n 1 -w 0 -J "$TMPD/rd.json" -q
[ "$(rows "$TMPD/out" | awk '{print $6}' | grep -c '^rdouble$')" = 1 ] &&
	ok "-A all runs the plug-in's algorithm" || notok "-A all runs the plug-in's algorithm"
expect_grep "JSON rows name the plug-in algorithm" '"rdouble"' "$TMPD/rd.json"

# Verifier features on the correct plug-in: a corrupted output is counted,
# a lost notify is a hang report naming the plug-in's phase.
expect_status "rdouble --inject corrupt: exit 7" 7 \
	$B allreduce --plugin "$RD" -A rdouble -g 3 -b 64 -e 64 -n 1 -w 0 --inject corrupt -q
expect_status "rdouble --inject drop-notify: exit 4" 4 \
	$B allreduce --plugin "$RD" -A rdouble -g 4 -b 64 -e 64 -n 2 -w 0 -T 1 --inject drop-notify -q
expect_grep "hang report names the plug-in algorithm and its phase" \
	"rank [0-9]+: allreduce/rdouble size 64 phase timed .* in 'round [0-9]'" "$TMPD/err"

# The broken example is caught in every run: its schedule forces the race
# (ranks but 0 sleep between their wait and their copy in step 1).
for p in 3 4 5; do
	expect_status "ring-oneslot P=$p: wrong results, exit 7" 7 \
		$B allgather --plugin "$BR" -A ring-oneslot -g $p -b 64 -e 64 -n 1 -w 0 -c 1 -q
	expect_grep "ring-oneslot P=$p: the footer counts the wrong elements" \
		"^# Out of bounds values : [1-9][0-9]* FAILED" "$TMPD/out"
done

# README's walk-through builds and runs as printed.
awk '/^## Writing your own algorithm/ { w = 1 } /^## Measuring/ { w = 0 }
	w && /^    #include/ && !c { c = 1 } c { sub(/^    /, ""); print } c && /^CBP_PLUGIN/ { c = 0 }' \
	"$SRC/README.md" >"$BUILDD/rd.c"
if plugin rd rd.c; then
	ok "README's example builds (-Wall -Wextra -Werror)"
else
	notok "README's example builds (-Wall -Wextra -Werror)"
	sed 's/^/#   /' "$TMPD/cc.err"
fi
expect_status "README's example: -g 4 -c 50 --jitter 20, exit 0" 0 \
	$B allreduce --plugin "$BUILDD/rd.so" -A rd -g 4 -c 50 --jitter 20 -b 8 -e 64K -f 16 -n 2 -w 1 -q
expect_zero_wrong "README's example: 0 wrong" "$TMPD/out"
expect_status "README's example at -g 3: not applicable, exit 5" 5 \
	$B allreduce --plugin "$BUILDD/rd.so" -A rd -g 3 -b 8 -e 64 -q
expect_grep "README's example at -g 3 says why" "at 3 ranks \(powers of 2 only\)" "$TMPD/err"

# Plug-ins that cannot be used: one line, exit 6, nothing run.
cat >"$BUILDD/bad.c" <<'EOF'
#include <collbench/plugin.h>
static void run(struct cb_rank *rk, const struct cb_call *c) { (void)rk; (void)c; }
static const struct cbp_algo algos[] = { { .name = NAME, .coll = COLL, .run = RUN } };
CBP_PLUGIN(algos)
EOF
bad() {
	label=$1
	shift
	if (cd "$BUILDD" && cc -shared -fPIC $(pkg-config --cflags collbench-plugin) "$@" bad.c \
		-o "bad_$label.so") 2>"$TMPD/cc.err"; then
		expect_usage_error "plug-in with $label: exit 6, one line" \
			$B allreduce --plugin "$BUILDD/bad_$label.so" -g 2 -b 8 -e 8 -n 1
		cp "$TMPD/err" "$TMPD/err_$label"
	else
		notok "plug-in with $label builds"
	fi
}
bad "bad name" '-DNAME="Bad Name"' '-DCOLL="allreduce"' -DRUN=run
expect_grep "bad name: says so" "bad name 'Bad Name'" "$TMPD/err_bad name"
bad "unknown collective" '-DNAME="x"' '-DCOLL="allreduse"' -DRUN=run
expect_grep "unknown collective: names it" "unknown collective 'allreduse'" "$TMPD/err_unknown collective"
bad "no run function" '-DNAME="x"' '-DCOLL="allreduce"' -DRUN=0
expect_grep "no run function: says so" "'x': no run function" "$TMPD/err_no run function"
bad "a built-in name" '-DNAME="ring"' '-DCOLL="allreduce"' -DRUN=run
expect_grep "a taken name: says so" "'ring' of allreduce already exists" "$TMPD/err_a built-in name"

cat >"$BUILDD/abi.c" <<'EOF'
#include <collbench/plugin.h>
/* What a plug-in built against a future plugin.h exports. */
const uint32_t collbench_plugin_abi = CBP_ABI_VERSION + 1;
const void *collbench_plugin_register(const void *h);
const void *collbench_plugin_register(const void *h) { (void)h; return 0; }
EOF
(cd "$BUILDD" && cc -shared -fPIC $(pkg-config --cflags collbench-plugin) abi.c -o abi.so)
expect_usage_error "plug-in built for another ABI version: exit 6, one line" \
	$B allreduce --plugin "$BUILDD/abi.so" -g 2 -b 8 -e 8 -n 1
expect_grep "ABI mismatch: names both versions" "built for plug-in ABI 2, this collbench has ABI 1" "$TMPD/err"
expect_usage_error "a shared object that is not a plug-in: exit 6, one line" \
	$B allreduce --plugin "$(cc -print-file-name=libm.so.6)" -g 2 -b 8 -e 8 -n 1
expect_usage_error "a missing file: exit 6, one line" \
	$B allreduce --plugin "$BUILDD/none.so" -g 2 -b 8 -e 8 -n 1
expect_usage_error "a bare name (not a path): exit 6, one line" \
	$B allreduce --plugin rdouble.so -g 2 -b 8 -e 8 -n 1

done_testing
