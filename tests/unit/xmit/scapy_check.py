#!/usr/bin/python3
"""Cross-check of the xmit rewrites with scapy, an independent packet implementation.

  ULVS_XMIT_DUMP=/tmp/xmit.txt build/scapy_dump_test && tests/unit/xmit/scapy_check.py /tmp/xmit.txt

Each line of the dump is "name hex".  For every frame scapy must dissect it, and rebuilding it
with every (non-quoted) checksum deleted — so scapy recomputes them — must give the same bytes.
Per kind: the TOA option as the toa module reads it, the tunnel headers, the ICMP too-big.
Needs python3-scapy (Debian's lives in /usr/lib/python3/dist-packages)."""
import ipaddress
import struct
import sys

from scapy.layers.inet import ICMP, IP, TCP, UDP, IPerror, TCPerror, UDPerror
from scapy.layers.inet6 import IPv6, ICMPv6PacketTooBig, IPerror6
from scapy.layers.l2 import GRE, Ether
from scapy.packet import Raw
from scapy.utils import checksum

QUOTED = ("IPerror", "TCPerror", "UDPerror", "ICMPerror", "IPerror6", "ICMPv6Error")

CLIENT = {"v4": ("1.1.1.1", 40000), "v6": ("2001:db8::1", 40000)}


def recomputed(pkt):
    c = pkt.copy()
    layer = c
    while layer and not isinstance(layer, Raw):
        if layer.__class__.__name__ in QUOTED:
            break
        for f in ("chksum", "cksum"):
            if f in layer.fields:
                delattr(layer, f)
        layer = layer.payload
    return bytes(c)


def check(name, raw):
    pkt = Ether(raw)
    assert bytes(pkt) == raw, "scapy does not round-trip"
    if not name.startswith("tun_gre"):  # scapy's GRE checksum needs chksum_present handling
        assert recomputed(pkt) == raw, "checksums differ from scapy's"
    if name.startswith("toa_"):
        fam = "v4" if IP in pkt else "v6"
        opts = dict((k, v) for k, v in pkt[TCP].options if isinstance(k, int))
        val = opts.get(254)
        assert val is not None, "no option 254 in %r" % pkt[TCP].options
        port = struct.unpack("!H", val[:2])[0]
        addr = ipaddress.ip_address(val[2:])
        assert (str(addr), port) == CLIENT[fam], (addr, port)
        assert len(val) == (6 if fam == "v4" else 18)
    elif name.startswith("tun_gue"):
        udp = pkt[UDP]
        assert udp.dport == 6080
        gue = bytes(udp.payload)
        assert gue[0] == 0 and gue[1] in (4, 41) and gue[2:4] == b"\0\0"
        inner = IP(gue[4:]) if gue[1] == 4 else IPv6(gue[4:])
        assert TCP in inner and inner[TCP].dport == 80
    elif name.startswith("tun_ipip"):
        outer = pkt[IP] if "outv4" in name else pkt[IPv6]  # the first one is the outer one
        assert (outer.proto if "outv4" in name else outer.nh) == (4 if "inv4" in name else 41)
        assert TCP in pkt and pkt[TCP].dport == 80
    elif name.startswith("tun_gre"):
        gre = pkt[GRE]
        assert gre.chksum_present == 1 and gre.proto == (0x0800 if "inv4" in name else 0x86DD)
        assert checksum(bytes(gre)) == 0, "GRE checksum"
        assert TCP in pkt and pkt[TCP].dport == 80
    elif name.startswith("too_big_v4"):
        icmp = pkt[ICMP]
        assert icmp.type == 3 and icmp.code == 4 and icmp.nexthopmtu == 1400
        assert pkt[IPerror].dst == "10.0.0.100" and pkt[TCPerror].dport == 80
    elif name.startswith("too_big_v6"):
        ptb = pkt[ICMPv6PacketTooBig]
        assert ptb.mtu == 1400 and len(pkt[IPv6]) == 1280
    elif name.startswith("icmp_in_"):
        err = pkt[IPerror] if IPerror in pkt else pkt[IPerror6]
        assert str(err.src) in ("192.168.10.2", "fd00:10::2"), err.src
        l4 = pkt[TCPerror] if TCPerror in pkt else pkt[UDPerror]
        assert l4.sport == 8080


def main():
    failures = 0
    n = 0
    for line in open(sys.argv[1]):
        name, hexbytes = line.split()
        n += 1
        try:
            check(name, bytes.fromhex(hexbytes))
        except AssertionError as e:
            failures += 1
            print("FAIL %s: %s" % (name, e))
    print("%d frames, %d failures" % (n, failures))
    return 1 if failures or n == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
