// engine-bench — how fast the engine is, each figure next to the machine's own limit measured in the same run.
//
//     swift build -c release --product engine-bench && .build/release/engine-bench
//
// Every timing is the median of many repetitions (the machine is shared, so medians, not means).
import CBLAS
import CConvolution
import Foundation
import MaplEngine

// The engine as mapl runs it: heap policy on, products split over the worker pool.
Engine.configure(.recommended)

// MARK: - Timing

/// Seconds of monotonic time.
@inline(__always)
func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// The median wall time of `body` over `reps` runs, after `warmup` untimed runs.
func median(reps: Int, warmup: Int = 2, _ body: () throws -> Void) rethrows -> Double {
    for _ in 0..<warmup { try body() }
    var times: [Double] = []
    times.reserveCapacity(reps)
    for _ in 0..<reps {
        let t0 = now()
        try body()
        times.append(now() - t0)
    }
    times.sort()
    return times[times.count / 2]
}

/// Keeps the optimiser from deleting work whose result is otherwise unused.
nonisolated(unsafe) var sink: Float = 0

func line(_ label: String, _ value: String) {
    print(label.padding(toLength: 52, withPad: " ", startingAt: 0) + value)
}

func f1(_ x: Double) -> String { String(format: "%.1f", x) }
func f2(_ x: Double) -> String { String(format: "%.2f", x) }

// MARK: - sgemm

/// numpy's float32 matmul GFLOP/s for m×k · k×n, timed inside Python; nil if python3/numpy is unavailable.
func numpyGflops(m: Int, k: Int, n: Int, reps: Int) -> Double? {
    let script = """
    import time, numpy as np
    a = np.random.rand(\(m), \(k)).astype(np.float32); b = np.random.rand(\(k), \(n)).astype(np.float32)
    for _ in range(3): a @ b
    ts = []
    for _ in range(\(reps)):
        t = time.perf_counter(); a @ b; ts.append(time.perf_counter() - t)
    ts.sort(); print(2 * \(m) * \(k) * \(n) / ts[len(ts) // 2] / 1e9)
    """
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", script]
    let out = Pipe()
    p.standardOutput = out
    p.standardError = Pipe()
    do { try p.run() } catch { return nil }
    p.waitUntilExit()
    guard p.terminationStatus == 0 else { return nil }
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    return Double(text.trimmingCharacters(in: .whitespacesAndNewlines))
}

func benchGemm(m: Int, k: Int, n: Int, reps: Int) throws {
    Random.seed(1)
    let a = try Tensor.rand([m, k]), b = try Tensor.rand([k, n])
    let flops = 2.0 * Double(m * k * n)
    // Raw OpenBLAS on preallocated buffers: the ceiling Tensor.matmul can reach. The two are measured in
    // alternating rounds and the best round of each kept, so a neighbour's burst on the shared cores does not
    // land on one side only.
    var c = [Float](repeating: 0, count: m * n)
    var tEngine = Double.infinity, tRaw = Double.infinity
    for _ in 0..<3 {
    tEngine = Swift.min(tEngine, try median(reps: reps) { sink += try Tensor.matmul(a, b).scalars[0] })
    // The raw call gets OpenBLAS's own threads on every core (the engine keeps OpenBLAS on one thread and
    // splits products over its worker pool itself), then the engine's setting is restored.
    if BLAS.adaptive { openblas_set_num_threads(Int32(ProcessInfo.processInfo.activeProcessorCount)) }
    defer { if BLAS.adaptive { openblas_set_num_threads(1) } }
    tRaw = Swift.min(tRaw, median(reps: reps) {
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), 1,
                                pa.baseAddress, Int32(k), pb.baseAddress, Int32(n), 0, pc.baseAddress, Int32(n))
                }
            }
        }
        sink += c[0]
    })
    }
    let engine = flops / tEngine / 1e9, raw = flops / tRaw / 1e9
    let shape = "\(m)×\(k) · \(k)×\(n)"
    line("sgemm \(shape), Tensor.matmul", "\(f1(engine)) GFLOP/s  (\(f1(100 * engine / raw))% of OpenBLAS)")
    line("sgemm \(shape), raw cblas_sgemm", "\(f1(raw)) GFLOP/s  (OpenBLAS's own threads)")
    if let np = numpyGflops(m: m, k: k, n: n, reps: reps) {
        line("sgemm \(shape), numpy a @ b", "\(f1(np)) GFLOP/s")
    } else {
        line("sgemm \(shape), numpy a @ b", "skipped (python3 with numpy not found)")
    }
}

// MARK: - MLP

/// A 784-128-10 MLP with its parameters, for the training-step benchmarks.
struct MLP {
    let w1, b1, w2, b2: Variable
    let x: Variable
    let labels: Tensor

    init(batch: Int) throws {
        Random.seed(7)
        w1 = Variable.parameter(try Tensor.randn([784, 128]) * 0.05)
        b1 = Variable.parameter(try Tensor.zeros([128]))
        w2 = Variable.parameter(try Tensor.randn([128, 10]) * 0.1)
        b2 = Variable.parameter(try Tensor.zeros([10]))
        x = Variable(try Tensor.rand([batch, 784]))
        labels = Tensor((0..<batch).map { Float($0 % 10) })
    }

    /// One forward and backward pass: −mean(pick(log_softmax(relu(x@W1+b1)@W2+b2), labels)). `scoped` runs
    /// each layer inside a `LayerScope`, as a model's stages run (the stepper's layer tags).
    func step(scoped: Bool = false) throws {
        for p in [w1, b1, w2, b2] { p.grad = nil }
        func stage<T>(_ name: String, _ index: Int, _ body: () throws -> T) rethrows -> T {
            scoped ? try LayerScope.applying(name, kind: name, index: index, body) : try body()
        }
        let z = try stage("dense(784, 128)", 0) { try Variable.matmul(x, w1) + b1 }
        let h = stage("relu", 1) { Variable.relu(z) }
        let logits = try stage("dense(128, 10)", 2) { try Variable.matmul(h, w2) + b2 }
        let loss = -(try Variable.mean(Variable.pick(Variable.logSoftmax(logits), labels)))
        try loss.backward()
        sink += loss.value.scalars[0]
    }
}

/// Resident set size in MiB, from /proc/self/statm (second field, in pages).
func rssMiB() -> Double {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return .nan }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Double(fields[1]) else { return .nan }
    return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
}

// MARK: - Run

print("mapl engine bench — OpenBLAS threads: \(BLAS.threads), cores: \(ProcessInfo.processInfo.activeProcessorCount)")
let rssStart = rssMiB()

try benchGemm(m: 1024, k: 1024, n: 1024, reps: 15)
try benchGemm(m: 64, k: 784, n: 128, reps: 400)

// Elementwise add of 10⁷ floats: 3 arrays × 4 bytes × 10⁷ per op, next to a copy of the same bytes.
do {
    let n = 10_000_000
    let a = Tensor(repeating: 1.5, shape: [n]), b = Tensor(repeating: 2.5, shape: [n])
    let tAdd = try median(reps: 15) { sink += try (a + b).scalars[n - 1] }
    let row = Tensor(repeating: 2.5, shape: [1000]), big = Tensor(repeating: 1.5, shape: [n / 1000, 1000])
    let tRow = try median(reps: 15) { sink += try (big + row).scalars[n - 1] }
    let column = Tensor(repeating: 2.5, shape: [n / 1000, 1])
    let tColumn = try median(reps: 15) { sink += try (big + column).scalars[n - 1] }
    // The limit: memcpy of one array into a preallocated one moves 2 × 4 × 10⁷ bytes (read + write).
    var dst = [Float](repeating: 0, count: n)
    let tCopy = median(reps: 15) {
        a.scalars.withUnsafeBufferPointer { s in
            dst.withUnsafeMutableBufferPointer { d in _ = memcpy(d.baseAddress!, s.baseAddress!, n * 4) }
        }
        sink += dst[n - 1]
    }
    // A copy into a freshly allocated array: the same, plus the page faults every op that returns a new
    // tensor pays — the realistic ceiling for `a + b`.
    let tFresh = median(reps: 15) {
        let fresh = [Float](unsafeUninitializedCapacity: n) { buffer, count in
            a.scalars.withUnsafeBufferPointer { s in _ = memcpy(buffer.baseAddress!, s.baseAddress!, n * 4) }
            count = n
        }
        sink += fresh[n - 1]
    }
    let bytes = 3.0 * 4 * Double(n)
    line("add 10⁷ floats, same shape", "\(f2(bytes / tAdd / 1e9)) GB/s  (\(f2(tAdd * 1e3)) ms)")
    line("add [10⁴, 10³] + [10³] (row broadcast)", "\(f2(bytes / tRow / 1e9)) GB/s  (\(f2(tRow * 1e3)) ms)")
    line("add [10⁴, 10³] + [10⁴, 1] (column broadcast)", "\(f2(bytes / tColumn / 1e9)) GB/s  (\(f2(tColumn * 1e3)) ms)")
    line("memcpy 4·10⁷ bytes (limit: read + write)", "\(f2(2 * 4 * Double(n) / tCopy / 1e9)) GB/s  (\(f2(tCopy * 1e3)) ms)")
    line("memcpy into a fresh array (limit incl. faults)", "\(f2(2 * 4 * Double(n) / tFresh / 1e9)) GB/s  (\(f2(tFresh * 1e3)) ms)")
}

// Elementwise maps through a closure (`Tensor.map`, what activations without a loop of their own use) on
// 10⁶ floats, on one thread and on the pool: the pool's parts call the closure for every element.
do {
    let n = 1_000_000
    let x = Tensor(unchecked: [n], (0..<n).map { Float($0 % 1000) / 500 - 1 })
    for threads in [1, Parallel.cores] {
        Parallel.setThreads(threads)
        let tAffine = median(reps: 50) { sink += x.map { $0 * 0.5 + 0.25 }.scalars[n - 1] }
        let tSigmoid = median(reps: 50) { sink += Variable.sigmoid(Variable(x)).value.scalars[n - 1] }
        let tAdd = try median(reps: 50) { sink += try (x + x).scalars[n - 1] }
        line("10⁶ floats, \(threads) thread\(threads == 1 ? "" : "s"): map, sigmoid, x + x",
             "map { x·0.5 + 0.25 } \(f1(tAffine * 1e6)) µs, sigmoid \(f1(tSigmoid * 1e6)) µs, x + x \(f1(tAdd * 1e6)) µs")
    }
    Parallel.setThreads(nil)
}

// MLP forward + backward, batch 64.
let mlp = try MLP(batch: 64)
let tStep = try median(reps: 300, warmup: 20) { try mlp.step() }
do {
    // GEMM work per step: forward x·W1 and h·W2; backward xᵀ·g and hᵀ·g for the weights and g·W2ᵀ for h
    // (x is a constant, so no g·W1ᵀ).
    let gemmElements: Double = 2 * 784 * 128 + 3 * 128 * 10
    let flops: Double = 2 * 64 * gemmElements
    line("MLP 784-128-10 fwd+bwd, batch 64", "\(f1(tStep * 1e6)) µs  (\(f1(flops / tStep / 1e9)) GFLOP/s effective)")
}

// The same step with every layer in a LayerScope, in alternating rounds with the plain step so both see the
// same machine load.
do {
    var plain: [Double] = [], scoped: [Double] = []
    for _ in 0..<20 { try mlp.step(); try mlp.step(scoped: true) }
    for _ in 0..<300 {
        var t0 = now(); try mlp.step(); plain.append(now() - t0)
        t0 = now(); try mlp.step(scoped: true); scoped.append(now() - t0)
    }
    let p = plain.sorted()[150], q = scoped.sorted()[150]
    line("MLP step, plain / layers in LayerScopes", "\(f1(p * 1e6)) µs / \(f1(q * 1e6)) µs  (\(String(format: "%+.1f", (q / p - 1) * 100)) %)")
}

// Tape overhead: a chain of 100k adds of 1-element tensors, one input a parameter.
do {
    let n = 100_000
    let p = Variable.parameter(Tensor([1]))
    let c = Variable(Tensor([0.5]))
    var times: [(Double, Double)] = []
    for _ in 0..<5 {
        p.grad = nil
        let t0 = now()
        var y = p
        for _ in 0..<n { y = try y + c }
        let t1 = now()
        try Variable.sum(y).backward()
        let t2 = now()
        times.append((t1 - t0, t2 - t1))
        sink += p.grad?.scalars[0] ?? 0
    }
    let fwd = times.map(\.0).sorted()[2], bwd = times.map(\.1).sorted()[2]
    line("tape: recorded add on 1-element tensors", "\(f2(fwd / Double(n) * 1e6)) µs/op forward")
    line("tape: backward through the same chain", "\(f2(bwd / Double(n) * 1e6)) µs/op backward")

    // The same chain recorded inside a model stage's LayerScope: every node then keeps the scope (a
    // retain) on top of the thread-local load every recorded op pays anyway.
    var scoped: [Double] = []
    for _ in 0..<5 {
        let t0 = now()
        let y = try LayerScope.with(LayerScope(name: "dense(1, 1)", kind: "dense", index: 0)) {
            var y = p
            for _ in 0..<n { y = try y + c }
            return y
        }
        scoped.append(now() - t0)
        sink += y.value.scalars[0]
    }
    line("tape: the same adds inside a layer scope", "\(f2(scoped.sorted()[2] / Double(n) * 1e6)) µs/op forward")
}

// The CNN's two convolutions (batch 64, 3×3, pad 1): the engine's conv2d (forward + backward, as a training step
// runs it) against oneDNN called directly through Sources/CConvolution (reorders included), both on one thread,
// in alternating rounds, CPU time of the thread. Says which path wins and by how much.
func threadCPU() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
func medianCPU(_ reps: Int, _ body: () throws -> Void) rethrows -> Double {
    for _ in 0..<3 { try body() }
    var times: [Double] = []
    for _ in 0..<reps { let t = threadCPU(); try body(); times.append(threadCPU() - t) }
    return times.sorted()[reps / 2]
}
do {
    Parallel.setThreads(1)
    defer { Parallel.setThreads(nil) }
    for (c, size, o, path) in [(1, 28, 8, "direct stencil"), (8, 14, 16, "oneDNN")] {
        let win = Window2D(kernel: 3, stride: 1, padding: 1)
        let xs = try Tensor.randn([64, c, size, size]), ws = try Tensor.randn([o, c, 3, 3]), bs = try Tensor.randn([o])
        let upstream = try Tensor.randn([64, o, size, size])
        // The first layer's images are constants (no input gradient), the second's come from the layer before.
        let needsInputGradient = c > 1
        guard let plan = mapl_conv_plan_create(64, c, size, size, o, 3, 3, 1, 1, 1, 1) else { print("oneDNN: no plan"); break }
        defer { mapl_conv_plan_destroy(plan) }
        var y = [Float](repeating: 0, count: 64 * o * size * size), dx = xs.scalars, dw = ws.scalars
        var engine: [Double] = [], onednn: [Double] = []
        for _ in 0..<5 {
            engine.append(try medianCPU(20) {
                let x = needsInputGradient ? Variable.parameter(xs) : Variable(xs)
                let out = try Variable.conv2d(x, Variable.parameter(ws), Variable.parameter(bs), win)
                try out.backward(seed: upstream)
            })
            onednn.append(medianCPU(20) {
                _ = mapl_conv_forward(plan, xs.scalars, ws.scalars, &y)
                if needsInputGradient { _ = mapl_conv_backward_data(plan, upstream.scalars, ws.scalars, &dx) }
                _ = mapl_conv_backward_weights(plan, xs.scalars, upstream.scalars, &dw)
            })
        }
        let (e, d) = (engine.sorted()[2], onednn.sorted()[2])
        line("conv \(c)→\(o) \(size)×\(size), batch 64, one thread", "engine (\(path)) \(f1(e * 1e6)) µs, oneDNN direct \(f1(d * 1e6)) µs: oneDNN \(f2(d / e))× the engine's")
    }
}

// Memory: RSS across 10,000 MLP steps must stay flat (graphs are released after backward).
do {
    // "start" is taken after 100 warm-up steps, once the allocator has settled after the big add buffers.
    for _ in 0..<100 { try mlp.step() }
    let before = rssMiB()
    for i in 0..<10_000 {
        try mlp.step()
        if i == 999 { line("RSS after 1,000 MLP steps", "\(f1(rssMiB())) MiB") }
    }
    let after = rssMiB()
    line("RSS at process start", "\(f1(rssStart)) MiB")
    line("RSS at start / end of 10,000 MLP steps", "\(f1(before)) MiB / \(f1(after)) MiB  (Δ \(f1(after - before)) MiB)")
}
print("(sink \(sink.isFinite ? "ok" : "nan"))")
