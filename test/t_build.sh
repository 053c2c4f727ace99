# t_build.sh: build configurations do not collide. In a copy of the tree
# holding this run's plain objects and its Open MPI objects (make check
# built both), `make`, `make MPI=1`, `make`, `make MPI=1` each leave the
# ./collbench that command asked for (the issue: `make MPI=1` after `make`
# failed to link, and in the other order kept a binary without MPI), and
# compile nothing (the objects of each configuration are kept apart).
. test/lib.sh

plain=$(dirname "${TEST_BIN_DIR:-build/plain/test}")
ompi=$(dirname "${OMPI_COLLBENCH:-build/ompi/collbench}")
if [ ! -d "$plain/src" ] || [ ! -d "$ompi/src" ] || ! command -v mpicc.openmpi >/dev/null; then
	skip "make / make MPI=1 in any order" "needs the plain and Open MPI builds of make check"
	done_testing
fi
W=$TMPD/tree
mkdir -p "$W/build"
cp -rp Makefile src include man "$W/" && cp -rp "$plain" "$W/build/plain" &&
	cp -rp "$ompi" "$W/build/mpi-mpicc.openmpi" || { notok "copy the tree"; done_testing; }
cd "$W" || exit 1
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

# step NAME MAKEARGS WANT: make, then ./collbench has MPI (mpi) or not (plain)
step() {
	name=$1 args=$2 want=$3
	make $args >"$TMPD/make.out" 2>&1
	st=$?
	compiled=$(grep -c -- ' -c -o ' "$TMPD/make.out")
	./collbench allreduce -g 1 -b 8 -e 8 --transport mpi >"$TMPD/out" 2>"$TMPD/err"
	case $? in
	5) got=plain ;;
	*) got=mpi ;;
	esac
	if [ $st = 0 ] && [ "$got" = "$want" ] && [ "$compiled" = 0 ]; then
		ok "$name: ./collbench is the $want build, nothing recompiled"
	else
		notok "$name: ./collbench is the $want build (make $st, got $got, $compiled compiled)"
		tail -3 "$TMPD/make.out" | sed 's/^/#   /'
	fi
}
mpirun_ok() {
	timeout -k 5 60 mpirun.openmpi --oversubscribe -np 2 ./collbench allreduce -b 8 -e 1K >"$TMPD/out" 2>"$TMPD/err"
	expect_zero_wrong "$1: mpirun -np 2 ./collbench allreduce -b 8 -e 1K" "$TMPD/out"
}
MPIARGS="MPI=1 MPICC=mpicc.openmpi"
step "make" "" plain
step "make MPI=1 after make" "$MPIARGS" mpi
mpirun_ok "after make, make MPI=1"
step "make after make MPI=1" "" plain
step "make MPI=1 after make MPI=1, make" "$MPIARGS" mpi
step "make MPI=1 again" "$MPIARGS" mpi
mpirun_ok "after make MPI=1 again"
[ -z "$(make -q $MPIARGS >/dev/null 2>&1 || echo stale)" ] && ok "make -q: the MPI binary is up to date" ||
	notok "make -q: the MPI binary is up to date"

done_testing
