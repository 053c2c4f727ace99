/* signals.pml: collbench's signal protocol as a Promela model (spin).
 *
 * P ranks run ITERS back-to-back calls of a mesh-barrier collective over
 * symmetric windows, exactly as src/comm.c and the algorithms do:
 *   stage-in  : write my scratch half (it mod 2) with this call's value
 *   barrier   : add 1 to my cell in every peer's row (one writer per cell),
 *               then wait until every peer's cell in my row >= expected epoch
 *   read      : read every rank's scratch half, one rank at a time
 * Properties (spin -a; pan):
 *   - no deadlock (no invalid end state);
 *   - no barrier passes early: when a rank leaves barrier `it`, all P ranks
 *     have entered it (assert);
 *   - no read of a buffer being overwritten: every value read is the value
 *     of this call (assert).
 * Variants that must FAIL (compile with -D...):
 *   ZERO   each rank clears its own cells at the start of a call and waits
 *          for >= 1 (seed hazard 1): a peer's early notify is erased -> hang
 *   STALE  waits compare against 1 instead of the epoch (seed hazard 2)
 *   NODB   no double buffering: every call uses half 0 (seed hazard 3) */
#ifndef P
#define P 2
#endif
#ifndef ITERS
#define ITERS 3
#endif

byte cell[P * P];     /* cell[owner * P + writer]: epochs, only increase */
byte data[P * 2];     /* data[rank * 2 + half]: scratch halves */
byte arrived[ITERS];  /* ranks that entered barrier `it` (observer only) */

proctype rank(byte r)
{
	byte it = 0, j, half, expect;

	do
	:: it < ITERS ->
#ifdef ZERO
		j = 0;
		do
		:: j < P -> cell[r * P + j] = 0; j++
		:: else -> break
		od;
#endif
#ifdef NODB
		half = 0;
#else
		half = it % 2;
#endif
		data[r * 2 + half] = it;
		arrived[it]++;
		j = 0;
		do
		:: j < P -> if
			    :: j != r -> cell[j * P + r]++
			    :: else -> skip
			    fi; j++
		:: else -> break
		od;
#if defined(STALE) || defined(ZERO)
		expect = 1;
#else
		expect = it + 1;
#endif
		j = 0;
		do
		:: j < P -> (j == r || cell[r * P + j] >= expect); j++
		:: else -> break
		od;
		assert(arrived[it] == P);
		j = 0;
		do
		:: j < P -> assert(data[j * 2 + half] == it); j++
		:: else -> break
		od;
		it++
	:: else -> break
	od
}

init
{
	byte i = 0;
	atomic {
		do
		:: i < P -> run rank(i); i++
		:: else -> break
		od
	}
}
