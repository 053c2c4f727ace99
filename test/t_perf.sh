# t_perf.sh: profiling sessions: --perf-ctl with real FIFOs and perf stat
# itself (skipped where perf is missing), a mute perf (no ack: exit 2), no
# perf (exit 6); --counters (task-clock and context switches counted,
# unavailable hardware events n/a/null, never 0); -S timestamps; --duration;
# -N cycles; SIGINT/SIGTERM during -N 0 (rows so far, footer, 130/143).
. test/lib.sh

B=$COLLBENCH
P=$TMPD/perf
mkdir -p "$P"
rm -f "$P/ctl" "$P/ack" "$P/ctl2" "$P/ack2"
mkfifo "$P/ctl" "$P/ack" "$P/ctl2" "$P/ack2"

# json_check NAME FILE PYTHON-EXPR: the expression over d (the -J document)
# and rs (its results) is true.
json_check() {
	if python3 - "$2" "$3" >"$TMPD/py" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
rs = d["results"]
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
	then ok "$1"; else
		notok "$1"
		sed 's/^/#   /' "$TMPD/py" | head -5
	fi
}

# --- --perf-ctl: usage errors (no perf listening) ---
expect_usage_error "--perf-ctl with a FIFO nobody reads: exit 6, one line" \
	$B allreduce -g 2 -b 1K -e 1K -n 2 --perf-ctl "$P/ctl,$P/ack"
expect_grep "--perf-ctl error names the option" "^collbench: --perf-ctl .*no reader" "$TMPD/err"
expect_usage_error "--perf-ctl with a missing FIFO: exit 6" \
	$B allreduce -g 2 -b 1K -e 1K -n 2 --perf-ctl "$P/nonexistent,$P/ack"
expect_usage_error "--perf-ctl without a comma: exit 6" $B allreduce -g 2 --perf-ctl "$P/ctl"

# --- a mute perf: reads the control FIFO, never acks ---
sh -c 'exec 3<>"$1"; sleep 8' mute "$P/ctl2" &
mute=$!
sleep 0.2
t0=$(date +%s)
expect_status "--perf-ctl without an ack: exit 2" 2 $B allreduce -g 2 -b 1K -e 1K -n 2 -T 2 \
	--perf-ctl "$P/ctl2,$P/ack2"
[ "$(wc -l <"$TMPD/err")" = 1 ] && grep -q "perf-ctl.*no ack" "$TMPD/err" &&
	ok "--perf-ctl without an ack: one line naming the option" ||
	notok "--perf-ctl without an ack: one line naming the option ($(head -c 300 "$TMPD/err"))"
[ $(($(date +%s) - t0)) -le 5 ] && ok "--perf-ctl without an ack: within -T/2" ||
	notok "--perf-ctl without an ack: within -T/2"
kill "$mute" 2>/dev/null
wait "$mute" 2>/dev/null

# --- --perf-ctl with perf stat itself ---
RUN="allreduce -g 2 -b 1M -e 1M -A ring -n 20 -w 40 -c 40 -q"
if command -v perf >/dev/null 2>&1 && perf stat -e task-clock -x, -o "$P/probe" true >/dev/null 2>&1; then
	perf stat -D -1 --control "fifo:$P/ctl,$P/ack" -e task-clock,context-switches -x, \
		-o "$P/ctl.csv" -- $B $RUN --perf-ctl "$P/ctl,$P/ack" >"$P/ctl.out" 2>"$P/ctl.err"
	st=$?
	perf stat -e task-clock,context-switches -x, -o "$P/all.csv" -- $B $RUN >"$P/all.out" 2>&1
	tc_ctl=$(awk -F, '$3 == "task-clock" { print $1 }' "$P/ctl.csv")
	tc_all=$(awk -F, '$3 == "task-clock" { print $1 }' "$P/all.csv")
	cs_ctl=$(awk -F, '$3 == "context-switches" { print $1 }' "$P/ctl.csv")
	echo "# perf stat task-clock: $tc_ctl ms with --perf-ctl, $tc_all ms without; context-switches $cs_ctl with"
	[ "$st" = 0 ] && expect_zero_wrong "perf stat --control run: exit 0, 0 wrong" "$P/ctl.out" ||
		notok "perf stat --control run: exit 0 (exit $st)"
	awk -v a="$tc_ctl" -v b="$tc_all" 'BEGIN { exit !(a > 0 && b > 0 && a < b / 2) }' &&
		ok "perf counted the timed loop only: task-clock $tc_ctl ms < half of the whole run's $tc_all ms" ||
		notok "perf counted the timed loop only: task-clock $tc_ctl ms < half of the whole run's $tc_all ms"
	# perf also reports its initial -D -1 state: one more "disabled".
	[ "$(grep -c 'Events enabled' "$P/ctl.err")" = 2 ] &&
		[ "$(grep -c 'Events disabled' "$P/ctl.err")" = 3 ] &&
		ok "perf enabled and disabled once per row half" ||
		notok "perf enabled and disabled once per row half ($(grep -c 'Events enabled' "$P/ctl.err") enables)"
else
	skip "perf stat --control counts the timed loop only" "no perf"
fi

# --- --counters ---
expect_usage_error "--counters with an unknown counter: exit 6" $B allreduce -g 2 --counters task-clock,flops
expect_usage_error "--counters with an empty item: exit 6" $B allreduce -g 2 --counters task-clock,
rm -f "$P/c.json" "$P/c.csv"
# Oversubscribed (4 ranks on fewer PUs where the machine is small): waits
# sleep, so context switches happen.
expect_status "--counters run" 0 $B allreduce -g 4 -b 64K -e 64K -A ring -n 50 -q \
	--counters task-clock,context-switches,cycles -J "$P/c.json" --csv "$P/c.csv"
cp "$TMPD/out" "$P/c.txt"
expect_zero_wrong "--counters: first 14 columns unchanged, 0 wrong" "$P/c.txt"
json_check "--counters: task-clock > 0 and per_iter = total / iterations" "$P/c.json" \
	'all(r[h]["counters"]["task-clock"]["total"] > 0 and abs(r[h]["counters"]["task-clock"]["per_iter"] * r[h]["iterations"] / r[h]["counters"]["task-clock"]["total"] - 1) < 1e-6 for r in rs for h in ("out_of_place", "in_place"))'
json_check "--counters: context-switches > 0 (oversubscribed)" "$P/c.json" \
	'sum(r[h]["counters"]["context-switches"]["total"] for r in rs for h in ("out_of_place", "in_place")) > 0'
json_check "--counters: cycles unavailable (null) or counted (> 0), never 0" "$P/c.json" \
	'all(r[h]["counters"]["cycles"]["total"] is None or r[h]["counters"]["cycles"]["total"] > 0 for r in rs for h in ("out_of_place", "in_place"))'
if python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))["results"][0]["out_of_place"]["counters"]["cycles"]["total"] is not None)' "$P/c.json"; then
	# 14 columns, 3 roofline, then tclk tclk/it csw csw/it cycles cyc/it
	rows "$P/c.txt" | awk '{ if ($22 != "n/a" || $23 != "n/a" || $28 != "n/a" || $29 != "n/a") exit 1 }' &&
		ok "--counters: unavailable cycles print n/a in the table" ||
		notok "--counters: unavailable cycles print n/a in the table"
	python3 -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1], newline=""))); sys.exit(0 if r and all(x["oop_cycles_total"] == "" and x["ip_cycles_per_iter"] == "" and float(x["oop_task-clock_total"]) > 0 for x in r) else 1)' "$P/c.csv" &&
		ok "--counters: CSV has task-clock, empty cycles" || notok "--counters: CSV has task-clock, empty cycles"
else
	ok "--counters: cycles counted on this machine (no n/a to check)"
fi
expect_grep "--counters: table heads the counter columns" "^#.* tclk +tclk/it +csw +csw/it +cycles +cyc/it" "$P/c.txt"

# --- -S, --duration, -N ---
rm -f "$P/s.json"
expect_status "-S -N 2" 0 $B allreduce -g 2 -b 1K -e 4K -A ring -n 5 -S -N 2 -q -J "$P/s.json"
cp "$TMPD/out" "$P/s.txt"
expect_zero_wrong "-S: 0 wrong, columns unchanged" "$P/s.txt"
[ "$(rows "$P/s.txt" | grep -cE '  [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$')" = 6 ] &&
	ok "-S: every row ends with a timestamp; -N 2 ran the sweep twice (6 rows)" ||
	notok "-S: every row ends with a timestamp; -N 2 ran the sweep twice ($(rows "$P/s.txt" | wc -l) rows)"
json_check "-N 2 -S: JSON rows carry cycle 0, 1 and timestamps" "$P/s.json" \
	'[r["cycle"] for r in rs] == [0, 0, 0, 1, 1, 1] and all(len(r["timestamp"]) == 19 for r in rs) and len(d["placements"]) == 1'

rm -f "$P/d.json"
t0=$(date +%s)
expect_status "--duration 1" 0 $B allreduce -g 2 -b 4K -e 4K -A ring --duration 1 -q -J "$P/d.json"
el=$(($(date +%s) - t0))
[ "$el" -ge 2 ] && [ "$el" -le 8 ] && ok "--duration 1: two row halves took about 2 s ($el s)" ||
	notok "--duration 1: two row halves took about 2 s ($el s)"
json_check "--duration 1: each half's timed loop ran 0.9-1.5 s, same count on every rank" "$P/d.json" \
	'all(0.9e6 <= r[h]["time_us"] * r[h]["iterations"] <= 1.5e6 and r[h]["iterations"] > 20 for r in rs for h in ("out_of_place", "in_place"))'

# --- SIGINT / SIGTERM during -N 0 ---
for sig in INT TERM; do
	want=$([ $sig = INT ] && echo 130 || echo 143)
	rm -f "$P/i.json"
	$B allreduce -g 2 -b 1K -e 64K -A ring -n 20 -N 0 -q -J "$P/i.json" >"$P/i.out" 2>"$P/i.err" &
	pid=$!
	# If the signal were ignored, this guard ends the run: CI must not hang.
	( sleep 20; kill -KILL $pid ) >/dev/null 2>&1 &
	guard=$!
	sleep 1.5
	kill -$sig $pid
	wait $pid
	st=$?
	kill $guard 2>/dev/null
	[ "$st" = "$want" ] && ok "SIG$sig during -N 0: exit $want" || notok "SIG$sig during -N 0: exit $want (got $st)"
	n=$(rows "$P/i.out" | wc -l)
	[ "$n" -gt 7 ] && expect_zero_wrong "SIG$sig: the rows so far, 0 wrong" "$P/i.out" ||
		notok "SIG$sig: more than one sweep of rows before the signal ($n)"
	grep -q "^# Interrupted          : SIG$sig after $n rows (exit status $want)" "$P/i.out" &&
		grep -q "^# Collective test concluded" "$P/i.out" &&
		ok "SIG$sig: footer says interrupted and concludes" || notok "SIG$sig: footer says interrupted and concludes"
	json_check "SIG$sig: JSON written with every row and the status" "$P/i.json" \
		"len(rs) == $n and d['summary']['interrupted'] == 'SIG$sig' and d['summary']['exit_status'] == $want"
done

# --- a signal inside a long timed loop ends that loop, not only the row ---
# One row of 10^9 iterations would take hours: the signal must stop it at a
# checkpoint (about 0.1 s), with the same iteration count on every rank (the
# check iterations then pass: 0 wrong), and the row is reported.
for sig in INT TERM; do
	want=$([ $sig = INT ] && echo 130 || echo 143)
	rm -f "$P/l.json"
	$B allreduce -g 3 -b 256K -e 256K -A ring -n 1000000000 -w 3 -q -J "$P/l.json" \
		>"$P/l.out" 2>"$P/l.err" &
	pid=$!
	( sleep 20; kill -KILL $pid ) >/dev/null 2>&1 &
	guard=$!
	sleep 1.5
	t0=$(date +%s%N)
	kill -$sig $pid
	wait $pid
	st=$?
	ms=$((($(date +%s%N) - t0) / 1000000))
	kill $guard 2>/dev/null
	[ "$st" = "$want" ] && [ "$ms" -lt 5000 ] &&
		ok "SIG$sig inside a 10^9-iteration timed loop: exit $want after $ms ms" ||
		notok "SIG$sig inside a 10^9-iteration timed loop: exit $want within 5 s (got $st after $ms ms)"
	expect_zero_wrong "SIG$sig mid-loop: the interrupted row is reported, 0 wrong" "$P/l.out"
	json_check "SIG$sig mid-loop: one row, out-of-place half cut short, in-place half 1 iteration" "$P/l.json" \
		"len(rs) == 1 and 100 < rs[0]['out_of_place']['iterations'] < 10**8 and rs[0]['in_place']['iterations'] == 1 and d['summary']['exit_status'] == $want"
done

done_testing
