// dataplane_metrics.cc — one family per question an operator asks: what was dropped and why,
// what did the director answer itself, did the rings overflow.
#include "daemon/dataplane_metrics.h"

#include "daemon/metrics_writer.h"

namespace ulvs::daemon {

namespace {

void pipeline_metrics(MetricsWriter& w, const dataplane::WorkerCounters& c) {
  using dataplane::DropCause;
  const auto& p = c.pipeline;
  w.family("ulvs_dataplane_drops_total", "counter", "Frames the data plane dropped, by cause");
  for (int i = 1; i < static_cast<int>(DropCause::Count_); ++i) {
    std::string cause = dataplane::to_string(static_cast<DropCause>(i));
    for (char& ch : cause) if (ch == ' ') ch = '_';
    w.sample("ulvs_dataplane_drops_total", "cause=\"" + cause + "\"", p.drops[i]);
  }
  w.family("ulvs_dataplane_frames_total", "counter", "Frames by what became of them");
  w.sample("ulvs_dataplane_frames_total", "action=\"tx\"", p.tx);
  w.sample("ulvs_dataplane_frames_total", "action=\"to_kernel\"", p.to_kernel);
  w.sample("ulvs_dataplane_frames_total", "action=\"held\"", p.held);
  w.sample("ulvs_dataplane_frames_total", "action=\"held_sent\"", c.held_sent);
  w.family("ulvs_dataplane_answers_total", "counter", "Frames the director originated itself");
  for (auto [kind, v] : {std::pair{"arp_reply", p.arp_replies}, {"nd_advert", p.nd_replies},
                         {"echo_reply", p.echo_replies}, {"port_unreachable", p.unreachables},
                         {"frag_needed", p.frag_needed}, {"solicit", p.solicits},
                         {"icmp_relayed", p.icmp_relayed}})
    w.sample("ulvs_dataplane_answers_total", std::string("kind=\"") + kind + "\"", v);
  w.family("ulvs_dataplane_fragments_early_total", "counter",
           "Later fragments kept until their first fragment arrived");
  w.sample("ulvs_dataplane_fragments_early_total", "", p.frags_early);
}

void port_metrics(MetricsWriter& w, const dataplane::WorkerCounters& c) {
  struct Field {
    const char* name;
    const char* help;
    uint64_t dataplane::PortStats::*v;
  };
  static constexpr Field kFields[] = {
      {"ulvs_port_rx_frames_total", "Frames received", &dataplane::PortStats::rx},
      {"ulvs_port_tx_frames_total", "Frames sent", &dataplane::PortStats::tx},
      {"ulvs_port_rx_dropped_total", "Frames lost before ulvsd read them (ring full)",
       &dataplane::PortStats::rx_dropped},
      {"ulvs_port_tx_dropped_total", "Frames not sent (ring full, send error)",
       &dataplane::PortStats::tx_dropped},
      {"ulvs_port_oversize_total", "Frames larger than a buffer", &dataplane::PortStats::oversize},
      {"ulvs_port_kernel_lost_total", "Frames for the host that could not be handed back",
       &dataplane::PortStats::kernel_lost},
  };
  for (const Field& f : kFields) {
    w.family(f.name, "counter", f.help);
    for (size_t i = 0; i < c.ports.size(); ++i) {
      std::string labels = "interface=\"" + c.port_names[i] + "\",queue=\"" +
                           std::to_string(c.port_queues[i]) + "\"";
      w.sample(f.name, labels, c.ports[i].*f.v);
    }
  }
}

}  // namespace

std::string render_dataplane_metrics(const dataplane::WorkerCounters& c) {
  MetricsWriter w;
  pipeline_metrics(w, c);
  port_metrics(w, c);
  return w.str();
}

}  // namespace ulvs::daemon
