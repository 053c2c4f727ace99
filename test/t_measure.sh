# t_measure.sh: what issue 20 adds to how a sweep is measured: -b/-e as a
# comma list of sizes (rows in the order given, JSON's config.sizes, the
# usage errors: a duplicate, a 0, a list with -e, -i or -f, an empty item,
# two lists), and --time-per-size (each half's timed loop bounded in time:
# iterations shrink with the size, never grow past -n, at least one; the
# count run is the table's iters_out/iters_in and JSON's iterations; it
# excludes --duration); the results stay checked (0 wrong, jitter).
. test/lib.sh

B=$COLLBENCH
R=$TMPD/measure
mkdir -p "$R"

# --- size lists ------------------------------------------------------------
expect_status "-b 8,1K,64: runs" 0 $B allreduce -g 2 -b 8,1K,64 -A mesh -n 2 -w 1 -c 2 -J "$R/l.json"
[ "$(rows "$TMPD/out" | awk '{ printf "%s ", $1 }')" = "8 1024 64 " ] &&
	ok "-b 8,1K,64: rows 8, 1024, 64 in the order given" ||
	notok "-b 8,1K,64: rows 8, 1024, 64 in the order given (got $(rows "$TMPD/out" | awk '{ printf "%s ", $1 }'))"
expect_zero_wrong "-b 8,1K,64: 0 wrong" "$TMPD/out"
python3 - "$R/l.json" <<'PY' && ok "JSON config: sizes [8, 1024, 64], minbytes 8, maxbytes 1024" ||
import json, sys
c = json.load(open(sys.argv[1]))["config"]
sys.exit(0 if c["sizes"] == [8, 1024, 64] and c["minbytes"] == 8 and c["maxbytes"] == 1024 else 1)
PY
	notok "JSON config: sizes [8, 1024, 64], minbytes 8, maxbytes 1024"
expect_status "-e 16,4K: the list may be -e's" 0 $B allreduce -g 2 -e 16,4K -A mesh -n 2 -w 1 -c 1
[ "$(rows "$TMPD/out" | awk '{ printf "%s ", $1 }')" = "16 4096 " ] && ok "-e 16,4K: rows 16, 4096" ||
	notok "-e 16,4K: rows 16, 4096"
expect_status "a list with every collective, fp8 and mulsum, jitter" 0 \
	$B all -g 3 -b 24,1000,4K -d f8e4m3,int32 -o mulsum,max -n 1 -w 1 -c 3 --jitter 5
expect_zero_wrong "a list with every collective: 0 wrong" "$TMPD/out"

expect_usage_error "a size twice in a list: exit 6, one line" $B allreduce -b 8,1K,8
expect_grep "a size twice: says which" "size 8 given twice" "$TMPD/err"
expect_usage_error "0 in a list: exit 6, one line" $B allreduce -b 0,8
expect_usage_error "a list in -b with -e: exit 6" $B allreduce -b 8,16 -e 1K
expect_usage_error "a list in -e with -b: exit 6" $B allreduce -b 8 -e 16,32
expect_usage_error "a list with -f: exit 6" $B allreduce -b 8,16 -f 4
expect_usage_error "a list with -i: exit 6" $B allreduce -b 8,16 -i 8
expect_usage_error "an empty item: exit 6" $B allreduce -b 8,,16
expect_usage_error "a trailing comma: exit 6" $B allreduce -b 8,16,
expect_usage_error "a bad size in a list: exit 6" $B allreduce -b 8,x
expect_usage_error "two lists: exit 6" $B allreduce -b 8,16 -b 32,64
expect_usage_error "a list, then -b again: exit 6" $B allreduce -b 8,16 -b 32

# --- --time-per-size -------------------------------------------------------
expect_status "--time-per-size 0.02 over 8 B .. 8 MiB with -n 100000" 0 \
	$B allreduce -g 2 -b 8,64K,8M -A mesh -n 100000 -w 2 -c 1 --time-per-size 0.02 -J "$R/t.json"
cp "$TMPD/out" "$R/t.txt"
expect_zero_wrong "--time-per-size: 0 wrong" "$R/t.txt"
expect_grep "--time-per-size: the table has iters_out and iters_in" "^# +size .* iters_out +iters_in$" "$R/t.txt"
python3 - "$R/t.json" "$R/t.txt" <<'PY' >"$R/py" 2>&1
import json, sys
d = json.load(open(sys.argv[1]))
rows = [l.split() for l in open(sys.argv[2]) if not l.startswith("#") and l.strip()]
errs = []
its = {}
for r, t in zip(d["results"], rows):
    for h, col in (("out_of_place", -2), ("in_place", -1)):
        n = r[h]["iterations"]
        its.setdefault(r["size"], []).append(n)
        if not 1 <= n <= 100000:
            errs.append("%d B %s: %d iterations" % (r["size"], h, n))
        if int(t[col]) != n:
            errs.append("%d B %s: table %s, JSON %d" % (r["size"], h, t[col], n))
        # the loop stops at the first checkpoint after the bound: about the
        # bound (a loose factor: the machine is shared)
        spent = n * r[h]["time_us"] / 1e6
        if n > 1 and n < 100000 and not 0.01 <= spent <= 0.2:
            errs.append("%d B %s: %d iterations took %.3f s" % (r["size"], h, n, spent))
if d["config"]["time_per_size"] != 0.02:
    errs.append("config.time_per_size %r" % d["config"]["time_per_size"])
if not (max(its[8388608]) < min(its[8])):
    errs.append("iterations do not shrink with the size: %r" % its)
if max(its[8388608]) >= 100000:
    errs.append("8 MiB ran all -n iterations: %r" % its[8388608])
for e in errs[:5]:
    print("#   " + e)
sys.exit(1 if errs else 0)
PY
[ $? = 0 ] && ok "--time-per-size: iterations shrink with the size, 1..-n, about the bound; table == JSON" ||
	{ notok "--time-per-size: iterations shrink with the size, 1..-n, about the bound; table == JSON"; cat "$R/py"; }

expect_status "--time-per-size never lengthens: -n 7 at 8 B" 0 \
	$B allreduce -g 2 -b 8 -e 8 -A mesh -n 7 -w 1 -c 1 --time-per-size 10
[ "$(rows "$TMPD/out" | awk '{ print $(NF-1) "/" $NF }')" = "7/7" ] && ok "--time-per-size 10, -n 7: 7 iterations each half" ||
	notok "--time-per-size 10, -n 7: 7 iterations each half (got $(rows "$TMPD/out" | awk '{ print $(NF-1) "/" $NF }'))"
expect_status "--time-per-size with -w 0 and checks under jitter" 0 \
	$B allreduce -g 3 -b 8,1M -A all -n 100000 -w 0 -c 3 --jitter 5 --time-per-size 0.005
expect_zero_wrong "--time-per-size -w 0, jitter: 0 wrong" "$TMPD/out"
expect_status "without --time-per-size: no iters columns" 0 $B allreduce -g 2 -b 8 -e 8 -A mesh -n 2 -w 1 -c 1
[ "$(rows "$TMPD/out" | awk '{ print NF }')" = 17 ] && ok "without --time-per-size: 17 columns" ||
	notok "without --time-per-size: 17 columns"
expect_usage_error "--time-per-size with --duration: exit 6" $B allreduce --time-per-size 1 --duration 1
expect_usage_error "--time-per-size -1: exit 6" $B allreduce --time-per-size -1
expect_usage_error "--time-per-size x: exit 6" $B allreduce --time-per-size x

done_testing
