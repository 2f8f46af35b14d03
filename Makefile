# ulvs — top-level entry points.  Every target installs what it needs first.
#   make demo    build, then real traffic through a VIP: namespaces for a client, ulvsd and
#                nginx real servers, ab/curl through the VIP, ulvsadm -Ln --stats (root)
#   make sim-demo  the engine alone on simulated traffic (no root, no network)
#   make test    unit tests, end-to-end tests (namespaces, nginx, real traffic), the unit
#                tests again under ASan+UBSan, and a short fuzz run
#   make bench   micro-benchmarks (bench/micro), then the end-to-end benchmark (e2e-bench)
#   make e2e-bench  real traffic through namespaces: direct vs ulvsd NAT/DR/FULLNAT vs nftables
#                DNAT vs HAProxy (wrk, ab) and small-UDP pps (trafgen); bench/e2e/run.sh (root)

JOBS ?= $(shell nproc)
BUILD ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 30

.PHONY: all deps build demo sim-demo test unit-test e2e-test asan-test fuzz-test bench e2e-bench clean

all: build

deps:
	@./scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	ninja -C $(BUILD) -j$(JOBS)

demo: build
	./scripts/demo.sh $(BUILD)/ulvsadm $(BUILD)/ulvsd

sim-demo: build
	./$(BUILD)/ulvs-demo

test: unit-test e2e-test asan-test fuzz-test

unit-test: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS) -L unit

e2e-test: build
	cd $(BUILD) && ctest --output-on-failure -L e2e

asan-test: deps
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DULVS_SANITIZE=ON -DULVS_BENCH=OFF >/dev/null
	ninja -C $(ASAN_BUILD) -j$(JOBS)
	cd $(ASAN_BUILD) && UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j$(JOBS) -L unit

fuzz-test: deps
	CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DULVS_FUZZ=ON -DULVS_TESTS=OFF -DULVS_BENCH=OFF >/dev/null
	ninja -C $(FUZZ_BUILD) -j$(JOBS) fuzzers
	./scripts/run-fuzzers.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

bench: deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	ninja -C $(BUILD) -j$(JOBS) ulvs-bench
	./$(BUILD)/ulvs-bench $(BENCH_ARGS)
	$(MAKE) --no-print-directory e2e-bench

# BENCH_REPEATS, BENCH_WRK_SECONDS, BENCH_OUT...: see the top of bench/e2e/run.sh
e2e-bench: build
	ULVS_RS=$(BUILD)/ulvs-rs ./bench/e2e/run.sh $(BUILD)/ulvsadm $(BUILD)/ulvsd

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
