# The two commands a newcomer needs: `make demo` and `make test`.
# mapl links the Swift runtime statically (--static-swift-stdlib): `mapl run` then starts in ~10 ms, not ~45 ms.
.PHONY: demo test deps bench release

deps:
	@bash .ci/deps

demo: deps
	swift build -c release --static-swift-stdlib --product mapl
	.build/release/mapl run sessions/demo.mapl

# Unit, conformance and CLI tests (debug build); the tests of what crosses threads again under
# ThreadSanitizer (its own build folder; it fails on any race); then every curated session through a
# release `mapl run`.
test: deps
	swift build --build-tests
	swift test --skip-build --disable-swift-testing
	swift build --build-tests --scratch-path .build-tsan --sanitize=thread
	swift test --skip-build --scratch-path .build-tsan --sanitize=thread --disable-swift-testing --filter 'MaplRuntimeTests|MaplEngineTests.ThreadingTests'
	swift build -c release --static-swift-stdlib --product mapl
	bash Tests/run-sessions.sh .build/release/mapl

release: deps
	swift build -c release

bench: deps
	swift build -c release --product engine-bench
	swift build -c release --product mnist-bench
	swift build -c release --product lang-bench
	swift build -c release --product runtime-bench
	swift build -c release --product notebook-bench
	swift build -c release --static-swift-stdlib --product mapl
	.build/release/engine-bench
	.build/release/mnist-bench
	.build/release/lang-bench
	.build/release/runtime-bench
	.build/release/notebook-bench
