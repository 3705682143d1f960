# The two commands a newcomer needs: `make demo` and `make test`.
# mapl links the Swift runtime statically (--static-swift-stdlib): `mapl run` then starts in ~10 ms, not ~45 ms.
.PHONY: demo test deps bench release fuzz

deps:
	@bash .ci/deps

# In a terminal: the notebook with the demo session's cells run first; otherwise the demo headless.
demo: deps
	swift build -c release --static-swift-stdlib --product mapl
	@if [ -t 0 ] && [ -t 1 ]; then .build/release/mapl sessions/demo.mapl; else .build/release/mapl run sessions/demo.mapl; fi

# The module graph first (each target's Package.swift dependencies are what it imports; no front end imports
# the interpreter); then the release `mapl` (the notebook's terminal tests drive it in tmux); unit, conformance and CLI tests
# (debug build); the tests of what crosses threads again under ThreadSanitizer (its own build folder; it
# fails on any race); then every curated session through the release `mapl run`.
test: deps
	python3 Tests/check-modules.py
	swift build -c release --static-swift-stdlib --product mapl
	swift build --build-tests
	MAPL_BINARY=.build/release/mapl swift test --skip-build --disable-swift-testing
	swift build --build-tests --scratch-path .build-tsan --sanitize=thread
	bash Tests/run-tsan.sh
	bash Tests/run-sessions.sh .build/release/mapl

release: deps
	swift build -c release

# TORCH: a Python with `pip install torch numpy` (not a project dependency); without torch the PyTorch columns stay empty.
TORCH ?= python3
bench: deps
	swift build -c release --product engine-bench
	swift build -c release --product mnist-bench
	swift build -c release --product lang-bench
	swift build -c release --product runtime-bench
	swift build -c release --product notebook-bench
	swift build -c release --static-swift-stdlib --product mapl
	.build/release/engine-bench
	.build/release/mnist-bench --torch $(TORCH)
	.build/release/lang-bench
	.build/release/runtime-bench
	.build/release/notebook-bench
	bash bench/kernel/roundtrip.sh

# A longer fuzz pass than `make test`'s (MAPL_FUZZ_CALLS builtin calls, default 2,000,000; MAPL_FUZZ_SEED to vary it):
# every builtin with boundary arguments and generated programs, in one session under a memory limit.
# MAPL_FUZZ_TRACE=FILE keeps the program being run in FILE, so after a crash it names the culprit.
fuzz: deps
	swift build --build-tests
	MAPL_FUZZ_CALLS=$${MAPL_FUZZ_CALLS:-2000000} MAPL_FUZZ_TRACE=$${MAPL_FUZZ_TRACE:-.build/fuzz-last.mapl} swift test --skip-build --disable-swift-testing --filter BuiltinFuzzTests
