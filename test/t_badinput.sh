# t_badinput.sh: every bad command line gets one line on stderr, nothing on
# stdout, and exit 6.
. test/lib.sh

B=$COLLBENCH
expect_usage_error "unknown collective" $B allshuffle -g 2
expect_usage_error "no collective" $B -g 2
expect_usage_error "unknown algorithm" $B allreduce -g 2 -A spiral
expect_usage_error "unknown algorithm in a list" $B allreduce -g 2 -A ring,spiral
expect_usage_error "empty algorithm list item" $B allreduce -g 2 -A ring,
expect_usage_error "-g 0" $B allreduce -g 0
expect_usage_error "-g -1" $B allreduce -g -1
expect_usage_error "-g abc" $B allreduce -g abc
expect_usage_error "-g 513 (above the maximum)" $B allreduce -g 513
expect_usage_error "-g 99999999999999999999" $B allreduce -g 99999999999999999999
expect_usage_error "-b 1X" $B allreduce -g 2 -b 1X
expect_usage_error "-b larger than -e" $B allreduce -g 2 -b 1M -e 1K
expect_usage_error "-f 0 with -i 0" $B allreduce -g 2 -b 8 -e 1K -f 0 -i 0
expect_usage_error "-i 0 alone" $B allreduce -g 2 -b 8 -e 1K -i 0
expect_usage_error "negative size" $B allreduce -g 2 -b -8
expect_usage_error "negative -e" $B allreduce -g 2 -e -1M
expect_usage_error "overflowing size" $B allreduce -g 2 -e 99999999999999999999999
expect_usage_error "size beyond 256T" $B allreduce -g 2 -e 300000G
expect_usage_error "fractional size" $B allreduce -g 2 -b 1.5K
expect_usage_error "-n 0" $B allreduce -g 2 -n 0
expect_usage_error "-n -5" $B allreduce -g 2 -n -5
expect_usage_error "-w -1" $B allreduce -g 2 -w -1
expect_usage_error "-c -1" $B allreduce -g 2 -c -1
expect_usage_error "-a 4" $B allreduce -g 2 -a 4
expect_usage_error "-z 9" $B allreduce -g 2 -z 9
expect_usage_error "-T -1" $B allreduce -g 2 -T -1
expect_usage_error "-T nan" $B allreduce -g 2 -T nan
expect_usage_error "unknown long option" $B allreduce -g 2 --frobnicate
expect_usage_error "unknown short option" $B allreduce -g 2 -Q
expect_usage_error "missing argument (short)" $B allreduce -g
expect_usage_error "missing argument (long)" $B allreduce --nranks
expect_usage_error "unexpected extra argument" $B allreduce extra -g 2
expect_usage_error "unknown datatype" $B allreduce -g 2 -d float17
expect_usage_error "unknown op" $B allreduce -g 2 -o xor
expect_usage_error "unknown fault" $B allreduce -g 2 --inject gremlin
expect_usage_error "root out of range" $B allreduce -g 2 -r 2
expect_usage_error "root not a number" $B allreduce -g 2 -r x
# The message names the option.
$B allreduce -g abc 2>"$TMPD/err" >/dev/null
expect_grep "-g error names -g/--nranks" "collbench: .*-g/--nranks" "$TMPD/err"
$B allreduce -g 2 -b 1X 2>"$TMPD/err" >/dev/null
expect_grep "-b error names -b/--minbytes" "collbench: .*-b/--minbytes" "$TMPD/err"
$B allreduce -g 2 -A spiral 2>"$TMPD/err" >/dev/null
expect_grep "-A error lists the valid algorithms" "valid: mesh, twophase, ring" "$TMPD/err"
expect_usage_error "sweep of a billion sizes" $B allreduce -g 2 -b 1 -e 1G -i 1
expect_usage_error "--wait bogus" $B allreduce -g 2 --wait bogus
expect_usage_error "--barrier bogus" $B allreduce -g 2 --barrier bogus
# Every enumerated option and every structured value is parsed once, by the
# option parser (optenum.c, options_parse.c), before anything runs.
for opt in --transport --mpi-window --bind --mem --roofline; do
	expect_usage_error "$opt bogus" $B allreduce -g 2 $opt bogus
done
expect_usage_error "--mem node:x" $B allreduce -g 2 --mem node:x
expect_usage_error "--cpus descending range" $B allreduce -g 2 --cpus 3-1
expect_usage_error "--cpus PU twice" $B allreduce -g 2 --cpus 0,0
expect_usage_error "--counters unknown event" $B allreduce -g 2 --counters flops
expect_usage_error "--perf-ctl without a comma" $B allreduce -g 2 --perf-ctl onlyone
$B allreduce -g 2 --wait bogus 2>"$TMPD/err" >/dev/null
expect_grep "--wait error lists the table's values" "expected auto, spin, yield or futex" "$TMPD/err"

done_testing
