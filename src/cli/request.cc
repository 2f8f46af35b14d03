#include "cli/request.h"

namespace ulvs::cli {

namespace {

ctl::Op op_of(Cmd cmd) {
  using ctl::Op;
  switch (cmd) {
    case Cmd::Add: return Op::AddService;
    case Cmd::Edit: return Op::EditService;
    case Cmd::Del: return Op::DelService;
    case Cmd::Flush: return Op::Flush;
    case Cmd::AddDest: return Op::AddDest;
    case Cmd::EditDest: return Op::EditDest;
    case Cmd::DelDest: return Op::DelDest;
    case Cmd::Timeout: return Op::SetTimeouts;
    case Cmd::StartDaemon: return Op::StartDaemon;
    case Cmd::StopDaemon: return Op::StopDaemon;
    case Cmd::Zero: return Op::Zero;
    case Cmd::AddLaddr: return Op::AddLocalAddr;
    case Cmd::DelLaddr: return Op::DelLocalAddr;
    case Cmd::ListLaddr: return Op::GetLocalAddrs;
    case Cmd::ListSysctl: return Op::GetSysctls;
    default: return Op::GetInfo;
  }
}

}  // namespace

ctl::Request make_request(const Command& c) {
  ctl::Request r{.op = op_of(c.cmd)};
  if (c.cmd == Cmd::Sysctl) {
    r.op = c.sysctl_value ? ctl::Op::SetSysctl : ctl::Op::GetSysctls;
    r.sysctl = {c.sysctl_name, c.sysctl_value.value_or("")};
  }
  if (c.has(optc::kService)) r.key = c.svc.key;  // -Z without a service: everything
  if (c.cmd == Cmd::Add || c.cmd == Cmd::Edit) r.service = c.svc;
  if (c.cmd == Cmd::AddDest || c.cmd == Cmd::EditDest || c.cmd == Cmd::DelDest) r.dest = c.dest;
  if (c.cmd == Cmd::Timeout) r.timeouts = c.timeouts;
  if (c.cmd == Cmd::StartDaemon || c.cmd == Cmd::StopDaemon) r.daemon = c.daemon;
  if (c.cmd == Cmd::AddLaddr || c.cmd == Cmd::DelLaddr) r.local_addr = c.local_addr;
  return r;
}

}  // namespace ulvs::cli
