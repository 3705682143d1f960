// What a notebook frame costs, release build: the view layer alone (no terminal), on a session that has
// been going a while — 2,000 cells of 20 output lines, one cell at the 5,000-line cap, and a running fit
// with 120,000 batches behind it (the loss series past its decimation limit) and MNIST-sized weight
// snapshots. The notebook redraws at most 20 times a second while training, so a frame must cost far
// less than 50 ms; the target is well under a few milliseconds at 120×36.
//
//   swift build -c release --product notebook-bench && .build/release/notebook-bench [frames]
import Foundation
import MaplEngine
import MaplLang
import MaplNotebook

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s[s.count / 2] }
func micro(_ seconds: Double) -> String { String(format: "%8.1f µs", seconds * 1e6) }

let frames = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 200
let options = RenderOptions()

var state = NotebookState(title: "mapl ─ bench")
for n in 1...2000 {
    state.apply(.cellStarted(CellInfo(number: n, source: "x\(n) = randn(3, 4)\nprint(x\(n))\nsum(x\(n))", origin: "<cell \(n)>")))
    for k in 0..<20 { state.apply(.text("tensor([[ 0.1234, -1.2345,  0.5678,  \(k).9012]], shape=[1, 4])")) }
    state.apply(.cellEnded(CellEnd(number: n, outcome: .ok, seconds: 0.01)))
}
state.apply(.cellStarted(CellInfo(number: 2001, source: "for i in 1..20000 { print(i) }", origin: "<cell 2001>")))
for i in 1...20_000 { state.apply(.text("line \(i)")) }
state.apply(.cellEnded(CellEnd(number: 2001, outcome: .ok, seconds: 1)))

let epochs = 128, perEpoch = 938
state.apply(.cellStarted(CellInfo(number: 2002, source: "h = fit(m, train, epochs=\(epochs))", origin: "<cell 2002>")))
state.apply(.training(.fitStarted(FitStarted(model: "flatten >> dense(784, 128) >> relu >> dense(128, 10)", epochs: epochs,
                                             batchesPerEpoch: perEpoch, batchSize: 64, samples: 60_000, validationSamples: 10_000,
                                             loss: "cross_entropy"))))
func batch(_ i: Int) -> DisplayEvent {
    let e = i / perEpoch + 1, b = i % perEpoch + 1
    return .training(.batch(BatchProgress(epoch: e, epochs: epochs, batch: b, batchesPerEpoch: perEpoch,
                                          loss: 2.3 * exp(-Double(i) / 5000) + 0.05 * sin(Double(i)), accuracy: 0.9,
                                          samplesPerSecond: 41_000, eta: 100)))
}
var losses: [Double] = []
var applied = 0
let applyStart = now()
for i in 0..<120_000 {
    state.apply(batch(i))
    applied += 1
    if (i + 1) % perEpoch == 0 {
        losses.append(2.3 * exp(-Double(i) / 5000))
        state.apply(.training(.epoch(EpochProgress(epoch: losses.count, epochs: epochs, loss: losses, valLoss: losses, valAccuracy: losses,
                                                   accuracy: 0.9, seconds: 1, stoppedEarly: false))))
    }
}
let applyPerBatch = (now() - applyStart) / Double(applied)

Engine.configure(.recommended)
let weights = [("layers.1.W", try! Tensor.randn([784, 128])), ("layers.1.b", try! Tensor.zeros([128])), ("layers.3.W", try! Tensor.randn([128, 10])),
               ("layers.3.b", try! Tensor.zeros([10]))]
var snapshotTimes: [Double] = []
for _ in 0..<20 {
    let t0 = now()
    state.apply(.training(.snapshot(TrainingSnapshot(epoch: 128, batch: 1, tensors: weights))))
    snapshotTimes.append(now() - t0)
}

/// Median seconds per frame of `body` (which may change the state before each frame).
func time(_ label: String, width: Int = 120, height: Int = 36, _ body: (Int) -> Void = { _ in }) -> Double {
    var times: [Double] = []
    var sink = 0
    for k in 0..<frames {
        body(k)
        let t0 = now()
        let frame = NotebookRenderer.render(state, width: width, height: height, options: options)
        times.append(now() - t0)
        sink &+= frame.grid.cells.count
    }
    let m = median(times)
    print("\(label.padding(toLength: 58, withPad: " ", startingAt: 0)) \(micro(m))  (max \(micro(times.max() ?? 0)))")
    precondition(sink > 0)
    return m
}

print("notebook-bench: \(state.entries.count) transcript entries, \(state.panes.loss.batchLoss.total) batches "
      + "(\(state.panes.loss.batchLoss.xs.count) points kept), \(frames) frames each, medians")
print("apply one batch event".padding(toLength: 58, withPad: " ", startingAt: 0) + " \(micro(applyPerBatch))")
print("apply one weight snapshot (101,770 values binned)".padding(toLength: 58, withPad: " ", startingAt: 0) + " \(micro(median(snapshotTimes)))")
var next = 120_000
let training = time("120×36 frame while training (a batch before each)") { _ in state.apply(batch(next)); next += 1 }
_ = time("120×36 frame with nothing new (pane cached)")
_ = time("80×24 frame while training") { _ in state.apply(batch(next)); next += 1 }
_ = time("120×36 frame after a resize each time (119/120 columns)", width: 120) { k in
    _ = NotebookRenderer.render(state, width: 119 + k % 2, height: 36, options: options)
}
state.scrollToTop()
_ = time("120×36 frame scrolled to the top of 50,000 rows")
state.scrollToBottom()
state.showPane(.hist)
_ = time("120×36 frame, hist pane, a new snapshot before each") { _ in
    state.apply(.training(.snapshot(TrainingSnapshot(epoch: 128, batch: 2, tensors: weights))))
}
state.showPane(.loss)

// The stepper on the chapter's MLP traced on a batch of 64 (its stages in LayerScopes as a model runs them):
// a key before each frame, so each frame lays out a new step (statistics of [64, 784] inputs, mini heatmaps).
Random.seed(1)
let x = Variable(try! Tensor.rand([64, 784]))
let (w1, b1) = (Variable.parameter(try! Tensor.randn([784, 128]) * 0.05), Variable.parameter(try! Tensor.zeros([128])))
let (w2, b2) = (Variable.parameter(try! Tensor.randn([128, 10]) * 0.1), Variable.parameter(try! Tensor.zeros([10])))
let z1 = try! LayerScope.with(LayerScope(name: "dense(784, 128)", kind: "dense", index: 1)) { try Variable.matmul(x, w1) + b1 }
let h1 = LayerScope.with(LayerScope(name: "relu", kind: "relu", index: 2)) { Variable.relu(z1) }
let logits = try! LayerScope.with(LayerScope(name: "dense(128, 10)", kind: "dense", index: 3)) { try Variable.matmul(h1, w2) + b2 }
let loss = -(try! Variable.mean(Variable.pick(Variable.logSoftmax(logits), Tensor((0..<64).map { Float($0 % 10) }))))
state.openStepper(TraceData(steps: TraceSteps.build(loss), precision: 4))
state.stepper?.toggleLayers()
_ = time("120×36 frame, stepper on an MLP trace, a step before each") { _ in
    if state.stepper?.position.index == state.stepper?.position.total && state.stepper?.phase == .backward { state.stepper?.first() }
    else { state.stepper?.next() }
}
_ = time("120×36 frame, stepper, nothing new")
state.closeStepper()
print(training < 0.003 ? "ok: a training frame costs under 3 ms" : "SLOW: a training frame costs \(micro(training))")
