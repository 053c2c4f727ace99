# t_schema.sh: one field schema (issue 16): every field of a JSON row (a
# half's as oop_/ip_ + name, --counters' as oop_/ip_<event>_total and
# _per_iter) is a CSV column and every CSV column but the run's metadata is
# a JSON row field, with the same value in every record (null = empty),
# for each option that adds fields or columns: none, -I 1, --counters, -S,
# --roofline off/on. Also: every row says what ran ("ran"), auto's pick is
# a real algorithm of the collective (barrier's auto too: the kind that
# ran), and a non-auto row ran itself.
. test/lib.sh

B=$COLLBENCH
R=$TMPD/schema
mkdir -p "$R"

cat >"$R/schema.py" <<'PY'
import csv, json, sys

jpath, cpath, names = sys.argv[1], sys.argv[2], sys.argv[3]
META = {"format_version", "command_line", "start_time", "end_time", "collbench_version",
        "hwloc_version", "libnuma_version", "host", "machine", "placement",
        "transport", "mpi_library", "hosts", "mpi_window"}
# nccl-tests' JSON keys (json_nccl.c, issue 17): renderings of schema fields
# under nccl-tests' names for its readers, not fields of their own; t_nccl
# checks that they carry the same values.
NCCL_ROW = {"actual_iterations", "experiment_name", "out_of_place_per_iter", "in_place_per_iter"}
NCCL_HALF = {"time", "cpu_time", "alg_bw", "bus_bw", "nwrong"}
algos = {}
for line in open(names):
    c, a = line.split()
    algos.setdefault(c, set()).add(a)

def flat(row):
    out = {}
    for k, v in row.items():
        if k in ("out_of_place", "in_place"):
            pre = "oop_" if k == "out_of_place" else "ip_"
            for hk, hv in (v or {}).items():
                if hk in NCCL_HALF:
                    continue
                if hk == "counters":
                    for ev, tv in (hv or {}).items():
                        for t, x in tv.items():
                            out["%s%s_%s" % (pre, ev, t)] = x
                else:
                    out[pre + hk] = hv
        else:
            out[k] = v
    return out

def half_keys(rows, pre):
    for r in rows:
        h = r["out_of_place"] if pre == "oop_" else r["in_place"]
        if h:
            return {pre + k for k in h if k != "counters" and k not in NCCL_HALF} | \
                {"%s%s_%s" % (pre, ev, t) for ev, tv in (h["counters"] or {}).items() for t in tv}
    return set()

errs = []
d = json.load(open(jpath))
rows = d["results"]
with open(cpath, newline="") as f:
    recs = list(csv.reader(f, strict=True))
head, body = recs[0], recs[1:]
if len(head) != len(set(head)):
    errs.append("CSV header repeats a column")
if not rows or len(body) != len(rows):
    errs.append("%d JSON rows, %d CSV records" % (len(rows), len(body)))
# every key a JSON row can have (a half that is null in one row is an
# object in another; in-place of sendrecv is null everywhere)
jkeys = set()
for r in rows:
    jkeys |= {k for k in r if k not in ("out_of_place", "in_place") and k not in NCCL_ROW}
jkeys |= half_keys(rows, "oop_") | half_keys(rows, "ip_")
ckeys = set(head) - META
if jkeys - ckeys:
    errs.append("JSON row fields without a CSV column: %s" % sorted(jkeys - ckeys))
if ckeys - jkeys:
    errs.append("CSV columns without a JSON row field: %s" % sorted(ckeys - jkeys))
if not META <= set(head):
    errs.append("CSV lacks metadata columns %s" % sorted(META - set(head)))
for r, b in zip(rows, body):
    c = dict(zip(head, b))
    for k, v in flat(r).items():
        if k not in c:
            continue
        cv = c[k]
        if v is None:
            ok = cv == ""
        elif isinstance(v, bool):
            ok = False
        elif isinstance(v, (int, float)):
            ok = cv != "" and float(cv) == v
        elif isinstance(v, list):
            # -I 1's arrays: one CSV field, the numbers separated by spaces
            ok = [float(x) for x in cv.split()] == [float(x) for x in v]
        else:
            ok = cv == v
        if not ok:
            errs.append("row %s/%s %s: JSON %r, CSV %r" % (r["collective"], r["algo"], k, v, cv))
            break
    if "ran" not in r:
        errs.append("row without ran")
        break
    picks = r["ran"].split("/")
    if r["algo"] != "auto" and picks != [r["algo"]]:
        errs.append("%s row ran %s" % (r["algo"], r["ran"]))
    # every auto names a concrete algorithm, barrier's too (the kind
    # comm_barrier runs: mesh, dissemination or central)
    if not all(p in algos[r["collective"]] and p != "auto" for p in picks):
        errs.append("%s %s ran %s, not an algorithm of it" % (r["collective"], r["algo"], r["ran"]))
for e in errs[:5]:
    print("#   " + e)
sys.exit(1 if errs else 0)
PY

$B list --names >"$R/names"
i=0
for opts in "" "-I 1" "--counters task-clock,context-switches" "-S" "--roofline off" "-I 1 -S --counters task-clock"; do
	i=$((i + 1))
	rm -f "$R/$i.json" "$R/$i.csv"
	expect_status "all ${opts:-(no option)}: -J and --csv" 0 \
		$B all -g 2 -b 64 -e 4K -f 8 -n 3 -w 1 -c 1 $opts -J "$R/$i.json" --csv "$R/$i.csv"
	if python3 "$R/schema.py" "$R/$i.json" "$R/$i.csv" "$R/names" >"$R/py" 2>&1; then
		ok "${opts:-(no option)}: every JSON row field is a CSV column and the reverse, same values"
	else
		notok "${opts:-(no option)}: every JSON row field is a CSV column and the reverse, same values"
		head -6 "$R/py"
	fi
done

# The two counts of the busy-machine signs are CSV columns too.
expect_grep "CSV has oop_slow_yields and ip_paused_yield_waits" \
	"(^|,)oop_slow_yields,.*(^|,)ip_paused_yield_waits(,|.$)" "$R/1.csv"

done_testing
