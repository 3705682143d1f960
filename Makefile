# The two commands a newcomer needs: `make demo` and `make test`.
.PHONY: demo test deps bench release

deps:
	@bash .ci/deps

demo: deps
	swift build -c release --product mapl
	.build/release/mapl sessions/demo.mapl

test: deps
	swift build --build-tests
	swift test --skip-build --disable-swift-testing

release: deps
	swift build -c release

bench: deps
	swift build -c release --product engine-bench
	.build/release/engine-bench
