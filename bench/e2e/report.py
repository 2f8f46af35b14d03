#!/usr/bin/env python3
"""bench/e2e/report.py: medians of run.sh's samples -> a JSON file and the tables.

  report.py --samples SAMPLES.tsv --out RESULTS.json [--meta KEY=VALUE ...]
  report.py --print RESULTS.json          (the tables again from a results file)

SAMPLES.tsv: one "config<TAB>metric<TAB>value" per line, value "error" lines carry a message.
"""
import argparse
import datetime
import json
import statistics
import sys

HTTP_CONFIGS = ["direct", "direct-2rs", "nat", "dr", "fullnat", "nft", "haproxy"]
UDP_CONFIGS = ["udp-kernel", "udp-ulvsd"]
LABELS = {
    "direct": "direct (client -> r1)",
    "direct-2rs": "direct, r1+r2 (2 clients)",
    "nat": "ulvsd NAT",
    "dr": "ulvsd DR",
    "fullnat": "ulvsd FULLNAT",
    "nft": "nftables DNAT",
    "haproxy": "HAProxy (tcp)",
    "udp-kernel": "kernel forwarding",
    "udp-ulvsd": "ulvsd NAT",
}
REFERENCE = {
    "source": "the issue, 2-core machine, keep-alive HTTP (wrk)",
    "nft_rps_ratio": 0.93,
    "haproxy_rps_ratio": 0.70,
    "goal": "ulvsd >= nftables",
}
NOTES = [
    "req/s and p99: wrk keep-alive; conn/s: ab without keep-alive (one request per connection).",
    "ratios are medians divided by the median of 'direct' (client -> one real server, no director);"
    " balanced configurations spread over two nginx servers (1 worker each), so they may pass"
    " 1.00x; 'direct, r1+r2' (two wrk/ab processes, half the connections to each server, p99 the"
    " worse of the two) shows that server capacity without a director.",
    "UDP: pkts/s delivered to r1 (nft counter in its input hook) while trafgen (one process) sends 60-byte frames"
    " (64 with FCS) as fast as it can; ratio to kernel forwarding. The generator is the limit here:"
    " over veth the kernel's forwarding (and the bridge) run in softirq on the sending CPU, while"
    " ulvsd works on the other CPU, so 'sent pkts/s' moves with the configuration.",
    "director CPU ns/pkt for ulvsd: utime+stime of the ulvsd process per forwarded packet (director"
    " CPU: the same as a share of one CPU); it leaves out the XDP program and the AF_XDP/veth copies, done in softirq.",
    "director CPU ns/pkt for kernel forwarding: not measurable cleanly here: forwarding runs in"
    " softirq on whichever CPU delivers the veth frame, mixed with the generator's transmit and"
    " the bridge; host-wide softirq ns/pkt (all CPUs, all namespaces, anything else running) is"
    " shown for both only as a rough reference.",
]


def median(values):
    return statistics.median(values) if values else None


def load_samples(path):
    data, errors, order = {}, [], []
    with open(path) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t", 2)
            if len(parts) != 3:
                continue
            cfg, metric, value = parts
            if cfg not in order:
                order.append(cfg)
            if metric == "error":
                errors.append({"config": cfg, "message": value})
                continue
            data.setdefault(cfg, {}).setdefault(metric, []).append(float(value))
    return data, errors, order


def summarize(data, order):
    http, udp = {}, {}
    for cfg in order:
        metrics = data.get(cfg, {})
        entry = {}
        for metric, values in metrics.items():
            entry[metric] = values
            entry[metric + "_median"] = median(values)
        (udp if cfg.startswith("udp-") else http)[cfg] = entry
    base = http.get("direct", {})
    for cfg, entry in http.items():
        for metric in ("rps", "cps"):
            b, v = base.get(metric + "_median"), entry.get(metric + "_median")
            entry[metric + "_ratio"] = round(v / b, 3) if b and v is not None else None
    kbase = udp.get("udp-kernel", {}).get("pps_median")
    for cfg, entry in udp.items():
        v = entry.get("pps_median")
        entry["pps_ratio"] = round(v / kbase, 3) if kbase and v is not None else None
        if cfg == "udp-kernel":
            entry["cpu_ns_per_pkt_median"] = None
            entry["cpu_note"] = "not measurable cleanly (softirq on the delivering CPU)"
    return http, udp


def fmt(v, spec, suffix=""):
    return "n/a" if v is None else format(v, spec) + suffix


def table(headers, rows):
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]
    line = lambda cells: " | ".join(
        str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))
    out = [line(headers), "-+-".join("-" * w for w in widths)]
    out += [line(r) for r in rows]
    return "\n".join(out)


def print_tables(res, file=sys.stdout):
    http, udp = res["http"], res["udp"]
    meta = res.get("meta", {})
    print(f"\nulvs end-to-end benchmark, {res['date']}: medians of {meta.get('repeats', '?')} runs;"
          f" {meta.get('wrk', '')}; {meta.get('ab', '')}; {meta.get('nproc', '?')} CPUs,"
          f" load {meta.get('load_start', '?')} -> {meta.get('load_end', '?')},"
          f" CPUs busy before/after {meta.get('host_busy_pct_start', '?')}%/{meta.get('host_busy_pct_end', '?')}%",
          file=file)
    rows = []
    for cfg in [c for c in HTTP_CONFIGS if c in http] + [c for c in http if c not in HTTP_CONFIGS]:
        e = http[cfg]
        rows.append([LABELS.get(cfg, cfg), fmt(e.get("rps_median"), ".0f"), fmt(e.get("rps_ratio"), ".2f", "x"),
                     fmt(e.get("p99_ms_median"), ".2f"), fmt(e.get("cps_median"), ".0f"),
                     fmt(e.get("cps_ratio"), ".2f", "x")])
    if rows:
        print(table(["config", "req/s (median)", "ratio to direct", "p99 ms", "conn/s", "ratio"], rows), file=file)
    rows = []
    for cfg in [c for c in UDP_CONFIGS if c in udp] + [c for c in udp if c not in UDP_CONFIGS]:
        e = udp[cfg]
        cpu = e.get("cpu_ns_per_pkt_median")
        rows.append([LABELS.get(cfg, cfg), fmt(e.get("pps_median"), ".0f"), fmt(e.get("pps_ratio"), ".2f", "x"),
                     fmt(e.get("sent_pps_median"), ".0f"),
                     fmt(cpu, ".0f") if cfg != "udp-kernel" else "not measurable",
                     fmt(e.get("cpu_util_median") and e["cpu_util_median"] * 100, ".0f", "%")
                     if cfg != "udp-kernel" else "n/a",
                     fmt(e.get("host_softirq_ns_per_pkt_median"), ".0f")])
    if rows:
        print(file=file)
        print(table(["UDP 64 B", "pkts/s (median)", "ratio to kernel", "sent pkts/s", "director CPU ns/pkt",
                     "director CPU", "host softirq ns/pkt"], rows), file=file)
    ref = res.get("reference", REFERENCE)
    print(f"\nreference ({ref['source']}): nftables {ref['nft_rps_ratio']:.2f}x, HAProxy"
          f" {ref['haproxy_rps_ratio']:.2f}x of direct; goal: {ref['goal']}", file=file)
    nft, best = http.get("nft", {}).get("rps_median"), None
    for cfg in ("nat", "dr", "fullnat"):
        v = http.get(cfg, {}).get("rps_median")
        if v is not None and nft:
            print(f"  ulvsd {cfg}: {v / nft:.2f}x of nftables (req/s)", file=file)
    busy = [meta.get("host_busy_pct_start"), meta.get("host_busy_pct_end")]
    if any(b is not None and int(b) > 20 for b in busy):
        print(f"WARNING: the host's CPUs were {busy[0]}% / {busy[1]}% busy just before / after the run"
              " (an idle host reads ~0%): something else competed for the CPUs, the numbers are not representative",
              file=file)
    for n in res.get("notes", []):
        print(f"note: {n}", file=file)
    for e in res.get("errors", []):
        print(f"ERROR {e['config']}: {e['message']}", file=file)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples")
    ap.add_argument("--out")
    ap.add_argument("--print", dest="print_file")
    ap.add_argument("--meta", nargs="*", default=[])
    a = ap.parse_args()
    if a.print_file:
        with open(a.print_file) as f:
            print_tables(json.load(f))
        return 0
    data, errors, order = load_samples(a.samples)
    http, udp = summarize(data, order)
    meta = dict(kv.split("=", 1) for kv in a.meta)
    for k in ("repeats", "nproc", "udp_seconds", "seconds", "host_busy_pct_start", "host_busy_pct_end"):
        if k in meta and meta[k].isdigit():
            meta[k] = int(meta[k])
    res = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "meta": meta,
        "http": http,
        "udp": udp,
        "errors": errors,
        "reference": REFERENCE,
        "notes": NOTES,
    }
    with open(a.out, "w") as f:
        json.dump(res, f, indent=2)
        f.write("\n")
    print_tables(res)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
