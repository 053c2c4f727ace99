#!/bin/sh
# bench/vskew0.sh: the v-collectives at --skew 0 against their plain
# counterparts (issue 20: the balanced case within 10 % of the plain
# collective's time at P = 2 and 4, 8 B to 16 MiB, measured in one run).
#
#   sh bench/vskew0.sh          (after `make`; uses ./collbench, or $COLLBENCH)
#
# Pairs: alltoallv/alltoall, allgatherv/allgather, gatherv/gather,
# scatterv/scatter, reduce_scatterv/reduce_scatter. At --skew 0 every block
# is C = size/esize/P elements, so both rows of a pair move the same bytes at
# the same size column. For every P in $PS and every round, the plain and the
# v run alternate (pair by pair), each with -A all (auto included) over the
# sizes $SIZES; per point the best time of $ROUNDS rounds is kept for each
# algorithm alike. Printed per P and pair: the time of auto (what a user
# gets) for both and their ratio v/plain, and the best named algorithm of
# each (which, and its time) and that ratio; '*' marks a ratio above 1.10. A
# summary line counts the points within 10 %. Raw -J files stay in $OUT.
#
# Knobs (defaults): PS="2 4" ROUNDS=3 SIZES="8,64,512,4K,32K,256K,2M,16M"
# N=200 W=10 TPS=0.2 (seconds per row half: --time-per-size bounds large
# sizes) OUT=bench/out/vskew0. The machine should be quiet: on a loaded one
# the ratios carry its noise (say so when quoting them).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=${COLLBENCH:-$ROOT/collbench}
PS=${PS:-"2 4"}
ROUNDS=${ROUNDS:-3}
SIZES=${SIZES:-"8,64,512,4K,32K,256K,2M,16M"}
N=${N:-200}; W=${W:-10}; TPS=${TPS:-0.2}
OUT=${OUT:-$ROOT/bench/out/vskew0}
PAIRS="alltoall:alltoallv allgather:allgatherv gather:gatherv scatter:scatterv reduce_scatter:reduce_scatterv"

[ -x "$B" ] || { echo "vskew0.sh: $B not found (run make first, or set COLLBENCH)" >&2; exit 2; }
mkdir -p "$OUT"
rm -f "$OUT"/*.json
start=$(date +%s)
for r in $(seq 1 "$ROUNDS"); do
	for p in $PS; do
		for pair in $PAIRS; do
			for c in ${pair%%:*} ${pair##*:}; do
				sk=; case $c in *v) sk="--skew 0" ;; esac
				"$B" "$c" -g "$p" -A all -b "$SIZES" -n "$N" -w "$W" -c 1 \
					--time-per-size "$TPS" $sk -q -J "$OUT/${c}_P${p}_r$r.json" >/dev/null
			done
		done
	done
done
echo "# vskew0: $(uname -n), $(nproc) PUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(($(date +%s) - start)) s, best of $ROUNDS rounds, $("$B" --version 2>/dev/null | head -1)"
python3 - "$OUT" "$PS" "$PAIRS" <<'PY'
import glob, json, os, sys
out, ps, pairs = sys.argv[1], sys.argv[2].split(), [x.split(":") for x in sys.argv[3].split()]
best = {}   # (coll, P, size, algo) -> best time over rounds
for f in glob.glob(os.path.join(out, "*.json")):
    for r in json.load(open(f))["results"]:
        h = r["out_of_place"]
        if h["time_us"] is None or h["wrong"]:
            continue
        k = (r["collective"], r["nranks"], r["size"], r["algo"])
        best[k] = min(best.get(k, float("inf")), h["time_us"])
def times(c, p, s):
    return {k[3]: t for k, t in best.items() if k[:3] == (c, p, s)}
inside = total = 0
for p in map(int, ps):
    print("\n## P = %d: time (us) of the v-collective at --skew 0 / its plain counterpart" % p)
    print("%-16s %9s %10s %10s %6s  %-22s %-22s %6s" %
          ("pair", "size", "auto", "auto v", "v/pl", "best plain", "best v", "v/pl"))
    for plain, v in pairs:
        sizes = sorted({k[2] for k in best if k[0] == v and k[1] == p})
        for s in sizes:
            a, b = times(plain, p, s), times(v, p, s)
            if "auto" not in a or "auto" not in b:
                continue
            ra = b["auto"] / a["auto"]
            # best: a named algorithm (auto is one of them under its own name)
            pa = min((x for x in a if x != "auto"), key=a.get)
            pb = min((x for x in b if x != "auto"), key=b.get)
            rb = b[pb] / a[pa]
            total += 1
            inside += ra <= 1.10
            print("%-16s %9d %10.2f %10.2f %5.2f%s  %-22s %-22s %5.2f%s" %
                  (v, s, a["auto"], b["auto"], ra, "*" if ra > 1.10 else " ",
                   "%s %.2f" % (pa, a[pa]), "%s %.2f" % (pb, b[pb]), rb, "*" if rb > 1.10 else " "))
print("\n# auto v/plain within 10 %%: %d of %d points ('*': above 1.10)" % (inside, total))
PY
