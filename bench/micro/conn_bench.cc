// Connection table: lookup hit and miss, and insert, at 1 M and 10 M entries; bytes per entry.
//
// Keys are random clients so that lookups touch memory the way a busy director does: the
// table is far larger than the caches, so a hit costs the bucket and the entry cache misses.
// BM_LookupHitBatch shows what a data plane gets by prefetching a batch of buckets first.
#include <benchmark/benchmark.h>

#include <memory>
#include <random>
#include <vector>

#include "ipvs/conn_table.h"
#include "ipvs/dest.h"

using namespace ulvs;
using namespace ulvs::ipvs;

namespace {

struct Key {
  net::Addr client;
  uint16_t cport;
};

const net::Addr kVip = net::Addr::v4(0x0A000064u);
const net::Addr kReal = net::Addr::v4(0xC0A80A02u);

struct Filled {
  std::unique_ptr<ConnTable> table;
  std::vector<Key> keys;
};

Conn* insert(ConnTable& t, const Key& k) {
  Conn* c = t.alloc();
  if (!c) return nullptr;
  c->family = 4;
  c->protocol = 6;
  c->caddr = k.client.bytes;
  c->cport = k.cport;
  c->vaddr = kVip.bytes;
  c->vport = 80;
  c->daddr = kReal.bytes;
  c->dport = 8080;
  t.hash(*c);
  return c;
}

// One table per size, built once and shared by the benchmarks (building 10 M takes seconds).
Filled& filled(uint32_t n) {
  static std::unique_ptr<Filled> cache;
  static uint32_t cached_n = 0;
  if (cached_n != n) {
    cache.reset();
    cache = std::make_unique<Filled>();
    cache->table = std::make_unique<ConnTable>(n + 1024, 12345);
    std::mt19937_64 rng(7);
    cache->keys.reserve(n);
    for (uint32_t i = 0; i < n; ++i) {
      Key k{net::Addr::v4(uint32_t(rng())), uint16_t(1024 + rng() % 60000)};
      if (insert(*cache->table, k)) cache->keys.push_back(k);
    }
    cached_n = n;
  }
  return *cache;
}

void BM_LookupHit(benchmark::State& state) {
  Filled& f = filled(static_cast<uint32_t>(state.range(0)));
  std::mt19937 rng(3);
  std::vector<uint32_t> order(1 << 20);
  for (auto& o : order) o = rng() % f.keys.size();
  size_t i = 0;
  for (auto _ : state) {
    const Key& k = f.keys[order[i++ & (order.size() - 1)]];
    benchmark::DoNotOptimize(f.table->lookup_in(6, k.client, k.cport, kVip, 80));
  }
}

// The data plane's way: 32 lookups at once, memory latencies overlapped by prefetching.
void BM_LookupHitBatch(benchmark::State& state) {
  Filled& f = filled(static_cast<uint32_t>(state.range(0)));
  std::mt19937 rng(3);
  std::vector<ConnTable::FlowKey> batch(1 << 16);
  for (auto& b : batch) {
    const Key& k = f.keys[rng() % f.keys.size()];
    b = {6, k.client, kVip, k.cport, 80};
  }
  Conn* out[32];
  size_t i = 0;
  for (auto _ : state) {
    f.table->lookup_in_batch(&batch[i & (batch.size() - 32)], 32, out);
    i += 32;
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations() * 32);
  state.counters["ns_per_lookup"] = benchmark::Counter(
      double(state.iterations()) * 32, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// Baseline: one random 8-byte read from an array as large as the table (the memory latency
// a lookup cannot beat without overlapping).
void BM_RandomRead(benchmark::State& state) {
  size_t n = size_t(state.range(0)) * sizeof(Conn) / 8;
  HugeArray<uint64_t> mem(n);
  // Sattolo's shuffle: one cycle through every element, so each read depends on the last
  // and the chain never settles into a cached loop.
  std::mt19937_64 rng(6);
  for (size_t i = 0; i < n; ++i) mem[i] = i;
  for (size_t i = n - 1; i > 0; --i) std::swap(mem[i], mem[rng() % i]);
  uint64_t x = 0;
  for (auto _ : state) {
    x = mem[x];
    benchmark::DoNotOptimize(x);
  }
}

void BM_LookupMiss(benchmark::State& state) {
  Filled& f = filled(static_cast<uint32_t>(state.range(0)));
  std::mt19937_64 rng(4);
  std::vector<Key> misses(1 << 16);
  for (auto& k : misses) k = {net::Addr::v4(uint32_t(rng())), 0};  // port 0 never inserted
  size_t i = 0;
  for (auto _ : state) {
    const Key& k = misses[i++ & (misses.size() - 1)];
    benchmark::DoNotOptimize(f.table->lookup_in(6, k.client, k.cport, kVip, 80));
  }
}

// Insert into (and remove from) a table that holds N entries.
void BM_InsertRemove(benchmark::State& state) {
  Filled& f = filled(static_cast<uint32_t>(state.range(0)));
  std::mt19937_64 rng(5);
  for (auto _ : state) {
    Conn* c = insert(*f.table, {net::Addr::v4(uint32_t(rng())), 0});
    f.table->free(*c);
  }
}

void BM_BytesPerEntry(benchmark::State& state) {
  uint32_t n = static_cast<uint32_t>(state.range(0));
  for (auto _ : state) {
    ConnTable t(n, 1);
    benchmark::DoNotOptimize(&t);
  }
  ConnTable t(n, 1);
  state.counters["entry_bytes"] = sizeof(Conn);
  state.counters["bytes_per_entry"] =
      double(sizeof(Conn)) + double(t.buckets()) * sizeof(uint32_t) / n;
}

}  // namespace

// Grouped by size so each table is built once.
BENCHMARK(BM_RandomRead)->Arg(1'000'000);
BENCHMARK(BM_LookupHit)->Arg(1'000'000);
BENCHMARK(BM_LookupHitBatch)->Arg(1'000'000);
BENCHMARK(BM_LookupMiss)->Arg(1'000'000);
BENCHMARK(BM_InsertRemove)->Arg(1'000'000);
BENCHMARK(BM_RandomRead)->Arg(10'000'000);
BENCHMARK(BM_LookupHit)->Arg(10'000'000);
BENCHMARK(BM_LookupHitBatch)->Arg(10'000'000);
BENCHMARK(BM_LookupMiss)->Arg(10'000'000);
BENCHMARK(BM_InsertRemove)->Arg(10'000'000);
BENCHMARK(BM_BytesPerEntry)->Arg(1'000'000)->Arg(10'000'000)->Iterations(1);

BENCHMARK_MAIN();
