# mote: the two commands of the quick start, and a few conveniences.
#   make demo   build, then inspect / run / benchmark the bundled model
#   make test   build and run every test (release + ASan/UBSan builds, the
#               firmware conformance on four boards under QEMU, and the
#               AArch64 build with its NEON kernels under qemu-user)
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD ?= build
ASAN_BUILD ?= build-asan

.PHONY: all demo test test-release test-asan test-mcu test-neon clean format

all:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build $(BUILD) -j$(JOBS)

demo: all
	@sh tools/demo.sh $(BUILD)

test: test-release test-asan test-mcu test-neon

test-release: all
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

# Sanitizer build of the whole suite (heavy cross/format checks and the
# Arm NN interop run once, in the release build), with the microcontroller
# requantization path (per-channel arrays rebuilt at eval, MOTE_RQ_SCRATCH)
# switched on.
test-asan:
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DMOTE_SANITIZE=ON \
	  -DMOTE_RQ_SCRATCH=ON >/dev/null
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=0 ctest --output-on-failure -j$(JOBS) -E "^(cross|format|interop)\."

# Firmware conformance under QEMU (ports/, tests/target/): one build dir per
# board, configured with its toolchain file; ctest runs each firmware in QEMU.
# Needs qemu-system-arm, qemu-system-misc, gcc-riscv64-unknown-elf and
# picolibc-riscv64-unknown-elf besides the Arm toolchain.
MCU_BUILD ?= build-mcu
MCU_BOARDS ?= cortex_m_qemu/mps2-an386 cortex_m_qemu/mps3-an547 \
              cortex_m_qemu/mps2-an505 riscv_qemu/riscv32-virt

test-mcu:
	@set -e; for pb in $(MCU_BOARDS); do b=$$(basename $$pb); \
	  echo "== $$b"; \
	  cmake -S ports -B $(MCU_BUILD)/$$b \
	    -DCMAKE_TOOLCHAIN_FILE=$(CURDIR)/ports/$$pb.cmake >/dev/null; \
	  cmake --build $(MCU_BUILD)/$$b -j$(JOBS) >/dev/null; \
	  (cd $(MCU_BUILD)/$$b && ctest --output-on-failure -j$(JOBS)); \
	done

# AArch64 cross build (cmake/aarch64-linux-gnu.cmake: runtime, minimal host
# tools, conformance/unit/kernel tests), every test under qemu-aarch64: the
# NEON kernels against the reference, and the conformance suite with
# MOTE_ISA=ref, neon and neondot. Needs gcc-aarch64-linux-gnu,
# libc6-dev-arm64-cross and qemu-user.
NEON_BUILD ?= build-aarch64

test-neon:
	cmake -S . -B $(NEON_BUILD) -DCMAKE_BUILD_TYPE=Release \
	  -DCMAKE_TOOLCHAIN_FILE=$(CURDIR)/cmake/aarch64-linux-gnu.cmake >/dev/null
	cmake --build $(NEON_BUILD) -j$(JOBS)
	cd $(NEON_BUILD) && ctest --output-on-failure -j$(JOBS)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(NEON_BUILD)
