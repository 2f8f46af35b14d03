#include "cli/help.h"

namespace ulvs::cli {

namespace {

// ipvsadm 1.31's usage text, taken byte for byte from the real binary's `-h`; "%P" marks
// where it prints argv[0].
constexpr const char kUsage[] = R"(Usage:
  %P -A|E virtual-service [-s scheduler] [-p [timeout]] [-M netmask] [--pe persistence_engine] [-b sched-flags]
  %P -D virtual-service
  %P -C
  %P -R
  %P -S [-n]
  %P -a|e virtual-service -r server-address [options]
  %P -d virtual-service -r server-address
  %P -L|l [virtual-service] [options]
  %P -Z [virtual-service]
  %P --set tcp tcpfin udp
  %P --start-daemon {master|backup} [daemon-options]
  %P --stop-daemon {master|backup}
  %P -h

Commands:
Either long or short options are allowed.
  --add-service     -A        add virtual service with options
  --edit-service    -E        edit virtual service with options
  --delete-service  -D        delete virtual service
  --clear           -C        clear the whole table
  --restore         -R        restore rules from stdin
  --save            -S        save rules to stdout
  --add-server      -a        add real server with options
  --edit-server     -e        edit real server with options
  --delete-server   -d        delete real server
  --list            -L|-l     list the table
  --zero            -Z        zero counters in a service or all services
  --set tcp tcpfin udp        set connection timeout values
  --start-daemon              start connection sync daemon
  --stop-daemon               stop connection sync daemon
  --help            -h        display this help message

virtual-service:
  --tcp-service|-t  service-address   service-address is host[:port]
  --udp-service|-u  service-address   service-address is host[:port]
  --sctp-service    service-address   service-address is host[:port]
  --fwmark-service|-f fwmark          fwmark is an integer greater than zero

Options:
  --ipv6         -6                   fwmark entry uses IPv6
  --scheduler    -s scheduler         one of rr|wrr|lc|wlc|lblc|lblcr|dh|sh|sed|nq|fo|ovf|mh,
                                      the default scheduler is wlc.
  --pe            engine              alternate persistence engine may be sip,
                                      not set by default.
  --persistent   -p [timeout]         persistent service
  --netmask      -M netmask           persistent granularity mask
  --real-server  -r server-address    server-address is host (and port)
  --gatewaying   -g                   gatewaying (direct routing) (default)
  --ipip         -i                   ipip encapsulation (tunneling)
  --masquerading -m                   masquerading (NAT)
  --tun-type      type                one of ipip|gue|gre,
                                      the default tunnel type is ipip.
  --tun-port      port                tunnel destination port
  --tun-nocsum                        tunnel encapsulation without checksum
  --tun-csum                          tunnel encapsulation with checksum
  --tun-remcsum                       tunnel encapsulation with remote checksum
  --weight       -w weight            capacity of real server
  --u-threshold  -x uthreshold        upper threshold of connections
  --l-threshold  -y lthreshold        lower threshold of connections
  --connection   -c                   output of current IPVS connections
  --timeout                           output of timeout (tcp tcpfin udp)
  --daemon                            output of daemon information
  --stats                             output of statistics information
  --rate                              output of rate information
  --exact                             expand numbers (display exact values)
  --thresholds                        output of thresholds information
  --persistent-conn                   output of persistent connection info
  --tun-info                          output of tunnel information
  --nosort                            disable sorting output of service/server entries
  --sort                              does nothing, for backwards compatibility
  --ops          -o                   one-packet scheduling
  --numeric      -n                   numeric output of addresses and ports
  --sched-flags  -b flags             scheduler flags (comma-separated)
Daemon Options:
  --syncid sid                        syncid for connection sync (default=255)
  --sync-maxlen length                Max sync message length (default=1472)
  --mcast-interface interface         multicast interface for connection sync
  --mcast-group address               IPv4/IPv6 group (default=224.0.0.81)
  --mcast-port port                   UDP port (default=8848)
  --mcast-ttl ttl                     Multicast TTL (default=1)
)";

constexpr const char kExtensions[] = R"(ulvs extensions (not in ipvsadm; see ulvsadm(8)):
  --fullnat                           full NAT forwarding (source and destination)
  --toa                               -A/-E: pass the client address in a TCP option (TOA)
  --proxy-protocol v1|v2              -A/-E: pass the client address in a PROXY header
  --add-laddr address                 add a FULLNAT local (source) address
  --del-laddr address                 delete a FULLNAT local address
  --list-laddr                        list the FULLNAT local addresses, one per line
  --sysctl name=value                 set /proc/sys/net/ipv4/vs/name, e.g. sloppy_tcp=1
  --sysctl name                       print the value of one of those sysctls
  --list-sysctl                       list them all, "name = value" per line
)";

}  // namespace

std::string version_text() {
  return "ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)\n";
}

std::string usage_text(std::string_view prog, bool extensions) {
  std::string s = version_text();
  for (const char* p = kUsage; *p; ++p) {
    if (p[0] == '%' && p[1] == 'P') {
      s += prog;
      ++p;
    } else {
      s += *p;
    }
  }
  if (extensions) s += kExtensions;
  return s;
}

}  // namespace ulvs::cli
