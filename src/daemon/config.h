// config.h — the --config file as ulvsd's own JSON: an array of control requests, applied in
// order after a flush.  (A keepalived.conf goes to keepalived_runtime.h instead.)
//
//   [ {"op": "add_service", "service": {"key": {"protocol": "tcp", "addr": "10.0.0.1", "port": 80},
//                                       "scheduler": "rr"}},
//     {"op": "add_dest", "key": {"protocol": "tcp", "addr": "10.0.0.1", "port": 80},
//      "dest": {"server": "192.168.1.2:80", "fwd": "masq", "weight": 1}} ]
//
// "version" may be left out of each request (it defaults to the current API version).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ctl/model.h"

namespace ulvs::daemon {

class Control;

// The whole file parsed, or nullopt with `error` naming the file and the bad entry.
std::optional<std::vector<ctl::Request>> load_config(const std::string& path, std::string& error);

struct ConfigResult {
  size_t failed = 0;
  std::string first_error;  // "request 3 (add_dest): No such file or directory"
};

// Flush, then every request in order; a failing request is counted and the rest still run.
ConfigResult apply_config(Control& ctl, const std::vector<ctl::Request>& reqs);

}  // namespace ulvs::daemon
