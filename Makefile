# mote: the two commands of the quick start, and a few conveniences.
#   make demo   build, then inspect / run / benchmark the bundled model
#   make test   build and run every test (release + ASan/UBSan builds)
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD ?= build
ASAN_BUILD ?= build-asan

.PHONY: all demo test test-release test-asan clean format

all:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build $(BUILD) -j$(JOBS)

demo: all
	@sh tools/demo.sh $(BUILD)

test: test-release test-asan

test-release: all
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

# Sanitizer build of the whole suite (heavy cross/format checks run once,
# in the release build).
test-asan:
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DMOTE_SANITIZE=ON >/dev/null
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=0 ctest --output-on-failure -j$(JOBS) -E "^(cross|format)\."

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
