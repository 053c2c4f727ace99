/* mpi_peer.c: the MPI side of bench/run.sh. Times MPI_Allreduce,
 * MPI_Allgather, MPI_Reduce_scatter_block, MPI_Bcast and MPI_Alltoall the way
 * collbench times its collectives, so the two tables compare like with like:
 *
 *  - sizes: the "size" column of collbench (nccl-tests' convention), float:
 *      allreduce, bcast:          count = S/4 elements per rank
 *      allgather, reduce_scatter: S/4/P elements per rank block (S = total)
 *      alltoall:                  S/4/P elements per peer block
 *  - per point: -w warm-up calls, MPI_Barrier (synchronised start), -n calls
 *    back to back (collbench -z 0), time = elapsed / n on every rank, then
 *    averaged over ranks (collbench -a 1, its default);
 *  - validation: one separate check call per point with fresh inputs
 *    (the values depend on rank, element index and a per-point seed, kept
 *    small enough that every float sum is exact), every rank checks its
 *    own output; any wrong element makes the exit status 7 (as collbench).
 *
 * Output, one line per point (rank 0), easy to join with collbench's table:
 *   <coll> <P> <bytes> <time_us> <wrong>
 * Usage: mpirun -np P mpi_peer [-b MIN] [-e MAX] [-f FACTOR] [-n ITERS]
 *                              [-w WARMUP] [-C coll,coll,...]
 * Collective names are collbench's: allreduce allgather reduce_scatter
 * broadcast alltoall. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { ALLREDUCE, ALLGATHER, REDUCE_SCATTER, BROADCAST, ALLTOALL, NCOLL };
static const char *const names[NCOLL] = { "allreduce", "allgather", "reduce_scatter",
					   "broadcast", "alltoall" };

static int P, R;

/* Input element i of rank r for seed s: small integers, so a sum over up to
 * 512 ranks stays exact in float. */
static float val(int r, size_t i, int s)
{
	return (float)((unsigned)(r * 7 + (int)(i % 61) + s * 3) % 16u);
}

static size_t parse_size(const char *s)
{
	char *end;
	double v = strtod(s, &end);
	switch (*end) {
	case 'G': case 'g': v *= 1024;	/* fall through */
	case 'M': case 'm': v *= 1024;	/* fall through */
	case 'K': case 'k': v *= 1024; break;
	default: break;
	}
	return (size_t)v;
}

/* Element counts: per-rank send and recv element counts for S bytes. */
static void counts(int coll, size_t bytes, size_t *cnt, size_t *ns, size_t *nr)
{
	size_t whole = bytes / sizeof(float), blk = whole / (size_t)P;
	switch (coll) {
	case ALLREDUCE: case BROADCAST: *cnt = whole; *ns = *nr = whole; break;
	case ALLGATHER: *cnt = blk; *ns = blk; *nr = blk * (size_t)P; break;
	case REDUCE_SCATTER: *cnt = blk; *ns = blk * (size_t)P; *nr = blk; break;
	default: *cnt = blk; *ns = *nr = blk * (size_t)P; break;
	}
}

static void fill(int coll, float *send, float *recv, size_t ns, size_t nr, int seed)
{
	for (size_t i = 0; i < ns; i++)
		send[i] = val(R, i, seed);
	for (size_t i = 0; i < nr; i++)
		recv[i] = -1.0f;
	if (coll == BROADCAST && R != 0)
		for (size_t i = 0; i < ns; i++)
			send[i] = -2.0f; /* non-roots must receive the root's data */
}

static void call(int coll, float *send, float *recv, size_t cnt)
{
	switch (coll) {
	case ALLREDUCE:
		MPI_Allreduce(send, recv, (int)cnt, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
		break;
	case ALLGATHER:
		MPI_Allgather(send, (int)cnt, MPI_FLOAT, recv, (int)cnt, MPI_FLOAT, MPI_COMM_WORLD);
		break;
	case REDUCE_SCATTER:
		MPI_Reduce_scatter_block(send, recv, (int)cnt, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
		break;
	case BROADCAST:
		/* in place, as MPI defines it: send is the root's data and every
		 * other rank's destination */
		MPI_Bcast(send, (int)cnt, MPI_FLOAT, 0, MPI_COMM_WORLD);
		break;
	default:
		MPI_Alltoall(send, (int)cnt, MPI_FLOAT, recv, (int)cnt, MPI_FLOAT, MPI_COMM_WORLD);
		break;
	}
}

/* Wrong elements of my output for seed s. */
static long check(int coll, const float *send, const float *recv, size_t cnt, int s)
{
	long bad = 0;
	switch (coll) {
	case ALLREDUCE:
		for (size_t i = 0; i < cnt; i++) {
			float e = 0;
			for (int k = 0; k < P; k++)
				e += val(k, i, s);
			bad += recv[i] != e;
		}
		break;
	case ALLGATHER:
		for (int k = 0; k < P; k++)
			for (size_t i = 0; i < cnt; i++)
				bad += recv[(size_t)k * cnt + i] != val(k, i, s);
		break;
	case REDUCE_SCATTER:
		for (size_t i = 0; i < cnt; i++) {
			float e = 0;
			for (int k = 0; k < P; k++)
				e += val(k, (size_t)R * cnt + i, s);
			bad += recv[i] != e;
		}
		break;
	case BROADCAST:
		for (size_t i = 0; i < cnt; i++)
			bad += send[i] != val(0, i, s);
		break;
	default:
		for (int k = 0; k < P; k++)
			for (size_t i = 0; i < cnt; i++)
				bad += recv[(size_t)k * cnt + i] != val(k, (size_t)R * cnt + i, s);
		break;
	}
	return bad;
}

int main(int argc, char **argv)
{
	size_t minb = 8, maxb = 64u << 20;
	long iters = 20, warm = 5, factor = 2;
	char colls[256] = "allreduce,allgather,reduce_scatter,broadcast,alltoall";
	int opt, status = 0;

	MPI_Init(&argc, &argv);
	MPI_Comm_size(MPI_COMM_WORLD, &P);
	MPI_Comm_rank(MPI_COMM_WORLD, &R);
	while ((opt = getopt(argc, argv, "b:e:f:n:w:C:")) != -1) {
		switch (opt) {
		case 'b': minb = parse_size(optarg); break;
		case 'e': maxb = parse_size(optarg); break;
		case 'f': factor = atol(optarg); break;
		case 'n': iters = atol(optarg); break;
		case 'w': warm = atol(optarg); break;
		case 'C': snprintf(colls, sizeof colls, "%s", optarg); break;
		default:
			if (!R)
				fprintf(stderr, "usage: mpi_peer [-b MIN] [-e MAX] [-f F] [-n N] [-w N] [-C LIST]\n");
			MPI_Abort(MPI_COMM_WORLD, 6);
		}
	}
	if (factor < 2 || iters < 1 || warm < 0 || minb > maxb) {
		if (!R)
			fprintf(stderr, "mpi_peer: bad arguments\n");
		MPI_Abort(MPI_COMM_WORLD, 6);
	}

	size_t cap = maxb / sizeof(float) + 16;
	float *send = NULL, *recv = NULL;
	if (posix_memalign((void **)&send, 4096, cap * sizeof(float)) ||
	    posix_memalign((void **)&recv, 4096, cap * sizeof(float)))
		MPI_Abort(MPI_COMM_WORLD, 2);
	memset(send, 0, cap * sizeof(float));
	memset(recv, 0, cap * sizeof(float));

	if (!R)
		printf("# mpi_peer P=%d iters=%ld warmup=%ld\n# coll P bytes time_us wrong\n",
		       P, iters, warm);
	for (int coll = 0; coll < NCOLL; coll++) {
		char list[260];
		snprintf(list, sizeof list, ",%s,", colls);
		char key[64];
		snprintf(key, sizeof key, ",%s,", names[coll]);
		if (!strstr(list, key))
			continue;
		int seed = 1;
		for (size_t b = minb; b <= maxb; b *= (size_t)factor, seed++) {
			size_t cnt, ns, nr;
			counts(coll, b, &cnt, &ns, &nr);
			if (cnt == 0)
				continue;
			fill(coll, send, recv, ns, nr, 0);
			for (long i = 0; i < warm; i++)
				call(coll, send, recv, cnt);
			MPI_Barrier(MPI_COMM_WORLD);
			double t0 = MPI_Wtime();
			for (long i = 0; i < iters; i++)
				call(coll, send, recv, cnt);
			double us = (MPI_Wtime() - t0) * 1e6 / (double)iters, sum = 0;
			MPI_Reduce(&us, &sum, 1, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);

			/* check call, separate from the timed ones, fresh inputs */
			fill(coll, send, recv, ns, nr, seed);
			if (coll == BROADCAST && R == 0)
				for (size_t i = 0; i < ns; i++)
					send[i] = val(0, i, seed);
			call(coll, send, recv, cnt);
			long bad = check(coll, send, recv, cnt, seed), allbad = 0;
			MPI_Reduce(&bad, &allbad, 1, MPI_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
			if (!R) {
				printf("%s %d %zu %.3f %ld\n", names[coll], P, b, sum / P, allbad);
				fflush(stdout);
				if (allbad)
					status = 7;
			}
		}
	}
	free(send);
	free(recv);
	MPI_Finalize();
	return status;
}
