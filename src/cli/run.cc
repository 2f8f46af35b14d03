// run.cc — ipvsadm's process_options/restore_table over a Transport.
#include "cli/run.h"

#include <cerrno>
#include <istream>
#include <optional>
#include <ostream>
#include <variant>
#include <vector>

#include "cli/errors.h"
#include "cli/format.h"
#include "cli/options.h"
#include "cli/request.h"
#include "cli/restore.h"

namespace ulvs::cli {

namespace {

struct Exit {  // ipvsadm called exit(status): ends a -R as well
  int status;
};

bool transport_failure(const ctl::Reply& r) {
  return (r.error == -ECONNREFUSED || r.error == -EIO || r.error == -EPROTO) &&
         !r.message.empty();
}

class Runner {
 public:
  Runner(std::string_view prog, const Transport& t, std::istream& in, std::ostream& out,
         std::ostream& err)
      : prog_(prog), transport_(t), in_(in), out_(out), err_(err) {}

  int process(std::span<const std::string> args, bool reading_stdin) {
    ParseResult parsed = parse_command(prog_, args);
    if (auto* o = std::get_if<Outcome>(&parsed)) {
      out_ << o->out;
      err_ << o->err;
      if (o->terminates) throw Exit{o->status};
      return o->status;
    }
    const Command& c = std::get<Command>(parsed);
    switch (c.cmd) {
      case Cmd::List: return list(c);
      case Cmd::Save: return list_all(c.format | fmt::kRule);
      case Cmd::Restore: return restore(reading_stdin);
      case Cmd::ListLaddr: return list_local_addrs();
      case Cmd::ListSysctl: return list_sysctls();
      case Cmd::Sysctl:
        if (!c.sysctl_value) return print_sysctl(c);
        return change(c);
      default: return change(c);
    }
  }

  int list_all(unsigned format) {
    ctl::Reply rep = fetch({.op = ctl::Op::GetServices});
    out_ << format_list(info(), std::move(rep.services), format);
    return 0;
  }

 private:
  // Sends one request; ipvsadm's ipvs_init happens before the first (GetInfo), and a daemon
  // that cannot be reached ends the run like a missing kernel module does.
  ctl::Reply call(const ctl::Request& req) {
    if (!info_) {
      ctl::Reply rep = checked(transport_({.op = ctl::Op::GetInfo}));
      info_ = rep.info;
    }
    return checked(transport_(req));
  }

  ctl::Reply checked(ctl::Reply rep) {
    if (!transport_failure(rep)) return rep;
    err_ << "Can't initialize ipvs: " << rep.message << "\n"
         << "Are you sure that ulvsd is running (ULVS_SOCKET names its socket)?\n";
    throw Exit{2};
  }

  const ctl::Info& info() {
    if (!info_) call({.op = ctl::Op::GetInfo});
    return *info_;
  }

  void print_error(const ctl::Request& req, const ctl::Reply& rep) {
    err_ << (rep.message.empty() ? error_text(req.op, -rep.error) : rep.message) << "\n";
  }

  // A listing read: a failure prints the error and ends ipvsadm with status 1.
  ctl::Reply fetch(const ctl::Request& req) {
    ctl::Reply rep = call(req);
    if (rep.error) {
      print_error(req, rep);
      throw Exit{1};
    }
    return rep;
  }

  int list(const Command& c) {
    if (c.has(optc::kConnection)) {
      out_ << format_conns(fetch({.op = ctl::Op::GetConns}).conns, c.format);
    } else if (c.has(optc::kService)) {
      ctl::Request req{.op = ctl::Op::GetServices, .key = c.svc.key};
      ctl::Reply rep = fetch(req);
      if (rep.services.empty()) {
        err_ << error_text(req.op, ESRCH) << "\n";
        throw Exit{1};
      }
      out_ << format_one(rep.services.front(), c.format);
    } else if (c.has(optc::kTimeout)) {
      out_ << format_timeouts(fetch({.op = ctl::Op::GetTimeouts}).timeouts);
    } else if (c.has(optc::kDaemon)) {
      out_ << format_daemons(fetch({.op = ctl::Op::GetDaemons}).daemons);
    } else {
      return list_all(c.format);
    }
    return 0;
  }

  // --list-laddr: one address per line, nothing else, so scripts can read it as it is.
  int list_local_addrs() {
    for (const net::Addr& a : fetch({.op = ctl::Op::GetLocalAddrs}).local_addrs)
      out_ << a.str() << "\n";
    return 0;
  }

  // --list-sysctl: "name = value" lines, as sysctl(8) prints them.
  int list_sysctls() {
    for (const ctl::SysctlEntry& s : fetch({.op = ctl::Op::GetSysctls}).sysctls)
      out_ << s.name << " = " << s.value << "\n";
    return 0;
  }

  // --sysctl NAME: the value alone, as `cat /proc/sys/net/ipv4/vs/NAME` prints it.
  int print_sysctl(const Command& c) {
    for (const ctl::SysctlEntry& s : fetch(make_request(c)).sysctls) out_ << s.value << "\n";
    return 0;
  }

  int change(const Command& c) {
    ctl::Request req = make_request(c);
    ctl::Reply rep = call(req);
    if (!rep.error) return 0;
    print_error(req, rep);
    return 255;  // libipvs returned -1
  }

  // -R: every line through process(); the status is the last line's.
  int restore(bool reading_stdin) {
    if (reading_stdin) {  // -R inside -R input
      err_ << "Try `" << prog_ << " -h' or '" << prog_ << " --help' for more information.\n";
      throw Exit{255};
    }
    int result = 0;
    while (auto words = read_restore_line(in_))
      if (!words->empty()) result = process(*words, true);
    return result;
  }

  std::string_view prog_;
  const Transport& transport_;
  std::istream& in_;
  std::ostream& out_;
  std::ostream& err_;
  std::optional<ctl::Info> info_;
};

}  // namespace

int run_ulvsadm(std::string_view prog, std::span<const std::string> args, const Transport& t,
                std::istream& in, std::ostream& out, std::ostream& err) {
  Runner runner(prog, t, in, out, err);
  try {
    if (args.empty()) return runner.list_all(0);  // bare `ipvsadm` lists, names resolved
    return runner.process(args, false) & 0xff;
  } catch (const Exit& e) {
    return e.status & 0xff;
  }
}

}  // namespace ulvs::cli
