// main.cc — ulvsadm (also installed as `ipvsadm`): ipvsadm's command line against ulvsd.
//
//   ULVS_SOCKET=/tmp/ulvsd.sock ulvsadm -A -t 10.0.0.1:80 -s rr
//   ulvsadm -L -n
#include <iostream>
#include <string>
#include <vector>

#include "cli/run.h"
#include "ctl/client.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  const std::vector<std::string> args(argv + 1, argv + argc);
  ulvs::ctl::Session session(ulvs::ctl::default_socket_path());  // one connection for all
  const ulvs::cli::Transport transport = [&](const ulvs::ctl::Request& r) {
    return session.call(r);
  };
  int status = ulvs::cli::run_ulvsadm(argc > 0 ? argv[0] : "ulvsadm", args, transport, std::cin,
                                      std::cout, std::cerr);
  std::cout.flush();
  return status;
}
