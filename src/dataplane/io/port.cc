// port.cc — picks the backend.
#include "dataplane/io/port.h"

namespace ulvs::dataplane {

std::unique_ptr<Port> open_port(const PortConfig& cfg, std::string& err) {
  switch (cfg.backend) {
    case Backend::AfXdp: return open_afxdp_port(cfg, err);
    case Backend::AfPacket: return open_afpacket_port(cfg, err);
  }
  err = "unknown backend";
  return nullptr;
}

}  // namespace ulvs::dataplane
