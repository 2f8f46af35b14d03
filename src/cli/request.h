// request.h — the ctl::Request a parsed table-changing command sends to ulvsd.
//
// Listing commands (-L, -S) and -R are not single requests; run.cc handles them.
//
//   Command c = std::get<Command>(parse_command("ipvsadm", {"-D", "-t", "10.0.0.1:80"}));
//   make_request(c)   // {.op = Op::DelService, .key = <tcp 10.0.0.1:80>}
#pragma once

#include "cli/options.h"
#include "ctl/model.h"

namespace ulvs::cli {

// For Add, Edit, Del, Flush, AddDest, EditDest, DelDest, Timeout, Start/StopDaemon, Zero.
ctl::Request make_request(const Command& c);

}  // namespace ulvs::cli
