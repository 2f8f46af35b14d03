// options.h — ulvsd's command line.
//
//   ulvsd --socket /tmp/a.sock --http 8080 --config /etc/ulvs/ulvs.json --max-conns 1048576
//   Options o; std::string err;
//   if (!parse_options(argc, argv, o, err)) { fprintf(stderr, "ulvsd: %s\n", err.c_str()); exit(2); }
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "net/addr.h"

namespace ulvs::daemon {

struct Options {
  std::string socket;        // --socket, else $ULVS_SOCKET, else /run/ulvs/ulvsd.sock
  bool detach = false;       // --daemon
  std::string pidfile;       // --pidfile
  std::string config;        // --config: JSON array of requests (keepalived.conf: issue 5)
  std::string http_host;     // --http [ADDR:]PORT; empty: no HTTP API
  uint16_t http_port = 0;
  uint32_t max_conns = 1 << 20;  // --max-conns
  std::vector<net::Addr> local_addrs;  // --laddr (repeatable): FULLNAT local addresses
  std::vector<std::pair<std::string, std::string>> sysctls;  // --sysctl NAME=VALUE (repeatable)
  // Data plane (none without --interface: ulvsd is then a control plane only).
  std::vector<std::string> interfaces;  // --interface (repeatable)
  bool afpacket = false;     // --backend afpacket (default afxdp)
  uint32_t queues = 1;       // --queues: RX queues per interface, one worker per queue
  std::vector<int> cpus;     // --cpus 0,1: worker i runs on cpus[i % size]
  bool busy_poll = false;    // --busy-poll
  bool zero_copy = false;    // --zero-copy (AF_XDP)
  uint32_t ring_size = 2048; // --ring-size
  bool help = false, version = false;
};

bool parse_options(int argc, char** argv, Options& out, std::string& error);
const char* usage();
constexpr const char* kVersion = "ulvsd 0.1 (IPVS 1.2.1 compatible, API version 1)";

}  // namespace ulvs::daemon
