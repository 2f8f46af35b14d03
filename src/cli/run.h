// run.h — ulvsadm from argv to exit status, with the daemon behind a Transport.
//
// Mirrors ipvsadm's main/process_options: parse, then one request per command (listings
// read the tables and format them), kernel errors printed as ipvsadm prints them, -R feeding
// stdin lines back through the same path.  The Transport is ctl::call in the binary and a
// fake in unit tests.
//
//   Transport t = [&](const ctl::Request& r) { return ctl::call(path, r); };
//   int status = run_ulvsadm("ipvsadm", {"-L", "-n"}, t, std::cin, std::cout, std::cerr);
#pragma once

#include <functional>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>

#include "ctl/model.h"

namespace ulvs::cli {

using Transport = std::function<ctl::Reply(const ctl::Request&)>;

// args excludes argv[0]; returns the process exit status (0..255).
int run_ulvsadm(std::string_view prog, std::span<const std::string> args, const Transport& t,
                std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace ulvs::cli
