#!/usr/bin/env bash
# Installs everything ulvs needs to build, test and benchmark on Debian bookworm.
# Idempotent: does nothing when every package is already present.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  clang libclang-rt-14-dev            # libFuzzer, sanitizers
  libgtest-dev libgmock-dev           # unit tests
  libbenchmark-dev                    # bench/micro
  nlohmann-json3-dev libcpp-httplib-dev libssl-dev  # control API (JSON), HTTP API
  curl jq                             # tests of the control and HTTP APIs
  python3 util-linux                  # tests/ctl client (python3), setpriv (util-linux)
  libxdp-dev libbpf-dev libmnl-dev bpftool  # data plane: AF_XDP, BPF programs, netlink
  iproute2 ethtool nginx-light curl apache2-utils wrk python3-scapy tcpdump  # e2e tests
  haproxy nftables netsniff-ng        # bench/e2e baselines and traffic generator
  keepalived                          # the real keepalived beside ulvsd (../shared/oracle)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
