// main.cc — ulvs-rs: real-server setup for DR, TUN and FULLNAT's TOA (see options.h).
#include <iostream>

#include "rs/commands.h"
#include "rs/failure.h"
#include "rs/libbpf_log.h"
#include "rs/options.h"

namespace {

int run(const ulvs::rs::Options& o) {
  using ulvs::rs::Command;
  switch (o.command) {
    case Command::Help: std::cout << ulvs::rs::kUsage; break;
    case Command::Dr: ulvs::rs::run_dr(o, std::cout); break;
    case Command::Tun: ulvs::rs::run_tun(o, std::cout); break;
    case Command::Down: ulvs::rs::run_down(o, std::cout); break;
    case Command::Status: ulvs::rs::run_status(o, std::cout); break;
    case Command::ToaAttach: ulvs::rs::run_toa_attach(o, std::cout); break;
    case Command::ToaShow: ulvs::rs::run_toa_show(o, std::cout); break;
    case Command::ToaDetach: ulvs::rs::run_toa_detach(o, std::cout); break;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  ulvs::rs::install_libbpf_log();
  try {
    return run(ulvs::rs::parse_options(argc, argv));
  } catch (const ulvs::rs::UsageError& e) {
    std::cerr << "ulvs-rs: " << e.what() << "\nTry 'ulvs-rs --help'.\n";
    return 2;
  } catch (const std::exception& e) {
    std::cout.flush();
    std::cerr << "ulvs-rs: " << e.what() << '\n';
    return 1;
  }
}
