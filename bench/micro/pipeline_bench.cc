// The per-packet path without I/O: parse, engine lookup, NAT rewrite, egress MACs — for a
// client->server data segment of an established NAT connection, the common case of a busy
// director.  BM_ParseOnly (copy the frame + parse_frame) is the floor it is compared with.
#include <benchmark/benchmark.h>

#include <cstring>
#include <optional>
#include <vector>

#include "dataplane/pipeline.h"
#include "net/builder.h"
#include "net/frame.h"

using namespace ulvs;

namespace {

constexpr int kFlows = 4096;
const net::Mac kMac{0x02, 0, 0, 0, 0, 0x10};

struct OnLink final : dataplane::Routes {
  std::optional<dataplane::NextHop> lookup(const net::Addr& dst) const override {
    return dataplane::NextHop{1, dst};
  }
};
struct KnownMacs final : dataplane::Neighbours {
  std::optional<net::Mac> lookup(uint32_t, const net::Addr&) override { return kMac; }
};

struct Director {
  ipvs::Engine engine{{.max_conns = 1 << 16, .hash_seed = 1}};
  dataplane::Context ctx;
  OnLink routes;
  KnownMacs neigh;
  std::vector<std::vector<uint8_t>> frames;  // one data segment per established flow
  net::Addr vip = *net::Addr::parse("10.0.0.100");

  Director() {
    ipvs::ServiceKey k{net::Family::V4, ipvs::proto::kTcp, vip, 80, 0};
    engine.add_service({k, "rr", 0, 0, 0xFFFFFFFF, {}});
    for (int i = 1; i <= 4; ++i)
      engine.add_dest(k, {.ep = {net::Addr::v4(0xC0A80A00u + i), 8080}, .fwd = ipvs::Fwd::Masq});
    ctx.interfaces = {{.index = 1, .mac = kMac, .addrs = {*net::Addr::parse("10.0.0.1")}}};
    ctx.routes = &routes;
    ctx.neighbours = &neigh;
    ctx.refresh_vips(engine);
    dataplane::Pipeline pipe(engine, ctx);
    std::vector<dataplane::Action> out;
    for (int f = 0; f < kFlows; ++f) {
      net::FrameSpec spec{.src = net::Addr::v4(0x0B000000u + f), .dst = vip};
      uint16_t port = uint16_t(10000 + f % 50000);
      run(pipe, net::build_tcp(spec, {.src_port = port, .dst_port = 80, .flags = net::tcp_flag::SYN}), out);
      run(pipe, net::build_tcp(spec, {.src_port = port, .dst_port = 80, .flags = net::tcp_flag::ACK}), out);
      frames.push_back(net::build_tcp(
          spec, {.src_port = port, .dst_port = 80, .flags = net::tcp_flag::ACK,
                 .payload = std::vector<uint8_t>(512, 'x')}));
    }
  }
  void run(dataplane::Pipeline& pipe, const std::vector<uint8_t>& f,
           std::vector<dataplane::Action>& out) {
    static uint8_t mem[4096];
    std::memcpy(mem + 256, f.data(), f.size());
    xmit::PacketBuf buf{mem, sizeof mem, 256, f.size()};
    out.clear();
    pipe.process(buf, 1, 0, out);
  }
};

void BM_NatForwardEstablished(benchmark::State& state) {
  Director d;
  dataplane::Pipeline pipe(d.engine, d.ctx);
  std::vector<dataplane::Action> out;
  out.reserve(4);
  size_t i = 0;
  for (auto _ : state) {
    d.run(pipe, d.frames[i++ % kFlows], out);
    benchmark::DoNotOptimize(out.data());
  }
  if (out.empty() || out[0].kind != dataplane::Action::Tx) state.SkipWithError("not forwarded");
  state.SetItemsProcessed(state.iterations());
}

void BM_ParseOnly(benchmark::State& state) {
  Director d;
  static uint8_t mem[4096];
  size_t i = 0;
  for (auto _ : state) {
    const auto& f = d.frames[i++ % kFlows];
    std::memcpy(mem + 256, f.data(), f.size());
    benchmark::DoNotOptimize(net::parse_frame({mem + 256, f.size()}));
  }
  state.SetItemsProcessed(state.iterations());
}

}  // namespace

BENCHMARK(BM_ParseOnly);
BENCHMARK(BM_NatForwardEstablished);
