# t_nccl.sh: the nccl-tests drop-in (issue 17): the header tokens and rank
# lines that parsers of nccl-tests logs key on, a section per collective
# (and per algorithm with --nccl-compat) with nccl-tests' start, footer
# and concluded lines, numbers in nccl-tests' numeric columns,
# --nccl-compat's exact column layout, nccl-tests' command line, and
# nccl-tests' JSON keys (its format version 3) beside collbench's. The
# golden lines are written here from nccl-tests' output format.
. test/lib.sh

B=$COLLBENCH
N="$TMPD/nccl"
mkdir -p "$N"
SMALL="-b 8 -e 1K -n 3 -w 1 -q"

# --- header tokens and rank lines ------------------------------------------
expect_status "allreduce -g 4: runs" 0 $B allreduce -g 4 $SMALL -A ring
cp "$TMPD/out" "$N/ar.txt"
expect_grep "start line names nccl-tests' binary" "^# Collective test starting: all_reduce_perf$" "$N/ar.txt"
# the header line right after the start line, token for token
hdr=$(awk '/^# Collective test starting:/ { getline; print; exit }' "$N/ar.txt")
want="# nThread 1 nGpus 4 minBytes 8 maxBytes 1024 step: 2(factor) warmup iters: 1 iters: 3 agg iters: 1 validation: 1 graph: 0 unalign: 0"
[ "$hdr" = "$want" ] && ok "nccl-tests' header line follows the start line" ||
	notok "nccl-tests' header line follows the start line (got '$hdr')"
expect_grep "collbench's facts on a line of their own" "^# nRanks 4 \(-t 1\) command: allreduce average: 1 blocking: 0 timeout: 60$" "$N/ar.txt"
n=$(grep -cE '^#  Rank +[0-3] Group  0 Pid +[0-9]+ on +[^ ]+ device +[0-3] \[cpu\] PU +[0-9]+ core +[0-9]+ NUMA +[0-9]+ window NUMA ' "$N/ar.txt")
[ "$n" = 4 ] && ok "rank lines begin as nccl-tests' and go on with PU and NUMA ($n)" ||
	notok "rank lines begin as nccl-tests' and go on with PU and NUMA ($n of 4)"
# nccl-tests' own reader of rank lines: "#  Rank %d Group %d Pid %d on %s device %d [%[^]]] %[^\n]"
n=$(awk '/^#  Rank / && $4 == "Group" && $6 == "Pid" && $8 == "on" && $10 == "device" && $12 ~ /^\[[^]]*\]$/ && NF > 12' "$N/ar.txt" | wc -l)
[ "$n" = 4 ] && ok "rank lines split as nccl-tests' sscanf reads them" ||
	notok "rank lines split as nccl-tests' sscanf reads them ($n of 4)"
expect_grep "footer concludes with nccl-tests' binary" "^# Collective test concluded: all_reduce_perf$" "$N/ar.txt"
expect_zero_wrong "default table keeps its columns" "$N/ar.txt"

expect_status "-t 2 -g 2: 4 ranks" 0 $B allreduce -t 2 -g 2 $SMALL -A ring
expect_grep "-t 2 -g 2: nThread 2 nGpus 2" "^# nThread 2 nGpus 2 minBytes 8 " "$TMPD/out"
[ "$(grep -c '^#  Rank ' "$TMPD/out")" = 4 ] && ok "-t 2 -g 2: 4 rank lines" || notok "-t 2 -g 2: 4 rank lines"

# --- all: one nccl-tests section per collective ----------------------------
ncoll=$($B list --names | awk '{print $1}' | sort -u | wc -l)
expect_status "all -A auto: runs" 0 $B all -g 2 -b 8 -e 16 -n 3 -w 1 -q -A auto
cp "$TMPD/out" "$N/all.txt"
starts=$(grep -c '^# Collective test starting: [a-z_]*_perf$' "$N/all.txt")
ends=$(grep -c '^# Collective test concluded: [a-z_]*_perf$' "$N/all.txt")
foots=$(grep -c '^# Out of bounds values : ' "$N/all.txt")
hdrs=$(grep -c '^# nThread 1 nGpus 2 minBytes 8 maxBytes 16 ' "$N/all.txt")
[ "$starts" = "$ncoll" ] && [ "$ends" = "$ncoll" ] && [ "$foots" = "$ncoll" ] && [ "$hdrs" = "$ncoll" ] &&
	ok "all: start, header, footer and concluded once per collective ($ncoll)" ||
	notok "all: start, header, footer and concluded once per collective (want $ncoll: $starts $hdrs $foots $ends)"
# sections nest: every row between its start and its concluded, same name
bad=$(awk '/^# Collective test starting:/ { if (open) print "nested " $5; open = $5; next }
	/^# Collective test concluded:/ { if ($5 != open) print "ends " $5 " in " open; open = ""; next }
	!/^#/ && !open { print "row outside a section: " $0 }' "$N/all.txt")
[ -z "$bad" ] && [ "$starts" -gt 1 ] && ok "all: every row inside its collective's section" || notok "all: sections ($bad)"
expect_grep "all: the run's verdict after the last section" "^# collbench all: $ncoll sections, [0-9]+ rows$" "$N/all.txt"
[ "$(tail -4 "$N/all.txt" | grep -c '^# Overall ')" = 2 ] &&
	ok "all: overall out of bounds and busbw under collbench's labels" ||
	notok "all: overall out of bounds and busbw under collbench's labels"
# numbers wherever nccl-tests prints numbers: time algbw busbw of both halves
bad=$(rows "$N/all.txt" | awk '{ for (i = 7; i <= 13; i++) if (i != 10 && $i !~ /^[0-9.e+-]+$/) { print; next } }' | head -2)
[ -z "$bad" ] && ok "all: time, algbw, busbw are numbers in both halves (sendrecv in place too)" ||
	notok "all: numeric columns ($bad)"
expect_grep "sendrecv: in-place #wrong N/A" "^ +[0-9]+ +[0-9]+ +float +none +-1 +auto:[a-z]+ .* 0\.00 +0\.00 +0\.00 +N/A " "$N/all.txt"

# --- --nccl-compat: nccl-tests' exact layout --------------------------------
expect_status "--nccl-compat: runs" 0 $B allreduce -g 4 $SMALL --nccl-compat
cp "$TMPD/out" "$N/c.txt"
cat >"$N/c.want" <<'EOF'
#                                                              out-of-place                       in-place          
#       size         count      type   redop    root     time   algbw   busbw  #wrong     time   algbw   busbw  #wrong 
#        (B)    (elements)                               (us)  (GB/s)  (GB/s)             (us)  (GB/s)  (GB/s)         
EOF
grep -A4 '^# collbench: allreduce, algorithm auto, 4 ranks' "$N/c.txt" | tail -3 >"$N/c.got"
cmp -s "$N/c.want" "$N/c.got" && ok "--nccl-compat: nccl-tests' three header lines, byte for byte" ||
	notok "--nccl-compat: header lines ($(diff "$N/c.want" "$N/c.got" | head -4 | tr '\n' '|'))"
# rows: 13 fields at nccl-tests' widths (12 12 8 6 6, then 7 6 6 6 per half)
bad=$(rows "$N/c.txt" | awk 'NF != 13 || length($0) != 118 || $3 != "float" || $4 != "sum" || $5 != "-1" ||
	$9 != "0" || $13 != "0" { print; next } { for (i = 6; i <= 12; i++) if (i != 9 && $i !~ /^[0-9.e+-]+$/) { print; next } }' | head -2)
n=$(rows "$N/c.txt" | wc -l)
[ -z "$bad" ] && [ "$n" = 8 ] && ok "--nccl-compat: every row in nccl-tests' 13 columns and widths ($n rows)" ||
	notok "--nccl-compat: rows ($n rows; $bad)"
n=$(grep -c "^# Collective test starting: all_reduce_perf$" "$N/c.txt")
[ "$n" = 1 ] && ok "--nccl-compat: -A defaults to auto, one section" || notok "--nccl-compat: default auto ($n sections)"

expect_status "--nccl-compat -A ring,mesh: runs" 0 $B allreduce -g 2 $SMALL --nccl-compat -A ring,mesh
seq=$(grep -E '^# (Collective test (starting|concluded)|collbench: allreduce, algorithm)' "$TMPD/out" |
	sed -E 's/.*(starting|concluded).*/\1/; s/.*algorithm ([a-z-]+),.*/\1/' | tr '\n' ' ')
[ "$seq" = "starting mesh concluded starting ring concluded " ] &&
	ok "--nccl-compat: a section per algorithm of -A" || notok "--nccl-compat: sections per algorithm ($seq)"

expect_status "--nccl-compat -I 1 -S: runs" 0 $B allreduce -g 2 $SMALL --nccl-compat -A ring -I 1 -S 1
expect_grep "--nccl-compat -I 1: nccl-tests' per-iteration header" "^#       size         count      type   redop    root     time   algbw   busbw  #wrong    i_min    i_max    i_p99    i_cv%     time   algbw   busbw  #wrong    i_min    i_max    i_p99    i_cv%           timestamp$" "$TMPD/out"
bad=$(rows "$TMPD/out" | awk 'NF != 23 || $22 !~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$/' | head -1)
n=$(rows "$TMPD/out" | wc -l)
[ -z "$bad" ] && [ "$n" -gt 0 ] && ok "--nccl-compat -I 1 -S: 21 columns and the timestamp" || notok "--nccl-compat -I 1 -S ($bad)"
expect_status "all --nccl-compat: runs" 0 $B all -g 2 -b 8 -e 16 -n 3 -w 1 -q --nccl-compat
n=$(grep -c '^# Collective test concluded: [a-z_]*_perf$' "$TMPD/out")
bad=$(rows "$TMPD/out" | awk 'NF != 13' | head -1)
[ "$n" = "$ncoll" ] && [ -z "$bad" ] && ok "all --nccl-compat: a section per collective, 13 columns" ||
	notok "all --nccl-compat ($n sections; $bad)"
expect_usage_error "--nccl-compat with --latency" $B allreduce -g 2 --nccl-compat --latency

# --- nccl-tests' command line -----------------------------------------------
expect_status "nccl-tests' option line runs" 0 $B allreduce -t 1 -g 4 -b 8 -e 64K -f 2 -m 1 -S 1 -C 0 -M 1 -u 0 -K 0 -p 0 -c 1 -n 5 -w 2 -q -A ring
expect_zero_wrong "nccl-tests' option line: 0 wrong" "$TMPD/out"
expect_grep "-M 1: memory line" "^# Host memory usage    : send [0-9]+ B \| recv [0-9]+ B \| scratch [0-9]+ B \| Total [0-9]+ B$" "$TMPD/out"
expect_status "GPU-only options accepted" 0 $B allreduce -g 2 $SMALL -A ring -p 0 -p 1 -y 0 -G 1 -R 0 -x 0 -D 0 -V 16
[ "$(grep -c '^# Not applicable on CPU ranks (nccl-tests GPU options, accepted, no effect): -p 0 -y 0 -G 1 -R 0 -x 0 -D 0 -V 16$' "$TMPD/out")" = 1 ] &&
	ok "GPU-only options noted once each, on one header line" || notok "GPU-only options noted once"
expect_status "long names: --nthreads --ngpus --agg_iters --output_file" 0 $B allreduce --nthreads 1 --ngpus 2 --agg_iters 2 --output_file "$N/o.json" $SMALL -A ring
[ -s "$N/o.json" ] && ok "--output_file writes the JSON" || notok "--output_file writes the JSON"
for s in "-S 1" "-S" "-S1" "--report_timestamps=1"; do
	expect_status "$s: timestamps" 0 $B allreduce -g 2 $SMALL -A ring $s
	[ "$(rows "$TMPD/out" | awk 'NF == 19' | wc -l)" -gt 0 ] && ok "$s: a timestamp column" || notok "$s: a timestamp column"
done
expect_status "-S 0: no timestamps" 0 $B allreduce -g 2 $SMALL -A ring -S 0
[ "$(rows "$TMPD/out" | awk 'NF != 17' | wc -l)" = 0 ] && [ "$(rows "$TMPD/out" | wc -l)" -gt 0 ] && ok "-S 0: no timestamp column" || notok "-S 0: no timestamp column"
expect_usage_error "-S 2" $B allreduce -g 2 -S2
expect_usage_error "-K without -I 1" $B allreduce -g 2 -K 1
expect_usage_error "-t 0" $B allreduce -g 2 -t 0
expect_usage_error "-t x -g above 512" $B allreduce -g 300 -t 2
expect_status "-m 4 -K 1 -I 1" 0 $B allreduce -g 2 $SMALL -A ring -m 4 -I 1 -K 1 -J "$N/m.json"
expect_zero_wrong "-m 4: 0 wrong" "$TMPD/out"
expect_status "NCCL_TESTS_MIN_BW above the run fails" 7 env NCCL_TESTS_MIN_BW=100000 $B allreduce -g 2 $SMALL -A ring
expect_grep "NCCL_TESTS_MIN_BW: footer FAILED" "^# Avg bus bandwidth    : [0-9.e+-]+ FAILED: below \(--min-busbw 100000\)$" "$TMPD/out"
expect_status "NCCL_TESTS_MIN_BW 0 passes" 0 env NCCL_TESTS_MIN_BW=0 $B allreduce -g 2 $SMALL -A ring

# --- -u N: buffers N elements of the type past a page, still exact ---------
# test/plugins/align_probe.c prints, per rank and half, where its send and
# recv sit (mod 4096, from the pointers) and what cbp_where_misalign says.
if ! cc -shared -fPIC -Wall -Wextra -Werror -I include test/plugins/align_probe.c \
	-o "$N/align_probe.so" 2>"$TMPD/cc.err"; then
	skip "-u: the probe plug-in" "cc failed: $(head -1 "$TMPD/cc.err")"
else
	PROBE="--plugin $N/align_probe.so -A align_probe -g 3 -b 8 -e 512 -f 8 -n 2 -w 1 -c 2 -q --roofline off"
	for uw in "0 double 0" "3 double 24" "5 float 20"; do
		set -- $uw
		expect_status "-u $1 -d $2: the probe runs" 0 $B allreduce $PROBE -u $1 -d $2
		expect_zero_wrong "-u $1 -d $2: 0 wrong" "$TMPD/out"
		want="send%4096 $3 recv%4096 $3 where_misalign $3"
		n=$(grep -c "^align_probe: rank [0-2] esize [48] inplace [01] $want$" "$TMPD/err")
		[ "$n" = 6 ] && [ "$(grep -c '^align_probe:' "$TMPD/err")" = 6 ] &&
			ok "-u $1 -d $2: send and recv of every rank and half $3 bytes past a page" ||
			notok "-u $1 -d $2: buffers $3 bytes past a page ($n of 6: $(grep -v "$want" "$TMPD/err" | head -2 | tr '\n' '|'))"
	done
fi
expect_status "-u 3: every algorithm of every collective" 0 $B all -A all -g 3 -b 96 -e 96 -n 1 -w 1 -c 2 -u 3 -d double -q --roofline off
expect_zero_wrong "-u 3: all -A all, 0 wrong" "$TMPD/out"
expect_grep "-u 3: header's unalign: 3" "^# nThread 1 nGpus 3 .* unalign: 3$" "$TMPD/out"
expect_status "-u 1 -o mulsum: premultiplied copy shifted too" 0 $B allreduce -A all -g 3 -b 96 -e 96 -n 1 -w 1 -c 2 -u 1 -o mulsum -q --roofline off
expect_zero_wrong "-u 1 -o mulsum: 0 wrong" "$TMPD/out"

# --- root as nccl-tests types it --------------------------------------------
expect_status "--nccl-compat -J: broadcast" 0 $B broadcast -g 2 -b 8 -e 16 -n 2 -w 1 -q --nccl-compat -J "$N/rb.json"
expect_status "--nccl-compat -J: allreduce" 0 $B allreduce -g 2 -b 8 -e 16 -n 2 -w 1 -q --nccl-compat -J "$N/ra.json"
expect_status "-J: broadcast, collbench's table" 0 $B broadcast -g 2 -b 8 -e 16 -n 2 -w 1 -q -A auto -J "$N/rc.json"
if command -v python3 >/dev/null; then
	got=$(python3 -c '
import json, sys
print(" ".join(sorted({repr(r["root"]) for p in sys.argv[1:] for r in json.load(open(p))["results"]})))
' "$N/rb.json" "$N/ra.json" "$N/rc.json" 2>&1)
	[ "$got" = "'     0' '    -1' 0" ] &&
		ok "root: nccl-tests' '%6i' string with --nccl-compat, an int without" ||
		notok "root: JSON types (got: $got)"
else
	skip "root: JSON types" "no python3"
fi
expect_status "collbench compare reads --nccl-compat's root" 0 $B compare "$N/rb.json" "$N/rb.json"

# --- MPI -I 1: nccl-tests' per_process_max_times_us --------------------------
# One MPI flavour (MPICH if built, else Open MPI); 3 processes, a few rows.
MB= MR=
if [ -x "${MPICH_COLLBENCH:-}" ] && command -v mpirun.mpich >/dev/null; then
	MB=$MPICH_COLLBENCH MR="mpirun.mpich -np 3"
elif [ -x "${OMPI_COLLBENCH:-}" ] && command -v mpirun.openmpi >/dev/null; then
	MB=$OMPI_COLLBENCH MR="mpirun.openmpi --oversubscribe --allow-run-as-root -np 3"
fi
if [ -z "$MB" ] || ! command -v python3 >/dev/null; then
	skip "MPI -I 1: per_process_max_times_us" "no MPI build or no python3"
else
	expect_status "MPI -I 1 -K 1 -J: runs" 0 timeout 120 $MR $MB allreduce -b 8 -e 1K -f 32 -n 5 -w 1 -I 1 -K 1 -A ring -q -J "$N/mpi.json"
	out=$(python3 - "$N/mpi.json" <<'EOF' 2>&1
import json, sys
d = json.load(open(sys.argv[1]))
errs = []
for r in d["results"]:
    for k in ("out_of_place_per_iter", "in_place_per_iter"):
        p = r[k]
        t, rows = p["times_us"], p.get("per_process_max_times_us")
        if not isinstance(rows, list) or len(rows) != 3:
            errs.append("%d %s: per_process_max_times_us is not 3 rows" % (r["size"], k)); continue
        if any(len(x) != len(t) or len(t) != r["actual_iterations"] for x in rows):
            errs.append("%d %s: row lengths" % (r["size"], k))
        # nccl-tests' analyze_perf_json.py: times_us == max over process rows
        elif any(abs(t[i] - max(x[i] for x in rows)) >= 0.001 or min(x[i] for x in rows) < 0 for i in range(len(t))):
            errs.append("%d %s: times_us is not the max of the process rows" % (r["size"], k))
        if abs(min(t[p["skipped_iterations"]:]) - p["min_us"]) > 1e-9:
            errs.append("%d %s: min_us" % (r["size"], k))
print("\n".join(errs[:4]) or "OK")
EOF
)
	[ "$out" = OK ] && ok "MPI -I 1: per_process_max_times_us, 3 rows, times_us their max per iteration" ||
		notok "MPI -I 1: per_process_max_times_us ($(echo "$out" | tr '\n' '|'))"
fi

# --- JSON: nccl-tests' v3 keys beside collbench's ---------------------------
expect_status "-J with -I 1 -C 1" 0 $B allreduce -g 2 $SMALL -A ring,auto -I 1 -C 1 -J "$N/i.json"
expect_status "-J all" 0 $B all -g 2 -b 8 -e 16 -n 3 -w 1 -q -A auto -J "$N/a.json"
if ! command -v python3 >/dev/null; then
	skip "JSON: nccl-tests' v3 keys" "no python3"
else
	out=$(python3 - "$N/i.json" "$N/a.json" "$N/m.json" <<'EOF' 2>&1
import json, sys
errs = []
def num(x): return isinstance(x, (int, float)) and not isinstance(x, bool)
for path in sys.argv[1:]:
    d = json.load(open(path))
    per_iter = d["config"]["per_iter_timing"]
    tkey = "cpu_time" if "-C" in d["args"] else "time"
    # collbench's format version 1 stays
    if d.get("format") != "collbench-results" or d.get("format_version") != 1:
        errs.append(path + ": collbench format")
    if d.get("version") != 3: errs.append(path + ": version")
    if not isinstance(d.get("args"), list): errs.append(path + ": args")
    a = d.get("average_bus_bandwidth", {})
    if not num(a.get("bandwidth")) or a.get("okay") != "unchecked": errs.append(path + ": average_bus_bandwidth")
    if abs(a.get("bandwidth", -1) - d["summary"]["avg_busbw"]) > 1e-9: errs.append(path + ": bandwidth is not the summary's")
    o = d.get("out_of_bounds", {})
    if o.get("count") != 0 or o.get("okay") is not True: errs.append(path + ": out_of_bounds")
    c = d["config"]
    for k in ("nthreads", "ngpus", "minimum_bytes", "maximum_bytes", "warmup_iters", "iterations",
              "aggregated_iterations", "validation", "graph", "per_iter_skip"):
        if not num(c.get(k)): errs.append(path + ": config." + k)
    for k in ("blocking_collectives", "per_iter_timing", "parallel_init"):
        if not isinstance(c.get(k), bool): errs.append(path + ": config." + k)
    if "step_factor" not in c and "step_bytes" not in c: errs.append(path + ": config step")
    devs = c.get("devices", [])
    if len(devs) != c["ngpus"] * c["nthreads"] or any(set(x) != {"rank", "group", "pid", "hostname", "device", "device_hex", "device_info"} for x in devs):
        errs.append(path + ": config.devices")
    if not d["results"]: errs.append(path + ": no results")
    for r in d["results"]:
        for k in ("size", "count", "type", "redop", "root", "actual_iterations", "experiment_name",
                  "collective", "algo", "out_of_place", "in_place"):
            if k not in r: errs.append(path + ": results[]." + k)
        if r["actual_iterations"] != r["out_of_place"]["iterations"]: errs.append(path + ": actual_iterations")
        for h in ("out_of_place", "in_place"):
            x = r[h]
            if x is None:
                continue
            for k in (tkey, "alg_bw", "bus_bw"):
                if not num(x.get(k)): errs.append(path + ": %s.%s" % (h, k))
            if not (x.get("nwrong") is None or num(x.get("nwrong"))): errs.append(path + ": nwrong")
            if (x[tkey] != x["time_us"] or x["alg_bw"] != x["algbw"] or x["bus_bw"] != x["busbw"] or
                    (x["nwrong"] is None) != (x["wrong"] is None) or (x["wrong"] is not None and x["nwrong"] != x["wrong"])):
                errs.append(path + ": nccl keys differ from collbench's")
            p = r.get(h + "_per_iter")
            if per_iter:
                if not p or any(not num(p.get(k)) for k in ("min_us", "max_us", "avg_us", "p99_us", "cv_pct", "skipped_iterations")):
                    errs.append(path + ": " + h + "_per_iter")
                elif len(p.get("times_us", [])) != r["actual_iterations"] or not all(num(t) for t in p["times_us"]):
                    errs.append(path + ": " + h + "_per_iter.times_us")
                elif abs(min(p["times_us"][p["skipped_iterations"]:]) - p["min_us"]) > 1e-9:
                    errs.append(path + ": min_us is not the min of times_us past the skipped")
                elif "per_process_max_times_us" in p:
                    errs.append(path + ": per_process_max_times_us with one process")
            elif p is not None:
                errs.append(path + ": per_iter without -I 1")
print("\n".join(sorted(set(errs))[:8]) or "OK")
EOF
)
	[ "$out" = OK ] && ok "JSON: nccl-tests' v3 keys and shapes beside collbench's (-I 1 -C 1, all, -m/-K)" ||
		notok "JSON: nccl-tests' v3 keys ($(echo "$out" | tr '\n' '|'))"
fi

done_testing
