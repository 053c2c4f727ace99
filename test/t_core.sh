# t_core.sh: allreduce end to end: every algorithm, P in {1,2,3,4,5,8,16},
# sizes that do and do not divide by P (4 B = 1 element included), in-place
# and out-of-place, many back-to-back check iterations; the checker's own
# failure; the timeout path; the basic commands.
. test/lib.sh

for p in 1 2 3 4 5 8; do
	expect_status "allreduce P=$p runs" 0 $COLLBENCH allreduce -g $p -b 4 -e 4100 -f 4 -n 3 -w 1 -c 25
	expect_zero_wrong "allreduce P=$p: 0 wrong, every algorithm, both halves" "$TMPD/out"
done
# 1000 elements over 3 ranks, 1 element over 8, odd counts over 16.
expect_status "allreduce P=3 1000 elements" 0 $COLLBENCH allreduce -g 3 -b 4000 -e 4000 -n 2 -w 1 -c 40
expect_zero_wrong "allreduce P=3 1000 elements: 0 wrong" "$TMPD/out"
expect_status "allreduce P=16 runs" 0 $COLLBENCH allreduce -g 16 -b 4 -e 1020 -i 508 -n 2 -w 1 -c 10
expect_zero_wrong "allreduce P=16 (1, 128, 255 elements): 0 wrong" "$TMPD/out"
expect_grep "P=16 ran all three algorithms" "^ +1020 +255 +float +sum +-1 +ring " "$TMPD/out"
expect_status "allreduce P=2 1 MiB back to back" 0 $COLLBENCH allreduce -g 2 -b 1M -e 1M -n 5 -w 1 -c 20
expect_zero_wrong "allreduce P=2 1 MiB: 0 wrong" "$TMPD/out"
for z in 1 2 3; do
	expect_status "blocking mode -z $z" 0 $COLLBENCH allreduce -g 3 -b 64 -e 64 -z $z -n 3 -c 3
	expect_zero_wrong "blocking mode -z $z: 0 wrong" "$TMPD/out"
done
expect_status "-c 0 disables checking" 0 $COLLBENCH allreduce -g 2 -b 64 -e 64 -c 0 -n 2
[ "$(rows "$TMPD/out" | awk '$10 != "N/A" || $14 != "N/A"' | wc -l)" = 0 ] &&
	ok "-c 0 prints #wrong N/A" || notok "-c 0 prints #wrong N/A"

# The main job of the README, as a newcomer runs it.
expect_status "README main job" 0 $COLLBENCH allreduce -g 4 -b 64 -e 1M
expect_zero_wrong "README main job: 0 wrong" "$TMPD/out"
nalg=$($COLLBENCH list --names | awk '$1 == "allreduce"' | wc -l)
[ "$nalg" -ge 4 ] && ok "list shows $nalg allreduce algorithms" || notok "list shows >= 4 allreduce algorithms ($nalg)"
# Every point is a row or a not-applicable line (ll above 448 B), never a
# row whose label is not what ran.
nna=$(grep -c '^# [a-z-]*: not applicable ' "$TMPD/out")
nrows=$(rows "$TMPD/out" | wc -l)
[ $((nrows + nna)) = $((15 * nalg)) ] && ok "README main job: 15 sizes x $nalg algorithms, rows or not-applicable lines" ||
	notok "README main job: 15 sizes x $nalg algorithms ($nrows rows, $nna not applicable)"
[ "$(grep -c '^# ll: not applicable at [0-9]* B (at most 448 B)$' "$TMPD/out")" = 12 ] &&
	[ "$(rows "$TMPD/out" | awk '$6 == "ll" && $1 > 448' | wc -l)" = 0 ] &&
	ok "README main job: ll above 448 B says not applicable (12 sizes), no ll row there" ||
	notok "README main job: ll above 448 B says not applicable (12 sizes), no ll row there"
n=$(rows "$TMPD/out" | awk '$6 ~ /^auto:(ll|mesh|direct)$/' | wc -l)
[ "$n" = 15 ] && ok "README main job: every auto row shows its pick (15)" ||
	notok "README main job: every auto row shows its pick ($n of 15)"

# -A ll alone over a sweep past its domain: the sizes it applies to run
# (8..256 B), the others are one line each; a rank count where it applies
# nowhere (17) is a section of notes; the run is fine (0) as long as
# something applied.
expect_status "-A ll -b 8 -e 1M: exit 0" 0 $COLLBENCH allreduce -g 2 -A ll -b 8 -e 1M -n 3 -w 1
[ "$(rows "$TMPD/out" | wc -l)" = 6 ] && [ "$(grep -c '^# ll: not applicable at [0-9]* B (at most 448 B)$' "$TMPD/out")" = 12 ] &&
	ok "-A ll -b 8 -e 1M: 6 rows, 12 not-applicable lines" ||
	notok "-A ll -b 8 -e 1M: 6 rows, 12 not-applicable lines ($(rows "$TMPD/out" | wc -l) rows)"
expect_status "-A ll -g 2,17: exit 0" 0 $COLLBENCH allreduce -g 2,17 -A ll -b 8 -e 8 -n 3 -w 1
expect_grep "-A ll -g 2,17: 17 ranks is a not-applicable line" "^# ll: not applicable at 17 ranks \(at most 16\)$" "$TMPD/out"
# Nothing applicable anywhere: exit 5 (unsupported), one line, nothing on stdout.
expect_status "-A ll at 1 MiB: exit 5" 5 $COLLBENCH allreduce -g 2 -b 1M -e 1M -A ll
[ "$(wc -l <"$TMPD/err")" = 1 ] && [ ! -s "$TMPD/out" ] &&
	grep -q "ll: not applicable at 1048576 B (at most 448 B)" "$TMPD/err" &&
	ok "-A ll at 1 MiB: one line on stderr saying why, nothing on stdout" ||
	notok "-A ll at 1 MiB: one line on stderr saying why, nothing on stdout"
expect_status "-A ll,mesh at 1 MiB: exit 0" 0 $COLLBENCH allreduce -g 2 -b 1M -e 1M -A ll,mesh -n 3 -w 1
[ "$(rows "$TMPD/out" | awk '{print $6}')" = mesh ] && grep -q '^# ll: not applicable at 1048576 B' "$TMPD/out" &&
	ok "-A ll,mesh at 1 MiB: one mesh row, ll noted as not applicable" ||
	notok "-A ll,mesh at 1 MiB: one mesh row, ll noted as not applicable"

# The checker fails on a corrupted output: exactly 1 wrong element per half
# (every algorithm but ll, which does not apply at 1000 B).
expect_status "corrupted output exits 7" 7 $COLLBENCH allreduce -g 4 -b 1000 -e 1000 -c 5 --inject corrupt -n 2
bad=$(rows "$TMPD/out" | awk '$10 == "1" && $14 == "1"' | wc -l)
[ "$bad" = "$((nalg - 1))" ] && ok "corrupted output: #wrong 1 in both halves of all $((nalg - 1)) rows" ||
	notok "corrupted output: #wrong 1 in both halves of all $((nalg - 1)) rows (got $bad)"
expect_grep "corrupted output: footer FAILED" "^# Out of bounds values : $((2 * (nalg - 1))) FAILED" "$TMPD/out"

# A lost notify ends in a timeout report and exit 4, not a hang.
t0=$(date +%s)
expect_status "lost notify: exit 4" 4 $COLLBENCH allreduce -g 3 -b 64 -e 64 -T 1 --inject drop-notify
[ $(($(date +%s) - t0)) -le 10 ] && ok "lost notify: detected within 10 s" || notok "lost notify: detected within 10 s"
expect_grep "lost notify: report names the waiting rank and cell" \
	"rank [0-9]+: allreduce/.*waits on cell [0-9]+ .* expected epoch [0-9]+, seen [0-9]+" "$TMPD/err"

expect_status "--help" 0 $COLLBENCH --help
expect_grep "--help lists -g" "^ +-g, --nranks N" "$TMPD/out"
expect_status "--version" 0 $COLLBENCH --version
expect_grep "--version prints the version" "^collbench [0-9]+\.[0-9]+\.[0-9]+$" "$TMPD/out"
expect_status "list" 0 $COLLBENCH list
expect_grep "list names the ring" "^ +ring " "$TMPD/out"
# list --names: the same pairs as the human listing, two words a line.
awk '/^Collectives/{on=1; next} /^[A-Z]/{on=0} on && /^  [^ ]/{c=$1} on && /^      /{print c, $1}' \
	"$TMPD/out" >"$TMPD/pairs_human"
expect_status "list --names" 0 $COLLBENCH list --names
if [ -s "$TMPD/out" ] && cmp -s "$TMPD/out" "$TMPD/pairs_human" && ! awk 'NF != 2' "$TMPD/out" | grep -q .; then
	ok "list --names: $(wc -l <"$TMPD/out") 'collective algorithm' lines, as list shows them"
else
	notok "list --names: 'collective algorithm' lines, as list shows them"
	diff "$TMPD/out" "$TMPD/pairs_human" | head -4 | sed 's/^/#   /'
fi
expect_usage_error "--names without list" $COLLBENCH allreduce -g 2 --names

# Every option --help lists is documented in the man page, and vice versa.
MAN=${MAN_PAGE:-man/collbench.1}
$COLLBENCH --help | grep -oE -- '--[a-z_-]+' | sort -u >"$TMPD/help_opts"
sed -n '/^\.SH OPTIONS/,/^\.SH /p' $MAN | grep -oE '\\-\\-[a-z_]+(\\-[a-z_]+)*' | sed 's/\\//g' | sort -u >"$TMPD/man_opts"
missing=$(comm -23 "$TMPD/help_opts" "$TMPD/man_opts" | tr '\n' ' ')
[ -z "$missing" ] && ok "every --help option is in the man page's OPTIONS" ||
	notok "every --help option is in the man page's OPTIONS (missing: $missing)"
extra=$(comm -13 "$TMPD/help_opts" "$TMPD/man_opts" | tr '\n' ' ')
[ -z "$extra" ] && ok "every man page option is in --help" ||
	notok "every man page option is in --help (not in --help: $extra)"

# make install honours PREFIX and DESTDIR.
if make -s install BIN="$COLLBENCH" DESTDIR="$TMPD/dest" PREFIX=/opt/cb >/dev/null 2>&1 &&
	[ -x "$TMPD/dest/opt/cb/bin/collbench" ] && [ -f "$TMPD/dest/opt/cb/share/man/man1/collbench.1" ]; then
	ok "make install honours PREFIX and DESTDIR"
else
	notok "make install honours PREFIX and DESTDIR"
fi

# -b 0: every algorithm of every collective makes its call with no data
# (direct algorithms aborted there: an empty buffer is in no window, and
# alltoall's empty send and recv share an address).
for p in 1 3; do
	expect_status "all -A all -b 0 -e 0 -g $p: exit 0" 0 $COLLBENCH all -A all -b 0 -e 0 -g $p -n 2 -w 1
	expect_grep "all -A all -b 0 -g $p: 0 out of bounds" "^# Overall out of bounds : 0 OK" "$TMPD/out"
done

# README's quick start has exactly two commands, and .ci/run runs the
# second (the test command) verbatim.
qs=$(awk '/^## Quick start/ { q = 1; next } /^## / { q = 0 } q && /^    [^ ]/ { sub(/^    /, ""); print }' README.md)
ci=$(grep -vE '^(#|set |cd |$)' .ci/run)
[ "$(printf '%s\n' "$qs" | wc -l)" = 2 ] && ok "README quick start: two commands" ||
	notok "README quick start: two commands ($(printf '%s\n' "$qs" | wc -l))"
[ "$ci" = "$(printf '%s\n' "$qs" | sed -n 2p)" ] && ok ".ci/run runs README's test command verbatim" ||
	notok ".ci/run runs README's test command verbatim (.ci/run: $ci)"

done_testing
