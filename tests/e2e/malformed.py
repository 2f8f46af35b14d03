#!/usr/bin/python3
"""Sends broken frames at a VIP (run in the client namespace; scapy).

  malformed.py IFACE DST_MAC VIP N_FUZZ
Prints how many frames of the fixed set are recognisably for the VIP (an XDP program that
reads no further than the addresses steers them to ulvsd; the rest it leaves to the kernel,
which counts them itself).  The fixed set is malformed in ways a parser must catch (lengths
that lie, truncated headers); then N_FUZZ scapy-fuzzed IPv4/TCP and IPv6/UDP frames follow.
"""
import sys

from scapy.all import IP, IPv6, TCP, UDP, Ether, Raw, conf, fuzz, sendp

iface, mac, vip, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
conf.verb = 0
eth = Ether(dst=mac)
raw4 = Ether(dst=mac, type=0x0800)
ip = bytes(IP(dst=vip) / TCP(dport=80, flags="S"))
steered = [
    raw4 / Raw(ip[:2] + (1500).to_bytes(2, "big") + ip[4:]),         # total length past the end
    eth / IP(dst=vip, proto=6) / Raw(b"\x00\x50\x00\x50\x00\x00"),   # 6-byte TCP "header"
    eth / IP(dst=vip, proto=6) / Raw(bytes(TCP(dport=80, dataofs=15))),  # options past the end
    eth / IP(dst=vip) / UDP(dport=53, len=4),                        # UDP length < 8
    eth / IPv6(dst="fd00:1::100", plen=400) / UDP(dport=53),          # IPv6 length lies
    eth / IPv6(dst="fd00:1::100", nh=6) / Raw(b"\x00\x50"),            # 2-byte TCP header
]
to_kernel = [
    raw4 / Raw(bytes([0x44]) + ip[1:]),                              # IHL 4 (< 5)
    raw4 / Raw(ip[:10]),                                             # IPv4 header cut short
    raw4 / Raw(b"\xff" * 30),                                        # garbage as IPv4
]
for f in steered + to_kernel:
    sendp(f, iface=iface)
print(len(steered))
fz = [eth / fuzz(IP(dst=vip) / TCP(dport=80)) for _ in range(n // 2)]
fz += [eth / IPv6(dst="fd00:1::100") / fuzz(UDP(dport=53)) for _ in range(n - n // 2)]
sendp(fz, iface=iface)
