#!/usr/bin/env python3
# test/place_agree.py TABLE JSON CSV: a run's placement shown three ways
# must agree, and the JSON must agree with this machine as Linux describes
# it in /sys (not as hwloc or collbench do). Prints one line per failed
# check and exits 1 if any failed (t_placement.sh).
#   - table: the "# Topology:"/"# Machine:" lines are the JSON's
#     machine.summary; the Machine line's numbers and PU list are its
#     packages, numa_nodes, cores, pus, pus_for_ranks, pu_list_for_ranks;
#     every rank line's PU, core, NUMA, window and status is its rank's
#     pu, core, numa, window_numa, cpu_ok/mem_ok; the Placement and verdict
#     lines are the first and last lines of placements[].map.
#   - CSV: every record's machine column is the summary on one line, its
#     placement column the JSON ranks of its rank count.
#   - /sys: the PUs ranks may use are this process's affinity; the machine's
#     PUs, cores (distinct core_cpus_list), packages (distinct
#     physical_package_id) and NUMA nodes (ids, CPU lists, MemTotal) are the
#     online, cgroup-allowed ones.
import csv
import glob
import json
import os
import re
import sys

bad = []


def check(cond, what):
    if not cond:
        bad.append(what)


def ints(lst):
    """A Linux/hwloc list "0-3,8" as a sorted list of ints."""
    out = []
    for part in lst.strip().split(","):
        if not part:
            continue
        a, _, b = part.partition("-")
        out += range(int(a), int(b or a) + 1)
    return sorted(out)


def read(path, default=None):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return default


def cgroup_set(v2_name, v1_ctrl, v1_name):
    """The cgroup's effective cpuset list (cpus or mems), None if unknown."""
    for line in (read("/proc/self/cgroup", "") or "").splitlines():
        hier, ctrls, path = line.split(":", 2)
        if hier == "0" and ctrls == "":
            v = read("/sys/fs/cgroup%s/%s" % (path.rstrip("/"), v2_name))
        elif v1_ctrl in ctrls.split(","):
            v = read("/sys/fs/cgroup/%s%s/%s" % (v1_ctrl, path.rstrip("/"), v1_name))
        else:
            continue
        if v:
            return set(ints(v))
    return None


def table_blocks(path):
    """Per rank count: its topology lines, map lines and rank lines."""
    blocks, cur = [], None
    for line in open(path):
        line = line.rstrip("\n")
        if line.startswith("# Topology: "):
            cur = {"topo": [line[2:]], "map": [], "ranks": []}
            blocks.append(cur)
        elif cur is not None and line.startswith("# Machine: "):
            cur["topo"].append(line[2:])
        elif cur is not None and re.match(r"^# (Placement|Ranks per NUMA|WARNING)", line):
            cur["map"].append(line[2:])
        elif cur is not None and line.startswith("#  Rank "):
            cur["ranks"].append(line)
        elif cur is not None and line == "#" and cur["map"]:
            cur = None
    return blocks


def agree_table(blocks, d):
    m = d["machine"]
    check(len(blocks) == len(d["placements"]),
          "table has %d placement blocks, JSON %d" % (len(blocks), len(d["placements"])))
    for b, p in zip(blocks, d["placements"]):
        n = p["nranks"]
        check("\n".join(b["topo"]) + "\n" == m["summary"],
              "P=%d: table topology lines %r != JSON summary %r" % (n, b["topo"], m["summary"]))
        mm = re.match(r"Machine: (\d+) packages?, (\d+) NUMA nodes?, (\d+) cores?, (\d+) PUs?; "
                      r"for ranks: (\d+) PUs? \(OS indexes ([0-9,-]+)\)", b["topo"][1])
        check(mm is not None, "P=%d: table Machine line unreadable: %r" % (n, b["topo"][1]))
        if mm:
            got = [int(x) for x in mm.groups()[:5]] + [ints(mm.group(6))]
            want = [m["packages"], m["numa_nodes"], m["cores"], m["pus"], m["pus_for_ranks"],
                    m["pu_list_for_ranks"]]
            check(got == want, "P=%d: table Machine line %s != JSON %s" % (n, got, want))
        maplines = p["map"].splitlines()
        check(b["map"] and maplines and b["map"][0] == maplines[0] and b["map"][-1] == maplines[-1],
              "P=%d: table Placement/verdict lines %r != JSON map's %r" % (n, b["map"], maplines))
        check(len(b["ranks"]) == n, "P=%d: table has %d rank lines" % (n, len(b["ranks"])))
        for line, r in zip(b["ranks"], p["ranks"]):
            rm = re.search(r"PU +(\S+) core +(\S+) NUMA +(\S+) window NUMA (\S+) +(.*)$", line)
            num = lambda v: -1 if v == "-" else int(v)
            got = rm and (num(rm.group(1)), num(rm.group(2)), num(rm.group(3)), rm.group(4),
                          rm.group(5).strip() == "verified")
            want = (r["pu"], r["core"], r["numa"], r["window_numa"],
                    r["cpu_ok"] is True and r["mem_ok"] is True)
            check(got == want, "P=%d rank %d: table %s != JSON %s" % (n, r["rank"], got, want))


def agree_csv(rows, d):
    m = d["machine"]
    one = "; ".join(m["summary"].splitlines())
    by_n = {}
    for p in d["placements"]:
        by_n[p["nranks"]] = "bind %s mem %s" % (p["bind"], p["mem"]) + "".join(
            "; rank %d PU %d core %d NUMA %d window %s" % (r["rank"], r["pu"], r["core"], r["numa"],
                                                          r["window_numa"]) for r in p["ranks"])
    check(rows, "CSV has no records")
    for row in rows:
        check(row["machine"] == one, "CSV machine %r != JSON summary %r" % (row["machine"], one))
        want = by_n.get(int(row["nranks"]))
        check(row["placement"] == want,
              "CSV placement %r != JSON ranks %r" % (row["placement"], want))


def agree_sys(d):
    m = d["machine"]
    aff = sorted(os.sched_getaffinity(0))
    check(m["pu_list_for_ranks"] == aff and m["pus_for_ranks"] == len(aff),
          "pu_list_for_ranks %s, pus_for_ranks %d; affinity %s" %
          (m["pu_list_for_ranks"], m["pus_for_ranks"], aff))
    cpus = set(ints(read("/sys/devices/system/cpu/online")))
    allowed = cgroup_set("cpuset.cpus.effective", "cpuset", "cpuset.effective_cpus")
    if allowed is not None:
        cpus &= allowed
    check(m["pus"] == len(cpus), "pus %d; online allowed CPUs %d" % (m["pus"], len(cpus)))
    topo = "/sys/devices/system/cpu/cpu%d/topology/"
    cores = {read(topo % c + "core_cpus_list") or read(topo % c + "thread_siblings_list")
             for c in cpus}
    pkgs = {read(topo % c + "physical_package_id") for c in cpus}
    check(m["cores"] == len(cores), "cores %d; /sys %d" % (m["cores"], len(cores)))
    check(m["packages"] == len(pkgs), "packages %d; /sys %d" % (m["packages"], len(pkgs)))
    mems = cgroup_set("cpuset.mems.effective", "cpuset", "cpuset.effective_mems")
    nodes = {}
    for nd in glob.glob("/sys/devices/system/node/node[0-9]*"):
        i = int(nd.rsplit("node", 1)[1])
        if mems is not None and i not in mems:
            continue
        kb = int(re.search(r"MemTotal:\s+(\d+) kB", read(nd + "/meminfo")).group(1))
        huge = sum(int(read(h + "/nr_hugepages", "0")) * int(re.search(r"(\d+)kB", h).group(1))
                   for h in glob.glob(nd + "/hugepages/hugepages-*kB"))
        nodes[i] = (sorted(set(ints(read(nd + "/cpulist") or "")) & cpus), kb * 1024, huge * 1024)
    got = {n["os_index"]: n for n in m["nodes"]}
    check(sorted(got) == sorted(nodes) and m["numa_nodes"] == len(nodes),
          "nodes %s; /sys %s" % (sorted(got), sorted(nodes)))
    for i, (pus, mem, huge) in nodes.items():
        n = got.get(i)
        if not n:
            continue
        # hwloc may count a node's huge pages apart from its local memory
        check(mem - huge <= n["memory_bytes"] <= mem and n["has_memory"] == (mem > 0),
              "node %d: memory_bytes %d; MemTotal %d (huge pages %d)" %
              (i, n["memory_bytes"], mem, huge))
        if pus:   # a CPU-less node: hwloc lists the PUs near it
            check(n["pus"] == pus, "node %d: pus %s; /sys cpulist %s" % (i, n["pus"], pus))


def main():
    table, js, cs = sys.argv[1:4]
    d = json.load(open(js))
    agree_table(table_blocks(table), d)
    agree_csv(list(csv.DictReader(open(cs, newline=""))), d)
    agree_sys(d)
    for b in bad:
        print(b)
    sys.exit(1 if bad else 0)


main()
