// runtime-bench: what the session runtime costs and how fast it stops.
//
//   1. Interrupt latency: the chapter's CNN trains in a Session on the real MNIST; `cancel()` is called at
//      varied points mid-epoch and the time until the `interrupted` event arrives is measured.
//   2. Event overhead: one epoch of the chapter's MLP (784-128-10, Adam, batch 64) trained three ways in
//      the same run, interleaved: `Trainer.fit` in Swift with no observer (no events at all); the language's
//      `fit` in a Session (per-batch progress events, drained by a front-end thread); the same with a weight
//      snapshot every 50 batches. Reported as medians and ratios to the first.
//
// Needs the real MNIST (MAPL_DATA). Release build: `swift build -c release --product runtime-bench`.
import Foundation
import MaplEngine
import MaplLang
import MaplNN
@_spi(Testing) import MaplRuntime  // the plain-fit baseline runs on the session thread itself (ask)

Engine.configure(.recommended)
let rounds = max(1, CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 5)

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s.isEmpty ? .nan : s[s.count / 2] }

/// Runs a cell to its end, handing every event to `look` (on this thread); returns the cell's outcome.
@discardableResult
func run(_ session: Session, _ source: String, look: (DisplayEvent) -> Void = { _ in }) -> CellEnd.Outcome {
    session.submit(source)
    while true {
        for event in session.events.wait(timeout: 1) {
            look(event)
            if case .error(let r) = event { print(r.rendered) }
            if case .cellEnded(let end) = event { return end.outcome }
        }
    }
}

let session = Session()
guard run(session, """
    seed(3)
    train = mnist("train")
    """) == .ok else { print("runtime-bench needs the real MNIST (set MAPL_DATA)"); exit(1) }

// MARK: 1. Interrupt latency
print("interrupt latency: cancel() mid-epoch of the chapter's CNN → `interrupted` event")
var latencies: [Double] = []
for i in 0..<(2 * rounds) {
    let cancelAt = 40 + 37 * i          // batches into the epoch: varied points
    var cancelledAt: Double? = nil
    var latency: Double? = nil
    run(session, """
        cnn = conv2d(1, 8, 3, pad=1) >> relu >> maxpool2d(2) >> conv2d(8, 16, 3, pad=1) >> relu >> maxpool2d(2) >> flatten >> dense(784, 10)
        fit(cnn, train, opt=adam(cnn), epochs=1, batch=64)
        """) { event in
        switch event {
        case .training(.batch(let b)) where b.batch == cancelAt && cancelledAt == nil:
            cancelledAt = now()
            session.cancel()
        case .interrupted:
            if let t = cancelledAt { latency = now() - t }
        default: break
        }
    }
    if let latency {
        latencies.append(latency)
        print(String(format: "  cancel at batch %3d: %6.1f ms", cancelAt, latency * 1000))
    }
}
print(String(format: "  median %.1f ms, max %.1f ms over %d cancels", median(latencies) * 1000, (latencies.max() ?? .nan) * 1000, latencies.count))

// MARK: 2. Event overhead
print("event overhead: one epoch of the chapter's MLP, \(rounds) rounds interleaved")
var plain: [Double] = [], events: [Double] = [], snapshots: [Double] = []
var snapshotCount = 0
for round in 0..<rounds {
    // On the session thread, with the very dataset the language trains on, but no observer at all.
    let seconds = session.ask(timeout: .infinity) { interp -> Double in
        guard case .object(let d as DatasetValue)? = interp.lookup("train") else { return .nan }
        Random.seed(UInt64(10 + round))
        guard let model = try? Sequential([Flatten(), Dense(784, 128), Activation(.relu), Dense(128, 10)]),
              let adam = try? Adam(model.parameters) else { return .nan }
        let started = now()
        _ = try? Trainer.fit(model, on: d.dataset, loss: Losses.crossEntropy, optimizer: adam, options: FitOptions(epochs: 1, batchSize: 64))
        return now() - started
    }
    plain.append(seconds ?? .nan)

    for withSnapshots in [false, true] {
        session.setSnapshots(withSnapshots ? SnapshotRequest(every: 50, weights: true) : nil)
        var seconds = 0.0
        run(session, """
            seed(\(10 + round))
            m = flatten >> dense(784, 128) >> relu >> dense(128, 10)
            h = fit(m, train, opt=adam(m), epochs=1, batch=64)
            """) { event in
            if case .training(.epoch(let e)) = event { seconds = e.seconds }
            if case .training(.snapshot) = event, withSnapshots { snapshotCount += 1 }
        }
        if withSnapshots { snapshots.append(seconds) } else { events.append(seconds) }
    }
    print(String(format: "  round %d: no events %.3f s, events %.3f s, events + snapshots %.3f s", round + 1,
                 plain.last!, events.last!, snapshots.last!))
}
let base = median(plain)
print(String(format: "  median: no events %.3f s; per-batch events %.3f s (%+.1f %%); + weight snapshot every 50 batches %.3f s (%+.1f %%)",
             base, median(events), (median(events) / base - 1) * 100, median(snapshots), (median(snapshots) / base - 1) * 100))
print("  snapshots taken: \(snapshotCount) (\(snapshotCount / max(rounds, 1)) per epoch)")
session.shutdown()
