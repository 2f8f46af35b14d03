#!/usr/bin/python3
"""Cross-check of the Proxy Protocol insertion with scapy, an independent implementation.

  rm -f /tmp/pp.txt; ULVS_PROXY_DUMP=/tmp/pp.txt build/proxy_insert_test && \
      tests/unit/xmit/proxy_scapy_check.py /tmp/pp.txt

Each line of the dump is "name hex".  Every frame must dissect and, rebuilt with its checksums
deleted (scapy recomputes them), give the same bytes.  first_*: the TCP payload is the PROXY
header (v1 text / v2 binary, decoded here by hand) naming client → VIP, then the request;
synack_*: the MSS lowered by one of the header lengths; sack_*: the SACK block moved down by
one.  Needs python3-scapy (Debian's /usr/bin/python3)."""
import ipaddress
import struct
import sys

from scapy.layers.inet import IP, TCP
from scapy.layers.inet6 import IPv6
from scapy.layers.l2 import Ether

CLIENT = {"v4": ("1.1.1.1", 40000), "v6": ("2001:db8::1", 40000)}
VIP = {"v4": ("10.0.0.100", 80), "v6": ("2001:db8:100::100", 80)}
SIG = b"\r\n\r\n\x00\r\nQUIT\n"
REQUEST = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"


def header_lengths(fam):
    """The v1 length for this flow (written out independently) and the v2 length."""
    v1 = "PROXY TCP%s %s %s %d %d\r\n" % (fam[1], CLIENT[fam][0], VIP[fam][0], CLIENT[fam][1], VIP[fam][1])
    return (len(v1), 28 if fam == "v4" else 52)


def recomputed(pkt):
    c = pkt.copy()
    for layer in (IP, IPv6, TCP):
        if layer in c:
            for f in ("chksum",):
                if f in c[layer].fields:
                    delattr(c[layer], f)
    return bytes(c)


def proxy_header(data, fam):
    """(client, server, rest) from a PROXY v1 or v2 header at the start of data."""
    if data.startswith(b"PROXY "):
        line, rest = data.split(b"\r\n", 1)
        parts = line.decode().split(" ")
        assert parts[1] == ("TCP4" if fam == "v4" else "TCP6"), parts
        return (parts[2], int(parts[4])), (parts[3], int(parts[5])), rest
    assert data[:12] == SIG, data[:16]
    ver_cmd, fam_proto, length = struct.unpack("!BBH", data[12:16])
    assert ver_cmd == 0x21, ver_cmd
    assert fam_proto == (0x11 if fam == "v4" else 0x21), fam_proto
    n = 4 if fam == "v4" else 16
    assert length == 2 * n + 4, length
    body = data[16:16 + length]
    src = str(ipaddress.ip_address(body[:n]))
    dst = str(ipaddress.ip_address(body[n:2 * n]))
    sport, dport = struct.unpack("!HH", body[2 * n:2 * n + 4])
    return (src, sport), (dst, dport), data[16 + length:]


def check(name, raw):
    pkt = Ether(raw)
    assert bytes(pkt) == raw, "scapy does not round-trip"
    assert recomputed(pkt) == raw, "checksums differ from scapy's"
    fam = "v4" if IP in pkt else "v6"
    tcp = pkt[TCP]
    if name.startswith("first_"):
        client, server, rest = proxy_header(bytes(tcp.payload), fam)
        assert client == CLIENT[fam] and server == VIP[fam], (client, server)
        assert rest == REQUEST, rest
        assert tcp.seq == 1001
        ip_len = pkt[IP].len if fam == "v4" else pkt[IPv6].plen + 40
        hdr = (pkt[IP].ihl * 4 if fam == "v4" else 40) + tcp.dataofs * 4
        assert ip_len == hdr + len(bytes(tcp.payload)), (ip_len, hdr)
    elif name.startswith("synack_"):
        mss = dict((k, v) for k, v in tcp.options)["MSS"]
        assert 1460 - mss in header_lengths(fam), mss
        assert tcp.ack == 1001
    elif name.startswith("sack_"):
        sack = dict((k, v) for k, v in tcp.options)["SAck"]
        assert (sack[0], sack[1]) in [(4096 - n, 4352 - n) for n in header_lengths(fam)], sack
    else:
        raise AssertionError("unknown kind " + name)


def main():
    n = 0
    for line in open(sys.argv[1]):
        name, hexed = line.split()
        try:
            check(name, bytes.fromhex(hexed))
        except AssertionError as e:
            print("FAIL", name, e)
            return 1
        n += 1
    print("ok", n, "frames")
    return 0 if n else 1


if __name__ == "__main__":
    sys.exit(main())
