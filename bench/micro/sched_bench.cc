// Scheduler pick cost for every scheduler at 10 and 1000 real servers.
//
// Real servers carry varied weights and connection counts so that weighted comparisons do
// real work; clients vary so that hashing schedulers hit different buckets.
#include <benchmark/benchmark.h>

#include <deque>
#include <random>
#include <vector>

#include "sched/scheduler.h"

using namespace ulvs;

namespace {

struct Pool {
  std::deque<ipvs::Dest> store;
  std::vector<ipvs::Dest*> list;
  explicit Pool(int n) {
    std::mt19937 rng(1);
    for (int i = 0; i < n; ++i) {
      ipvs::Dest& d = store.emplace_back();
      d.cfg.ep = {net::Addr::v4(0x0A000000u + i), 80};
      d.cfg.weight = 1 + int(rng() % 10);
      d.last_weight = d.cfg.weight;
      d.activeconns = rng() % 100;
      d.inactconns = rng() % 1000;
      list.insert(list.begin(), &d);
    }
  }
  sched::DestList dests() const { return {list.data(), list.size()}; }
};

void BM_Pick(benchmark::State& state, const char* name) {
  Pool pool(static_cast<int>(state.range(0)));
  auto s = sched::make(name);
  s->init(pool.dests(), {});
  for (ipvs::Dest* d : pool.list) s->add_dest(pool.dests(), *d);
  std::vector<sched::PacketKey> keys(4096);
  std::mt19937 rng(2);
  for (auto& k : keys) {
    k.saddr = net::Addr::v4(rng());
    k.daddr = net::Addr::v4(0xC0A80000u + rng() % 65536);
    k.sport = uint16_t(rng());
    k.dport = 80;
  }
  size_t i = 0;
  ipvs::TimeMs now = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(s->schedule(pool.dests(), keys[i++ & 4095], now));
  }
}

}  // namespace

#define PICK(name) BENCHMARK_CAPTURE(BM_Pick, name, #name)->Arg(10)->Arg(1000)
PICK(rr);
PICK(wrr);
PICK(lc);
PICK(wlc);
PICK(sed);
PICK(nq);
PICK(fo);
PICK(ovf);
PICK(twos);
PICK(lblc);
PICK(lblcr);
PICK(dh);
PICK(sh);
PICK(mh);
