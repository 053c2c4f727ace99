# sigtwice.py FIRST GAP ERR OUT CMD...: run CMD (stdout discarded, stderr to
# ERR), send SIGINT after FIRST seconds and again GAP seconds later, while
# the first still winds the run down. Exit 0 only if the process ended by
# SIGINT itself (the manual: a second signal ends it at once, by that
# signal; the wait status says signalled, not exit 130) and OUT (its -J
# target) does not exist. Used by t_harden (plain binary) and t_sanitize
# (TSan binary, whose report the caller greps in ERR).
import os, signal, subprocess, sys, time

first, gap, err, out, cmd = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5:]
p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=open(err, "w"))
time.sleep(first)
p.send_signal(signal.SIGINT)
time.sleep(gap)   # signals do not queue: the first must be taken first
p.send_signal(signal.SIGINT)
try:
    rc = p.wait(60)
except subprocess.TimeoutExpired:
    p.kill()
    rc = "hung"
print("#   second SIGINT: returncode", rc, "target exists:", os.path.exists(out))
sys.exit(0 if rc == -signal.SIGINT and not os.path.exists(out) else 1)
