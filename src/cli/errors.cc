#include "cli/errors.h"

#include <cerrno>
#include <cstring>
#include <optional>

namespace ulvs::cli {

std::string error_text(ctl::Op op, int err) {
  using ctl::Op;
  struct Entry { std::optional<Op> op; int err; const char* text; };
  // libipvs's table, in its order; an entry without an op applies to every operation.
  static const Entry kTable[] = {
      {Op::AddService, EEXIST, "Service already exists"},
      {Op::AddService, ENOENT, "Scheduler or persistence engine not found"},
      {Op::EditService, ESRCH, "No such service"},
      {Op::EditService, ENOENT, "Scheduler or persistence engine not found"},
      {Op::DelService, ESRCH, "No such service"},
      {Op::Zero, ESRCH, "No such service"},
      {Op::AddDest, ESRCH, "Service not defined"},
      {Op::AddDest, EEXIST, "Destination already exists"},
      {Op::EditDest, ESRCH, "Service not defined"},
      {Op::EditDest, ENOENT, "No such destination"},
      {Op::DelDest, ESRCH, "Service not defined"},
      {Op::DelDest, ENOENT, "No such destination"},
      {Op::StartDaemon, EEXIST, "Daemon has already run"},
      {Op::StopDaemon, ESRCH, "No daemon is running"},
      {Op::GetServices, ESRCH, "No such service"},
      // ulvs's FULLNAT local addresses (messages in the same style).
      {Op::AddLocalAddr, EEXIST, "Local address already exists"},
      {Op::AddLocalAddr, ENOSPC, "Too many local addresses"},
      {Op::DelLocalAddr, ENOENT, "No such local address"},
      {Op::DelLocalAddr, EBUSY, "Local address in use by FULLNAT connections"},
      // ulvs's /proc/sys/net/ipv4/vs knobs.
      {Op::SetSysctl, ENOENT, "No such sysctl"},
      {Op::SetSysctl, EINVAL, "Invalid argument"},
      {Op::GetSysctls, ENOENT, "No such sysctl"},
      {std::nullopt, EPERM, "Permission denied (you must be root)"},
      {std::nullopt, EINVAL,
       "Invalid operation.  Possibly wrong module version, address not unicast, ..."},
      {std::nullopt, ENOPROTOOPT, "Protocol not available"},
      {std::nullopt, ENOMEM, "Memory allocation problem"},
      {std::nullopt, EOPNOTSUPP, "Operation not supported with IPv6"},
      {std::nullopt, EAFNOSUPPORT, "Operation not supported with specified address family"},
      {std::nullopt, EMSGSIZE, "Module is wrong version"},
  };
  for (const Entry& e : kTable)
    if ((!e.op || *e.op == op) && e.err == err) return e.text;
  return std::strerror(err);
}

}  // namespace ulvs::cli
