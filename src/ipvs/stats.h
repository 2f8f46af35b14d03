// stats.h — IPVS counters (conns, packets, bytes in both directions) and their rate estimate.
//
// Every dest, every service and the global total own one Stats.  The packet path bumps the
// raw counters; the estimator (estimator.h) samples them every 2 s like ip_vs_est.c does and
// keeps the smoothed averages that `ipvsadm --rate` prints.
//
//   stats.count_in(60);            // one client->server packet of 60 bytes
//   estimator.tick(stats);         // every 2 s
//   stats.rates().cps;             // what --rate shows
#pragma once

#include <cstdint>

namespace ulvs::ipvs {

struct Counters {
  uint64_t conns = 0, inpkts = 0, outpkts = 0, inbytes = 0, outbytes = 0;

  Counters operator-(const Counters& o) const {
    return {conns - o.conns, inpkts - o.inpkts, outpkts - o.outpkts, inbytes - o.inbytes,
            outbytes - o.outbytes};
  }
  friend bool operator==(const Counters&, const Counters&) = default;
};

struct Rates {
  uint64_t cps = 0, inpps = 0, outpps = 0, inbps = 0, outbps = 0;
  friend bool operator==(const Rates&, const Rates&) = default;
};

// Estimator state of one stats object (the kernel's struct ip_vs_estimator).
struct EstimatorState {
  Counters last;                                       // counters at the previous pass
  int64_t cps = 0, inpps = 0, outpps = 0, inbps = 0, outbps = 0;  // scaled averages
};

struct Stats {
  Counters live;       // bumped by the packet path
  Counters snapshot;   // what user space sees: live as of the last estimator pass (§5.1)
  Counters zero_point; // snapshot at the last -Z
  EstimatorState est;

  void count_conn() { ++live.conns; }
  void count_in(uint64_t bytes) { ++live.inpkts; live.inbytes += bytes; }
  void count_out(uint64_t bytes) { ++live.outpkts; live.outbytes += bytes; }

  Counters shown() const { return snapshot - zero_point; }  // --stats columns
  Rates rates() const;                                       // --rate columns
};

}  // namespace ulvs::ipvs
