# t_harden.sh: hostile files, exhausted machines and untrapped signals
# (issue 18): nothing the run did not create is ever destroyed, inputs are
# read with limits, every way a run ends has its status.
. test/lib.sh

B=$COLLBENCH
H="$TMPD/harden"
mkdir -p "$H"
A="allreduce -g 2 -b 8 -e 64 -A mesh -n 3 -w 1"
# A run that fails after it started: the watchdog's exit 4 within 1 s.
HANG="allreduce -g 2 -b 8 -e 64 -T 1 --inject drop-notify"

# json_ok NAME FILE PYEXPR: FILE is JSON and PYEXPR holds (d: the document)
json_ok() {
	if python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($3) else 1)" "$2" 2>/dev/null
	then ok "$1"; else notok "$1"; fi
}
# no_temp NAME: the run left none of its temporary files in $H
no_temp() {
	if ls -A "$H" | grep -q '^\..*\.[A-Za-z0-9]\{6\}$'; then
		notok "$1 ($(ls -A "$H" | grep '^\.' | tr '\n' ' '))"
	else ok "$1"; fi
}

# --- outputs that are not regular files: refused up front, left alone ---
mknod -m 666 "$H/mynull" c 1 3 2>/dev/null
if [ -c "$H/mynull" ]; then
	expect_usage_error "-J onto a device node with --force is refused" $B $HANG -J "$H/mynull" --force
	expect_grep "the refusal names a character device" "mynull' is a character device" "$TMPD/err"
	[ -c "$H/mynull" ] && ok "the device node is still there" || notok "the device node is still there"
else
	skip "-J onto a device node" "mknod not permitted here"
fi
mkfifo "$H/fifo"
expect_usage_error "-J onto a FIFO with --force: refused without blocking" timeout 10 $B $A -J "$H/fifo" --force
expect_usage_error "--csv onto a FIFO: refused without blocking" timeout 10 $B $A --csv "$H/fifo"
[ -p "$H/fifo" ] && ok "the FIFO is still there" || notok "the FIFO is still there"
mkdir "$H/dir"
expect_usage_error "--csv onto a directory" $B $A --csv "$H/dir" --force
ln -s fifo "$H/to-fifo"
expect_usage_error "-J onto a symbolic link to a FIFO" timeout 10 $B $A -J "$H/to-fifo" --force
ln -s nothing "$H/dangling"
expect_usage_error "-J onto a dangling symbolic link" $B $A -J "$H/dangling"

# --- a failed run destroys nothing ---
echo target >"$H/target.txt"
ln -s target.txt "$H/link.json"
expect_status "-J through a symlink, run times out: exit 4" 4 $B $HANG -J "$H/link.json" --force
[ -L "$H/link.json" ] && [ "$(cat "$H/target.txt")" = target ] &&
	ok "the symlink and its target are untouched" || notok "the symlink and its target are untouched"
echo keep >"$H/keep.json"
expect_status "-J --force onto a file, run times out: exit 4" 4 $B $HANG -J "$H/keep.json" --force
[ "$(cat "$H/keep.json")" = keep ] && ok "the existing file keeps its content" ||
	notok "the existing file keeps its content"
expect_status "--csv --force, usage error after the check (bad --baseline): exit 6" 6 \
	$B $A --csv "$H/keep.json" --force --baseline "$H/missing.json"
[ "$(cat "$H/keep.json")" = keep ] && ok "the file is untouched by the usage error" ||
	notok "the file is untouched by the usage error"
no_temp "no temporary file left behind by failed runs"

# --- a successful run replaces, keeping the file's permissions ---
chmod 600 "$H/keep.json"
expect_status "-J --force onto an existing file" 0 $B $A -J "$H/keep.json" --force
json_ok "the file now holds the run's JSON" "$H/keep.json" 'd["format"] == "collbench-results"'
[ "$(stat -c %a "$H/keep.json")" = 600 ] && ok "its permissions are kept (600)" ||
	notok "its permissions are kept (600, got $(stat -c %a "$H/keep.json"))"
expect_status "-J --force through a symlink" 0 $B $A -J "$H/link.json" --force
[ -L "$H/link.json" ] && json_ok "the symlink stays, its target holds the JSON" "$H/target.txt" \
	'd["format"] == "collbench-results"' || notok "the symlink stays, its target holds the JSON"
: >"$H/empty.json"
expect_status "-J onto an existing empty file (no --force)" 0 $B $A -J "$H/empty.json"
json_ok "the empty file now holds the JSON" "$H/empty.json" 'len(d["results"]) == 4'
: >"$H/empty.csv"
expect_status "--csv onto an existing empty file (no --force)" 0 $B $A --csv "$H/empty.csv"
[ "$(wc -l <"$H/empty.csv")" = 5 ] && ok "the empty file now holds the CSV" || notok "the empty file now holds the CSV"
no_temp "no temporary file left behind by successful runs"

# --- the same file twice ---
expect_usage_error "-J X --csv ./X (same file, one spelled differently)" \
	$B $A -J "$H/same.out" --csv "$H/./same.out" --force
[ ! -e "$H/same.out" ] && ok "nothing written for the same file twice" || notok "nothing written for the same file twice"
echo keep >"$H/a.out"
ln "$H/a.out" "$H/b.out"
expect_usage_error "-J and --csv on two hard links of one file" $B $A -J "$H/a.out" --csv "$H/b.out" --force
$B $A -J "$H/base.json" >/dev/null 2>&1
cp "$H/base.json" "$H/base.copy"
expect_usage_error "--baseline X -J X --force" $B $HANG --baseline "$H/base.json" -J "$H/base.json" --force
cmp -s "$H/base.json" "$H/base.copy" && ok "the baseline is untouched" || notok "the baseline is untouched"

# --- signals: rows so far written, files complete, status 128 + signal ---
# run_signal SIG: a -N 0 run signalled after 1.5 s; its status in $st
run_signal() {
	rm -f "$H/s.json" "$H/s.csv"
	$B allreduce -g 2 -b 1K -e 4K -A mesh -n 20 -N 0 -q -J "$H/s.json" --csv "$H/s.csv" \
		>"$H/s.out" 2>"$H/s.err" &
	pid=$!
	( sleep 20; kill -KILL $pid ) >/dev/null 2>&1 &
	guard=$!
	sleep 1.5
	kill -"$1" $pid
	wait $pid
	st=$?
	kill $guard 2>/dev/null
}
run_signal HUP
[ "$st" = 129 ] && ok "SIGHUP: exit 129" || notok "SIGHUP: exit 129 (got $st)"
json_ok "SIGHUP: JSON holds the rows and says SIGHUP" "$H/s.json" \
	'len(d["results"]) > 0 and d["summary"]["interrupted"] == "SIGHUP" and d["summary"]["exit_status"] == 129'
[ "$(wc -l <"$H/s.csv")" -gt 1 ] && ok "SIGHUP: CSV holds the rows" || notok "SIGHUP: CSV holds the rows"
expect_grep "SIGHUP: the footer says interrupted" "^# Interrupted          : SIGHUP after [0-9]+ rows \\(exit status 129\\)" "$H/s.out"

rm -f "$H/p.json" "$H/p.csv"
# The reader leaves after 3 lines; collbench's status is kept in p.st.
( $B all -g 4 -b 8 -e 1K -J "$H/p.json" --csv "$H/p.csv" 2>"$H/p.err"; echo $? >"$H/p.st" ) |
	head -3 >/dev/null
st=$(cat "$H/p.st")
[ "$st" = 141 ] && ok "SIGPIPE (| head -3): exit 141" || notok "SIGPIPE (| head -3): exit 141 (got $st)"
json_ok "SIGPIPE: JSON holds the rows and says SIGPIPE" "$H/p.json" \
	'len(d["results"]) > 0 and d["summary"]["interrupted"] == "SIGPIPE" and d["summary"]["exit_status"] == 141'
[ "$(wc -l <"$H/p.csv")" -gt 1 ] && ok "SIGPIPE: CSV holds the rows" || notok "SIGPIPE: CSV holds the rows"

# A second signal ends the run at once, by that signal (the wait status
# says signalled, not exit 130), and leaves no file at the target.
rm -f "$H/t.json"
# One long row whose 40 check iterations of 16 MiB, run after the first
# signal, take over a second even on a quiet machine (10 of 4 MiB took
# under 0.2 s there: the run ended with 130 before the second signal): the
# second signal comes well before the end.
if python3 test/sigtwice.py 1.5 0.2 "$H/t.err" "$H/t.json" $B allreduce -g 2 -b 16M -e 16M \
	-A ring -n 1000000000 -w 2 -c 40 -q -J "$H/t.json"
then ok "a second SIGINT kills by SIGINT and leaves no file at the target"
else notok "a second SIGINT kills by SIGINT and leaves no file at the target"; fi
no_temp "no temporary file left behind by signals"

# --- stdout is an output too ---
if [ -w /dev/full ]; then
	expect_status "table > /dev/full: exit 2" 2 sh -c "$B $A >/dev/full"
	expect_grep "table > /dev/full: one line says so" "cannot write the table to stdout" "$TMPD/err"
	expect_status "-J - > /dev/full: exit 2" 2 sh -c "$B $A -J - >/dev/full"
else
	skip "table > /dev/full" "no /dev/full"
fi

# --- --baseline: regular files only, bounded, times must be positive ---
expect_usage_error "--baseline FIFO: refused without blocking" timeout 10 $B $A --baseline "$H/fifo"
expect_usage_error "--baseline /dev/zero: refused, not read" timeout 10 $B $A --baseline /dev/zero
expect_usage_error "--baseline directory" $B $A --baseline "$H/dir"
truncate -s 300M "$H/huge.json"
expect_usage_error "--baseline above 256 MiB: refused before reading" $B $A --baseline "$H/huge.json"
expect_grep "the refusal names the limit" "larger than 256 MiB" "$TMPD/err"
rm -f "$H/huge.json"
# A baseline of its own (the one above may be gone if a check failed).
rm -f "$H/doc-base.json" "$H/doctored.json"
$B $A -J "$H/doc-base.json" >/dev/null 2>&1
for t in 0 -5; do
	python3 - "$H/doc-base.json" "$H/doctored.json" "$t" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
for r in d["results"]:
    for h in ("out_of_place", "in_place"):
        if isinstance(r.get(h), dict) and r[h].get("time_us") is not None:
            r[h]["time_us"] = float(sys.argv[3])
json.dump(d, open(sys.argv[2], "w"))
EOF
	[ -s "$H/doctored.json" ] || notok "a doctored baseline with time_us $t was written"
	expect_usage_error "--baseline with time_us $t is refused" $B $A --baseline "$H/doctored.json"
done
expect_grep "the refusal names the time" "time_us -5; a time must be positive" "$TMPD/err"

# --- -g auto is capped at the largest rank count; minor messages ---
HWLOC_SYNTHETIC="pack:2 core:512 pu:1" $B topo -g auto >"$H/topo.out" 2>"$H/topo.err"
st=$?
n=$(grep -c '^#  Rank ' "$H/topo.out")
[ "$st" = 0 ] && [ "$n" = 512 ] && ok "-g auto on 1024 PUs plans 512 ranks" ||
	notok "-g auto on 1024 PUs plans 512 ranks (exit $st, $n ranks)"
expect_grep "-g auto: the header says it was capped" "^# -g auto: 1024 PUs, capped at 512 ranks" "$H/topo.out"
expect_usage_error "-g 0x10 (not decimal)" $B $A -g 0x10
expect_grep "-g 0x10: says decimal, not 'at least 1'" "expected a decimal rank count" "$TMPD/err"
expect_usage_error "-b 300000G (too large)" $B $A -b 300000G
expect_grep "-b too large: the limit in a unit -b accepts" "at most 262144G" "$TMPD/err"
expect_usage_error "--inject drop-notify -g 1" $B allreduce -g 1 -b 8 -e 8 --inject drop-notify

# A PU the cpuset excludes exists: "not allowed", not "does not exist"
# (a 4-PU machine whose allowed cpuset lacks PU 0).
expect_usage_error "--cpus 0 outside the cpuset" env HWLOC_XMLFILE=test/topo/no-pu0-allowed.xml \
	$B topo -g 2 --cpus 0
expect_grep "--cpus 0 outside the cpuset: says not allowed" "PU 0 is not allowed to this process" "$TMPD/err"
expect_usage_error "--cpus 7 on 4 PUs" env HWLOC_XMLFILE=test/topo/no-pu0-allowed.xml $B topo -g 2 --cpus 7
expect_grep "--cpus 7: still does not exist" "PU 7 does not exist" "$TMPD/err"

# --- memory is sized before anything is allocated or printed ---
# expect_no_memory NAME cmd...: status 2, one line "need X, available Y
# (bound)" on stderr, nothing on stdout, no output file.
expect_no_memory() {
	name=$1
	shift
	rm -f "$H/m.json"
	t0=$(date +%s)
	"$@" -J "$H/m.json" >"$TMPD/out" 2>"$TMPD/err"
	got=$?
	el=$(($(date +%s) - t0))
	if [ "$got" = 2 ] && [ "$(wc -l <"$TMPD/err")" = 1 ] && [ ! -s "$TMPD/out" ] &&
		grep -Eq 'not enough memory for .*: need .*, available .* \(' "$TMPD/err" &&
		[ ! -e "$H/m.json" ] && [ "$el" -le 10 ]; then
		ok "$name"
	else
		notok "$name (exit $got after $el s, $(wc -l <"$TMPD/err") stderr lines, $(wc -c <"$TMPD/out") stdout bytes)"
		sed 's/^/#   stderr: /' "$TMPD/err" | head -3
	fi
}
# Under ulimit -v: the address space left is the bound.
expect_no_memory "ulimit -v 1 GB, -g 2 -e 256M: refused up front" \
	sh -c 'ulimit -v 1000000 && exec "$0" "$@"' $B allreduce -g 2 -b 256M -e 256M
expect_grep "ulimit -v: the bound is named" "\(ulimit -v\)" "$TMPD/err"
# Far above the machine (-g 8 -e 4G: 160 GiB); ulimit -v keeps a broken
# check from faulting the machine's memory in.
expect_no_memory "-g 8 -b 4G -e 4G: refused at once" \
	sh -c 'ulimit -v 8000000 && exec "$0" "$@"' $B allreduce -g 8 -b 4G -e 4G
# Without ulimit: twice the machine's RAM (an mmap the kernel refuses on
# its own under heuristic overcommit, so a broken check cannot fault it in).
total=$(awk '/^MemTotal:/ { print int($2 / 1048576) + 1 }' /proc/meminfo)
if [ "$(cat /proc/sys/vm/overcommit_memory 2>/dev/null)" = 0 ] && [ -n "$total" ]; then
	expect_no_memory "-g 1 -e $((2 * total))G (twice MemTotal): refused up front" \
		$B allreduce -g 1 -b $((2 * total))G -e $((2 * total))G
	expect_grep "without ulimit: MemAvailable or the cgroup is the bound" "\((MemAvailable|cgroup [a-z._]+)\)" "$TMPD/err"
else
	skip "-g 1 -e twice MemTotal" "overcommit_memory is not 0 (heuristic)"
fi

# --- setup and large check iterations are not a hang ---
# 32 MiB on 4 ranks (the default size): first touch, the roofline and the
# check iteration's expected values take over a second on a busy machine.
# Twice: the old watchdog failed about two runs in three here.
for i in 1 2; do
	expect_status "-T 1 on a 32 MiB allreduce -g 4 -A mesh: exit 0 (run $i)" 0 $B allreduce -g 4 -T 1 -A mesh -n 5
done

# --- -N 0 runs in constant memory, with and without -J/--csv ---
# One rank and 1024 sizes a sweep (-i 4): short rows as fast as they go
# (over a thousand a second here; at -g 2 with 9 sizes a sweep a loaded
# machine needed over 240 s for the 13000 rows). RSS is read once 3000
# rows ran (code, arenas and stdio warmed up: under load that takes longer
# than any fixed delay; at 1500 rows a loaded run once still grew 1 MiB
# afterwards) and again 10000 rows later; code that keeps every row grows
# by about 180 bytes a row (over 1.7 MiB), and the issue's bound is 1 MB.
# Anonymous memory (RssAnon), where rows would be: a loaded machine
# reclaims and refaults the binary's pages, which moved VmRSS by 1.7 MiB
# between two samples of a flat run.
# With files, the rows wait in an unnamed file beside the output
# (rowspool.c), so the run's directory holds nothing until the end.
N0="allreduce -g 1 -b 4 -e 4K -i 4 -A mesh -n 1 -w 0 -c 1 -N 0 -q --roofline off"
# rss_after N: wait (at most 100 s) until N rows were printed; RSS in $rss, rows in $nr
rss_after() {
	i=0
	while nr=$(rows "$H/n0.out" | wc -l); [ "$nr" -lt "$1" ] && [ $i -lt 500 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	rss=$(awk '/^RssAnon/ { print $2 }' /proc/$pid/status 2>/dev/null)
}
# rss_flat NAME ARGS...: a -N 0 run with ARGS grows under 1 MiB over 10000 rows
rss_flat() {
	name=$1
	shift
	$B $N0 "$@" >"$H/n0.out" 2>&1 &
	pid=$!
	( sleep 240; kill -KILL $pid ) >/dev/null 2>&1 &
	guard=$!
	rss_after 3000
	r1=$rss n1=$nr
	rss_after $((n1 + 10000))
	r2=$rss n2=$nr
	if [ -n "$hidden" ]; then
		left=$(ls -A "$H" | grep '^\.' | tr '\n' ' ')
		[ -z "$left" ] && ok "$name: nothing in the directory during the run" ||
			notok "$name: nothing in the directory during the run ($left)"
	fi
	kill -INT $pid
	wait $pid
	st=$?
	kill $guard 2>/dev/null
	if [ "$st" = 130 ] && [ -n "$r1" ] && [ -n "$r2" ] && [ $((r2 - r1)) -lt 1024 ] &&
		[ $((n2 - n1)) -ge 10000 ]; then
		ok "$name: RSS within 1 MiB over 10000 rows ($r1 -> $r2 KiB, rows $n1 -> $n2)"
	else
		notok "$name: RSS within 1 MiB over 10000 rows (exit $st, $r1 -> $r2 KiB, rows $n1 -> $n2)"
	fi
}
hidden= rss_flat "-N 0"
rm -f "$H/n0.json" "$H/n0.csv"
hidden=1 rss_flat "-N 0 -J --csv" -J "$H/n0.json" --csv "$H/n0.csv"
json_ok "-N 0 -J: the file holds every row and says SIGINT" "$H/n0.json" \
	"len(d['results']) == d['summary']['rows'] >= 13000 and d['summary']['interrupted'] == 'SIGINT'"
n=$(($(wc -l <"$H/n0.csv") - 1))
nj=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['summary']['rows'])" "$H/n0.json" 2>/dev/null)
[ "$n" = "$nj" ] && ok "-N 0 --csv: as many records as the JSON's rows ($n)" ||
	notok "-N 0 --csv: as many records as the JSON's rows ($n, $nj)"

# --- SIGKILL leaves nothing: the outputs are unnamed until complete ---
rm -f "$H/k.json" "$H/k.csv"
$B $N0 -J "$H/k.json" --csv "$H/k.csv" >/dev/null 2>&1 &
pid=$!
sleep 2
kill -KILL $pid
wait $pid 2>/dev/null
[ ! -e "$H/k.json" ] && [ ! -e "$H/k.csv" ] && ok "SIGKILL: no -J/--csv file" ||
	notok "SIGKILL: no -J/--csv file"
no_temp "SIGKILL: no temporary file left either"

done_testing
