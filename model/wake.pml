/* wake.pml: the sleep/wake handshake of comm_wait_cell / comm_notify_cell.
 *
 * Waiter (owner of the cell), per expected epoch e: if cell >= e, done;
 * else read the futex word seq, publish sleep_cell, re-read the cell, and
 * if still short sleep until seq changes (FUTEX_WAIT returns at once if seq
 * already moved). Notifier: bump the cell, then, if the owner sleeps on this
 * cell, bump seq and wake. Promela steps are sequentially consistent, which
 * is what the seq_cst operations in src/comm.c provide.
 * Property: no lost wake-up (no invalid end state) for N notifies.
 * Variant that must FAIL: WAKE_FIRST, the notifier looks at sleep_cell
 * before bumping the cell. */
#ifndef N
#define N 3
#endif

byte cell = 0;
byte seq = 0;
bit sleeping = 0;

active proctype waiter()
{
	byte e = 1, s;
	do
	:: e <= N ->
		do
		:: cell >= e -> break
		:: else ->
			s = seq;
			sleeping = 1;
			if
			:: cell >= e -> sleeping = 0; break
			:: else -> (seq != s); sleeping = 0
			fi
		od;
		e++
	:: else -> break
	od
}

active proctype notifier()
{
	byte i = 0;
	do
	:: i < N ->
#ifdef WAKE_FIRST
		if
		:: sleeping -> seq++
		:: else -> skip
		fi;
		cell++;
#else
		cell++;
		if
		:: sleeping -> seq++
		:: else -> skip
		fi;
#endif
		i++
	:: else -> break
	od
}
