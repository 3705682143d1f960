#!/usr/bin/env bash
# Runs the tests of what crosses threads under ThreadSanitizer (built in .build-tsan by `make test`).
# A race fails the run, and so does a test binary that cannot start: some kernels give ThreadSanitizer an
# address layout it cannot start in, so it is tried again with address randomisation off (setarch -R) first,
# but a binary that still dies before it lists a test is a failure with the machine's figures printed — the
# one time it happened, the cause was the project's (an ifunc resolver instrumented; see CKernels/Clones.h).
set -u
# The kernel's tests drive the ThreadSanitizer build of `mapl` as the kernel (all but the MNIST notebook:
# five epochs under ThreadSanitizer take minutes and cross no thread the worked example does not).
filter='MaplRuntimeTests|MaplEngineTests.ThreadingTests|MaplEngineTests.WorkerPoolTests|MaplNNTests.TrainingRunTests/testBatchesMade|MaplNNTests.DataDatasetTests/testBatchMade|MaplNNTests.DeterminismTests/test(LSTM|Attention)|MaplEngineTests.AttentionOpTests|MaplEngineTests.ElementwiseTests/testArithmetic|MaplCLITests.KernelProtocolTests/test[^M]'
bundle=$(find .build-tsan -name 'maplPackageTests.xctest' -path '*debug*' | head -n 1)
if [ -z "$bundle" ]; then echo "run-tsan: no ThreadSanitizer build in .build-tsan" >&2; exit 1; fi

# ThreadSanitizer reserves terabytes of address space for its shadow memory: lift a soft limit on it if one is set.
ulimit -v unlimited 2>/dev/null || true

starts() { "$@" "$bundle" --dump-tests-json >/dev/null 2>/tmp/mapl-tsan-probe.$$; }

prefix=()
starts; status=$?
if [ "$status" -ne 0 ]; then
  echo "run-tsan: ThreadSanitizer did not start (status $status): $(tail -n 3 /tmp/mapl-tsan-probe.$$)" >&2
  echo "run-tsan: kernel $(uname -r), vm.mmap_rnd_bits $(cat /proc/sys/vm/mmap_rnd_bits 2>/dev/null || echo '?'), ulimit -v $(ulimit -v), ulimit -s $(ulimit -s)" >&2
  if setarch "$(uname -m)" -R true 2>/dev/null && starts setarch "$(uname -m)" -R; then
    echo "run-tsan: it starts with address randomisation off; running the race tests that way" >&2
    prefix=(setarch "$(uname -m)" -R)
  else
    echo "run-tsan: the ThreadSanitizer build cannot start, even with address randomisation off" >&2
    rm -f /tmp/mapl-tsan-probe.$$
    exit 1
  fi
fi
rm -f /tmp/mapl-tsan-probe.$$
exec "${prefix[@]}" swift test --skip-build --scratch-path .build-tsan --sanitize=thread --disable-swift-testing --filter "$filter"
